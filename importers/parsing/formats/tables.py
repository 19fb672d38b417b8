"""Header rows that a span split in two, folded into one (for every front end's tables).

A KPI table often has a two-row header: a label column spans both rows (``rowspan``, a
vertically merged cell) while the others name a group above and its parts below::

    指標名 | 単位 | 数値            | 数値               ← 数値 spans two columns
    指標名 | 単位 | 現状値(令和3年度) | 目標値(令和9年度)   ← 指標名 and 単位 span two rows

Expanded cell by cell, the second row looks like a first row of data. Folded, the table has one
header: ``成果指標 | 単位 | 現状値(令和3年度) | 目標値(令和9年度)`` (a group label gives way
to the labels under it, except to bare years: ``目標値 令和7年度 | 目標値 令和9年度``). A
second row is folded
when its first cell repeats the first row's (the span's mark), or is empty while none of its
other cells holds a figure (a year is a label, not a figure).
"""

from __future__ import annotations

import re

_FIGURE = re.compile(r"[-▲△]?\d")
_YEAR_LABEL = re.compile(r"(?:令和|平成|[RH])\s?(?:\d{1,2}|元)\s?年?度?|\d{4}\s?年?度?")


def fold_header_rows(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """``rows`` with its second (and third) row folded into the first where a span split the
    header (see the module docstring)."""
    while len(rows) > 2 and _continues_header(rows[0], rows[1]):
        above, below = rows[0], rows[1]
        header = tuple(_fold(above[c], below[c], _group(above, c)) for c in range(len(above)))
        rows = (header, *rows[2:])
    return rows


def _group(row: tuple[str, ...], column: int) -> bool:
    """Whether the cell spans its neighbour (a group label over several columns)."""
    cell = row[column]
    return bool(cell) and (
        column > 0 and row[column - 1] == cell or column + 1 < len(row) and row[column + 1] == cell
    )


def _continues_header(header: tuple[str, ...], row: tuple[str, ...]) -> bool:
    if not header or not header[0] or len(header) != len(row) or row == header:
        return False
    if row[0] == header[0]:
        return True
    return (
        not row[0]
        and any(row)
        and not any(_FIGURE.match(cell) and not _YEAR_LABEL.fullmatch(cell) for cell in row if cell)
    )


def _fold(above: str, below: str, group: bool) -> str:
    """One header cell from two: a group label over several columns gives way to the label of
    its own column (数値 / 現状値 → 現状値) unless that is only a year (目標値 / 令和9年度 →
    目標値 令和9年度); a label of one column keeps what is under it (現状値 令和4年度)."""
    if not below or below == above:
        return above
    if not above or group and not _YEAR_LABEL.fullmatch(below):
        return below
    return f"{above} {below}"
