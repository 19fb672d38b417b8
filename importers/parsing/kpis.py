"""KPIs from tables: which column is what, by the words of the header (``vocabulary``).

``read_columns`` finds, in a table's header, the column of the KPI's name and of its baseline,
target, unit, code, section and row type, with the fiscal year each header names:

* the name: 指標名, 成果指標, 数値目標, KPI, 指標項目 …;
* the baseline: 現状値, 基準値, 当初, 計画策定時 …; or, in a progress table, the first column
  labelled only by a year (the later ones are yearly actuals); or the only 実績値 column;
* the target: the last 目標値 / 将来値 / 最終目標 / 5ヵ年目標 column (not 中間目標);
* a second header row holding only years (``(H30)  (R6)``) completes the columns above it;
* a row-type column (区分: 目標値 / 実績値 rows) makes a table of yearly columns: the baseline
  is the 当初 column (or the first 実績値), the target the last 目標値 with its column's year;
* a code column (施策番号) and a section column (施策名) say which node each KPI belongs to;
  ``row_numbers_are_not_codes``: a No. / 番号 column counting the rows 1, 2, 3 … numbers the
  KPIs, it places nothing (a column naming a level, 施策番号, keeps its codes).

``table_kpis`` reads the rows: a row with an empty name continues the row above (or is the
實績 row of a row-type table); a row holding one text cell is a caption that groups the rows
after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers.parsing.model import Value
from importers.parsing.values import parse_fiscal_year, parse_value, split_name_definition
from importers.parsing.vocabulary import (
    ACTUAL_WORDS,
    BASELINE_WORDS,
    CODE_WORDS,
    DEFINITION_WORDS,
    INTERIM_WORDS,
    LEVEL_WORDS,
    NAME_WORDS,
    ROW_TYPE_WORDS,
    SECTION_COLUMN_WORDS,
    TARGET_WORDS,
    UNIT_WORDS,
)

_YEAR_ONLY = re.compile(
    r"^[(\[]?\s*(?:(?:令和|平成|昭和)\s*(?:元|\d{1,2})|[RHS]\s*(?:元|\d{1,2})|(?:19|20)\d{2})"
    r"\s*(?:\(\s*(?:19|20)?\d{2}\s*\))?\s*(?:年度?|年度末|年度実績)?(?:実績)?\s*[)\]]?$"
)


@dataclass
class Columns:
    name: int
    baseline: int | None = None
    target: int | None = None
    unit: int | None = None
    code: int | None = None
    section: int | None = None
    definition: int | None = None
    row_type: int | None = None
    baseline_year: int | None = None
    target_year: int | None = None
    years: dict[int, int] = field(default_factory=dict)  # column → year, for yearly columns
    header_rows: int = 1
    header: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The columns used, for the report: 指標名=「成果指標」、現状値=「現状値(R4)」…"""
        roles = [("指標名", self.name), ("現状値", self.baseline), ("目標値", self.target),
                 ("単位", self.unit), ("コード", self.code), ("項目", self.section),
                 ("行の種類", self.row_type)]  # fmt: skip
        used = [f"{role}=「{self.header[i]}」" for role, i in roles if i is not None]
        if self.years:
            used.append(f"年度={','.join(str(y) for y in self.years.values())}")
        return "、".join(used)


@dataclass
class KpiRow:
    name: str
    definition: str
    baseline: Value
    baseline_year: int | None
    target: Value
    target_year: int | None
    unit: str
    line: int
    code: str = ""
    section: str = ""
    caption: str = ""  # the caption row above it, if the table groups its rows


def is_header(cells: list[str]) -> bool:
    return read_columns([cells]) is not None


def read_columns(rows: list[list[str]]) -> Columns | None:
    """The columns of a KPI table from its first row (and a second row of years), or None."""
    header = list(rows[0])
    name = _find(header, NAME_WORDS)
    if name is None:
        return None
    columns = Columns(name=name, header=header)
    if len(rows) > 1 and _years_below(header, rows[1]):
        columns.header_rows = 2
    taken = {name}
    columns.code = _find(header, CODE_WORDS, taken)
    taken |= {columns.code}
    columns.section = _find(header, SECTION_COLUMN_WORDS, taken, exclude=NAME_WORDS)
    taken |= {columns.section}
    columns.unit = _find(header, UNIT_WORDS, taken)
    columns.row_type = _find(header, ROW_TYPE_WORDS, taken | {columns.unit})
    columns.definition = _find(header, DEFINITION_WORDS, taken | {columns.unit})
    taken |= {columns.unit, columns.row_type, columns.definition}
    _value_columns(columns, header, taken)
    if columns.baseline is None and columns.target is None:
        return None
    return columns


def _years_below(header: list[str], below: list[str]) -> bool:
    """``(H30)  (R6)`` under ``成果指標 現状値 目標値``: the years go to the last columns."""
    cells = [cell for cell in below if cell.strip()]
    if not cells or len(cells) >= len(header) or not all(_YEAR_ONLY.match(c) for c in cells):
        return False
    for offset, cell in enumerate(reversed(cells), start=1):
        header[-offset] += cell
    return True


def _value_columns(columns: Columns, header: list[str], taken: set) -> None:
    free = [i for i in range(len(header)) if i not in taken]
    targets = [
        i for i in free if _has(header[i], TARGET_WORDS) and not _has(header[i], INTERIM_WORDS)
    ]
    baselines = [i for i in free if _has(header[i], BASELINE_WORDS) and i not in targets]
    year_only = [i for i in free if _YEAR_ONLY.match(header[i].strip()) and i not in targets]
    actuals = [i for i in free if _has(header[i], ACTUAL_WORDS) and i not in targets + baselines]
    columns.target = targets[-1] if targets else None
    if columns.row_type is not None:
        columns.baseline = baselines[0] if baselines else None
        columns.years = {i: parse_fiscal_year(header[i]) for i in year_only + baselines}
        columns.years = {i: y for i, y in columns.years.items() if y}
    elif baselines:
        columns.baseline = baselines[0]
    elif year_only and (columns.target is None or year_only[0] < columns.target):
        columns.baseline = year_only[0]
        columns.years = {i: y for i in year_only[1:] if (y := parse_fiscal_year(header[i]))}
    elif len(actuals) == 1:
        columns.baseline = actuals[0]
    if columns.target is None and columns.row_type is None and len(year_only) > 1:
        columns.target = year_only[-1]  # yearly columns ending with the horizon year
    if columns.baseline is not None:
        columns.baseline_year = parse_fiscal_year(header[columns.baseline])
    if columns.target is not None:
        columns.target_year = parse_fiscal_year(header[columns.target])


def _has(cell: str, words: tuple[str, ...]) -> bool:
    return any(word in cell for word in words)


def _find(cells, words, taken=frozenset(), exclude=()) -> int | None:
    for index, cell in enumerate(cells):
        if index in taken or _has(cell, exclude):
            continue
        if _has(cell, words):
            return index
    return None


def table_kpis(rows: list[list[str]], lines: list[int]) -> tuple[Columns | None, list[KpiRow]]:
    """The KPIs of a table whose first row is its header (None, [] when it is no KPI table)."""
    columns = read_columns(rows)
    if columns is None:
        return None, []
    kpis: list[KpiRow] = []
    pending: list[tuple[list[str], int]] = []  # rows of the current KPI (continuations)
    caption = ""
    for cells, line in zip(rows[columns.header_rows :], lines[columns.header_rows :], strict=False):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        name = _cell(cells, columns.name)
        if _is_caption(cells):
            _flush(columns, pending, kpis, caption)
            caption = cells[0]
            continue
        if not name and pending:
            pending.append((cells, line))
            continue
        _flush(columns, pending, kpis, caption)
        pending.append((cells, line))
    _flush(columns, pending, kpis, caption)
    if row_numbers_are_not_codes(columns, kpis):
        columns.code = None
        for kpi in kpis:
            kpi.code = ""
    return columns, kpis


def row_numbers_are_not_codes(columns: Columns, kpis: list[KpiRow]) -> bool:
    """A code column whose header names no level (No., 番号) and whose cells count the KPI rows
    1, 2, 3 … numbers the rows: read as codes, they would make nodes 「1」「2」 and send the KPIs
    of the next table numbered from 1 again under them."""
    if columns.code is None or _has(columns.header[columns.code], LEVEL_WORDS):
        return False
    codes = [kpi.code for kpi in kpis]
    return bool(codes) and codes == [str(number) for number in range(1, len(codes) + 1)]


def _is_caption(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return len(cells) > 2 and len(filled) == 1 and cells[0] == filled[0] and len(filled[0]) <= 40


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _flush(columns: Columns, pending: list, kpis: list[KpiRow], caption: str) -> None:
    if not pending:
        return
    rows = list(pending)
    pending.clear()
    if columns.row_type is not None:
        kpi = _typed_kpi(columns, rows)
    else:
        kpi = _plain_kpi(columns, rows)
    if kpi is not None:
        kpi.caption = caption
        kpis.append(kpi)


def _plain_kpi(columns: Columns, rows: list[tuple[list[str], int]]) -> KpiRow | None:
    """A KPI row; rows after it with an empty name continue its cells."""
    cells, line = list(rows[0][0]), rows[0][1]
    for more, _ in rows[1:]:
        for index, text in enumerate(more):
            if text and index < len(cells):
                cells[index] = (cells[index] + text) if cells[index] else text
    name, definition = split_name_definition(_cell(cells, columns.name))
    if not name or re.fullmatch(r"[\d,.\s]+", name):
        return None  # a bare number (an id, a page number) names no KPI
    baseline = parse_value(_cell(cells, columns.baseline))
    target = parse_value(_cell(cells, columns.target))
    return KpiRow(
        name=name,
        definition=definition or _cell(cells, columns.definition),
        baseline=baseline,
        baseline_year=baseline.fiscal_year or columns.baseline_year,
        target=target,
        target_year=target.fiscal_year or columns.target_year,
        unit=_cell(cells, columns.unit) or target.unit or baseline.unit,
        line=line,
        code=_cell(cells, columns.code),
        section=_cell(cells, columns.section),
    )


def _typed_kpi(columns: Columns, rows: list[tuple[list[str], int]]) -> KpiRow | None:
    """目標値 / 実績値 rows of one KPI: baseline from 当初 (or the first actual), target the
    last 目標値 with its column's year."""
    name, definition = split_name_definition(_cell(rows[0][0], columns.name))
    targets = next((c for c, _ in rows if "目標" in _cell(c, columns.row_type)), None)
    actuals = next((c for c, _ in rows if "実績" in _cell(c, columns.row_type)), None)
    if not name or (targets is None and actuals is None):
        return None
    baseline, baseline_year = Value(raw=""), None
    for source in (actuals, targets):
        if source is not None and columns.baseline is not None:
            baseline = parse_value(_cell(source, columns.baseline))
            baseline_year = columns.baseline_year
            if baseline.value is not None:
                break
    target, target_year = Value(raw=""), None
    for index in sorted(columns.years, reverse=True):
        value = parse_value(_cell(targets or [], index))
        if value.value is not None or (value.note and value.raw):
            target, target_year = value, columns.years[index]
            break
    return KpiRow(
        name=name,
        definition=definition,
        baseline=baseline,
        baseline_year=baseline.fiscal_year or baseline_year,
        target=target,
        target_year=target.fiscal_year or target_year,
        unit=target.unit or baseline.unit,
        line=rows[0][1],
    )
