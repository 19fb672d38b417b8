"""The planner workbook: a plan's tables as a formatted Excel book for committees.

Three sheets — 施策体系 (the hierarchy), 成果指標 (KPIs with baseline, target, latest actual and
achievement) and 年度別実績 (KPIs × fiscal years). Headers are Japanese, frozen and filtered;
numbers stay numbers with display formats; pages print landscape on A4 with the header row
repeated.

The plan is read in a fixed number of queries whatever its size: the whole tree once (the
hierarchy columns come from a map of node paths built once), the KPIs once, their values once.
``streaming=True`` reads KPIs and values in chunks instead and never holds the whole plan, so
memory stays flat. Either way rows are written as they are built (see :mod:`importers.xlsx`)
and the columns are sized from every cell on the way.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db.models import Max, Min

from indicators.models import Indicator, IndicatorValue
from indicators.progress import achievement
from plans.models import Plan, PlanNode

from .xlsx import Sheet, XlsxWriter

SHEET_TREE = "施策体系"
SHEET_INDICATORS = "成果指標"
SHEET_VALUES = "年度別実績"
COMPARATOR_LABELS = {"gte": "以上", "lte": "以下", "stay": "維持"}
PERCENT_UNITS = {"%", "％"}
THOUSAND_YEN_UNIT = "千円"
STREAM_CHUNK = 2000
MIN_WIDTH, MAX_WIDTH = 6, 60
ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))
DECIMALS = re.compile(r"\d\.(\d+)")


def wareki(fiscal_year: int | None) -> str:
    """The fiscal year in the Japanese era: 2019 → 令和元年度, 2023 → 令和5年度."""
    if fiscal_year is None:
        return ""
    for first, era in ERAS:
        if fiscal_year >= first:
            number = fiscal_year - first + 1
            return f"{era}{'元' if number == 1 else number}年度"
    return ""


@lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Columns ``text`` takes in Excel: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(slots=True)
class Cell:
    """A value with its Excel number format ("" for text or the default)."""

    value: object
    number_format: str = ""

    def text(self) -> str:
        """Roughly what Excel shows, to size the column."""
        if isinstance(self.value, float | int | Decimal):
            shown = f"{self.value:,.4f}".rstrip("0").rstrip(".")
            return shown + ("%" if "%" in self.number_format else "")
        return "" if self.value is None else str(self.value)


@dataclass
class KpiFormat:
    """How one KPI's numbers are stored and shown: percent as fractions, 千円, decimals."""

    unit: str
    decimals: int

    @property
    def number_format(self) -> str:
        digits = "." + "0" * self.decimals if self.decimals else ""
        if self.unit in PERCENT_UNITS:
            return f"0{digits}%"
        if self.unit == THOUSAND_YEN_UNIT:
            return f'#,##0{digits}"千円"'
        return f"#,##0{digits}"

    def cell(self, value: Decimal | None, raw: str = "") -> Cell:
        """A number as a number; a value without a number (設置, —) keeps its raw text."""
        if value is None:
            return Cell(raw or None)
        number = value / 100 if self.unit in PERCENT_UNITS else value
        return Cell(float(number), self.number_format)


def kpi_format(indicator: Indicator, values: list[IndicatorValue]) -> KpiFormat:
    texts = [indicator.baseline_raw, indicator.target_raw, *(v.raw_text for v in values)]
    numbers = [indicator.baseline_value, indicator.target_value, *(v.value for v in values)]
    decimals = [len(m) for t in texts for m in DECIMALS.findall(t)]
    decimals += [-n.normalize().as_tuple().exponent for n in numbers if n is not None]
    return KpiFormat(unit=indicator.unit.strip(), decimals=min(max([0, *decimals]), 4))


# --- Reading the plan ------------------------------------------------------------------------


@dataclass
class PlanTree:
    """The plan's nodes read once: each node's path from its root, and the level names."""

    nodes: list[PlanNode]
    paths: dict[int, list[PlanNode]]
    sdgs: dict[int, list[int]]
    level_names: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, plan: Plan) -> "PlanTree":
        nodes = list(
            PlanNode.objects.filter(plan=plan)
            .order_by("tree_id", "lft")
            .only("id", "parent_id", "kind", "code", "title", "is_priority", "department", "level")
        )
        paths: dict[int, list[PlanNode]] = {}
        for node in nodes:  # tree order: a parent always comes before its children
            paths[node.pk] = [*paths.get(node.parent_id, []), node]
        through = PlanNode.sdg_goals.through.objects.filter(plannode__plan=plan)
        sdgs: dict[int, list[int]] = {}
        for node_id, goal in through.values_list("plannode_id", "sdggoal_id").order_by("sdggoal"):
            sdgs.setdefault(node_id, []).append(goal)
        depth = max([len(plan.level_names), *(n.level + 1 for n in nodes)])
        names = [plan.level_name(i) or f"第{i + 1}階層" for i in range(depth)]
        return cls(nodes=nodes, paths=paths, sdgs=sdgs, level_names=names)

    def leaves(self) -> list[PlanNode]:
        parents = {node.parent_id for node in self.nodes}
        return [n for n in self.nodes if n.pk not in parents and n.kind == PlanNode.Kind.POLICY]

    def path_labels(self, node_id: int) -> list[str]:
        """One "code title" per level, blank past the node's own level."""
        labels = [str(node) for node in self.paths.get(node_id, [])]
        return labels + [""] * (len(self.level_names) - len(labels))


def indicator_chunks(
    plan: Plan, chunk_size: int | None
) -> Iterator[list[tuple[Indicator, list[IndicatorValue]]]]:
    """The plan's KPIs in tree order with their values: one chunk, or chunks of ``chunk_size``."""
    indicators = Indicator.objects.filter(plan=plan).order_by(
        "node__tree_id", "node__lft", "order", "pk"
    )
    if chunk_size is None:
        yield _with_values(list(indicators), IndicatorValue.objects.filter(indicator__plan=plan))
        return
    chunk: list[Indicator] = []
    for indicator in indicators.iterator(chunk_size=chunk_size):
        chunk.append(indicator)
        if len(chunk) == chunk_size:
            yield _with_values(chunk, IndicatorValue.objects.filter(indicator__in=chunk))
            chunk = []
    if chunk:
        yield _with_values(chunk, IndicatorValue.objects.filter(indicator__in=chunk))


def _with_values(indicators, values_queryset):
    by_indicator: dict[int, list[IndicatorValue]] = {i.pk: [] for i in indicators}
    for value in values_queryset.order_by("fiscal_year").only(
        "indicator_id", "fiscal_year", "value", "raw_text"
    ):
        by_indicator[value.indicator_id].append(value)
    return [(indicator, by_indicator[indicator.pk]) for indicator in indicators]


def fiscal_years(plan: Plan) -> list[int]:
    """The columns of 年度別実績: the plan period, widened to every year that has a value."""
    bounds = IndicatorValue.objects.filter(indicator__plan=plan).aggregate(
        first=Min("fiscal_year"), last=Max("fiscal_year")
    )
    first = min(plan.first_fiscal_year, bounds["first"] or plan.first_fiscal_year)
    last = max(plan.last_fiscal_year, bounds["last"] or plan.last_fiscal_year)
    return list(range(first, last + 1))


# --- Rows ------------------------------------------------------------------------------------


def tree_headers(tree: PlanTree) -> list[str]:
    levels = [h for name in tree.level_names for h in (f"{name}コード", name)]
    return [*levels, "重点", "担当部局", "SDGs"]


def tree_rows(tree: PlanTree) -> Iterator[list[Cell]]:
    """One row per lowest-level node. 重点 when it or an ancestor is a priority; department
    and SDGs its own, else those of its nearest ancestor that has them."""
    for leaf in tree.leaves():
        path = tree.paths[leaf.pk]
        levels = [Cell(v or None) for node in path for v in (node.code, node.title)]
        levels += [Cell(None)] * (2 * len(tree.level_names) - len(levels))
        department = next((n.department for n in reversed(path) if n.department), "")
        goals = next((tree.sdgs[n.pk] for n in reversed(path) if n.pk in tree.sdgs), [])
        priority = "○" if any(n.is_priority for n in path) else None
        sdgs = ", ".join(str(g) for g in goals) or None
        yield [*levels, Cell(priority), Cell(department or None), Cell(sdgs)]


INDICATOR_HEADERS = [
    "指標名",
    "定義",
    "単位",
    "基準年度（和暦）",
    "基準年度（西暦）",
    "基準値",
    "目標年度（和暦）",
    "目標年度（西暦）",
    "目標値",
    "目標の判定",
    "最新実績年度（和暦）",
    "最新実績年度（西暦）",
    "最新実績値",
    "達成率",
]


def indicator_headers(tree: PlanTree) -> list[str]:
    return [*tree.level_names, *INDICATOR_HEADERS]


def latest_actual(values: list[IndicatorValue]) -> IndicatorValue | None:
    """The most recent yearly value that is a number (values come in fiscal-year order)."""
    return next((v for v in reversed(values) if v.value is not None), None)


def indicator_row(tree: PlanTree, indicator: Indicator, values: list[IndicatorValue]) -> list:
    fmt = kpi_format(indicator, values)
    latest = latest_actual(values)
    actual = latest.value if latest else None
    percent = achievement(
        baseline=indicator.baseline_value, target=indicator.target_value, actual=actual
    )
    return [
        *(Cell(label or None) for label in tree.path_labels(indicator.node_id)),
        Cell(indicator.name),
        Cell(indicator.definition or None),
        Cell(indicator.unit or None),
        Cell(wareki(indicator.baseline_year) or None),
        Cell(indicator.baseline_year),
        fmt.cell(indicator.baseline_value, indicator.baseline_raw),
        Cell(wareki(indicator.target_year) or None),
        Cell(indicator.target_year),
        fmt.cell(indicator.target_value, indicator.target_raw),
        Cell(COMPARATOR_LABELS.get(indicator.comparator)),
        Cell(wareki(latest.fiscal_year) if latest else None),
        Cell(latest.fiscal_year if latest else None),
        fmt.cell(actual),
        Cell(None) if percent is None else Cell(float(percent / 100), "0.0%"),
    ]


def values_headers(years: list[int]) -> list[str]:
    return ["項目", "指標名", "単位", *(f"{wareki(y)}（{y}）" for y in years)]


def values_row(tree: PlanTree, indicator, values, years: list[int]) -> list[Cell]:
    fmt = kpi_format(indicator, values)
    by_year = {v.fiscal_year: v for v in values}
    node = tree.paths[indicator.node_id][-1]
    cells = [Cell(str(node)), Cell(indicator.name), Cell(indicator.unit or None)]
    for year in years:
        value = by_year.get(year)
        cells.append(fmt.cell(value.value, value.raw_text) if value else Cell(None))
    return cells


# --- Writing ---------------------------------------------------------------------------------


@dataclass
class SheetSpec:
    title: str
    headers: list[str]
    rows: object  # an iterable of lists of Cell
    freeze: tuple[int, int] = (0, 1)  # frozen columns and rows: the header row


def measured(rows, widths: list[float], headers: list[str]):
    """Pass ``rows`` through as (value, format) pairs while sizing the columns: the widest
    text (wide characters count two), within bounds; ``widths`` is final once they are all read.
    """
    widest = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            width = display_width(cell.text())
            if width > widest[i]:
                widest[i] = width
        yield [(cell.value, cell.number_format) for cell in row]
    widths[:] = [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widest]


def write_sheet(writer: XlsxWriter, spec: SheetSpec) -> None:
    widths: list[float] = []
    pairs = measured(spec.rows, widths, spec.headers)
    writer.add_sheet(Sheet(spec.title, spec.headers, widths, pairs, spec.freeze))


def write_plan_workbook(plan: Plan, path_or_file, *, streaming: bool = False) -> None:
    """Write the planner workbook of ``plan`` to a path or a binary file object."""
    tree = PlanTree.load(plan)
    years = fiscal_years(plan)
    # Without streaming the KPIs are read once and serve both KPI sheets.
    loaded = None if streaming else list(indicator_chunks(plan, None))

    def kpi_rows(build):
        for pairs in loaded if loaded is not None else indicator_chunks(plan, STREAM_CHUNK):
            for indicator, values in pairs:
                yield build(indicator, values)

    writer = XlsxWriter(path_or_file)
    sheets = [
        SheetSpec(SHEET_TREE, tree_headers(tree), tree_rows(tree)),
        SheetSpec(
            SHEET_INDICATORS,
            indicator_headers(tree),
            kpi_rows(lambda i, v: indicator_row(tree, i, v)),
        ),
        SheetSpec(
            SHEET_VALUES,
            values_headers(years),
            kpi_rows(lambda i, v: values_row(tree, i, v, years)),
            freeze=(3, 1),
        ),
    ]
    for spec in sheets:
        write_sheet(writer, spec)
    writer.close()
