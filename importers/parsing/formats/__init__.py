"""Front ends for plan documents as staff have them: PDF, HTML, Word, Excel and CSV.

    blocks = document_blocks(data, "plan.pdf", report)      # format recognised from content
    plan = read_blocks(blocks, source="plan.pdf", report=report)

Each front end turns its format into the reader's blocks (``importers.parsing.blocks``):
headings the document marks as such, paragraphs, and tables as rows of cells. Then every text
goes through the same normalization as a text file (``normalize.normalize_text``: radical code
points to the standard kanji, NFKC, variants, spaces); each change is reported. A table's header
that a span split over two rows is folded into one (``tables.fold_header_rows``).
Plain text is not handled here: ``importers.parsing.parse_file`` reads it line by line.

Nothing here imports Django. The only exception raised is ``ParseError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from importers.parsing.blocks import Block
from importers.parsing.errors import ParseError
from importers.parsing.formats.detect import Format, detect_format
from importers.parsing.formats.limits import DEFAULT_LIMITS, Limits, check_size
from importers.parsing.formats.tables import fold_header_rows
from importers.parsing.model import Report
from importers.parsing.normalize import normalize_text

__all__ = ["Format", "Limits", "detect_format", "document_blocks"]

FrontEnd = Callable[[bytes, str, Report, Limits], list[Block]]


def _front_end(kind: Format) -> FrontEnd:
    # Imported on use: a text import should not load PDFium, lxml or openpyxl.
    if kind is Format.PDF:
        from importers.parsing.formats.pdf import pdf_blocks

        return pdf_blocks
    if kind is Format.HTML:
        from importers.parsing.formats.html import html_blocks

        return html_blocks
    if kind is Format.DOCX:
        from importers.parsing.formats.docx import docx_blocks

        return docx_blocks
    if kind is Format.XLSX:
        from importers.parsing.formats.sheets import xlsx_blocks

        return xlsx_blocks
    if kind is Format.CSV:
        from importers.parsing.formats.sheets import csv_blocks

        return csv_blocks
    raise ValueError(kind)


def document_blocks(
    data: bytes,
    source: str,
    report: Report,
    *,
    kind: Format | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Block]:
    """The normalized blocks of a PDF, HTML, .docx, .xlsx or CSV document."""
    check_size(data, source, limits)
    kind = kind or detect_format(data, source)
    if kind is Format.TEXT:
        raise ParseError(source, 0, "a PDF, HTML, Word, Excel or CSV document", "plain text")
    blocks = _front_end(kind)(data, source, report, limits)
    blocks = _normalized(blocks, source, report)
    if not any(block.text or block.rows for block in blocks):
        raise ParseError(source, 0, f"a {kind.upper()} document with text", "no text")
    return blocks


def _normalized(blocks: list[Block], source: str, report: Report) -> list[Block]:
    """Every text through ``normalize_text`` (radicals, NFKC, variants, spaces; each change
    reported), as a text file's lines go through ``normalize``; split headers folded."""
    out = []
    for block in blocks:
        text = normalize_text(block.text, source, report, block.line) if block.text else ""
        rows = tuple(
            tuple(
                normalize_text(cell, source, report, block.line + offset) if cell else ""
                for cell in row
            )  # fmt: skip
            for offset, row in enumerate(block.rows)
        )
        out.append(replace(block, text=text, rows=fold_header_rows(rows)))
    return out
