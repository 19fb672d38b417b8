"""Spreadsheet front ends: Excel workbooks (.xlsx, openpyxl) and CSV files → tables.

    blocks = xlsx_blocks(data, "kpi.xlsx", report, limits)
    blocks = csv_blocks(data, "kpi.csv", report, limits)

Each visible sheet becomes, in order: the lines above its table (a title, a caption: rows with
a single filled cell) as paragraphs, then one table of the remaining rows. Empty rows and
columns are dropped; merged cells are repeated in every cell they span. A cell reads as Excel
shows it: its number format applied (``0.0%`` → ``25.6%``, ``#,##0"人"`` → ``1,234人``), formulas
by their last computed value. The reader then finds the KPI columns by their header words and
places each KPI by its code or section column.

CSV is read in UTF-8 (with or without a byte-order mark) or, failing that, in Shift_JIS
(cp932, as Japanese Excel saves it); comma, tab or semicolon separated.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

from lxml import etree

from importers.parsing.blocks import Block, BlockKind
from importers.parsing.errors import ParseError
from importers.parsing.formats.limits import Limits, open_zip
from importers.parsing.model import Report

WHAT = "an Excel workbook (.xlsx)"


def xlsx_blocks(data: bytes, source: str, report: Report, limits: Limits) -> list[Block]:
    import openpyxl  # imported here: only workbook imports need it

    open_zip(data, source, limits, WHAT)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, etree.LxmlError, OSError) as error:
        raise ParseError(
            source, 0, WHAT, f"a damaged workbook ({type(error).__name__}: {error})"
        ) from None
    blocks: list[Block] = []
    cells = 0
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            report.add("warning", f"hidden sheet {sheet.title!r} not read", source=source)
            continue
        cells += (sheet.max_row or 0) * (sheet.max_column or 0)
        if cells > limits.max_cells:
            raise ParseError(
                source, 0, f"a workbook of at most {limits.max_cells:,} cells", f"{cells:,} cells"
            )
        rows = _sheet_rows(sheet)
        blocks += sheet_blocks(rows, source, sheet=sheet.title)
    return blocks


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of every row, merged cells repeated."""
    merged: dict[tuple[int, int], str] = {}
    for span in sheet.merged_cells.ranges:
        value = _cell_text(sheet.cell(span.min_row, span.min_col))
        for row in range(span.min_row, span.max_row + 1):
            for column in range(span.min_col, span.max_col + 1):
                merged[(row, column)] = value
    rows = []
    for row in sheet.iter_rows():
        number = row[0].row if row else 0
        texts = [
            merged.get((cell.row, cell.column), None)
            if (cell.row, cell.column) in merged
            else _cell_text(cell)
            for cell in row
            if hasattr(cell, "column")
        ]
        rows.append((number, texts))
    return rows


def sheet_blocks(rows: list[tuple[int, list[str]]], source: str, sheet: str = "") -> list[Block]:
    """A sheet's rows as caption paragraphs and one table; empty rows and columns dropped."""
    rows = [(number, cells) for number, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        return []
    width = max(len(cells) for _, cells in rows)
    used = [
        c for c in range(width) if any(c < len(cells) and cells[c].strip() for _, cells in rows)
    ]
    rows = [
        (number, [cells[c].strip() if c < len(cells) else "" for c in used])
        for number, cells in rows
    ]
    blocks: list[Block] = []
    start = 0
    while start < len(rows) and sum(1 for cell in rows[start][1] if cell) == 1 and len(used) > 1:
        number, cells = rows[start]
        text = next(cell for cell in cells if cell)
        blocks.append(Block(BlockKind.PARAGRAPH, text=text, source=source, line=number))
        start += 1
    table = rows[start:]
    if table:
        blocks.append(
            Block(
                BlockKind.TABLE,
                rows=tuple(tuple(cells) for _, cells in table),
                source=source,
                line=table[0][0],
            )
        )
    return blocks


# --- cell values as Excel shows them ---------------------------------------------------------

_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
_SECTION_NOISE = re.compile(r"\[[^\]]*\]|_.|\*.")


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d") if not isinstance(value, datetime.time) else str(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value, cell.number_format or "General")
    return str(value).replace("\r\n", "\n").replace("\n", " ").strip()


def format_number(value: float | int | Decimal, number_format: str) -> str:
    """``value`` as Excel displays it with ``number_format`` (the common cases: digits,
    grouping, decimals, percent, literal text such as units)."""
    sections = _split_sections(number_format)
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    literal_before, pattern, literal_after = _parts(section)
    if not pattern or pattern.lower() == "general":
        return literal_before + _general(value) + literal_after
    if "%" in pattern:
        value = value * 100
    decimals = len(pattern.split(".", 1)[1].rstrip("%").replace("#", "0")) if "." in pattern else 0
    grouped = "," in pattern
    text = f"{float(value):,.{decimals}f}" if grouped else f"{float(value):.{decimals}f}"
    if "%" in pattern:
        text += "%"
    return literal_before + text + literal_after


def _split_sections(number_format: str) -> list[str]:
    sections, current, quoted = [], "", False
    for char in number_format:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def _parts(section: str) -> tuple[str, str, str]:
    """(text before, the number pattern, text after) of one format section."""
    section = _SECTION_NOISE.sub("", section)
    match = re.search(r"[#0?][#0?,.]*%?|General", section, re.IGNORECASE)
    if not match:
        return _unquote(section), "", ""
    return _unquote(section[: match.start()]), match.group(), _unquote(section[match.end() :])


def _unquote(text: str) -> str:
    return _QUOTED.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def _general(value: float | int | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


# --- CSV -------------------------------------------------------------------------------------


def csv_blocks(data: bytes, source: str, report: Report, limits: Limits) -> list[Block]:
    text = _decode_csv(data, source, report)
    sample = text[:8192]
    delimiter = max(",\t;", key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if sum(len(row) for row in rows) > limits.max_cells:
        raise ParseError(source, 0, f"a CSV of at most {limits.max_cells:,} cells", "more")
    return sheet_blocks([(number, row) for number, row in enumerate(rows, start=1)], source)


def _decode_csv(data: bytes, source: str, report: Report) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            source, line, "a CSV in UTF-8 or Shift_JIS (cp932)", "bytes that are neither"
        ) from None
    report.add("normalization", "CSV read as Shift_JIS (cp932)", source=source)
    return text
