"""Writes to municipalities, plans and plan trees. Views, the admin and importers call these.

Every tree write takes the plan's lock first (see :mod:`plans.locking`) and re-reads the nodes it
moves inside that lock: tree fields held in memory from before the lock may be stale.

Tenancy: the writes people make one at a time (``node_insert``, ``node_move``, ``node_update``,
``node_delete``) take the person as ``actor`` and ask :mod:`plans.tenancy` before writing.
The rest — creating municipalities and plans, bulk building, sections, cross references,
glossary terms, ``node_create`` and ``plan_update`` — sit below tenancy: their only callers
are the text import (``importers.services.plan_import``, which asks for the plan as a whole
with its actor, then writes the plan it was allowed), management commands, the sample
loader and the benchmarks, which act as the portal itself.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from . import messages, tenancy, versions
from .deletion import delete_closed_set, history_user_id
from .locking import plan_tree_lock
from .models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode
from .search import fold

CHILD_POSITIONS = ("first-child", "last-child")
NODE_POSITIONS = (*CHILD_POSITIONS, "left", "right")
MPTT_FIELDS = ["lft", "rght", "tree_id", "level"]


def municipality_create(*, name: str, prefecture: str, slug: str, **fields) -> Municipality:
    municipality = Municipality(name=name, prefecture=prefecture, slug=slug, **fields)
    municipality.full_clean()
    municipality.save()
    return municipality


def plan_create(
    *,
    municipality: Municipality,
    title: str,
    slug: str,
    first_fiscal_year: int | None,
    last_fiscal_year: int | None,
    level_names: Sequence[str],
    **fields,
) -> Plan:
    plan = Plan(
        municipality=municipality,
        title=title,
        slug=slug,
        first_fiscal_year=first_fiscal_year,
        last_fiscal_year=last_fiscal_year,
        level_names=list(level_names),
        **fields,
    )
    plan.full_clean()
    plan.save()
    return plan


def plan_update(*, plan: Plan, change_reason: str = "", **fields) -> Plan:
    """Change a plan's own fields (title, period, status, level names …), not its tree."""
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    if change_reason:
        plan._change_reason = change_reason
    plan.save(update_fields=[*fields, "updated_at"])
    return plan


def _fresh(node: PlanNode) -> PlanNode:
    return PlanNode.objects.get(pk=node.pk)


def node_create(
    *,
    plan: Plan,
    title: str,
    key: str,
    parent: PlanNode | None = None,
    position: str = "last-child",
    sections: Iterable[tuple[str, str]] = (),
    **fields,
) -> PlanNode:
    """Add a node as the first or last child of ``parent``, or of the plan's top level.

    Below tenancy (see the module's docstring): the text import asked for the plan.
    """
    node = PlanNode(plan=plan, title=title, key=key, parent=parent, **fields)
    with transaction.atomic():
        node_insert(actor=tenancy.SYSTEM, node=node, position=position)
        for order, (heading, body) in enumerate(sections):
            NodeSection.objects.create(node=node, order=order, heading=heading, body=body)
    return node


def node_insert(*, actor, node: PlanNode, position: str = "last-child") -> PlanNode:
    """Save a new, unsaved ``node`` first or last under its ``parent`` (or the plan's top level).

    A new top-level item is a new tree with an id of its own (see :mod:`plans.trees`).
    """
    tenancy.require(actor, node, tenancy.ADD)
    if position not in CHILD_POSITIONS:
        raise ValueError(f"position must be one of {CHILD_POSITIONS}, not {position!r}")
    with plan_tree_lock(node.plan):
        if node.parent_id is not None:
            node.parent = PlanNode.objects.get(pk=node.parent_id)
            node_insert_check(parent=node.parent, plan=node.plan)
        node.full_clean(exclude=MPTT_FIELDS)
        if node.parent is not None:
            node.insert_at(node.parent, position, save=True)
            return node
        node.save()
        if position == "first-child":
            _put_first_of_plan(node)
    return node


def _put_first_of_plan(root: PlanNode) -> None:
    order = PlanNode.objects.root_tree_ids(root.plan_id)
    order.remove(root.tree_id)
    renumbered = PlanNode.objects.reorder_roots(root.plan_id, [root.tree_id, *order])
    root.tree_id = renumbered[root.tree_id]


def node_move(*, actor, node: PlanNode, target: PlanNode, position: str = "last-child") -> PlanNode:
    """Move ``node`` (with its subtree) to ``position`` relative to ``target`` in the same plan.

    Moves at the top level (next to a root, or a root under another node) renumber only the
    plan's own trees (see :mod:`plans.trees`).
    """
    if position not in NODE_POSITIONS:
        raise ValueError(f"position must be one of {NODE_POSITIONS}, not {position!r}")
    if node.plan_id != target.plan_id:
        raise ValidationError(messages.NODE_PARENT_OTHER_PLAN, code="parent_plan")
    tenancy.require(actor, node, tenancy.CHANGE)
    with plan_tree_lock(node.plan):
        node, target = _fresh(node), _fresh(target)
        node_move_check(node=node, target=target, position=position)
        PlanNode.objects.move_node(node, target, position)
    return _fresh(node)


def node_move_check(*, node: PlanNode, target: PlanNode, position: str) -> None:
    """Refuse, saying why, a move that would change what the node is in the plan's levels.

    A node keeps its depth (a 個別施策 dropped at the top would become a 基本目標 in name
    only), and nothing goes below the plan's last named level.
    """
    new_level = target.level + 1 if position in CHILD_POSITIONS else target.level
    plan = node.plan
    if new_level != node.level and node.kind == PlanNode.Kind.POLICY:
        raise ValidationError(
            messages.NODE_MOVE_CHANGES_LEVEL,
            code="level_changes",
            params={
                "title": str(node),
                "level": plan.level_name(node.level) or node.level + 1,
                "new_level": plan.level_name(new_level) or f"第{new_level + 1}階層",
            },
        )
    if position in CHILD_POSITIONS:
        node_insert_check(parent=target, plan=plan)


def node_insert_check(*, parent: PlanNode, plan: Plan) -> None:
    """Refuse a child under a node of the plan's last named level (its level has no name)."""
    names = plan.level_names or []
    if names and parent.level + 1 >= len(names) and parent.kind == PlanNode.Kind.POLICY:
        raise ValidationError(
            messages.NODE_BEYOND_LEVELS,
            code="beyond_levels",
            params={"count": len(names), "names": " → ".join(names), "parent": str(parent)},
        )


def node_update(*, actor, node: PlanNode, **fields) -> PlanNode:
    """Change a node's own fields (not its place in the tree: use ``node_move``)."""
    tenancy.require(actor, node, tenancy.CHANGE)
    forbidden = {"parent", "plan", "lft", "rght", "tree_id", "level"} & fields.keys()
    if forbidden:
        raise TypeError(f"node_update cannot change {sorted(forbidden)}; use node_move")
    for name, value in fields.items():
        setattr(node, name, value)
    node.full_clean(exclude=MPTT_FIELDS)
    with transaction.atomic():
        node.save(update_fields=[*fields, "search_text", "updated_at"])
    return node


def node_delete(*, actor, node: PlanNode) -> None:
    """Delete a node and its whole subtree (a deleted root leaves its tree id unused).

    Set-based (:mod:`plans.deletion`): the subtree's nodes, sections, references, KPIs and
    yearly values go in a fixed number of queries, their deletion history ("-", who deleted)
    in one insert per model, and the plan's version moves once — however large the subtree
    (Django's per-row delete took 0.5–1.3 s for a top-level item at national size).
    """
    tenancy.require(actor, node, tenancy.DELETE)
    with plan_tree_lock(node.plan):
        node = _fresh(node)
        subtree = PlanNode.objects.filter(
            plan_id=node.plan_id, tree_id=node.tree_id, lft__gte=node.lft, lft__lt=node.rght
        )
        delete_closed_set(subtree, user_id=history_user_id(actor))
        if node.parent_id is not None:  # close the gap in the tree it leaves
            PlanNode.objects._close_gap(node.rght - node.lft + 1, node.rght, node.tree_id)
        versions.plans_touch([node.plan_id])


# --- Bulk building --------------------------------------------------------------------------


@dataclass
class NodeSpec:
    """A node to build in bulk; ``children`` nest. Extra model fields go in ``fields``."""

    key: str
    title: str
    code: str = ""
    fields: dict = field(default_factory=dict)
    sections: list[tuple[str, str]] = field(default_factory=list)
    sdg_goals: list[int] = field(default_factory=list)
    children: list["NodeSpec"] = field(default_factory=list)


def nodes_bulk_create(*, plan: Plan, roots: Sequence[NodeSpec]) -> dict[str, PlanNode]:
    """Append whole trees to a plan in a few queries; return the new nodes by key.

    ``bulk_create`` skips ``save()``, so mptt's fields are computed here: each root gets a new
    tree id of its own (after the plan's other trees) and ``lft``/``rght``/``level`` come from
    one depth-first walk.
    """
    with plan_tree_lock(plan):
        tree_ids = PlanNode.objects.new_tree_ids(len(roots))
        nodes: list[PlanNode] = []
        specs: list[NodeSpec] = []
        for tree_id, root in zip(tree_ids, roots, strict=True):
            _number_subtree(root, plan, None, tree_id, 0, 1, nodes, specs)
        for node, spec in zip(nodes, specs, strict=True):
            node.search_text = fold(
                " ".join([spec.code, spec.title, *(f"{h} {b}" for h, b in spec.sections)])
            )
        created = _bulk_insert(nodes)
        by_key = {node.key: node for node in created}
        _bulk_children(plan, specs, by_key)
    return by_key


def _number_subtree(spec, plan, parent, tree_id, level, left, nodes, specs) -> int:
    """Give ``spec`` and its subtree their mptt numbers; return the next free ``lft``."""
    node = PlanNode(
        plan=plan,
        key=spec.key,
        title=spec.title,
        code=spec.code,
        parent=parent,
        tree_id=tree_id,
        level=level,
        lft=left,
        **spec.fields,
    )
    nodes.append(node)
    specs.append(spec)
    right = left + 1
    for child in spec.children:
        right = _number_subtree(child, plan, node, tree_id, level + 1, right, nodes, specs)
    node.rght = right
    return right + 1


def _bulk_insert(nodes: list[PlanNode]) -> list[PlanNode]:
    # Parents come before their children in ``nodes``; insert level by level so parent ids exist.
    by_level: dict[int, list[PlanNode]] = {}
    for node in nodes:
        by_level.setdefault(node.level, []).append(node)
    for level in sorted(by_level):
        for node in by_level[level]:
            node.parent_id = node.parent.pk if node.parent is not None else None
        PlanNode.objects.bulk_create(by_level[level])
    return nodes


def _bulk_children(plan: Plan, specs: list[NodeSpec], by_key: dict[str, PlanNode]) -> None:
    sections = [
        NodeSection(node=by_key[spec.key], order=order, heading=heading, body=body)
        for spec in specs
        for order, (heading, body) in enumerate(spec.sections)
    ]
    NodeSection.objects.bulk_create(sections)
    through = PlanNode.sdg_goals.through
    through.objects.bulk_create(
        through(plannode_id=by_key[spec.key].pk, sdggoal_id=number)
        for spec in specs
        for number in spec.sdg_goals
    )


# --- A node's texts and references, the plan's glossary -----------------------------------------


def node_sections_replace(
    *, node: PlanNode, sections: Sequence[tuple[str, str]], change_reason: str = ""
) -> None:
    """The node's text sections become ``sections`` ((heading, body) in order): rows kept where
    unchanged, updated in place, created, and the extra ones deleted. Stored as read, like the
    sections of a new plan (``nodes_bulk_create``); the database keeps the invariants."""
    existing = list(node.sections.order_by("order", "pk"))
    with transaction.atomic():
        for order, (heading, body) in enumerate(sections):
            if order < len(existing):
                section = existing[order]
                if (section.heading, section.body, section.order) == (heading, body, order):
                    continue
                section.heading, section.body, section.order = heading, body, order
            else:
                section = NodeSection(node=node, order=order, heading=heading, body=body)
            if change_reason:
                section._change_reason = change_reason
            section.save()
        for section in existing[len(sections) :]:
            section.delete()


def crossrefs_bulk_create(*, references: Iterable[CrossReference]) -> list[CrossReference]:
    """Store new cross-references as they are (the references of a new plan, in bulk)."""
    return CrossReference.objects.bulk_create(references)


def crossrefs_replace(*, node: PlanNode, references: Sequence[CrossReference]) -> None:
    """The references from ``node`` become ``references``, all together."""
    with transaction.atomic():
        node.outgoing_references.all().delete()
        CrossReference.objects.bulk_create(references)


def glossary_terms_bulk_create(
    *, plan: Plan, terms: Sequence[tuple[str, str]], change_reason: str = ""
) -> list[GlossaryTerm]:
    """The plan's glossary, (term, definition) in order, stored in bulk with its history."""
    rows = [
        GlossaryTerm(plan=plan, term=term, definition=definition, order=order)
        for order, (term, definition) in enumerate(terms)
    ]
    with transaction.atomic():
        GlossaryTerm.objects.bulk_create(rows)
        GlossaryTerm.history.bulk_history_create(rows, default_change_reason=change_reason)
    return rows


def glossary_term_create(
    *, plan: Plan, term: str, definition: str, order: int, change_reason: str = ""
) -> GlossaryTerm:
    entry = GlossaryTerm(plan=plan, term=term, definition=definition, order=order)
    if change_reason:
        entry._change_reason = change_reason
    entry.save()
    return entry


def glossary_term_update(
    *, entry: GlossaryTerm, definition: str, change_reason: str = ""
) -> GlossaryTerm:
    entry.definition = definition
    if change_reason:
        entry._change_reason = change_reason
    entry.save()
    return entry
