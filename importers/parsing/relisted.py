"""Cross-listings: 「(2101 再掲)」 in a node's text says the measure is also that of the node
coded 2101 (``relisted_codes_are_references``); each becomes a RELISTED cross-reference with
its line, resolved against the plan's codes once every file is read."""

from __future__ import annotations

import re
from collections.abc import Iterable

from importers.parsing.model import CrossRef, CrossRefKind, Line

RELISTED = re.compile(r"[(（]\s*(\d{2,7}|\d{1,2}(?:-\d{1,2}){1,3})\s*再掲\s*[)）]")


def relisted_refs(lines: Iterable[Line]) -> list[CrossRef]:
    """The cross-references 「(code 再掲)」 marks in ``lines``, in reading order."""
    return [
        CrossRef(kind=CrossRefKind.RELISTED, target_code=code, line=line.number)
        for line in lines
        for code in RELISTED.findall(line.text)
    ]
