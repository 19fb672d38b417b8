"""Which whole-document structure claims a text: the first in ``STRUCTURES`` whose ``matches()``
says so; a text none claims (every new city's plan, most of the time) goes to the general reader.

Each structure is named for what it recognises, never for a city, and detection looks at the
normalized text only, never at file names:

* ``policy_chapter``: one goal's chapter of per-policy blocks (■ 成果指標 tables, ■ 個別施策
  lists of coded items with ①② actions); codes give the goal's and the policies' codes.

A footnoted 基本目標 text (kiyose.txt), a policy address (tomakomai.txt) and an outline whose
item codes decide the parent wherever the extraction printed them (omitama_outline.txt) are
read by the general reader (``footnotes``, ``topics``, ``tree``: codes nest alike, headings lend
titles to codes); so is the 第N章 text whose chapters list their blocks and whose last chapter
holds cross-cutting plans (honjo.txt: ``contents``, ``crosscutting``, ``survey``, ``opening``).
"""

from __future__ import annotations

from types import ModuleType

from importers.parsing.model import Line
from importers.parsing.structures import (
    policy_chapter,
)

STRUCTURES: tuple[ModuleType, ...] = (policy_chapter,)


def detect_structure(lines: list[Line]) -> ModuleType | None:
    """The structure module that claims these lines, or None (the general reader reads them)."""
    for structure in STRUCTURES:
        if structure.matches(lines):
            return structure
    return None


def structure_names() -> list[str]:
    return [structure.NAME for structure in STRUCTURES]


def structure_by_name(name: str) -> ModuleType:
    """The structure called ``name``; KeyError for an unknown name."""
    for structure in STRUCTURES:
        if structure.NAME == name:
            return structure
    raise KeyError(name)
