"""Reads for the public portal: only published plans, a fixed number of queries per page.

Every selector here costs the same number of queries whatever the size of the plan: a tree
comes from one query and is linked in memory, related rows from one query per table, and the
``plan`` of every node read is set from the plan already in hand instead of being fetched again.
The node page reads the few rows around its node as JSON columns of the node's own row
(:class:`portal.rows.JSONRows`): one round trip instead of one per table.

The plan, node and KPI pages' reads are ORM QuerySets (``values_list``) compiled once per
thread (:class:`plans.compiled.CompiledQuery`), and their rows become display-only model
instances (:func:`portal.rows.read_only`): per query that costs about what the hand-written
SELECTs it replaces did, where a QuerySet compiled on each request took four to ten times as
long (the note of issue 12 has the numbers).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.http import RFC3986_SUBDELIMS

from indicators import progress
from indicators.models import GradeBand, Indicator
from plans.compiled import CompiledQuery
from plans.links import public_url
from plans.models import (
    CrossReference,
    GlossaryTerm,
    Municipality,
    NodeSection,
    Plan,
    PlanNode,
    SdgGoal,
)
from plans.prefectures import prefecture_order

from . import kpi_selectors
from .rows import JSONRows, read_only

MUNICIPALITY_FIELDS = ("id", "name", "prefecture", "slug")
PLAN_FIELDS = (
    "id",
    "municipality_id",
    "title",
    "slug",
    "first_fiscal_year",
    "last_fiscal_year",
    "level_names",
    "status",
    "updated_at",
)
NODE_FIELDS = (
    "id",
    "plan_id",
    "parent_id",
    "kind",
    "code",
    "key",
    "title",
    "is_priority",
    "lft",
    "rght",
    "tree_id",
    "level",
)
PUBLISHED = Plan.Status.PUBLISHED.value


def _related(prefix: str, names: Sequence[str]) -> tuple[str, ...]:
    """``names`` of a related model for ``values_list``: ``plan__title``, ``plan__slug``…"""
    return tuple(f"{prefix}__{name}" for name in names)


# A plan with its municipality, as values_list columns (PLAN_FIELDS then MUNICIPALITY_FIELDS).
PLAN_WITH_MUNICIPALITY = (*PLAN_FIELDS, *_related("municipality", MUNICIPALITY_FIELDS))


def _plan_from(row: Sequence, start: int = 0) -> Plan:
    """The plan and its municipality from PLAN_WITH_MUNICIPALITY columns at ``start``."""
    middle = start + len(PLAN_FIELDS)
    end = middle + len(MUNICIPALITY_FIELDS)
    municipality = read_only(Municipality, MUNICIPALITY_FIELDS, row[middle:end])
    plan = read_only(Plan, PLAN_FIELDS, row[start:middle], municipality=municipality)
    plan.url = plan.get_absolute_url()
    return plan


def read_nodes(rows, plan: Plan, extra: Sequence[str] = ()) -> list:
    """Read-only nodes of ``plan`` from rows of NODE_FIELDS followed by ``extra`` values."""
    names = (*NODE_FIELDS, *extra)
    plan_url = getattr(plan, "url", None) or plan.get_absolute_url()
    nodes = []
    for row in rows:
        node = read_only(PlanNode, names, row, plan=plan)
        node.url = node_url(plan_url, node)
        nodes.append(node)
    return nodes


def _count_of(queryset, outer: str) -> Coalesce:
    """How many rows of ``queryset`` have ``outer`` (a field name) = the outer row's id."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class MunicipalityPlans:
    municipality: Municipality
    plans: list[Plan] = field(default_factory=list)


def municipalities_with_plans(municipality_slug: str | None = None) -> list[MunicipalityPlans]:
    """Municipalities that have a published plan, each with those plans (one query).

    Each plan carries ``node_count`` and ``indicator_count``.
    """
    plans = Plan.objects.published()
    if municipality_slug is not None:
        plans = plans.filter(municipality__slug=municipality_slug)
    rows = (
        plans.annotate(
            node_count=_count_of(PlanNode.objects.all(), "plan"),
            indicator_count=_count_of(Indicator.objects.all(), "plan"),
        )
        .order_by("municipality__slug", "-first_fiscal_year", "slug")
        .values_list(*PLAN_WITH_MUNICIPALITY, "node_count", "indicator_count")
    )
    grouped: dict[int, MunicipalityPlans] = {}
    for row in rows:
        plan = _plan_from(row)
        plan.node_count, plan.indicator_count = row[-2:]
        entry = grouped.setdefault(plan.municipality_id, MunicipalityPlans(plan.municipality))
        plan.municipality = entry.municipality
        entry.plans.append(plan)
    return list(grouped.values())


_public_plan = CompiledQuery(
    lambda value: (
        Plan.objects.published()
        .filter(municipality__slug=value("municipality"), slug=value("plan"))
        .values_list(*PLAN_WITH_MUNICIPALITY)
    )
)


@dataclass
class PrefectureEntry:
    """A prefecture on the home page: its municipalities with a published plan, in code order."""

    name: str
    municipalities: list[Municipality] = field(default_factory=list)


def prefectures_with_plans() -> list[PrefectureEntry]:
    """Municipalities with a published plan, grouped by prefecture in JIS order (one query).

    The home page lists the whole country: 1,741 municipalities must fit in under 100 KB, so
    each is a name and a link; plans and their counts are on the municipality's page.
    """
    rows = (
        Municipality.objects.filter(
            Exists(Plan.objects.published().filter(municipality_id=OuterRef("pk")))
        )
        .order_by("local_gov_code", "slug")
        .values_list("prefecture", "slug", "name")
    )
    groups: dict[str, PrefectureEntry] = {}
    home = public_url("portal:home")  # a municipality's page is home + slug (no reverse each)
    for row in rows:
        municipality = read_only(Municipality, ("prefecture", "slug", "name"), row)
        municipality.url = f"{home}{municipality.slug}/"
        groups.setdefault(municipality.prefecture, PrefectureEntry(municipality.prefecture))
        groups[municipality.prefecture].municipalities.append(municipality)
    return sorted(groups.values(), key=lambda group: prefecture_order(group.name))


def public_plan(municipality_slug: str, plan_slug: str) -> Plan:
    """The published plan at these slugs, or 404 (draft plans do not exist for the public)."""
    rows = _public_plan(municipality=municipality_slug, plan=plan_slug)
    if not rows:
        raise Http404("No published plan at this address.")
    return _plan_from(rows[0])


def node_url(plan_url: str, node: PlanNode) -> str:
    """What ``node.get_absolute_url()`` returns, without a ``reverse()`` per node.

    A plan page links every node; reversing each one costs more than the rest of the page.
    """
    return f"{plan_url}{quote(node.code or node.key, safe=RFC3986_SUBDELIMS + '~:@')}/"


@dataclass
class PlanTree:
    roots: list[PlanNode]
    matched: int | None = None  # nodes carrying the SDG filtered on (None: no filter)
    has_sdgs: bool = False  # any node of the plan carries an SDG (else no filter is offered)


_tree_nodes = CompiledQuery(
    lambda value: (
        PlanNode.objects.filter(plan_id=value("plan"))
        .annotate(indicator_count=_count_of(Indicator.objects.all(), "node"))
        .order_by("tree_id", "lft")
        .values_list(*NODE_FIELDS, "indicator_count")
    )
)


def plan_tree(
    plan: Plan, *, sdg: int | None = None, goals: list[SdgGoal] | None = None
) -> PlanTree:
    """The plan's whole tree in two queries: nodes (with KPI counts), then their SDGs.

    With ``sdg``, only nodes tagged with that goal are kept, with their ancestors for context.
    """
    nodes = read_nodes(_tree_nodes(plan=plan.pk), plan, extra=("indicator_count",))
    has_sdgs = _attach_goals(nodes, plan, sdg_goals() if goals is None else goals)
    roots = link_tree(nodes)
    _count_subtrees(roots)
    if sdg is None:
        return PlanTree(roots, has_sdgs=has_sdgs)
    matched = _keep_matching(roots, sdg)
    return PlanTree([root for root in roots if root.keep], matched, has_sdgs)


_goal_links = CompiledQuery(
    lambda value: (
        PlanNode.sdg_goals.through.objects.filter(plannode__plan_id=value("plan"))
        .order_by("sdggoal_id")
        .values_list("plannode_id", "sdggoal_id")
    )
)


def _attach_goals(nodes: list[PlanNode], plan: Plan, all_goals: list[SdgGoal]) -> bool:
    """Set ``node.goals`` (SdgGoal list) from one query on the link table; say whether any
    node of the plan has one.

    Cheaper than ``prefetch_related`` for thousands of nodes: no queryset per node.
    """
    goals = {goal.number: goal for goal in all_goals}
    by_node: dict[int, list[SdgGoal]] = {}
    for node_id, number in _goal_links(plan=plan.pk):
        by_node.setdefault(node_id, []).append(goals[number])
    for node in nodes:
        node.goals = by_node.get(node.pk, [])
    return bool(by_node)


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
            node._state.fields_cache["parent"] = parent  # node.parent, without the checks
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


NODE_PAGE_EXTRA = ("department", "updated_at")
# What a node page shows around the node, each a JSON column of the node's row (JSONRows):
# its text sections, SDGs, the plan's grade bands, ancestors and children, cross-references.
SECTION_FIELDS = ("heading", "body", "order", "id")
GOAL_FIELDS = ("number", "name", "name_en")
BAND_FIELDS = ("id", "label", "minimum")
FAMILY_FIELDS = (*NODE_FIELDS, "indicator_count")
REFERENCE_FIELDS = ("id", "from_node_id", "to_node_id", "target_code", "target_title", "kind")
REFERENCE_ROW = (
    *REFERENCE_FIELDS,
    "order",
    *_related("from_node", NODE_FIELDS),
    *_related("to_node", NODE_FIELDS),
)
_LFT = NODE_FIELDS.index("lft")


def _family_of_outer_node() -> QuerySet:
    """The ancestors and children of the outer query's node, with their KPI counts."""
    return PlanNode.objects.filter(
        Q(lft__lt=OuterRef("lft"), rght__gt=OuterRef("rght")) | Q(parent_id=OuterRef("pk")),
        tree_id=OuterRef("tree_id"),
    ).annotate(indicator_count=_count_of(Indicator.objects.all(), "node"))


_node_page = CompiledQuery(
    lambda value: (
        PlanNode.objects.filter(
            Q(code=value("node")) | Q(key=value("node")),
            plan__status=PUBLISHED,
            plan__municipality__slug=value("municipality"),
            plan__slug=value("plan"),
        )
        .annotate(
            has_glossary=Exists(GlossaryTerm.objects.filter(plan_id=OuterRef("plan_id"))),
            section_rows=JSONRows(
                NodeSection.objects.filter(node_id=OuterRef("pk")), SECTION_FIELDS
            ),
            goal_rows=JSONRows(SdgGoal.objects.filter(plannode=OuterRef("pk")), GOAL_FIELDS),
            band_rows=JSONRows(
                GradeBand.objects.filter(settings_id=OuterRef("plan_id")), BAND_FIELDS
            ),
            family_rows=JSONRows(_family_of_outer_node(), FAMILY_FIELDS),
            reference_rows=JSONRows(
                CrossReference.objects.filter(
                    Q(from_node_id=OuterRef("pk")) | Q(to_node_id=OuterRef("pk"))
                ),
                REFERENCE_ROW,
            ),
            kpi_rows=kpi_selectors.around_outer_node(),
        )
        .order_by("id")
        .values_list(
            *NODE_FIELDS,
            *NODE_PAGE_EXTRA,
            *_related("plan", PLAN_WITH_MUNICIPALITY),
            "has_glossary",
            "section_rows",
            "goal_rows",
            "band_rows",
            "family_rows",
            "reference_rows",
            "kpi_rows",
        )
    )
)


@dataclass
class NodePage:
    node: PlanNode
    ancestors: list[PlanNode]
    children: list[PlanNode]
    outgoing: list[CrossReference]
    incoming: list[CrossReference]
    kpis: kpi_selectors.NodeKpis


def node_page(municipality_slug: str, plan_slug: str, node_ref: str) -> NodePage:
    """The node of a published plan whose code (preferred) or key is ``node_ref``, with what
    its page shows around it, or 404; in one query.

    The node comes with its plan and municipality, text sections (``node.section_list``) and
    SDGs (``node.goals``); its plan says whether it has a 用語解説 (``plan.has_glossary``) and
    carries its grade bands (``plan.bands``); ancestors (top first) and children carry
    ``indicator_count`` and ``descendant_total``; cross-references from and to the node come
    with the nodes at both ends; ``kpis``: the node's KPIs, those it serves and the progress
    of all under it. One query instead of seven: at national size each query of the page cost
    ~0.25 ms of waiting for the database, more than its SQL (issue 14's note).
    """
    rows = _node_page(municipality=municipality_slug, plan=plan_slug, node=node_ref)
    if not rows:
        raise Http404("No such node in a published plan.")
    code = NODE_FIELDS.index("code")
    row = next((r for r in rows if r[code] == node_ref), rows[0])
    width = len(NODE_FIELDS) + len(NODE_PAGE_EXTRA)
    has_glossary, sections, goals, bands, family, references, kpi_rows = row[-7:]
    plan = _plan_from(row, width)
    node = read_nodes([row[:width]], plan, extra=NODE_PAGE_EXTRA)[0]
    # Footnote marks link to the plan page's 用語解説 only if the plan has one.
    plan.has_glossary = bool(has_glossary)
    own_bands = tuple(progress.Band(label, minimum) for _id, label, minimum in sorted(bands))
    plan.bands = own_bands or progress.DEFAULT_BANDS
    node.section_list = [
        read_only(NodeSection, ("heading", "body"), section[:2])
        for section in sorted(sections, key=lambda section: section[2:])
    ]
    node.goals = [read_only(SdgGoal, GOAL_FIELDS, goal) for goal in sorted(goals)]
    family = sorted(family, key=lambda member: member[_LFT])
    members = read_nodes(family, plan, extra=("indicator_count",))
    for member in members:
        member.descendant_total = (member.rght - member.lft - 1) // 2
    ancestors = [member for member in members if member.lft < node.lft]
    children = [member for member in members if member.parent_id == node.pk]
    found = _references_from(references, plan)
    outgoing = [ref for ref in found if ref.from_node_id == node.pk]
    incoming = [ref for ref in found if ref.to_node_id == node.pk]
    kpis = kpi_selectors.node_kpis(node, ancestors, plan.bands, around=kpi_rows)
    return NodePage(node, ancestors, children, outgoing, incoming, kpis)


def _references_from(rows, plan: Plan) -> list[CrossReference]:
    """Cross-references from REFERENCE_ROW rows of a JSON column, in their order (by the
    node they come from, then as listed there)."""
    first = len(REFERENCE_FIELDS) + 1  # after "order"
    second = first + len(NODE_FIELDS)
    references = []
    for row in sorted(rows, key=lambda row: (row[1], row[first - 1], row[0])):
        from_node = read_nodes([row[first:second]], plan)[0]
        to_node = read_nodes([row[second:]], plan)[0] if row[second] is not None else None
        references.append(
            read_only(
                CrossReference,
                REFERENCE_FIELDS,
                row[: first - 1],
                from_node=from_node,
                to_node=to_node,
            )
        )
    return references


def _of_node(value, name: str) -> Subquery:
    """The node ``value("node")``'s ``name`` (tree_id, lft, rght) inside a query."""
    return Subquery(PlanNode.objects.filter(pk=value("node")).order_by().values(name)[:1])


_lineage = CompiledQuery(
    lambda value: (
        PlanNode.objects.filter(
            plan_id=value("plan"),
            tree_id=_of_node(value, "tree_id"),
            lft__lte=_of_node(value, "lft"),
            rght__gte=_of_node(value, "rght"),
        )
        .order_by("lft")
        .values_list(*NODE_FIELDS)
    )
)


def lineage(plan: Plan, node_id: int) -> list[PlanNode]:
    """The node ``node_id`` of ``plan`` with its ancestors, top first (one query)."""
    return read_nodes(_lineage(plan=plan.pk, node=node_id), plan)


_sdg_goals = CompiledQuery(
    lambda value: SdgGoal.objects.order_by("number").values_list("number", "name", "name_en")
)


def sdg_goals() -> list[SdgGoal]:
    """The 17 goals in order (read-only instances: number, name, name_en)."""
    return [read_only(SdgGoal, ("number", "name", "name_en"), row) for row in _sdg_goals()]


def parse_small_int(text: str, low: int, high: int) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


_glossary = CompiledQuery(
    lambda value: (
        GlossaryTerm.objects.filter(plan_id=value("plan"))
        .order_by("order", "id")
        .values_list("term", "definition")
    )
)


def plan_glossary(plan: Plan) -> list[tuple[str, str]]:
    """The plan's 用語解説 as (term, definition) pairs, in the plan's order."""
    return _glossary(plan=plan.pk)


_plan_nodes = CompiledQuery(
    lambda value: (
        PlanNode.objects.filter(plan_id=value("plan"))
        .order_by("tree_id", "lft")
        .values_list(*NODE_FIELDS)
    )
)


def plan_nodes(plan: Plan) -> list[PlanNode]:
    """Every node of ``plan`` in tree order, read-only, not linked (one query)."""
    return read_nodes(_plan_nodes(plan=plan.pk), plan)
