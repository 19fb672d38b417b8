"""Reads for the public portal: only published plans, a fixed number of queries per page.

Every selector here costs the same number of queries whatever the size of the plan: a tree
comes from one query and is linked in memory, related rows from one query per table, and the
``plan`` of every node read is set from the plan already in hand instead of being fetched again.
The public pages' reads are hand-written SELECTs (see :mod:`portal.rows`); search still
uses the ORM.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import Http404
from django.utils.http import RFC3986_SUBDELIMS

from indicators.models import Indicator
from plans.links import public_url
from plans.models import CrossReference, Municipality, NodeSection, Plan, PlanNode, SdgGoal
from plans.prefectures import prefecture_order

from .rows import Columns, read_only, select_rows

MUNICIPALITY = Columns(Municipality, "m", ("id", "name", "prefecture", "slug"))
PLAN = Columns(
    Plan,
    "p",
    (
        "id",
        "municipality_id",
        "title",
        "slug",
        "first_fiscal_year",
        "last_fiscal_year",
        "level_names",
        "status",
        "updated_at",
    ),
)
NODE = Columns(
    PlanNode,
    "n",
    (
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
    ),
)


def _plan_from(row: Sequence, start: int = 0) -> Plan:
    """The plan and its municipality from PLAN then MUNICIPALITY columns at ``start``."""
    middle = start + len(PLAN.names)
    end = middle + len(MUNICIPALITY.names)
    municipality = read_only(Municipality, MUNICIPALITY.names, row[middle:end])
    plan = read_only(Plan, PLAN.names, row[start:middle], municipality=municipality)
    plan.url = plan.get_absolute_url()
    return plan


def read_nodes(rows, plan: Plan, columns: Columns = NODE, extra: Sequence[str] = ()) -> list:
    """Read-only nodes of ``plan`` from rows of ``columns`` followed by ``extra`` values."""
    names = (*columns.names, *extra)
    plan_url = getattr(plan, "url", None) or plan.get_absolute_url()
    nodes = []
    for row in rows:
        node = read_only(PlanNode, names, row, plan=plan)
        node.url = node_url(plan_url, node)
        nodes.append(node)
    return nodes


@dataclass
class MunicipalityPlans:
    municipality: Municipality
    plans: list[Plan] = field(default_factory=list)


def municipalities_with_plans(municipality_slug: str | None = None) -> list[MunicipalityPlans]:
    """Municipalities that have a published plan, each with those plans (one query).

    Each plan carries ``node_count`` and ``indicator_count``.
    """
    indicators = Indicator._meta.db_table
    where, params = "p.status = %s", [PUBLISHED]
    if municipality_slug is not None:
        where, params = f"{where} AND m.slug = %s", [*params, municipality_slug]
    rows = select_rows(
        f"SELECT {PLAN.sql}, {MUNICIPALITY.sql}, "  # noqa: S608
        "(SELECT COUNT(*) FROM plans_plannode n WHERE n.plan_id = p.id), "
        f"(SELECT COUNT(*) FROM {indicators} i WHERE i.plan_id = p.id) "
        "FROM plans_plan p JOIN plans_municipality m ON m.id = p.municipality_id "
        f"WHERE {where} ORDER BY m.slug, p.first_fiscal_year DESC, p.slug",
        params,
        [*PLAN.fields, *MUNICIPALITY.fields],
    )
    grouped: dict[int, MunicipalityPlans] = {}
    for row in rows:
        plan = _plan_from(row)
        plan.node_count, plan.indicator_count = row[-2:]
        entry = grouped.setdefault(plan.municipality_id, MunicipalityPlans(plan.municipality))
        plan.municipality = entry.municipality
        entry.plans.append(plan)
    return list(grouped.values())


PUBLISHED = Plan.Status.PUBLISHED.value


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
    rows = select_rows(
        "SELECT m.prefecture, m.slug, m.name FROM plans_municipality m "
        "WHERE EXISTS (SELECT 1 FROM plans_plan p WHERE p.municipality_id = m.id "
        "AND p.status = %s) ORDER BY m.local_gov_code, m.slug",
        [PUBLISHED],
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
    rows = select_rows(
        f"SELECT {PLAN.sql}, {MUNICIPALITY.sql} FROM plans_plan p "  # noqa: S608
        "JOIN plans_municipality m ON m.id = p.municipality_id "
        "WHERE m.slug = %s AND p.slug = %s AND p.status = %s",
        [municipality_slug, plan_slug, PUBLISHED],
        [*PLAN.fields, *MUNICIPALITY.fields],
    )
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


def plan_tree(
    plan: Plan, *, sdg: int | None = None, goals: list[SdgGoal] | None = None
) -> PlanTree:
    """The plan's whole tree in two queries: nodes (with KPI counts), then their SDGs.

    With ``sdg``, only nodes tagged with that goal are kept, with their ancestors for context.
    """
    indicators = Indicator._meta.db_table
    rows = select_rows(
        f"SELECT {NODE.sql}, COALESCE(k.n, 0) FROM plans_plannode n LEFT JOIN "  # noqa: S608
        f"(SELECT node_id, COUNT(*) AS n FROM {indicators} WHERE plan_id = %s GROUP BY node_id)"
        " k ON k.node_id = n.id WHERE n.plan_id = %s ORDER BY n.tree_id, n.lft",
        [plan.pk, plan.pk],
    )
    nodes = read_nodes(rows, plan, extra=("indicator_count",))
    has_sdgs = _attach_goals(nodes, plan, sdg_goals() if goals is None else goals)
    roots = link_tree(nodes)
    _count_subtrees(roots)
    if sdg is None:
        return PlanTree(roots, has_sdgs=has_sdgs)
    matched = _keep_matching(roots, sdg)
    return PlanTree([root for root in roots if root.keep], matched, has_sdgs)


def _attach_goals(nodes: list[PlanNode], plan: Plan, all_goals: list[SdgGoal]) -> bool:
    """Set ``node.goals`` (SdgGoal list) from one query on the link table; say whether any
    node of the plan has one.

    Cheaper than ``prefetch_related`` for thousands of nodes: no queryset per node.
    """
    goals = {goal.number: goal for goal in all_goals}
    links = select_rows(
        "SELECT l.plannode_id, l.sdggoal_id FROM plans_plannode_sdg_goals l "
        "JOIN plans_plannode n ON n.id = l.plannode_id WHERE n.plan_id = %s "
        "ORDER BY l.sdggoal_id",
        [plan.pk],
    )
    by_node: dict[int, list[SdgGoal]] = {}
    for node_id, number in links:
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


def public_node(municipality_slug: str, plan_slug: str, node_ref: str) -> PlanNode:
    """The node of a published plan whose code (preferred) or key is ``node_ref``, or 404.

    One query finds the node with its plan, municipality, text sections
    (``node.section_list``) and whether the plan has a 用語解説 (``plan.has_glossary``); one
    more brings its SDGs (``node.goals``).
    """
    rows = select_rows(
        f"SELECT {NODE.sql}, n.department, n.updated_at, {PLAN.sql}, {MUNICIPALITY.sql}, "  # noqa: S608
        "EXISTS (SELECT 1 FROM plans_glossaryterm g WHERE g.plan_id = p.id), "
        "s.heading, s.body FROM plans_plannode n "
        "JOIN plans_plan p ON p.id = n.plan_id "
        "JOIN plans_municipality m ON m.id = p.municipality_id "
        "LEFT JOIN plans_nodesection s ON s.node_id = n.id "
        "WHERE m.slug = %s AND p.slug = %s AND p.status = %s AND (n.code = %s OR n.key = %s) "
        'ORDER BY n.id, s."order", s.id',
        [municipality_slug, plan_slug, PUBLISHED, node_ref, node_ref],
        [*NODE.fields, None, PlanNode._meta.get_field("updated_at"), *PLAN.fields],
    )
    if not rows:
        raise Http404("No such node in a published plan.")
    code = NODE.names.index("code")
    row = next((r for r in rows if r[code] == node_ref), rows[0])
    width = len(NODE.names) + len(NODE_PAGE_EXTRA)
    node = read_nodes([row[:width]], _plan_from(row, width), extra=NODE_PAGE_EXTRA)[0]
    # Footnote marks link to the plan page's 用語解説 only if the plan has one.
    node.plan.has_glossary = bool(row[-3])
    sections = len(row) - 2
    node.section_list = [
        read_only(NodeSection, ("heading", "body"), r[sections:])
        for r in rows
        if r[0] == node.pk and r[sections] is not None
    ]
    node.goals = [
        read_only(SdgGoal, ("number", "name", "name_en"), values)
        for values in select_rows(
            "SELECT g.number, g.name, g.name_en FROM plans_plannode_sdg_goals l "
            "JOIN plans_sdggoal g ON g.number = l.sdggoal_id "
            "WHERE l.plannode_id = %s ORDER BY g.number",
            [node.pk],
        )
    ]
    return node


@dataclass
class NodePage:
    node: PlanNode
    ancestors: list[PlanNode]
    children: list[PlanNode]
    outgoing: list[CrossReference]
    incoming: list[CrossReference]


def lineage(plan: Plan, node_id: int) -> list[PlanNode]:
    """The node ``node_id`` of ``plan`` with its ancestors, top first (one query)."""
    rows = select_rows(
        f"SELECT {NODE.sql} FROM plans_plannode c JOIN plans_plannode n "  # noqa: S608
        "ON n.tree_id = c.tree_id AND n.lft <= c.lft AND n.rght >= c.rght "
        "WHERE c.id = %s AND c.plan_id = %s ORDER BY n.lft",
        [node_id, plan.pk],
    )
    return read_nodes(rows, plan)


def node_page(node: PlanNode) -> NodePage:
    """Everything around a node in two queries: ancestors with children, cross-references.

    Children carry ``indicator_count`` and ``descendant_total``.
    """
    plan = node.plan
    indicators = Indicator._meta.db_table
    family = read_nodes(
        select_rows(
            f"SELECT {NODE.sql}, (SELECT COUNT(*) FROM {indicators} i WHERE i.node_id = n.id) "  # noqa: S608
            "FROM plans_plannode n WHERE n.tree_id = %s "
            "AND ((n.lft < %s AND n.rght > %s) OR n.parent_id = %s) ORDER BY n.lft",
            [node.tree_id, node.lft, node.rght, node.pk],
        ),
        plan,
        extra=("indicator_count",),
    )
    for member in family:
        member.descendant_total = (member.rght - member.lft - 1) // 2
    ancestors = [n for n in family if n.lft < node.lft]
    children = [n for n in family if n.parent_id == node.pk]
    references = _references_of(node)
    outgoing = [ref for ref in references if ref.from_node_id == node.pk]
    incoming = [ref for ref in references if ref.to_node_id == node.pk]
    return NodePage(node, ancestors, children, outgoing, incoming)


REFERENCE = Columns(
    CrossReference, "r", ("id", "from_node_id", "to_node_id", "target_code", "target_title", "kind")
)
FROM_NODE = Columns(PlanNode, "f", NODE.names)
TO_NODE = Columns(PlanNode, "t", NODE.names)


def _references_of(node: PlanNode) -> list[CrossReference]:
    """Cross-references from and to ``node``, with the nodes at both ends (one query)."""
    rows = select_rows(
        f"SELECT {REFERENCE.sql}, {FROM_NODE.sql}, {TO_NODE.sql} FROM plans_crossreference r "  # noqa: S608
        "JOIN plans_plannode f ON f.id = r.from_node_id "
        "LEFT JOIN plans_plannode t ON t.id = r.to_node_id "
        'WHERE r.from_node_id = %s OR r.to_node_id = %s ORDER BY r.from_node_id, r."order", r.id',
        [node.pk, node.pk],
    )
    first, second = len(REFERENCE.names), len(REFERENCE.names) + len(NODE.names)
    references = []
    for row in rows:
        from_node = read_nodes([row[first:second]], node.plan)[0]
        to_node = read_nodes([row[second:]], node.plan)[0] if row[second] is not None else None
        references.append(
            read_only(
                CrossReference,
                REFERENCE.names,
                row[:first],
                from_node=from_node,
                to_node=to_node,
            )
        )
    return references


def sdg_goals() -> list[SdgGoal]:
    """The 17 goals in order (read-only instances: number, name, name_en)."""
    names = ("number", "name", "name_en")
    rows = select_rows("SELECT number, name, name_en FROM plans_sdggoal ORDER BY number", [])
    return [read_only(SdgGoal, names, row) for row in rows]


def parse_small_int(text: str, low: int, high: int) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


def plan_glossary(plan: Plan) -> list[tuple[str, str]]:
    """The plan's 用語解説 as (term, definition) pairs, in the plan's order."""
    return select_rows(
        'SELECT term, definition FROM plans_glossaryterm WHERE plan_id = %s ORDER BY "order", id',
        [plan.pk],
    )
