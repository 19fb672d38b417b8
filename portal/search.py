"""Search over published plans: nodes and KPIs, by words, place, plan, level and SDG.

At national size (700,000 nodes, 250,000 KPIs) a common word matches tens of thousands of rows.
So the page never counts or sorts them all: the bigram index (:mod:`plans.search`) finds the
rows, counting stops past :data:`COUNT_CAP` (「1,000件以上」), the first :data:`MAX_RESULTS`
found are read in the index's order and only they are sorted for display. The filters narrow
by prefecture and municipality (two short lists) rather than offering every plan at once.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import Municipality, NodeSection, Plan, PlanNode
from plans.prefectures import PREFECTURES
from plans.search import KpiText, containing, fold, nodes_containing

from .kpi_selectors import indicator_url
from .selectors import node_url, parse_small_int

# A query longer than this is cut: no plan text needs more, and LIKE on 10 KB is wasted work.
MAX_QUERY_LENGTH = 100
MAX_RESULTS = 100
COUNT_CAP = 1000


@dataclass
class SearchFilters:
    """What the citizen typed and chose; everything already validated."""

    query: str = ""  # as typed (cut to MAX_QUERY_LENGTH), for display
    folded: str = ""  # folded like PlanNode.search_text
    prefecture: str = ""
    municipality: Municipality | None = None
    plan: Plan | None = None
    level: int | None = None
    sdg: int | None = None
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.folded


def search_filters(
    *,
    query: str,
    prefecture: str = "",
    municipality: str = "",
    plan_ref: str = "",
    level: str = "",
    sdg: str = "",
) -> SearchFilters:
    """Validate the search form; unknown filters are dropped rather than failing the page.

    A plan (``omitama/2023``) implies its municipality, a municipality its prefecture.
    """
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH].strip()
    filters = SearchFilters(query=query, folded=fold(query), truncated=truncated)
    if "/" in plan_ref:
        municipality_slug, _, plan_slug = plan_ref.partition("/")
        filters.plan = (
            Plan.objects.published()
            .select_related("municipality")
            .filter(municipality__slug=municipality_slug, slug=plan_slug)
            .first()
        )
    if filters.plan is not None:
        filters.municipality = filters.plan.municipality
    elif municipality:
        filters.municipality = Municipality.objects.filter(
            slug=municipality, plans__status=Plan.Status.PUBLISHED
        ).first()
    if filters.municipality is not None:
        filters.prefecture = filters.municipality.prefecture
    elif prefecture in PREFECTURES:
        filters.prefecture = prefecture
    filters.level = parse_small_int(level, 0, 9)
    filters.sdg = parse_small_int(sdg, 1, 17)
    return filters


def municipality_choices(filters: SearchFilters) -> list[Municipality]:
    """The municipalities with a published plan in the chosen prefecture (none chosen: [])."""
    if not filters.prefecture:
        return []
    chosen = Municipality.objects.filter(
        prefecture=filters.prefecture, plans__status=Plan.Status.PUBLISHED
    )
    return list(chosen.distinct().order_by("name_kana", "slug").only("name", "slug"))


@dataclass
class Results:
    """The first :data:`MAX_RESULTS` matches, and how many there are up to :data:`COUNT_CAP`."""

    items: list = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more than COUNT_CAP matched: the page says 「1,000件以上」

    @property
    def count_text(self) -> str:
        """The count as the page prints it: 「12件」, or 「1,000件以上」 past the cap."""
        if self.capped:
            return _("%(count)s件以上") % {"count": f"{self.total:,}"}
        return _("%(count)s件") % {"count": self.total}


def _narrowed(matches, filters: SearchFilters, plan: str, node: str):
    """``matches`` within the filters; ``plan`` and ``node`` are the lookups to them."""
    if filters.plan is not None:
        matches = matches.filter(**{plan: filters.plan})
    elif filters.municipality is not None:
        matches = matches.filter(**{f"{plan}__municipality": filters.municipality})
    elif filters.prefecture:
        matches = matches.filter(**{f"{plan}__municipality__prefecture": filters.prefecture})
    if filters.level is not None:
        matches = matches.filter(**{f"{node}level": filters.level})
    if filters.sdg is not None:
        matches = matches.filter(**{f"{node}sdg_goals": filters.sdg})
    return matches


def _first_found(matches) -> Results:
    """Count up to the cap, read the first results found (no ORDER BY: sorting every match of
    a common word is what made search slow) — two queries."""
    matches = matches.order_by()
    total = matches[: COUNT_CAP + 1].count()
    items = list(matches[:MAX_RESULTS])
    return Results(items, min(total, COUNT_CAP), total > COUNT_CAP)


def search_nodes(filters: SearchFilters) -> Results:
    """Nodes of published plans whose folded text contains the folded query (three queries:
    count, nodes, their sections); titles that contain it first, then in plan order."""
    if filters.is_empty:
        return Results()
    matches = nodes_containing(PlanNode.objects.published(), filters.folded)
    matches = _narrowed(matches, filters, "plan", "")
    results = _first_found(
        matches.select_related("plan__municipality", "parent").prefetch_related(
            Prefetch("sections", NodeSection.objects.order_by("order"))
        )
    )
    plan_urls: dict[int, str] = {}
    for node in results.items:
        if node.plan_id not in plan_urls:
            plan_urls[node.plan_id] = node.plan.get_absolute_url()
        node.url = node_url(plan_urls[node.plan_id], node)
    results.items.sort(
        key=lambda node: (
            filters.folded not in fold(node.title),
            node.plan.municipality.slug,
            node.plan.slug,
            node.tree_id,
            node.lft,
        )
    )
    return results


def search_indicators(filters: SearchFilters) -> Results:
    """KPIs of published plans whose name or definition contains the query (two queries).

    Names are stored as printed, so both the typed and the folded query are tried: 防災 and
    ＤＸ find "防災" and "DX" in the common case without a second folded column.
    """
    if filters.is_empty:
        return Results()
    published = Indicator.objects.filter(plan__status=Plan.Status.PUBLISHED)
    matches = containing(published, KpiText(), {filters.query.lower(), filters.folded})
    matches = _narrowed(matches, filters, "plan", "node__")
    results = _first_found(matches.select_related("plan__municipality", "node"))
    plan_urls: dict[int, str] = {}
    for indicator in results.items:
        indicator.node.plan = indicator.plan
        if indicator.plan_id not in plan_urls:
            plan_urls[indicator.plan_id] = indicator.plan.get_absolute_url()
        indicator.url = indicator_url(plan_urls[indicator.plan_id], indicator)
    results.items.sort(
        key=lambda kpi: (
            kpi.plan.municipality.slug,
            kpi.plan.slug,
            kpi.node.tree_id,
            kpi.node.lft,
            kpi.order,
        )
    )
    return results
