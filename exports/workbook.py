"""The planner workbook: a plan's tables as a formatted Excel book for committees.

Three sheets — 施策体系 (the hierarchy), 成果指標 (KPIs with baseline, target, latest actual and
achievement) and 年度別実績 (KPIs × fiscal years). Headers are Japanese, frozen and filtered;
numbers stay numbers with display formats (a fiscal year is its 西暦 number, shown by its format
as 令和3年度（2021）, so one cell gives both and still sorts); pages print landscape on A4 with
the header row repeated. XlsxWriter writes the file.

The plan is read in five queries whatever its size, as tuples rather than model instances: the
tree (the hierarchy columns come from a map of node paths built once), its SDGs, the fiscal
years, the KPIs and their values. KPI figures are read as floats, which is what a cell holds
anyway (converting 60,000 decimals costs more than writing them); achievement alone is
computed in decimals, as the portal computes it. Both KPI sheets are filled in one pass over
the KPIs.
``streaming=True`` reads KPIs and values through database cursors and writes in XlsxWriter's
``constant_memory`` mode (a row leaves memory as soon as the next one starts), so memory stays
flat for a national data set; the default keeps the book in memory and shares repeated strings,
which makes a smaller file.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from typing import Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import F, FloatField, Max, Min
from django.db.models.functions import Cast
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from indicators.fields import CHOICE, KPI_FIELDS, MARK, Measured
from indicators.forms import parse_typed_number
from indicators.models import Indicator, IndicatorValue
from indicators.progress import achievement, printed_comparator
from plans.models import Plan, PlanNode

SHEET_TREE = "施策体系"
SHEET_INDICATORS = "成果指標"
SHEET_VALUES = "年度別実績"
SHEET_INPUT = "実績入力"
# Hidden beside 実績入力: each KPI's key and the version of the year's actual when the file was
# written, so that reading the file back can tell an old file from a newer entry.
SHEET_STAMPS = "版"
# Document properties that name what an input sheet is for (read back by exports.actuals).
PROPERTY_PLAN = "plan"
PROPERTY_INPUT_YEAR = "input_year"
INPUT_FILL = "#FFF2CC"
# A choice as the sheet writes it, where it is shorter than the admin's label.
CHOICE_LABELS = {"comparator": {"gte": "以上", "lte": "以下", "stay": "維持"}}
PERCENT_UNITS = {"%", "％"}
THOUSAND_YEN_UNIT = "千円"
ACHIEVEMENT_FORMAT = "0.0%"
STREAM_CHUNK = 2000
MIN_WIDTH, MAX_WIDTH = 6, 60
MEASURED_TEXTS = 1000  # per column, remembered as measured
NUMBER_ROOM = 4  # beyond the integer digits: decimals, "%" or "千円"
EXCEL_ROWS = 1_048_576
ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))
DECIMALS = re.compile(r"\d\.(\d+)")
KPI = "kpi"  # a column slot whose numbers take the KPI's own format
YEAR = "year"  # a column slot of fiscal years: the 西暦 number, shown as 令和3年度（2021）
NODE_FIELDS = ("id", "parent_id", "kind", "code", "title", "is_priority", "department", "level")
# The workbook's KPI fields (indicators.fields); a measured one reads its number as a float
# under its own name (``baseline``), next to its year and raw text.
WORKBOOK_FIELDS = tuple(kpi_field for kpi_field in KPI_FIELDS if kpi_field.workbook)
KPI_READ = (
    "node_id",
    "key",
    "unit",
    *(
        name
        for kpi_field in WORKBOOK_FIELDS
        for name in (
            (kpi_field.year, kpi_field.name, kpi_field.raw)
            if isinstance(kpi_field, Measured)
            else (kpi_field.name,)
        )
        if name != "unit"
    ),
)
VALUE_FIELDS = ("indicator_id", "fiscal_year", "number", "raw_text", "note", "source", "updated_at")
KPI_ORDER = ("node__tree_id", "node__lft", "order", "id")
VALUE_ORDER = tuple(f"indicator__{field}" for field in KPI_ORDER)


@lru_cache(maxsize=256)
def wareki(fiscal_year: int | None) -> str:
    """The fiscal year in the Japanese era: 2019 → 令和元年度, 2023 → 令和5年度."""
    if fiscal_year is None:
        return ""
    for first, era in ERAS:
        if fiscal_year >= first:
            number = fiscal_year - first + 1
            return f"{era}{'元' if number == 1 else number}年度"
    return ""


def year_label(fiscal_year: int) -> str:
    """A fiscal year as the sheets show it: 令和3年度（2021）."""
    era = wareki(fiscal_year)
    return f"{era}（{fiscal_year}）" if era else str(fiscal_year)


@lru_cache(maxsize=256)
def year_number_format(fiscal_year: int) -> str:
    """The number format that shows the 西暦 number ``fiscal_year`` as its ``year_label``: the
    cell stays a number that sorts and filters as one."""
    era = wareki(fiscal_year)
    return f'"{era}（"0"）"' if era else "0"


def display_width(text: str) -> int:
    """Columns ``text`` takes in Excel: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --- Reading the plan ------------------------------------------------------------------------


def node_label(node) -> str:
    """A node as ``PlanNode.__str__`` shows it: "code title"."""
    return f"{node.code} {node.title}" if node.code else node.title


@dataclass
class PlanTree:
    """The plan's nodes read once, with what the rows need of them: each node's path from its
    root, its label, its ancestors' labels one per level (the strings shared, not copied per
    KPI), its SDGs, and the level names."""

    nodes: list[Any]  # named rows of NODE_FIELDS in tree order
    paths: dict[int, tuple]
    labels: dict[int, str | None]
    path_labels: dict[int, tuple[str | None, ...]]  # blank past the node's own level
    sdgs: dict[int, list[int]]
    level_names: list[str]

    @classmethod
    def load(cls, plan: Plan) -> "PlanTree":
        nodes = list(
            PlanNode.objects.filter(plan=plan)
            .order_by("tree_id", "lft")
            .values_list(*NODE_FIELDS, named=True)
        )
        depth = max([len(plan.level_names), *(n.level + 1 for n in nodes)])
        paths: dict[int, tuple] = {}
        labels: dict[int, str | None] = {}
        for node in nodes:  # tree order: a parent always comes before its children
            paths[node.id] = (*paths.get(node.parent_id, ()), node)
            labels[node.id] = node_label(node) or None
        path_labels = {
            node_id: tuple(labels[n.id] for n in path) + (None,) * (depth - len(path))
            for node_id, path in paths.items()
        }
        names = [plan.level_name(i) or f"第{i + 1}階層" for i in range(depth)]
        return cls(nodes, paths, labels, path_labels, node_sdgs(plan), names)

    def leaves(self) -> list[Any]:
        parents = {node.parent_id for node in self.nodes}
        return [n for n in self.nodes if n.id not in parents and n.kind == PlanNode.Kind.POLICY]


def node_sdgs(plan: Plan) -> dict[int, list[int]]:
    """The SDG numbers of each node that has any, in number order."""
    through = PlanNode.sdg_goals.through.objects.filter(plannode__plan=plan)
    sdgs: dict[int, list[int]] = {}
    for node_id, goal in through.values_list("plannode_id", "sdggoal_id").order_by("sdggoal"):
        sdgs.setdefault(node_id, []).append(goal)
    return sdgs


def kpis_with_values(plan: Plan, *, streaming: bool) -> Iterator[tuple[Any, list[Any]]]:
    """The plan's KPIs in tree order, each with its yearly values in fiscal-year order.

    Two queries in the same order, merged on the way; streaming, both go through cursors and
    only one KPI's values are held at a time. Values carry their KPI's place in that order, so
    the values of a KPI added between the two queries are passed over, not misplaced."""
    kpis = (
        Indicator.objects.filter(plan=plan)
        .annotate(**{f.name: as_float(f.value) for f in WORKBOOK_FIELDS if isinstance(f, Measured)})
        .order_by(*KPI_ORDER)
        .values_list(*KPI_ORDER, *KPI_READ, named=True)
    )
    values = (
        IndicatorValue.objects.filter(indicator__plan=plan)
        .annotate(number=as_float("value"))
        .order_by(*VALUE_ORDER, "fiscal_year")
        .values_list(*VALUE_ORDER, *VALUE_FIELDS, named=True)
    )
    if streaming:
        kpis, values = kpis.iterator(STREAM_CHUNK), values.iterator(STREAM_CHUNK)
    kpi_place, value_place = attrgetter(*KPI_ORDER), attrgetter(*VALUE_ORDER)
    groups = groupby(values, key=value_place)
    pending = next(groups, None)
    for kpi in kpis:
        place = kpi_place(kpi)
        while pending is not None and pending[0] < place:
            pending = next(groups, None)
        own: list[Any] = []
        if pending is not None and pending[0] == place:
            own = list(pending[1])
            pending = next(groups, None)
        yield kpi, own


def as_float(field: str) -> Cast:
    return Cast(F(field), FloatField())


def fiscal_years(plan: Plan, also: int | None = None) -> list[int]:
    """The columns of 年度別実績: the plan period, widened to every year that has a value (and
    to the year ``also``, the year entered on the input sheet)."""
    bounds = IndicatorValue.objects.filter(indicator__plan=plan).aggregate(
        first=Min("fiscal_year"), last=Max("fiscal_year")
    )
    firsts = [y for y in (plan.first_fiscal_year, bounds["first"], also) if y is not None]
    lasts = [y for y in (plan.last_fiscal_year, bounds["last"], also) if y is not None]
    if not firsts or not lasts:
        return []  # a draft whose period is open and which has no values yet
    return list(range(min(firsts), max(lasts) + 1))


# --- Numbers ---------------------------------------------------------------------------------


def kpi_number_format(kpi, values: list[Any], *, as_typed: bool = False) -> str:
    """The display format of one KPI's numbers: percent, 千円 or plain, with the most decimals
    any of its figures was printed with (at most four)."""
    places = 0
    for text in (kpi.baseline_raw, kpi.target_raw, *(v.raw_text for v in values)):
        if "." in text:
            places = max([places, *map(len, DECIMALS.findall(text))])
    for number in (kpi.baseline, kpi.target, *(v.number for v in values)):
        if number is not None and not number.is_integer():
            spelled = repr(number)  # plain notation: figures have at most four decimals
            places = max(places, len(spelled) - spelled.index(".") - 1)
    return number_format(kpi.unit.strip(), min(places, 4), as_typed=as_typed)


@lru_cache(maxsize=64)
def number_format(unit: str, places: int, *, as_typed: bool = False) -> str:
    """``as_typed``: a percent is kept as typed (85.5 shown 85.5%), not as a fraction."""
    digits = "." + "0" * places if places else ""
    if unit in PERCENT_UNITS:
        return f'#,##0{digits}"%"' if as_typed else f"0{digits}%"
    if unit == THOUSAND_YEN_UNIT:
        return f'#,##0{digits}"千円"'
    return f"#,##0{digits}"


def kpi_number(value: float | None, percent: bool, raw: str = "") -> float | str | None:
    """A number as a number (percent as a fraction: figures have at most four decimals, so the
    fraction is rounded to six, as exact division would give); a value without a number (設置,
    —) keeps its raw text."""
    if value is None:
        return raw or None
    return round(value / 100, 6) if percent else value


def as_decimal(value: float | None) -> Decimal | None:
    """The decimal a figure was stored as (a float's repr is its shortest exact spelling)."""
    return None if value is None else Decimal(repr(value))


# --- Rows ------------------------------------------------------------------------------------


def tree_headers(tree: PlanTree) -> list[str]:
    levels = [h for name in tree.level_names for h in (f"{name}コード", name)]
    return [*levels, "重点", "担当部局", "SDGs"]


def tree_rows(tree: PlanTree) -> Iterator[list[str | None]]:
    """One row per lowest-level node. 重点 when it or an ancestor is a priority; department
    and SDGs its own, else those of its nearest ancestor that has them."""
    for leaf in tree.leaves():
        path = tree.paths[leaf.id]
        levels = [v or None for node in path for v in (node.code, node.title)]
        levels += [None] * (2 * len(tree.level_names) - len(levels))
        department = next((n.department for n in reversed(path) if n.department), None)
        goals = next((tree.sdgs[n.id] for n in reversed(path) if n.id in tree.sdgs), [])
        priority = "○" if any(n.is_priority for n in path) else None
        sdgs = ", ".join(str(g) for g in goals) or None
        yield [*levels, priority, department, sdgs]


def _own_columns() -> list[tuple[str, str | None]]:
    columns = []
    for kpi_field in WORKBOOK_FIELDS:
        if isinstance(kpi_field, Measured):
            columns += [(kpi_field.year_header, YEAR), (kpi_field.value_header, KPI)]
        else:
            columns.append((kpi_field.header, None))
    return columns


INDICATOR_COLUMNS = [  # header, number format of its numbers
    *_own_columns(),
    ("最新実績年度", YEAR),
    ("最新実績値", KPI),
    ("達成率", ACHIEVEMENT_FORMAT),
]


def indicator_row(labels: tuple[str | None, ...], kpi, values: list[Any]) -> list:
    """The KPI after its node's path: its fields, the latest actual (the most recent yearly
    value that is a number) and achievement."""
    percent = kpi.unit.strip() in PERCENT_UNITS
    latest = next((v for v in reversed(values) if v.number is not None), None)
    actual = latest.number if latest else None
    progress = None
    if actual is not None and kpi.baseline is not None and kpi.target is not None:
        progress = achievement(
            baseline=as_decimal(kpi.baseline),
            target=as_decimal(kpi.target),
            actual=as_decimal(actual),
        )
    return [
        *labels,
        *(cell for kpi_field in WORKBOOK_FIELDS for cell in _own_cells(kpi_field, kpi, percent)),
        latest.fiscal_year if latest else None,
        kpi_number(actual, percent),
        None if progress is None else float(progress / 100),
    ]


def _own_cells(kpi_field, kpi, percent: bool) -> tuple:
    if isinstance(kpi_field, Measured):
        number, raw = getattr(kpi, kpi_field.name), getattr(kpi, kpi_field.raw)
        return getattr(kpi, kpi_field.year), kpi_number(number, percent, raw)
    value = getattr(kpi, kpi_field.name)
    if kpi_field.kind == CHOICE:
        return (
            CHOICE_LABELS.get(kpi_field.name, {}).get(value) or _choice_label(kpi_field, value),
        )
    if kpi_field.kind == MARK:
        return ("○" if value else None,)
    return (value or None,)


def _choice_label(kpi_field, value: str) -> str | None:
    return dict(Indicator._meta.get_field(kpi_field.name).choices).get(value) if value else None


def values_headers(years: list[int]) -> list[str]:
    return ["項目", "指標名", "単位", *map(year_label, years)]


def values_row(label: str | None, kpi, values: list[Any], years: list[int]) -> list:
    percent = kpi.unit.strip() in PERCENT_UNITS
    by_year = {v.fiscal_year: v for v in values}
    cells = [label, kpi.name, kpi.unit or None]
    for year in years:
        value = by_year.get(year)
        cells.append(kpi_number(value.number, percent, value.raw_text) if value else None)
    return cells


def input_headers(year: int) -> list[str]:
    return [
        "キー",
        "項目",
        "指標名",
        "単位",
        "基準値",
        "目標値",
        "目標の判定",
        f"前年度の実績 {year_label(year - 1)}",
        f"実績値 {year_label(year)}",
        "実績値（原文）",
        "備考",
        "出典",
    ]


INPUT_SLOTS = [None] * 4 + [KPI, KPI, None, KPI]
INPUT_COLUMNS = 4  # the last four: value, raw text, note, source
INPUT_WIDTHS = (14, 16, 24, 24)


def input_row(label: str | None, kpi, values: list[Any], year: int) -> tuple[list, list]:
    """(the KPI's columns, the four input cells prefilled with the year's actual if any).

    Numbers as typed (85.5 for 85.5 %), so that what staff type is what is stored."""
    by_year = {v.fiscal_year: v for v in values}
    previous, current = by_year.get(year - 1), by_year.get(year)
    shown = [
        kpi.key,
        label,
        kpi.name,
        kpi.unit or None,
        kpi_number(kpi.baseline, False, kpi.baseline_raw),
        kpi_number(kpi.target, False, kpi.target_raw),
        printed_comparator(kpi.comparator, kpi.target_raw) or None,
        kpi_number(previous.number, False, previous.raw_text) if previous else None,
    ]
    entered = [None] * INPUT_COLUMNS
    if current is not None:
        raw = "" if says_only(current.raw_text, current.number, kpi.unit) else current.raw_text
        entered = [current.number, raw, current.note, current.source]
    return shown, [cell if cell != "" else None for cell in entered]


def input_stamp(values: list[Any], year: int) -> str:
    """The version of the year's actual as written to the file ("" when there is none); the
    same stamp as the entry screen's (``indicators.services.value_stamp``)."""
    current = next((v for v in values if v.fiscal_year == year), None)
    return "" if current is None else current.updated_at.isoformat()


def says_only(raw: str, number: float | None, unit: str) -> bool:
    """Whether ``raw`` says nothing but ``number`` (``66団体`` for 66): the input sheet leaves
    such a text out, so that a new number typed beside it gets its own text."""
    if number is None:
        return False
    try:
        return parse_typed_number(raw, unit) == as_decimal(number)
    except ValidationError:
        return False


# --- Writing ---------------------------------------------------------------------------------


class TableSheet:
    """One sheet as a table: a bold header row, frozen and filtered, then rows written as they
    come. Columns are sized from every cell on the way: the widest text (wide characters count
    two) or the largest number, within bounds."""

    def __init__(self, book: "PlannerBook", title: str, headers: list[str], slots=None):
        self.sheet: Worksheet = book.workbook.add_worksheet(title)
        # Per column, resolved once: the cell format of its numbers, or KPI for the row's own,
        # or YEAR for each year's own.
        slots = slots or [None] * len(headers)
        self.formats = [book.formats[s] if s and s not in (KPI, YEAR) else s for s in slots]
        self.number_formats = book.formats
        self.widest = [display_width(h) for h in headers]
        self.measured: list[set] = [set() for _ in headers]  # texts (and years) seen, per column
        self.largest = [0.0] * len(headers)  # of the numbers, by magnitude
        for column, header in enumerate(headers):
            self.sheet.write_string(0, column, header, book.header_format)
        self.rows = 1

    def append(self, values: list, kpi_format: Format | None = None) -> None:
        """Write one row; ``kpi_format`` formats the numbers of the KPI columns."""
        row = self.rows
        if row == EXCEL_ROWS:
            raise ValueError(f"{self.sheet.name}: more rows than Excel allows ({EXCEL_ROWS:,})")
        write_string, write_number = self.sheet.write_string, self.sheet.write_number
        widest, largest, formats, measured = self.widest, self.largest, self.formats, self.measured
        for column, value in enumerate(values):
            if value is None:
                continue
            if value.__class__ is str:
                write_string(row, column, value)
                # A text is at most twice its length wide, and texts repeat (units, the node
                # path): most need no measuring. The texts kept per column are bounded, so
                # memory stays flat when streaming.
                if 2 * len(value) > widest[column] and value not in measured[column]:
                    if len(measured[column]) == MEASURED_TEXTS:
                        measured[column].clear()
                    measured[column].add(value)
                    widest[column] = max(widest[column], display_width(value))
            else:
                number_format = formats[column]
                if number_format is KPI:
                    number_format = kpi_format
                elif number_format is YEAR:
                    number_format = self.number_formats[year_number_format(value)]
                    if value not in measured[column]:
                        measured[column].add(value)  # a plan spans a few dozen years at most
                        widest[column] = max(widest[column], display_width(year_label(value)))
                write_number(row, column, value, number_format)
                if value > largest[column] or -value > largest[column]:
                    largest[column] = abs(value)
        self.rows = row + 1

    def finish(self, freeze_columns: int = 0) -> None:
        """Widths, frozen header, filter, print titles and landscape A4 fitted to the width."""
        sheet = self.sheet
        for column, (text, number) in enumerate(zip(self.widest, self.largest, strict=True)):
            shown = max(text, len(f"{number:,.0f}") + NUMBER_ROOM if number else 0)
            sheet.set_column(column, column, min(max(shown + 2, MIN_WIDTH), MAX_WIDTH))
        sheet.freeze_panes(1, freeze_columns)
        sheet.autofilter(0, 0, self.rows - 1, len(self.widest) - 1)
        sheet.repeat_rows(0)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)


class InputSheet(TableSheet):
    """The 実績入力 sheet: the KPI's columns, then four input cells (yellow, even when blank);
    the value column accepts numbers only."""

    def __init__(self, book: "PlannerBook", year: int):
        super().__init__(book, SHEET_INPUT, input_headers(year), INPUT_SLOTS + [None] * 4)
        self.book = book
        self.first_input = len(INPUT_SLOTS)

    def append_input(self, shown: list, entered: list, kpi_format: Format) -> None:
        row = self.rows
        self.append([*shown, *[None] * INPUT_COLUMNS], kpi_format)
        value, *texts = entered
        value_format = self.book.input_formats[kpi_format.num_format]
        if value is None:
            self.sheet.write_blank(row, self.first_input, None, value_format)
        else:
            self.sheet.write_number(row, self.first_input, value, value_format)
        for column, text in enumerate(texts, start=self.first_input + 1):
            if text is None:
                self.sheet.write_blank(row, column, None, self.book.input_formats["@"])
            else:
                self.sheet.write_string(row, column, text, self.book.input_formats["@"])

    def finish(self, freeze_columns: int = 0) -> None:
        last = max(self.rows - 1, 1)
        self.sheet.data_validation(
            1,
            self.first_input,
            last,
            self.first_input,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": -1e15,
                "maximum": 1e15,
                "error_title": "数値を入力してください",
                "error_message": "設置済など文字の実績は「実績値（原文）」に入力してください。",
            },
        )
        super().finish(freeze_columns)
        for column, width in enumerate(INPUT_WIDTHS, start=self.first_input):
            self.sheet.set_column(column, column, max(width, self.widest[column] + 2))


class InputFormats(dict):
    """Number format → the yellow, unlocked input cell format, each made once."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        super().__init__()
        self.workbook = workbook

    def __missing__(self, number_format: str) -> Format:
        self[number_format] = self.workbook.add_format(
            {"num_format": number_format, "bg_color": INPUT_FILL, "locked": False}
        )
        return self[number_format]


class PlannerBook:
    """The XlsxWriter workbook with its header style and one cell format per number format."""

    def __init__(self, path_or_file, *, streaming: bool):
        self.workbook = xlsxwriter.Workbook(
            path_or_file,
            {
                "constant_memory": streaming,
                "in_memory": not streaming,
                "default_format_properties": {"font_name": "游ゴシック", "font_size": 11},
            },
        )
        self.header_format = self.workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "valign": "vcenter", "text_wrap": True}
        )
        self.formats = FormatCache(self.workbook)
        self.input_formats = InputFormats(self.workbook)


class FormatCache(dict):
    """Number format → XlsxWriter cell format, each made once."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        super().__init__()
        self.workbook = workbook

    def __missing__(self, number_format: str) -> Format:
        self[number_format] = self.workbook.add_format({"num_format": number_format})
        return self[number_format]


def write_plan_workbook(
    plan: Plan, path_or_file, *, streaming: bool = False, input_year: int | None = None
) -> None:
    """Write the planner workbook of ``plan`` to a path or a binary file object.

    ``input_year``: add the sheet 実績入力, one row per KPI with input columns for that fiscal
    year's actual, which ``exports.actuals`` reads back."""
    tree = PlanTree.load(plan)
    years = fiscal_years(plan, also=input_year)
    book = PlannerBook(path_or_file, streaming=streaming)
    entry = None
    if input_year is not None:
        entry = InputSheet(book, input_year)
        book.workbook.set_custom_property(PROPERTY_PLAN, plan_reference(plan))
        book.workbook.set_custom_property(PROPERTY_INPUT_YEAR, input_year)
    hierarchy = TableSheet(book, SHEET_TREE, tree_headers(tree))
    headers, slots = zip(*INDICATOR_COLUMNS, strict=True)
    indicators = TableSheet(
        book,
        SHEET_INDICATORS,
        [*tree.level_names, *headers],
        [None] * len(tree.level_names) + [*slots],
    )
    matrix = TableSheet(book, SHEET_VALUES, values_headers(years), [None] * 3 + [KPI] * len(years))
    stamps = None
    if entry is not None:
        stamps = book.workbook.add_worksheet(SHEET_STAMPS)
        stamps.hide()
        stamps.write_row(0, 0, ["キー", "版"])
    for row in tree_rows(tree):
        hierarchy.append(row)
    for kpi, values in kpis_with_values(plan, streaming=streaming):
        number_format = book.formats[kpi_number_format(kpi, values)]
        indicators.append(indicator_row(tree.path_labels[kpi.node_id], kpi, values), number_format)
        matrix.append(values_row(tree.labels[kpi.node_id], kpi, values, years), number_format)
        if entry is not None:
            typed = book.formats[kpi_number_format(kpi, values, as_typed=True)]
            entry.append_input(*input_row(tree.labels[kpi.node_id], kpi, values, input_year), typed)
            stamps.write_row(entry.rows - 1, 0, [kpi.key, input_stamp(values, input_year)])
    if entry is not None:
        entry.finish(freeze_columns=3)
    hierarchy.finish()
    indicators.finish()
    matrix.finish(freeze_columns=3)
    book.workbook.close()


def plan_reference(plan: Plan) -> str:
    """``omitama/2023``: the plan an input sheet belongs to."""
    return f"{plan.municipality.slug}/{plan.slug}"
