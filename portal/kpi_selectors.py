"""Reads of KPIs for the public pages: one query per table, progress from :mod:`.progress`."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q
from django.http import Http404

from indicators import progress
from indicators.fields import kpi_columns
from indicators.models import GradeBand, Indicator, IndicatorValue
from plans.compiled import CompiledQuery
from plans.models import Plan, PlanNode
from portal.rows import JSONRows, read_only


@dataclass
class KpiStatus:
    """A KPI with its yearly values and the verdict on its latest actual (``evaluation``)."""

    indicator: Indicator
    values: list[IndicatorValue]  # by fiscal year
    evaluation: progress.Evaluation

    @property
    def latest(self) -> IndicatorValue | None:
        """The yearly value the verdict is about (None when there is none)."""
        actual = self.evaluation.actual
        if actual is None:
            return None
        return next(v for v in reversed(self.values) if v.fiscal_year == actual.year)

    @property
    def achievement(self) -> Decimal | None:
        return self.evaluation.achievement

    @property
    def met(self) -> bool | None:
        return self.evaluation.met

    @property
    def on_track(self) -> bool | None:
        return self.evaluation.on_track

    @property
    def grade(self) -> str:
        return self.evaluation.grade

    @property
    def status(self) -> progress.Status:
        return self.evaluation.status

    @property
    def updated_at(self):
        """When the KPI or any of its yearly values last changed."""
        return max([self.indicator.updated_at, *(v.updated_at for v in self.values)])

    @property
    def value_updated_at(self):
        """When a yearly value last changed (None without values): the dashboard's 更新日."""
        return max((v.updated_at for v in self.values), default=None)

    @property
    def kind(self) -> progress.Kind:
        return self.evaluation.kind

    def expected_in(self, fiscal_year: int | None) -> Decimal | None:
        """The value on the straight line from baseline to target in ``fiscal_year`` (None
        when the KPI is not judged against that line)."""
        if fiscal_year is None or self.kind != progress.Kind.PROGRESS:
            return None
        kpi = self.indicator
        return progress.expected_value(
            baseline=kpi.baseline_value,
            baseline_year=kpi.baseline_year,
            target=kpi.target_value,
            target_year=kpi.target_year,
            fiscal_year=fiscal_year,
        )

    @property
    def bar_percent(self) -> int:
        """Width of the progress bar: the achievement clamped to 0–100."""
        if self.achievement is None:
            return 0
        return int(min(max(self.achievement, Decimal(0)), Decimal(100)))


def indicator_url(plan_url: str, indicator: Indicator) -> str:
    """What ``indicator.get_absolute_url()`` returns, from the plan's URL, without reverse()."""
    return f"{plan_url}kpi/{indicator.pk}/"


# The KPI columns of a KPI table (the fields ``indicators.fields`` marks ``table``); the KPI
# page reads DETAIL, every KPI field; plan progress only PROGRESS. "id" comes first: rows are
# grouped by it.
INDICATOR = ("id", "node_id", *kpi_columns(table_only=True))
DETAIL = ("id", "node_id", *kpi_columns(), "updated_at")
# What progress.Target reads: a verdict needs no name.
PROGRESS = (
    "id",
    "node_id",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "target_raw",
    "comparator",
    "direction",
    "is_cumulative",
)
VALUE = ("fiscal_year", "value", "raw_text")
VALUE_DETAIL = (*VALUE, "note", "source", "updated_at")
VALUE_DATED = (*VALUE, "updated_at")

# Which KPIs a read selects; ``value(name)`` stands for each call's values.
WHERE = {
    "indicator": lambda value: Q(plan_id=value("plan"), pk=value("pk")),
    "plan": lambda value: Q(plan_id=value("plan")),
    # the KPIs of a node, of its ancestors and of every node under it (the node page)
    "around": lambda value: (
        Q(plan_id=value("plan"), node__tree_id=value("tree"))
        & (
            Q(node__lft__lte=value("lft"), node__rght__gte=value("rght"))
            | Q(node__lft__gte=value("lft"), node__rght__lte=value("rght"))
        )
    ),
}
_COMPILED: dict[tuple, CompiledQuery] = {}


def _kpi_columns(indicator: Sequence[str], value: Sequence[str]) -> tuple[str, ...]:
    """A KPI's ``indicator`` columns, its node's tree and place, a yearly value's ``value``."""
    return (*indicator, "node__tree_id", "node__lft", *(f"values__{name}" for name in value))


def _kpi_query(where: str, indicator: Sequence[str], value: Sequence[str]) -> CompiledQuery:
    """KPIs selected by ``WHERE[where]`` with their values, a row per value (compiled once)."""
    key = (where, tuple(indicator), tuple(value))
    if key not in _COMPILED:
        _COMPILED[key] = CompiledQuery(
            lambda placeholder: (
                Indicator.objects.filter(WHERE[where](placeholder))
                .order_by("order", "id", "values__fiscal_year")
                .values_list(*_kpi_columns(indicator, value))
            )
        )
    return _COMPILED[key]


def _indicators_with_values(
    where: str, params: dict, indicator: Sequence[str] = INDICATOR, value: Sequence[str] = VALUE
) -> list[tuple[Indicator, list[IndicatorValue]]]:
    """KPIs selected by ``WHERE[where]`` (with ``params``) with their yearly values, in one
    query (a row per value).

    Each KPI carries ``tree_id`` and ``node_lft``: the tree of the plan its node belongs to
    and the node's place in it.
    """
    return _entries(_kpi_query(where, indicator, value)(**params), indicator, value)


def _entries(rows, indicator: Sequence[str], value: Sequence[str]):
    """``(indicator, values)`` pairs from rows of ``indicator`` columns, tree_id, node_lft and
    ``value`` columns (a row per value, in order; NULL values for a KPI without any)."""
    indicator_names = (*indicator, "tree_id", "node_lft")
    width = len(indicator_names)
    found: dict[int, tuple[Indicator, list[IndicatorValue]]] = {}
    for row in rows:
        entry = found.get(row[0])
        if entry is None:
            entry = found[row[0]] = (read_only(Indicator, indicator_names, row[:width]), [])
        if row[width] is not None:  # fiscal_year: NULL when the KPI has no values
            entry[1].append(read_only(IndicatorValue, value, row[width:]))
    return list(found.values())


def around_outer_node() -> JSONRows:
    """The KPIs of the outer query's node, of its ancestors and of every node under it, with
    their yearly values, as a JSON column of the node's row (what :func:`node_kpis` reads)."""
    outer = {"plan": "plan_id", "tree": "tree_id", "lft": "lft", "rght": "rght"}
    kpis = Indicator.objects.filter(WHERE["around"](lambda name: OuterRef(outer[name])))
    return JSONRows(kpis, (*_kpi_columns(INDICATOR, VALUE), "order"))


def _around_entries(rows):
    """:func:`around_outer_node`'s rows as ``(indicator, values)`` pairs, in KPI order."""
    year = len(INDICATOR) + 2  # after tree_id and node_lft
    rows = sorted(rows, key=lambda row: (row[-1], row[0], row[year] or 0))
    return _entries((row[:-1] for row in rows), INDICATOR, VALUE)


def _share_plan(indicators: Iterable[Indicator], plan: Plan, node: PlanNode | None = None):
    """Give KPIs read as rows their plan (and node) in hand, and their URL."""
    plan_url = plan.get_absolute_url()
    for indicator in indicators:
        indicator.plan = plan
        if node is not None:
            indicator.node = node
        indicator.url = indicator_url(plan_url, indicator)


_bands = CompiledQuery(
    lambda value: (
        GradeBand.objects.filter(settings_id=value("plan"))
        .order_by("pk")
        .values_list("label", "minimum")
    )
)


def plan_bands(plan_id: int) -> tuple[progress.Band, ...]:
    """The plan's grade bands (one query), or the defaults when it has none."""
    rows = _bands(plan=plan_id)
    return tuple(progress.Band(label, minimum) for label, minimum in rows) or (
        progress.DEFAULT_BANDS
    )


def kpi_status(
    indicator: Indicator,
    values: list[IndicatorValue],
    bands: Sequence[progress.Band] = progress.DEFAULT_BANDS,
) -> KpiStatus:
    """The verdict on the latest actual (see :func:`progress.evaluate`)."""
    actuals = [progress.Actual(v.fiscal_year, v.value, v.raw_text) for v in values]
    target = progress.Target.of(indicator)
    return KpiStatus(indicator, values, progress.evaluate(target, actuals, bands))


def kpi_statuses(entries, plan_id: int, *, graded: bool = True) -> list[KpiStatus]:
    """Verdicts for ``(indicator, values)`` pairs of one plan.

    ``graded``: read the plan's grade bands (one query) and grade each percentage; counts of
    statuses need no grade.
    """
    bands = plan_bands(plan_id) if graded else ()
    return [kpi_status(indicator, values, bands) for indicator, values in entries]


@dataclass
class KpisAround:
    """A node's own KPIs, and those of its nearest ancestor that has any (what it serves)."""

    own: list[KpiStatus]
    owner: PlanNode | None
    inherited: list[KpiStatus]


def _kpis_around(node: PlanNode, ancestors: list[PlanNode], lineage: list[KpiStatus]) -> KpisAround:
    """The KPIs of ``node`` and of its nearest ancestor with KPIs, from the KPIs of the node
    and its ancestors (``ancestors``: all of them, top first)."""
    by_node: dict[int, list[KpiStatus]] = {}
    for status in lineage:
        by_node.setdefault(status.indicator.node_id, []).append(status)
    owner = next((a for a in reversed(ancestors) if a.pk in by_node), None)
    own = by_node.get(node.pk, [])
    inherited = by_node[owner.pk] if owner else []
    _share_plan((status.indicator for status in own), node.plan, node)
    if owner:
        _share_plan((status.indicator for status in inherited), owner.plan, owner)
    return KpisAround(own, owner, inherited)


@dataclass
class NodeKpis:
    """What a node page shows of KPIs: its own and those it serves (``around``), and the
    progress of the KPIs of the node and every node under it (``progress``)."""

    around: KpisAround
    progress: progress.ProgressSummary


def node_kpis(
    node: PlanNode,
    ancestors: list[PlanNode],
    bands: Sequence[progress.Band] | None = None,
    around: list[tuple] | None = None,
) -> NodeKpis:
    """The KPIs of ``node``, of its ancestors and of every node under it; ``ancestors``: all
    of them, top first. The node page reads ``around`` (the rows of :func:`around_outer_node`)
    and the plan's grade ``bands`` with the node; without them this reads them (two queries).
    Each KPI is judged once."""
    if around is None:
        params = {"plan": node.plan_id, "tree": node.tree_id, "lft": node.lft, "rght": node.rght}
        entries = _indicators_with_values("around", params)
    else:
        entries = _around_entries(around)
    if bands is None:
        bands = plan_bands(node.plan_id)
    # In nested sets a KPI's node is on the path up (lft ≤ the node's) or under the node
    # (lft ≥); the node itself is both. Only the path up is shown with grades.
    lineage, summary = [], progress.ProgressSummary()
    for indicator, values in entries:
        on_path = indicator.node_lft <= node.lft
        status = kpi_status(indicator, values, bands if on_path else ())
        if on_path:
            lineage.append(status)
        if indicator.node_lft >= node.lft:
            summary.add(status.evaluation)
    return NodeKpis(_kpis_around(node, ancestors, lineage), summary)


def public_indicator(plan: Plan, pk: int) -> KpiStatus:
    """The KPI ``pk`` of the published ``plan`` with its yearly values, or 404 (one query).

    Its node comes with the breadcrumb (``portal.selectors.lineage``): see the view.
    """
    found = _indicators_with_values("indicator", {"plan": plan.pk, "pk": pk}, DETAIL, VALUE_DETAIL)
    if not found:
        raise Http404("No such KPI in this plan.")
    _share_plan((indicator for indicator, _values in found), plan)
    return kpi_statuses(found, plan.pk)[0]


def plan_statuses(
    plan: Plan,
    columns: Sequence[str] = PROGRESS,
    values: Sequence[str] = VALUE,
    *,
    graded: bool = False,
) -> list[KpiStatus]:
    """Verdicts on every KPI of ``plan``: one query (and one for the bands if ``graded``)."""
    entries = _indicators_with_values("plan", {"plan": plan.pk}, columns, values)
    return kpi_statuses(entries, plan.pk, graded=graded)


def plan_progress(plan: Plan, nodes: Iterable[PlanNode]) -> dict[int, progress.ProgressSummary]:
    """Roll-up summaries for the plan's ``nodes`` (already read, in tree order).

    One query for every KPI with its values, whatever the size of the plan.
    """
    return progress.roll_up(
        nodes, ((s.indicator.node_id, s.evaluation) for s in plan_statuses(plan))
    )


def tree_progress(plan: Plan) -> dict[int, progress.ProgressSummary]:
    """Summaries per tree of the plan (a top-level node and all under it), by ``tree_id``.

    The same queries as :func:`plan_statuses`: each KPI row carries its node's tree.
    """
    summaries: dict[int, progress.ProgressSummary] = {}
    for status in plan_statuses(plan):
        summaries.setdefault(status.indicator.tree_id, progress.ProgressSummary()).add(
            status.evaluation
        )
    return summaries
