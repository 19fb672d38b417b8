"""Reads of KPIs for the public pages: one query per table, progress from :mod:`.progress`."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from indicators import progress
from indicators.models import Indicator, IndicatorValue
from plans.models import Plan, PlanNode
from portal.rows import Columns, read_only, select_rows

MAX_RESULTS = 100


@dataclass
class KpiStatus:
    """A KPI with its yearly values, its latest actual and how far it has come.

    ``latest``, ``achievement``, ``met`` and ``on_track`` are None when unknown, ``grade`` "".
    """

    indicator: Indicator
    values: list[IndicatorValue]  # by fiscal year
    latest: IndicatorValue | None
    achievement: Decimal | None
    met: bool | None
    on_track: bool | None
    grade: str

    @property
    def updated_at(self):
        """When the KPI or any of its yearly values last changed."""
        return max([self.indicator.updated_at, *(v.updated_at for v in self.values)])

    @property
    def bar_percent(self) -> int:
        """Width of the progress bar: the achievement clamped to 0–100."""
        if self.achievement is None:
            return 0
        return int(min(max(self.achievement, Decimal(0)), Decimal(100)))


def indicator_url(plan_url: str, indicator: Indicator) -> str:
    """What ``indicator.get_absolute_url()`` returns, from the plan's URL, without reverse()."""
    return f"{plan_url}kpi/{indicator.pk}/"


# The KPI columns of a KPI table; the KPI page reads DETAIL, plan progress only PROGRESS.
# "id" comes first: rows are grouped by it.
INDICATOR = Columns(
    Indicator,
    "i",
    (
        "id",
        "node_id",
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "baseline_raw",
        "target_value",
        "target_year",
        "target_raw",
        "comparator",
    ),
)
DETAIL = Columns(
    Indicator,
    "i",
    (*INDICATOR.names, "definition", "direction", "is_cumulative", "note", "updated_at"),
)
PROGRESS = Columns(
    Indicator,
    "i",
    ("id", "baseline_value", "baseline_year", "target_value", "target_year", "comparator"),
)
VALUE = Columns(IndicatorValue, "v", ("fiscal_year", "value", "raw_text"))
VALUE_DETAIL = Columns(IndicatorValue, "v", (*VALUE.names, "note", "updated_at"))


def _indicators_with_values(
    where: str, params: list, indicator: Columns = INDICATOR, value: Columns = VALUE
) -> list[tuple[Indicator, list[IndicatorValue]]]:
    """KPIs matching ``where`` with their yearly values, in one query (a row per value).

    Each KPI carries ``tree_id``: the tree of the plan its node belongs to.
    """
    rows = select_rows(
        f"SELECT {indicator.sql}, n.tree_id, {value.sql} "  # noqa: S608
        "FROM indicators_indicator i JOIN plans_plannode n ON n.id = i.node_id "
        "LEFT JOIN indicators_indicatorvalue v ON v.indicator_id = i.id "
        f'WHERE {where} ORDER BY i."order", i.id, v.fiscal_year',
        params,
        [*indicator.fields, None, *value.fields],
    )
    indicator_names = (*indicator.names, "tree_id")
    width = len(indicator_names)
    found: dict[int, tuple[Indicator, list[IndicatorValue]]] = {}
    for row in rows:
        entry = found.get(row[0])
        if entry is None:
            entry = found[row[0]] = (read_only(Indicator, indicator_names, row[:width]), [])
        if row[width] is not None:  # fiscal_year: NULL when the KPI has no values
            entry[1].append(read_only(IndicatorValue, value.names, row[width:]))
    return list(found.values())


def _share_plan(entries, plan: Plan, node: PlanNode | None = None):
    plan_url = plan.get_absolute_url()
    for indicator, _values in entries:
        indicator.plan = plan
        if node is not None:
            indicator.node = node
        indicator.url = indicator_url(plan_url, indicator)
    return entries


def kpi_status(indicator: Indicator, values: list[IndicatorValue]) -> KpiStatus:
    """Latest actual (the last year with a number) and the measures of progress on it."""
    numbered = [v for v in values if v.value is not None]
    latest = numbered[-1] if numbered else None
    actual = latest.value if latest else None
    baseline, target = indicator.baseline_value, indicator.target_value
    percent = progress.achievement(baseline=baseline, target=target, actual=actual)
    return KpiStatus(
        indicator=indicator,
        values=values,
        latest=latest,
        achievement=percent,
        met=progress.is_target_met(
            comparator=indicator.comparator, baseline=baseline, target=target, actual=actual
        ),
        on_track=progress.is_on_track(
            baseline=baseline,
            baseline_year=indicator.baseline_year,
            target=target,
            target_year=indicator.target_year,
            fiscal_year=latest.fiscal_year if latest else 0,
            actual=actual,
        ),
        grade=progress.grade(percent),
    )


@dataclass
class KpisAround:
    """A node's own KPIs, and those of its nearest ancestor that has any (what it serves)."""

    own: list[KpiStatus]
    owner: PlanNode | None
    inherited: list[KpiStatus]


def kpis_around(node: PlanNode, ancestors: list[PlanNode]) -> KpisAround:
    """The KPIs of ``node`` and of its nearest ancestor with KPIs, in one query."""
    family = [node, *ancestors]
    marks = ", ".join(["%s"] * len(family))
    by_node: dict[int, list] = {}
    for entry in _indicators_with_values(f"i.node_id IN ({marks})", [n.pk for n in family]):
        by_node.setdefault(entry[0].node_id, []).append(entry)
    own = [kpi_status(*e) for e in _share_plan(by_node.get(node.pk, []), node.plan, node)]
    owner = next((a for a in reversed(ancestors) if a.pk in by_node), None)
    inherited = []
    if owner is not None:
        inherited = [kpi_status(*e) for e in _share_plan(by_node[owner.pk], owner.plan, owner)]
    return KpisAround(own, owner, inherited)


def public_indicator(plan: Plan, pk: int) -> KpiStatus:
    """The KPI ``pk`` of the published ``plan`` with its yearly values, or 404 (one query).

    Its node comes with the breadcrumb (``portal.selectors.lineage``): see the view.
    """
    found = _indicators_with_values(
        "i.plan_id = %s AND i.id = %s", [plan.pk, pk], DETAIL, VALUE_DETAIL
    )
    if not found:
        raise Http404("No such KPI in this plan.")
    return kpi_status(*_share_plan(found, plan)[0])


@dataclass
class ProgressSummary:
    """Counts over the KPIs of one top-level node and everything under it."""

    total: int = 0
    with_actual: int = 0
    met: int = 0
    on_track: int = 0

    @property
    def met_percent(self) -> int:
        return round(self.met * 100 / self.with_actual) if self.with_actual else 0


def plan_progress(plan: Plan) -> dict[int, ProgressSummary]:
    """Progress per tree (one per top-level node, keyed by ``tree_id``), in one query."""
    summaries: dict[int, ProgressSummary] = {}
    for indicator, values in _indicators_with_values("i.plan_id = %s", [plan.pk], PROGRESS):
        summary = summaries.setdefault(indicator.tree_id, ProgressSummary())
        status = kpi_status(indicator, values)
        summary.total += 1
        summary.with_actual += status.latest is not None
        summary.met += bool(status.met)
        summary.on_track += bool(status.on_track or status.met)
    return summaries


def search_indicators(*, query: str, folded: str, plan=None, level=None, sdg=None):
    """KPIs of published plans whose name or definition contains the query (two queries).

    Names are stored as printed, so both the typed and the folded query are tried: 防災 and
    ＤＸ find "防災" and "DX" in the common case without a second folded column.
    """
    if not folded:
        return [], 0
    words = {query, folded} - {""}
    condition = Q()
    for word in words:
        condition |= Q(name__icontains=word) | Q(definition__icontains=word)
    matches = Indicator.objects.filter(plan__status=Plan.Status.PUBLISHED).filter(condition)
    if plan is not None:
        matches = matches.filter(plan=plan)
    if level is not None:
        matches = matches.filter(node__level=level)
    if sdg is not None:
        matches = matches.filter(node__sdg_goals=sdg)
    total = matches.count()
    found = list(
        matches.select_related("plan__municipality", "node").order_by(
            "plan__municipality__slug", "plan__slug", "node__tree_id", "node__lft", "order"
        )[:MAX_RESULTS]
    )
    plan_urls: dict[int, str] = {}
    for indicator in found:
        indicator.node.plan = indicator.plan
        if indicator.plan_id not in plan_urls:
            plan_urls[indicator.plan_id] = indicator.plan.get_absolute_url()
        indicator.url = indicator_url(plan_urls[indicator.plan_id], indicator)
    return found, total
