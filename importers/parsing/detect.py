"""Which sample layout reader claims a text: the first in ``LAYOUTS`` whose ``matches()`` says so.

Detection looks at the normalized text only, never at file names. A text no layout claims is
read by the general reader (``general``), which is how every new city's plan is read.
"""

from __future__ import annotations

from types import ModuleType

from importers.parsing.layouts import (
    honjo,
    kiyose,
    omitama_detail,
    omitama_outline,
    tomakomai,
)
from importers.parsing.model import Line

LAYOUTS: tuple[ModuleType, ...] = (
    omitama_outline,
    omitama_detail,
    kiyose,
    honjo,
    tomakomai,
)


def detect_layout(lines: list[Line]) -> ModuleType | None:
    """The layout module that claims these lines, or None (the general reader reads them)."""
    for layout in LAYOUTS:
        if layout.matches(lines):
            return layout
    return None


def layout_names() -> list[str]:
    return [layout.NAME for layout in LAYOUTS]


def layout_by_name(name: str) -> ModuleType:
    """The reader called ``name``; KeyError for an unknown name."""
    for layout in LAYOUTS:
        if layout.NAME == name:
            return layout
    raise KeyError(name)
