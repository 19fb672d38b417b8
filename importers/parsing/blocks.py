"""Blocks: what every front end hands to the one reader.

A plan arrives as a text extraction, a PDF, a saved web page, a Word file or a spreadsheet. Each
front end turns its format into the same flat sequence of blocks, in reading order:

* ``HEADING``: a line the *document* marks as a heading (HTML ``h1``–``h6``, a Word heading
  style or outline level, a PDF line set in a larger font). ``depth`` says how deep the
  document put it (1 = top) when it knows; the reader still reads the numbering, level word and
  code from ``text``.
* ``PARAGRAPH``: running text, or a line whose role the format does not tell (every line of a
  plain-text extraction starts as one: the reader decides which of them are headings).
* ``TABLE``: rows of cells, as the format delimits them (ruled or unruled PDF tables, HTML
  tables with ``rowspan``/``colspan`` expanded, Word tables, sheet ranges, or text tables whose
  columns the text front end recovered).

Every block remembers where it came from (``source``, 1-based ``line``; ``page`` for paged
formats) so that the report can point at it. Blocks are plain data: no Django, no project
imports.

Texts are normalized by the front end (``normalize.normalize_text``). An empty PARAGRAPH is a
break (a blank line of a text file); front ends whose blocks are whole paragraphs need not emit
breaks. ``reader.read_blocks`` reads a sequence of blocks; ``text_blocks`` is the plain-text
front end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from importers.parsing.model import Line


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    TABLE = "table"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""  # HEADING and PARAGRAPH: normalized text
    rows: tuple[tuple[str, ...], ...] = ()  # TABLE: normalized cell texts, row by row
    depth: int | None = None  # HEADING: 1 = top, when the document's structure says so
    source: str = ""
    line: int = 0  # 1-based line (text) or running line number (paged formats)
    page: int | None = None  # 1-based page of a paged format


def text_blocks(lines: Iterable[Line], source: str) -> list[Block]:
    """The plain-text front end: each normalized line a PARAGRAPH (blank lines are breaks); the
    reader decides which lines are headings and which form tables."""
    return [
        Block(BlockKind.PARAGRAPH, text=line.text, source=source, line=line.number)
        for line in lines
    ]
