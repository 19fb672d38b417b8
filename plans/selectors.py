"""Reads for the public portal: only published plans, a fixed number of queries per page.

Every selector here costs the same number of queries whatever the size of the plan: trees come
from one query (``get_cached_trees``), related rows from one query per table, and the ``plan``
of every node read is set from the plan already in hand instead of being fetched again.
KPIs are counted through the reverse relation ``indicators``; this app never imports them.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.http import RFC3986_SUBDELIMS

from .models import CrossReference, Municipality, NodeSection, Plan, PlanNode, SdgGoal
from .search import fold

# A query longer than this is cut: no plan text needs more, and LIKE on 10 KB is wasted work.
MAX_QUERY_LENGTH = 100
MAX_RESULTS = 100


def _count_of(model, **filters) -> Coalesce:
    """A correlated subquery counting ``model`` rows (no join fan-out between two counts)."""
    counted = (
        model.objects.filter(**filters)
        .order_by()
        .values(next(iter(filters)))
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _indicator_model():
    # The KPI model through the reverse relation: plans must not import the indicators app.
    return Plan._meta.get_field("indicators").related_model


def published_plans():
    """Published plans with their municipality and counts of nodes and KPIs."""
    return (
        Plan.objects.published()
        .select_related("municipality")
        .annotate(
            node_count=_count_of(PlanNode, plan=OuterRef("pk")),
            indicator_count=_count_of(_indicator_model(), plan=OuterRef("pk")),
        )
    )


@dataclass
class MunicipalityPlans:
    municipality: Municipality
    plans: list[Plan] = field(default_factory=list)


def municipalities_with_plans(municipality_slug: str | None = None) -> list[MunicipalityPlans]:
    """Municipalities that have a published plan, each with those plans (one query)."""
    plans = published_plans()
    if municipality_slug is not None:
        plans = plans.filter(municipality__slug=municipality_slug)
    grouped: dict[int, MunicipalityPlans] = {}
    for plan in plans.order_by("municipality__slug", "-first_fiscal_year", "slug"):
        entry = grouped.setdefault(plan.municipality_id, MunicipalityPlans(plan.municipality))
        entry.plans.append(plan)
    return list(grouped.values())


def public_plan(municipality_slug: str, plan_slug: str) -> Plan:
    """The published plan at these slugs, or 404 (draft plans do not exist for the public)."""
    plan = (
        Plan.objects.published()
        .select_related("municipality")
        .filter(municipality__slug=municipality_slug, slug=plan_slug)
        .first()
    )
    if plan is None:
        raise Http404("No published plan at this address.")
    return plan


def node_url(plan_url: str, node: PlanNode) -> str:
    """What ``node.get_absolute_url()`` returns, without a ``reverse()`` per node.

    A plan page links every node; reversing each one costs more than the rest of the page.
    """
    return f"{plan_url}{quote(node.code or node.key, safe=RFC3986_SUBDELIMS + '~:@')}/"


def _share_plan(nodes, plan: Plan):
    """Give every node the plan in hand and its URL, so labels and links cost no query."""
    plan_url = plan.get_absolute_url()
    for node in nodes:
        node.plan = plan
        node.url = node_url(plan_url, node)
    return nodes


@dataclass
class PlanTree:
    roots: list[PlanNode]
    matched: int | None = None  # nodes carrying the SDG filtered on (None: no filter)


def plan_tree(
    plan: Plan, *, sdg: int | None = None, goals: list[SdgGoal] | None = None
) -> PlanTree:
    """The plan's whole tree in two queries: nodes (with KPI counts), then their SDGs.

    With ``sdg``, only nodes tagged with that goal are kept, with their ancestors for context.
    """
    nodes = list(
        PlanNode.objects.for_plan(plan)
        .annotate(indicator_count=_count_of(_indicator_model(), node=OuterRef("pk")))
        .order_by("tree_id", "lft")
    )
    _attach_goals(nodes, plan, sdg_goals() if goals is None else goals)
    roots = link_tree(_share_plan(nodes, plan))
    _count_subtrees(roots)
    if sdg is None:
        return PlanTree(roots)
    matched = _keep_matching(roots, sdg)
    return PlanTree([root for root in roots if root.keep], matched)


def _attach_goals(nodes: list[PlanNode], plan: Plan, all_goals: list[SdgGoal]) -> None:
    """Set ``node.goals`` (SdgGoal list) from one query on the link table.

    Cheaper than ``prefetch_related`` for thousands of nodes: no queryset per node.
    """
    goals = {goal.number: goal for goal in all_goals}
    links = PlanNode.sdg_goals.through.objects.filter(plannode__plan=plan).values_list(
        "plannode_id", "sdggoal_id"
    )
    by_node: dict[int, list[SdgGoal]] = {}
    for node_id, number in links.order_by("sdggoal_id"):
        by_node.setdefault(node_id, []).append(goals[number])
    for node in nodes:
        node.goals = by_node.get(node.pk, [])


def link_tree(nodes: list[PlanNode]) -> list[PlanNode]:
    """Link nodes in tree order to their parents and children in memory; return the roots.

    Like mptt's ``get_cached_trees`` but by ``parent_id`` in one pass: that one searches each
    node's parent among the whole level above, which is slow for a 5,000-node plan.
    """
    by_pk = {node.pk: node for node in nodes}
    roots = []
    for node in nodes:
        node.tree_children = []
        node._cached_children = node.tree_children  # mptt's get_children() reads this
    for node in nodes:
        parent = by_pk.get(node.parent_id)
        if parent is None:
            roots.append(node)
        else:
            node.parent = parent
            parent.tree_children.append(node)
    return roots


def _count_subtrees(nodes) -> tuple[int, int]:
    """Set ``descendant_total`` and ``subtree_indicator_count`` on every node; return totals."""
    total_nodes = total_indicators = 0
    for node in nodes:
        below_nodes, below_indicators = _count_subtrees(node.tree_children)
        node.descendant_total = below_nodes
        node.subtree_indicator_count = below_indicators + node.indicator_count
        total_nodes += below_nodes + 1
        total_indicators += node.subtree_indicator_count
    return total_nodes, total_indicators


def _keep_matching(nodes, sdg: int) -> int:
    """Mark ``node.keep`` on nodes with the goal and on their ancestors; return the matches."""
    matched = 0
    for node in nodes:
        matched += _keep_matching(node.tree_children, sdg)
        node.has_sdg = any(goal.number == sdg for goal in node.goals)
        matched += node.has_sdg
        node.keep = node.has_sdg or any(child.keep for child in node.tree_children)
        node.tree_children = [child for child in node.tree_children if child.keep]
    return matched


def public_node(municipality_slug: str, plan_slug: str, node_ref: str) -> PlanNode:
    """The node of a published plan whose code (preferred) or key is ``node_ref``, or 404.

    One query finds the node with its plan and municipality; two more bring its SDGs and
    text sections.
    """
    candidates = list(
        PlanNode.objects.published()
        .filter(plan__municipality__slug=municipality_slug, plan__slug=plan_slug)
        .filter(Q(code=node_ref) | Q(key=node_ref))
        .select_related("plan__municipality")
        .prefetch_related("sdg_goals", Prefetch("sections", NodeSection.objects.order_by("order")))
    )
    if not candidates:
        raise Http404("No such node in a published plan.")
    node = next((c for c in candidates if c.code == node_ref), candidates[0])
    return _share_plan([node], node.plan)[0]


@dataclass
class NodePage:
    node: PlanNode
    ancestors: list[PlanNode]
    children: list[PlanNode]
    outgoing: list[CrossReference]
    incoming: list[CrossReference]


def ancestors_of(plan: Plan, node: PlanNode) -> list[PlanNode]:
    """The breadcrumb above ``node``, top first (one query)."""
    return _share_plan(list(node.get_ancestors()), plan)


def node_page(node: PlanNode) -> NodePage:
    """Everything around a node in two queries: ancestors with children, cross-references."""
    plan = node.plan
    family = _share_plan(
        list(
            PlanNode.objects.filter(tree_id=node.tree_id)
            .filter(Q(lft__lt=node.lft, rght__gt=node.rght) | Q(parent=node))
            .annotate(indicator_count=_count_of(_indicator_model(), node=OuterRef("pk")))
            .order_by("lft")
        ),
        plan,
    )
    ancestors = [n for n in family if n.lft < node.lft]
    children = [n for n in family if n.parent_id == node.pk]
    references = list(
        CrossReference.objects.filter(Q(from_node=node) | Q(to_node=node)).select_related(
            "from_node", "to_node"
        )
    )
    _share_plan([ref.to_node for ref in references if ref.to_node is not None], plan)
    _share_plan([ref.from_node for ref in references], plan)
    outgoing = [ref for ref in references if ref.from_node_id == node.pk]
    incoming = [ref for ref in references if ref.to_node_id == node.pk]
    return NodePage(node, ancestors, children, outgoing, incoming)


def sdg_goals() -> list[SdgGoal]:
    return list(SdgGoal.objects.all())


# --- Search -----------------------------------------------------------------------------------


@dataclass
class SearchFilters:
    """What the citizen typed and chose; everything already validated."""

    query: str = ""  # as typed (cut to MAX_QUERY_LENGTH), for display
    folded: str = ""  # folded like PlanNode.search_text
    plan: Plan | None = None
    level: int | None = None
    sdg: int | None = None
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.folded


def search_filters(
    *, query: str, plan_ref: str = "", level: str = "", sdg: str = ""
) -> SearchFilters:
    """Validate the search form; unknown filters are dropped rather than failing the page."""
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
    filters.level = parse_small_int(level, 0, 9)
    filters.sdg = parse_small_int(sdg, 1, 17)
    return filters


def parse_small_int(text: str, low: int, high: int) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


@dataclass
class NodeResults:
    nodes: list[PlanNode]
    total: int


def search_nodes(filters: SearchFilters) -> NodeResults:
    """Nodes of published plans whose folded text contains the folded query (two queries)."""
    if filters.is_empty:
        return NodeResults([], 0)
    matches = PlanNode.objects.published().filter(search_text__contains=filters.folded)
    if filters.plan is not None:
        matches = matches.filter(plan=filters.plan)
    if filters.level is not None:
        matches = matches.filter(level=filters.level)
    if filters.sdg is not None:
        matches = matches.filter(sdg_goals=filters.sdg)
    total = matches.count()
    nodes = list(
        matches.select_related("plan__municipality", "parent")
        .prefetch_related(Prefetch("sections", NodeSection.objects.order_by("order")))
        .annotate(in_title=_title_match(filters))
        .order_by("in_title", "plan__municipality__slug", "plan__slug", "tree_id", "lft")[
            :MAX_RESULTS
        ]
    )
    plan_urls: dict[int, str] = {}
    for node in nodes:
        if node.plan_id not in plan_urls:
            plan_urls[node.plan_id] = node.plan.get_absolute_url()
        node.url = node_url(plan_urls[node.plan_id], node)
    return NodeResults(nodes, total)


def _title_match(filters: SearchFilters) -> Case:
    """0 when the title contains the query (as typed or folded): those results come first."""
    in_title = Q(title__icontains=filters.folded) | Q(title__icontains=filters.query)
    return Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())


def search_plan_choices() -> list[Plan]:
    return list(Plan.objects.published().select_related("municipality"))
