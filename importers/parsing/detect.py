"""Which layout reader understands a text: the first in ``LAYOUTS`` whose ``matches()`` says so.

Detection looks at the normalized text only, never at file names. Specific layouts come first;
``generic`` matches everything and is always last.
"""

from __future__ import annotations

from types import ModuleType

from importers.parsing.layouts import (
    generic,
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
    generic,
)


def detect_layout(lines: list[Line]) -> ModuleType:
    """The reader module for these lines (``generic`` when no specific layout matches)."""
    for layout in LAYOUTS:
        if layout.matches(lines):
            return layout
    return generic


def layout_names() -> list[str]:
    return [layout.NAME for layout in LAYOUTS]


def layout_by_name(name: str) -> ModuleType:
    """The reader called ``name``; KeyError for an unknown name."""
    for layout in LAYOUTS:
        if layout.NAME == name:
            return layout
    raise KeyError(name)
