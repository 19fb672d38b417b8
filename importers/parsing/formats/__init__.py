"""Front ends for plan documents as staff have them: PDF, HTML, Word, Excel and CSV.

    blocks = document_blocks(data, "plan.pdf", report)      # format recognised from content
    plan = read_blocks(blocks, source="plan.pdf", report=report)

Each front end turns its format into the reader's blocks (``importers.parsing.blocks``):
headings the document marks as such, paragraphs, and tables as rows of cells. Then every text
goes through the same normalization as a text file (``normalize.normalize_text``), after radical
code points have been mapped to the standard kanji (``radicals``); each change is reported.
Plain text is not handled here: ``importers.parsing.parse_file`` reads it line by line.

Nothing here imports Django. The only exception raised is ``ParseError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from importers.parsing.blocks import Block
from importers.parsing.errors import ParseError
from importers.parsing.formats.detect import Format, detect_format
from importers.parsing.formats.limits import DEFAULT_LIMITS, Limits, check_size
from importers.parsing.model import Report
from importers.parsing.normalize import normalize_text
from importers.parsing.radicals import has_radicals, replace_radicals

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
    """Radicals mapped (one report entry per character), then ``normalize_text`` per text."""
    radicals: Counter[tuple[str, str]] = Counter()

    def clean(text: str, line: int) -> str:
        if has_radicals(text):
            fixed = replace_radicals(text)
            radicals.update((a, b) for a, b in zip(text, fixed, strict=True) if a != b)
            text = fixed
        return normalize_text(text, source, report, line) if text else text

    out = []
    for block in blocks:
        text = clean(block.text, block.line)
        rows = tuple(
            tuple(clean(cell, block.line + offset) for cell in row)
            for offset, row in enumerate(block.rows)
        )
        out.append(Block(block.kind, text, rows, block.depth, block.source, block.line, block.page))
    for (radical, kanji), count in sorted(radicals.items()):
        report.add(
            "normalization",
            f"radical {radical} (U+{ord(radical):04X}) read as the kanji {kanji}, {count} time(s)",
            source=source,
            original=radical,
            replacement=kanji,
        )
    return out
