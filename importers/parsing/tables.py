"""Tables in text lines: rows of cells recovered from how the extraction laid them out.

Each capability is a function over a run of lines; ``find_tables`` tries them in turn and returns
the lines with every table replaced by one ``Table``:

* ``split_on_pipes``: Markdown-style ``| a | b |`` rows; ``---|---`` rule rows dropped; a row
  wrapped over several lines (a lone ``|``, a line left open) joined back;
* ``split_on_tabs``: tab-separated cells (normalization turns runs of spaces into tabs, so
  ``pdftotext -layout`` tables arrive here too);
* ``split_on_kinds``: cells split by single spaces, recovered after a header of column words
  because the columns' kinds line up (a name, then values with units or years);
* ``vertical_table``: one cell per line, either row after row under a header of one word a
  line, or column after column under header words set vertically (指/標/名).

A table is recognised only by a header naming its columns (``kpis.is_header``) or, for tab and
pipe tables, by its shape; what its columns mean is ``kpis``'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers.parsing.headings import read_heading
from importers.parsing.model import Line
from importers.parsing.values import parse_fiscal_year, parse_value
from importers.parsing.vocabulary import (
    BASELINE_WORDS,
    NAME_WORDS,
    TARGET_WORDS,
    UNIT_WORDS,
)

COLUMN_WORDS = NAME_WORDS + BASELINE_WORDS + TARGET_WORDS + UNIT_WORDS + ("実績値", "区分")
_RULE = re.compile(r"^[\s|:\-–—=+]+$")


@dataclass
class Table:
    rows: list[list[str]]
    line: int  # the line of the first row
    lines: list[int] = field(default_factory=list)  # the line of each row
    how: str = ""  # the capability that recovered it, for the report


def find_tables(lines: list[Line]) -> list[Line | Table]:
    """The lines, with each table they hold as one ``Table``."""
    out: list[Line | Table] = []
    index = 0
    while index < len(lines):
        for reader in (split_on_pipes, split_on_tabs, vertical_table, split_on_kinds):
            found = reader(lines, index)
            if found is not None:
                table, index = found
                out.append(table)
                break
        else:
            out.append(lines[index])
            index += 1
    return out


# --- | pipes | -----------------------------------------------------------------------------


def split_on_pipes(lines: list[Line], start: int) -> tuple[Table, int] | None:
    """``| a | b |`` rows from ``start``; None when the line is no pipe row."""
    if not lines[start].text.lstrip().startswith("|"):
        return None
    table = Table([], lines[start].number, how="split_on_pipes")
    index, pending, pending_line = start, "", 0
    while index < len(lines):
        text = lines[index].text.strip()
        if not text.startswith("|") and not pending:
            break
        if pending:
            text = pending + text.lstrip("|").strip() if text != "|" else pending
        if text == "|" or not text.endswith("|"):
            pending, pending_line = (
                text if text != "|" else pending,
                pending_line or lines[index].number,
            )
            index += 1
            continue
        number = pending_line or lines[index].number
        pending, pending_line = "", 0
        index += 1
        if _RULE.match(text):
            continue
        table.rows.append([cell.strip() for cell in text.strip("|").split("|")])
        table.lines.append(number)
    if pending:
        table.rows.append([cell.strip() for cell in pending.strip("|").split("|")])
        table.lines.append(pending_line)
    return (table, index) if table.rows else None


# --- tabs ----------------------------------------------------------------------------------


def split_on_tabs(lines: list[Line], start: int) -> tuple[Table, int] | None:
    """Consecutive lines with tab-separated cells (at least two cells each)."""
    if "\t" not in lines[start].text or _heading_with_tab(lines[start].text):
        return None
    table = Table([], lines[start].number, how="split_on_tabs")
    index = start
    while index < len(lines) and "\t" in lines[index].text:
        if _heading_with_tab(lines[index].text) and len(table.rows) > 0:
            break
        table.rows.append([cell.strip() for cell in lines[index].text.split("\t")])
        table.lines.append(lines[index].number)
        index += 1
    if table.rows and table.rows[0] and table.rows[0][0] == "" and len(table.rows) == 1:
        return None
    return table, index


def _heading_with_tab(text: str) -> bool:
    """``第1章<TAB>教育・文化``: a heading whose number and title the extraction aligned."""
    cells = text.strip().split("\t")
    return len(cells) == 2 and not is_value(cells[1]) and read_heading(text) is not None


# --- single spaces, by the kinds of the columns -----------------------------------------------


def split_on_kinds(lines: list[Line], start: int) -> tuple[Table, int] | None:
    """A header of column words separated by single spaces, then rows whose last cells are
    values: ``特定健診受診率 38.5% 60.0%`` → [name, 38.5%, 60.0%]."""
    header = header_tokens(lines[start].text)
    if header is None:
        return None
    width = len(header)
    table = Table([header], lines[start].number, [lines[start].number], how="split_on_kinds")
    index = start + 1
    while index < len(lines):
        row = row_by_kinds(lines[index].text, width)
        if row is None:
            break
        table.rows.append(row)
        table.lines.append(lines[index].number)
        index += 1
    return (table, index) if len(table.rows) > 1 else None


def header_tokens(text: str) -> list[str] | None:
    """The cells of a header written with single spaces, or None: every token a column word
    (or a year that belongs to the column before it)."""
    if "\t" in text or "|" in text:
        return None
    tokens = text.split()
    if len(tokens) < 2:
        return None
    cells: list[str] = []
    for token in tokens:
        if any(word in token for word in COLUMN_WORDS) and len(token) <= 20:
            cells.append(token)
        elif cells and parse_fiscal_year(token) is not None and len(token) <= 12:
            cells[-1] += token
        else:
            return None
    names = sum(1 for cell in cells if any(word in cell for word in NAME_WORDS))
    return cells if names >= 1 and len(cells) >= 2 else None


def row_by_kinds(text: str, width: int) -> list[str] | None:
    """A row of ``width`` cells: a name, then ``width - 1`` value tokens at the end."""
    if "\t" in text or not text.strip():
        return None
    tokens = text.split()
    if len(tokens) < width:
        return None
    values = tokens[len(tokens) - (width - 1) :]
    if not all(is_value(token) for token in values):
        return None
    name = join_words(tokens[: len(tokens) - (width - 1)])
    if not name or is_value(name):
        return None
    return [name, *values]


def is_value(text: str) -> bool:
    """A cell that holds a value: a number (with a unit, a comparator, a year), or no value."""
    value = parse_value(text)
    if value.value is not None:
        return True
    return text.strip() in ("—", "―", "-", "－", "ー", "なし", "設置", "策定", "実施", "維持")


def join_words(tokens: list[str]) -> str:
    """Tokens of one cell joined back: no space between Japanese, one between ASCII words."""
    text = ""
    for token in tokens:
        if text and text[-1].isascii() and token[:1].isascii():
            text += " "
        text += token
    return text


# --- vertical tables -----------------------------------------------------------------------


def vertical_table(lines: list[Line], start: int) -> tuple[Table, int] | None:
    """One cell per line: a header of column words one per line (row after row), or header
    words split into single characters, each followed by its column's cells."""
    return _column_after_column(lines, start) or _row_after_row(lines, start)


def _header_word(lines: list[Line], start: int) -> tuple[str, int] | None:
    """A column word at ``start``: one line, or single characters one per line (指/標/名)."""
    text = lines[start].text.strip()
    if _is_column_word(text):
        return text, start + 1
    index, word = start, ""
    while index < len(lines) and len(lines[index].text.strip()) == 1:
        word += lines[index].text.strip()
        index += 1
    return (word, index) if _is_column_word(word) else None


def _is_column_word(text: str) -> bool:
    return 2 <= len(text) <= 12 and any(text.startswith(word) for word in COLUMN_WORDS)


def _row_after_row(lines: list[Line], start: int) -> tuple[Table, int] | None:
    header: list[str] = []
    index = start
    while index < len(lines) and _is_column_word(lines[index].text.strip()):
        header.append(lines[index].text.strip())
        index += 1
    if len(header) < 2 or not any(w in header[0] for w in NAME_WORDS):
        return None
    table = Table([header], lines[start].number, [lines[start].number], how="vertical_table")
    while index + len(header) <= len(lines):
        cells = [lines[index + i].text.strip() for i in range(len(header))]
        if not cells[0] or is_value(cells[0]) or not all(is_value(c) for c in cells[1:]):
            break
        table.rows.append(cells)
        table.lines.append(lines[index].number)
        index += len(header)
    return (table, index) if len(table.rows) > 1 else None


def _column_after_column(lines: list[Line], start: int) -> tuple[Table, int] | None:
    first = _header_word(lines, start)
    if first is None or first[1] == start + 1:
        return None  # the vertical form starts with a word split into characters
    columns: list[tuple[str, list[str], list[int]]] = []
    word, index = first
    while True:
        cells: list[str] = []
        numbers: list[int] = []
        while index < len(lines) and lines[index].text.strip():
            if len(lines[index].text.strip()) == 1 and _header_word(lines, index):
                break
            cells.append(lines[index].text.strip())
            numbers.append(lines[index].number)
            index += 1
        columns.append((word, cells, numbers))
        following = _header_word(lines, index) if index < len(lines) else None
        if following is None:
            break
        word, index = following
    sizes = {len(cells) for _, cells, _ in columns}
    if len(columns) < 2 or len(sizes) != 1 or not sizes.pop():
        return None
    header = [word for word, _, _ in columns]
    rows = [list(row) for row in zip(*(cells for _, cells, _ in columns), strict=True)]
    table = Table([header, *rows], lines[start].number, how="vertical_table")
    table.lines = [lines[start].number, *columns[0][2]]
    return table, index
