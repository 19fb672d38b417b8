"""A plan's KPI dashboard: every KPI with its verdict, filtered, sorted and counted per 基本目標.

:func:`plan_dashboard` reads (four queries whatever the size of the plan: nodes, KPIs with
their values, grade bands — and the plan before it); :func:`build_dashboard` is pure: it takes
the plan's nodes, the KPIs' verdicts and the filters, and returns what the page shows.
Filters: status (達成, 順調, 遅れ, 未評価), the level of the KPI's node, the top-level node
(基本目標) it belongs to. Sort: plan order, by
achievement (highest first) or by the date of the last yearly value (newest first). KPIs whose
target is not a percentage (a ceiling, 設置 …) sort after those with one, by status.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from exports.spreadsheets import encode_csv, neutralise_formulae
from indicators.progress import ProgressSummary, Status
from plans.models import Plan

from . import kpi_selectors, selectors

SORTS = ("plan", "achievement", "updated")
SORT_LABELS = {
    "plan": gettext_lazy("計画の順"),
    "achievement": gettext_lazy("達成率の高い順"),
    "updated": gettext_lazy("更新日の新しい順"),
}
# The words for the four statuses, everywhere the portal shows one: the msgids (presenters
# look them up per language, ``presenters.words``) and their lazy translations.
STATUS_MESSAGES = {
    Status.MET: gettext_noop("達成"),
    Status.ON_TRACK: gettext_noop("順調"),
    Status.BEHIND: gettext_noop("遅れ"),
    Status.UNRATED: gettext_noop("未評価"),
}
STATUS_LABELS = {status: gettext_lazy(message) for status, message in STATUS_MESSAGES.items()}
STATUS_ORDER = {Status.MET: 0, Status.ON_TRACK: 1, Status.BEHIND: 2, Status.UNRATED: 3}


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    level: int | None = None
    goal: int | None = None  # pk of a top-level node
    sort: str = "plan"

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.status, self.level, self.goal))


def read_filters(params: Mapping[str, str], levels: int, goal_ids: set[int]) -> Filters:
    """The filters of the query string; an unknown value is ignored rather than an error."""
    status = params.get("status", "")
    level = _small_int(params.get("level", ""))
    goal = _small_int(params.get("goal", ""))
    sort = params.get("sort", "plan")
    return Filters(
        status=Status(status) if status in Status._value2member_map_ else None,
        level=level if level is not None and level < levels else None,
        goal=goal if goal in goal_ids else None,
        sort=sort if sort in SORTS else "plan",
    )


def _small_int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


@dataclass
class GoalSummary:
    """A top-level node (基本目標) and the statuses of every KPI under it."""

    goal: object
    summary: ProgressSummary


@dataclass
class Dashboard:
    rows: list  # KpiStatus, each with .node and .goal set
    goals: list[GoalSummary]
    total: ProgressSummary
    filters: Filters
    shown: int = field(init=False)

    def __post_init__(self):
        self.shown = len(self.rows)


def build_dashboard(statuses: list, nodes: list, filters: Filters) -> Dashboard:
    """Attach each KPI's node and 基本目標, count per 基本目標, then filter and sort.

    ``nodes`` are the plan's nodes in tree order (parents first) with ``pk``, ``parent_id``
    and ``level``; ``statuses`` are KpiStatus in plan order.
    """
    by_pk = {node.pk: node for node in nodes}
    root_of: dict[int, object] = {}
    for node in nodes:
        root_of[node.pk] = root_of.get(node.parent_id, node) if node.parent_id else node
    goals = {node.pk: GoalSummary(node, ProgressSummary()) for node in nodes if not node.parent_id}
    total = ProgressSummary()
    for status in statuses:
        status.node = by_pk[status.indicator.node_id]
        status.goal = root_of[status.node.pk]
        goals[status.goal.pk].summary.add(status.evaluation)
        total.add(status.evaluation)
    place = {node.pk: index for index, node in enumerate(nodes)}
    # Plan order: the nodes' tree order; within a node the KPIs' own order (a stable sort).
    statuses = sorted(statuses, key=lambda s: place[s.node.pk])
    rows = [s for s in statuses if _kept(s, filters)]
    return Dashboard(_sorted(rows, filters.sort), list(goals.values()), total, filters)


def _kept(status, filters: Filters) -> bool:
    return (
        (filters.status is None or status.status == filters.status)
        and (filters.level is None or status.node.level == filters.level)
        and (filters.goal is None or status.goal.pk == filters.goal)
    )


def _sorted(rows: list, sort: str) -> list:
    if sort == "achievement":
        return sorted(
            rows,
            key=lambda s: (
                s.achievement is None,
                -(s.achievement or 0),
                STATUS_ORDER[s.status],
            ),
        )
    if sort == "updated":
        dated = [s for s in rows if s.value_updated_at is not None]
        undated = [s for s in rows if s.value_updated_at is None]
        return sorted(dated, key=lambda s: s.value_updated_at, reverse=True) + undated
    return rows


def plan_dashboard(plan: Plan, params: Mapping[str, str]) -> Dashboard:
    """The dashboard of ``plan`` for the query string ``params`` (three queries)."""
    nodes = selectors.plan_nodes(plan)
    statuses = kpi_selectors.plan_statuses(
        plan, kpi_selectors.INDICATOR, kpi_selectors.VALUE_DATED, graded=True
    )
    plan_url = plan.get_absolute_url()
    for status in statuses:
        status.indicator.plan = plan
        status.indicator.url = kpi_selectors.indicator_url(plan_url, status.indicator)
    levels = max([len(plan.level_names), *(n.level + 1 for n in nodes)])
    goals = {n.pk for n in nodes if n.parent_id is None}
    return build_dashboard(statuses, nodes, read_filters(params, levels, goals))


def csv_response(plan: Plan, board: Dashboard) -> HttpResponse:
    """The KPIs shown (filtered and sorted as on the page) as CSV that Japanese Excel opens."""
    headers = [
        _("基本目標"), _("項目"), _("指標名"), _("単位"), _("基準値"), _("目標値"),
        _("最新の実績"), _("年度"), _("達成率（%）"), _("評価"), _("状況"),
    ]  # fmt: skip
    data = tablib.Dataset(headers=headers)
    for status in board.rows:
        kpi, latest = status.indicator, status.latest
        data.append(
            [
                _node_text(status.goal),
                _node_text(status.node),
                kpi.name,
                kpi.unit,
                kpi.baseline_raw,
                kpi.target_raw,
                latest.raw_text if latest else "",
                latest.fiscal_year if latest else "",
                "" if status.achievement is None else str(status.achievement),
                status.grade,
                str(STATUS_LABELS[status.status]),
            ]
        )
    response = HttpResponse(
        encode_csv(neutralise_formulae(data).export("csv")), content_type="text/csv; charset=utf-8"
    )
    name = f"{plan.municipality.slug}-{plan.slug}-kpis.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _node_text(node) -> str:
    return f"{node.code} {node.title}" if node.code else node.title
