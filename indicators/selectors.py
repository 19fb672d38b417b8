"""Reads of KPIs for the public pages: one query per table, progress from :mod:`.progress`."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.http import Http404

from plans.models import Plan, PlanNode

from . import progress
from .models import Indicator, IndicatorValue

MAX_RESULTS = 100


@dataclass
class KpiStatus:
    """A KPI with its latest actual and how far it has come (None/"" when unknown)."""

    indicator: Indicator
    latest: IndicatorValue | None
    achievement: Decimal | None
    met: bool | None
    on_track: bool | None
    grade: str

    @property
    def updated_at(self):
        """When the KPI or any of its yearly values last changed."""
        return max(
            [self.indicator.updated_at, *(v.updated_at for v in self.indicator.values.all())]
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


def _share_plan(indicators, plan: Plan, node: PlanNode | None = None):
    plan_url = plan.get_absolute_url()
    for indicator in indicators:
        indicator.plan = plan
        if node is not None:
            indicator.node = node
        indicator.url = indicator_url(plan_url, indicator)
    return indicators


def _values_prefetch() -> Prefetch:
    return Prefetch("values", IndicatorValue.objects.order_by("fiscal_year"))


def kpi_status(indicator: Indicator) -> KpiStatus:
    """Latest actual (the last year with a number) and the measures of progress on it."""
    numbered = [v for v in indicator.values.all() if v.value is not None]
    latest = numbered[-1] if numbered else None
    actual = latest.value if latest else None
    baseline, target = indicator.baseline_value, indicator.target_value
    percent = progress.achievement(baseline=baseline, target=target, actual=actual)
    return KpiStatus(
        indicator=indicator,
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
    """The KPIs of ``node`` and of its nearest ancestor with KPIs, in two queries."""
    family = [node, *ancestors]
    by_node: dict[int, list[Indicator]] = {}
    indicators = (
        Indicator.objects.filter(node__in=family)
        .order_by("order", "pk")
        .prefetch_related(_values_prefetch())
    )
    for indicator in indicators:
        by_node.setdefault(indicator.node_id, []).append(indicator)
    own = [kpi_status(i) for i in _share_plan(by_node.get(node.pk, []), node.plan, node)]
    owner = next((a for a in reversed(ancestors) if a.pk in by_node), None)
    inherited = []
    if owner is not None:
        inherited = [kpi_status(i) for i in _share_plan(by_node[owner.pk], owner.plan, owner)]
    return KpisAround(own, owner, inherited)


def public_indicator(plan: Plan, pk: int) -> KpiStatus:
    """The KPI ``pk`` of the published ``plan`` with its node, or 404 (two queries)."""
    indicator = (
        Indicator.objects.filter(plan=plan, pk=pk)
        .select_related("node")
        .prefetch_related(_values_prefetch())
        .first()
    )
    if indicator is None:
        raise Http404("No such KPI in this plan.")
    indicator.node.plan = plan
    return kpi_status(_share_plan([indicator], plan)[0])


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
    """Progress per tree (one per top-level node, keyed by ``tree_id``), in two queries."""
    indicators = (
        Indicator.objects.filter(plan=plan)
        .annotate(tree_id=F("node__tree_id"))
        .order_by()
        .prefetch_related(_values_prefetch())
    )
    summaries: dict[int, ProgressSummary] = {}
    for indicator in indicators:
        summary = summaries.setdefault(indicator.tree_id, ProgressSummary())
        status = kpi_status(indicator)
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
