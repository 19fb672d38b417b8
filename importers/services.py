"""Loading a parsed plan into the database: the one write step of an import.

``plan_import`` takes what the pure parsers produced (``importers.parsing``) and writes the
municipality, the plan, its tree, sections, SDGs, cross-references, indicators and glossary in one
transaction, through ``plans.services`` for every tree write (they take the plan's lock).

A new plan is built in bulk. A plan imported before is compared field by field in three ways
(see ``ImportRun``): the outline of the last imported text (*base*), the database (*current*)
and the new text (*new*):

* new == current: nothing to do;
* new == base: the text did not change; a staff edit (current != base) stays;
* current == base: staff did not touch it; the corrected text is applied;
* otherwise staff changed it *and* the text changed: a **conflict**, the staff value stays.

Nodes and indicators missing from the new text are reported, never deleted. Importing the same
text again therefore writes nothing at all (no row, no ``updated_at``, no history).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from simple_history.utils import update_change_reason

from importers import selectors
from importers.models import ImportRun
from importers.outline import outline_dict, plan_outline_dict
from importers.parsing import parse_files
from importers.parsing.model import Issue, ParsedIndicator, ParsedNode, ParsedPlan
from importers.targets import ImportFailed, MunicipalityInfo, PlanInfo
from indicators import services as indicator_services
from indicators.fields import CHOICE, KPI_FIELDS, Measured
from indicators.models import Indicator
from plans import services as plan_services
from plans import tenancy
from plans.locking import plan_tree_lock
from plans.models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode
from plans.versions import plans_touch

CHANGE_REASON = "import"
# The writes inside an import: plan_import asked plans.tenancy for the plan as a whole (its
# actor may change — or create — this plan), so each node and KPI of that one plan is written
# as the portal, under the plan's lock.
CHECKED = tenancy.SYSTEM
NODE_FIELDS = (
    "code",
    "kind",
    "title",
    "parent_key",
    "is_priority",
    "department",
    "sdg_goals",
    "sections",
)
# The outline keys of a KPI item that a re-import compares, one by one.
INDICATOR_FIELDS = ("node_key", *(kpi_field.key for kpi_field in KPI_FIELDS))
MISSING = object()


# --- What an import did ---------------------------------------------------------------------


@dataclass
class Change:
    """One thing an import did or would do: action ∈ create, update, conflict, missing."""

    action: str
    entity: str  # municipality, plan, node, indicator, crossrefs, glossary
    key: str
    field: str = ""
    current: object = None  # the value in the database before the import
    new: object = None  # the value in the new text
    message: str = ""


@dataclass
class ImportResult:
    municipality_slug: str
    plan_slug: str
    created: bool
    dry_run: bool
    sources: list[str]
    layout: str
    changes: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    run_number: int | None = None

    def of_action(self, action: str) -> list[Change]:
        return [change for change in self.changes if change.action == action]

    @property
    def conflicts(self) -> list[Change]:
        return self.of_action("conflict")

    @property
    def changed(self) -> bool:
        return any(change.action in ("create", "update") for change in self.changes)

    def as_dict(self) -> dict:
        return {
            "municipality": self.municipality_slug,
            "plan": self.plan_slug,
            "created": self.created,
            "dry_run": self.dry_run,
            "sources": self.sources,
            "layout": self.layout,
            "run": self.run_number,
            "counts": self.counts,
            "changes": [_jsonable(asdict(change)) for change in self.changes],
            "issues": [asdict(issue) for issue in self.issues],
        }

    def as_text(self) -> str:
        return "\n".join(_report_lines(self)) + "\n"


# --- Import ---------------------------------------------------------------------------------


def plan_import(
    *,
    actor,
    parsed: ParsedPlan,
    municipality: MunicipalityInfo,
    plan: PlanInfo,
    dry_run: bool = False,
) -> ImportResult:
    """Write ``parsed`` into the plan in one transaction; with ``dry_run`` roll it all back.

    Raises ``ImportFailed`` (and writes nothing) when the database refuses a value, and
    ``PermissionDenied`` unless ``actor`` may change the plan (create it, in a municipality
    of theirs; a new municipality: superusers) — see :func:`_ask_tenancy`.
    """
    _ask_tenancy(actor, municipality, plan)
    document = outline_dict(parsed)
    result = ImportResult(
        municipality_slug=municipality.slug,
        plan_slug=plan.slug,
        created=False,
        dry_run=dry_run,
        sources=list(parsed.sources),
        layout=parsed.layout,
        issues=_issues_in_order(parsed),
    )
    try:
        with transaction.atomic():
            _import(parsed, document, municipality, plan, result)
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:
        raise ImportFailed(_validation_text(error)) from error
    except DatabaseError as error:
        raise ImportFailed(f"the database refused the plan: {error}") from error
    return result


def _ask_tenancy(actor, municipality_info: MunicipalityInfo, plan_info: PlanInfo) -> None:
    municipality = Municipality.objects.filter(slug=municipality_info.slug).first()
    if municipality is None:
        tenancy.require(actor, Municipality(), tenancy.ADD)
        return
    plan = Plan.objects.filter(municipality=municipality, slug=plan_info.slug).first()
    if plan is None:
        tenancy.require_in(actor, Plan, municipality.pk, tenancy.ADD)
    else:
        tenancy.require(actor, plan, tenancy.CHANGE)


def _issues_in_order(parsed: ParsedPlan) -> list[Issue]:
    """The parser's issues by file, line and kind: a stable order for reports and fixtures."""
    rank = {source: index for index, source in enumerate(parsed.sources)}
    return sorted(
        parsed.report.issues,
        key=lambda issue: (
            rank.get(issue.source, len(rank)),
            issue.line,
            issue.kind,
            issue.message,
        ),
    )


def _import(parsed, document, municipality_info, plan_info, result: ImportResult) -> None:
    municipality = _municipality_get_or_create(municipality_info, result)
    plan = Plan.objects.filter(municipality=municipality, slug=plan_info.slug).first()
    if plan is None:
        plan = _plan_create(municipality, plan_info, parsed, result)
    else:
        _plan_update(plan, plan_info, result)
    with plan_tree_lock(plan):
        last_run = ImportRun.objects.filter(plan=plan).order_by("-number").first()
        if not plan.nodes.exists():
            _load_new(plan, parsed, result)
        else:
            _merge(plan, parsed, document, last_run.outline if last_run else None, result)
        result.counts = _counts(plan)
        if result.changed or last_run is None or last_run.outline != document:
            result.run_number = _run_record(plan, parsed, document, last_run, result)
        if result.changed:
            plans_touch([plan.pk])  # bulk writes sent no signal: the public pages move on


def _municipality_get_or_create(info: MunicipalityInfo, result: ImportResult) -> Municipality:
    municipality = Municipality.objects.filter(slug=info.slug).first()
    if municipality is not None:
        return municipality
    result.changes.append(Change("create", "municipality", info.slug, new=info.name))
    return plan_services.municipality_create(
        name=info.name,
        slug=info.slug,
        prefecture=info.prefecture,
        name_kana=info.name_kana,
        local_gov_code=info.local_gov_code,
    )


def _plan_create(municipality, info: PlanInfo, parsed: ParsedPlan, result) -> Plan:
    first, last = info.first_fiscal_year, info.last_fiscal_year
    status = info.status or Plan.Status.DRAFT
    if first is None or last is None:
        status = Plan.Status.DRAFT
        result.issues.append(Issue("warning", open_period_message(parsed, first, last)))
    title = info.title or parsed.title or "総合計画"
    result.created = True
    result.changes.append(Change("create", "plan", info.slug, new=title))
    return plan_services.plan_create(
        municipality=municipality,
        title=title,
        slug=info.slug,
        first_fiscal_year=first,
        last_fiscal_year=last,
        level_names=parsed.level_names or ["項目"],
        status=status,
    )


def open_period_message(parsed: ParsedPlan, first: int | None, last: int | None) -> str:
    """What the report says about a plan created without a complete period (never refused)."""
    targets = [i.target.fiscal_year or i.target_year for n in parsed.walk() for i in n.indicators]
    years = sorted(year for year in targets if year)
    hint = f" (its KPIs' target years run to FY{years[-1]})" if years else ""
    known = f"from FY{first} " if first else (f"to FY{last} " if last else "")
    return (
        f"the text states no complete plan period{hint}: the plan was created as a draft with "
        f"its period {known}open; set the period in the admin before publishing"
    )


def _plan_update(plan: Plan, info: PlanInfo, result: ImportResult) -> None:
    wanted = {
        "title": info.title or None,
        "first_fiscal_year": info.first_fiscal_year,
        "last_fiscal_year": info.last_fiscal_year,
        "status": info.status,
    }
    changed = [name for name, value in wanted.items() if value is not None]
    changed = [name for name in changed if getattr(plan, name) != wanted[name]]
    for name in changed:
        result.changes.append(
            Change("update", "plan", plan.slug, name, getattr(plan, name), wanted[name])
        )
    if changed:
        plan_services.plan_update(
            plan=plan, change_reason=CHANGE_REASON, **{name: wanted[name] for name in changed}
        )


def _counts(plan: Plan) -> dict[str, int]:
    references = CrossReference.objects.filter(from_node__plan=plan)
    return {
        "nodes": plan.nodes.count(),
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "crossrefs": references.count(),
        "unresolved_crossrefs": references.filter(to_node__isnull=True).count(),
        "glossary": GlossaryTerm.objects.filter(plan=plan).count(),
    }


def _run_record(plan, parsed, document, last_run, result: ImportResult) -> int:
    number = (last_run.number if last_run else 0) + 1
    result.run_number = number
    ImportRun.objects.create(
        plan=plan,
        number=number,
        sources=list(parsed.sources),
        layout=parsed.layout,
        outline=document,
        report=result.as_dict(),
    )
    return number


# --- A new plan: everything in bulk ---------------------------------------------------------


def _load_new(plan: Plan, parsed: ParsedPlan, result: ImportResult) -> None:
    roots = [_node_spec(node) for node in parsed.nodes]
    for node in parsed.walk():
        _node_check(plan, node)
    by_key = plan_services.nodes_bulk_create(plan=plan, roots=roots)
    PlanNode.history.bulk_history_create(list(by_key.values()), default_change_reason=CHANGE_REASON)
    sections = list(NodeSection.objects.filter(node__plan=plan))
    NodeSection.history.bulk_history_create(sections, default_change_reason=CHANGE_REASON)
    indicators = [
        _indicator_build(plan, by_key[node.key], indicator, order)
        for node in parsed.walk()
        for order, indicator in enumerate(node.indicators)
    ]
    indicator_services.indicators_bulk_create(indicators=indicators, change_reason=CHANGE_REASON)
    plan_services.crossrefs_bulk_create(
        references=[
            reference
            for node in parsed.walk()
            for reference in _crossrefs_build(by_key[node.key], node, by_key)
        ]
    )
    terms = plan_services.glossary_terms_bulk_create(
        plan=plan,
        terms=[(term.term, term.definition) for term in parsed.glossary],
        change_reason=CHANGE_REASON,
    )
    result.changes.extend(Change("create", "node", key, new=n.title) for key, n in by_key.items())
    result.changes.extend(Change("create", "indicator", i.key, new=i.name) for i in indicators)
    result.changes.extend(Change("create", "glossary", t.term, new=t.definition) for t in terms)


def _node_spec(node: ParsedNode) -> plan_services.NodeSpec:
    return plan_services.NodeSpec(
        key=node.key,
        title=node.title,
        code=node.code,
        fields={
            "kind": str(node.kind),
            "is_priority": node.is_priority,
            "department": node.department,
        },
        sections=[(section.heading, section.body) for section in node.sections],
        sdg_goals=list(node.sdg_goals),
        children=[_node_spec(child) for child in node.children],
    )


def _node_check(plan: Plan, node: ParsedNode) -> None:
    """Field checks that bulk inserts skip (lengths, choices), with the text's location."""
    candidate = PlanNode(
        plan=plan,
        key=node.key,
        title=node.title,
        code=node.code,
        kind=str(node.kind),
        department=node.department,
    )
    try:
        candidate.clean_fields(exclude=["plan", "parent", "lft", "rght", "tree_id", "level"])
    except ValidationError as error:
        raise ImportFailed(f"{node.source}:{node.line}: {_validation_text(error)}") from error


def _indicator_build(plan, node: PlanNode, parsed: ParsedIndicator, order: int) -> Indicator:
    indicator = Indicator(plan=plan, node=node, key=parsed.key, order=order)
    _indicator_fill(indicator, parsed)
    try:
        indicator.full_clean(exclude=["plan", "node"], validate_unique=False)
    except ValidationError as error:
        where = f"{parsed.source}:{parsed.line}: {parsed.key}"
        raise ImportFailed(f"{where}: {_validation_text(error)}") from error
    return indicator


def _indicator_fill(indicator: Indicator, parsed: ParsedIndicator) -> None:
    """Set the KPI fields (``indicators.fields``) from what the parser read."""
    for kpi_field in KPI_FIELDS:
        if isinstance(kpi_field, Measured):
            printed = getattr(parsed, kpi_field.name)
            column_year = getattr(parsed, kpi_field.year)
            setattr(indicator, kpi_field.value, printed.value)
            setattr(indicator, kpi_field.year, printed.fiscal_year or column_year)
            setattr(indicator, kpi_field.raw, printed.raw)
        elif hasattr(parsed, kpi_field.key):  # a field the parser does not read keeps its default
            read = getattr(parsed, kpi_field.key)
            setattr(indicator, kpi_field.name, str(read) if kpi_field.kind == CHOICE else read)


def _crossrefs_build(from_node: PlanNode, parsed: ParsedNode, nodes: dict) -> list:
    """The node's references, each resolved to the plan's node with that code if there is one."""
    by_code = {node.code: node for node in nodes.values() if node.code}
    references = []
    for order, ref in enumerate(parsed.crossrefs):
        target = by_code.get(ref.target_code) if ref.target_code else None
        references.append(
            CrossReference(
                from_node=from_node,
                to_node=target if target is not None and target.pk != from_node.pk else None,
                target_code=ref.target_code,
                target_title=ref.target_title,
                kind=str(ref.kind),
                order=order,
            )
        )
    return references


# --- A plan imported before: three-way comparison -------------------------------------------


def _decide(base: object, current: object, new: object) -> str | None:
    """``"apply"``, ``"conflict"`` or None (nothing to write) for one field."""
    if new == current:
        return None
    if base is MISSING:
        return "conflict"  # no record of the last text: a difference may be a staff edit
    if new == base:
        return None  # the text did not change: the staff value stays
    return "apply" if current == base else "conflict"


def _merge(plan, parsed: ParsedPlan, new: dict, base: dict | None, result) -> None:
    current = plan_outline_dict(plan)
    base = base or {}
    _merge_level_names(plan, base, current, new, result)
    parsed_nodes = {node.key: node for node in parsed.walk()}
    _merge_nodes(plan, parsed_nodes, _by_key(base, "nodes"), current, new, result)
    _merge_indicators(plan, parsed_nodes, _by_key(base, "indicators"), current, new, result)
    current = plan_outline_dict(plan)  # nodes may have arrived that references point at
    _merge_crossrefs(plan, parsed_nodes, base, current, new, result)
    _merge_glossary(plan, parsed, base, current, new, result)


def _action(decision: str) -> str:
    return "update" if decision == "apply" else decision


def _by_key(document: dict, part: str) -> dict[str, dict] | None:
    if not document:
        return None
    return {item["key"]: item for item in document[part]}


def _merge_level_names(plan, base, current, new, result) -> None:
    old = base["plan"]["level_names"] if base else MISSING
    decision = _decide(old, current["plan"]["level_names"], new["plan"]["level_names"])
    if decision:
        change = Change(_action(decision), "plan", plan.slug, "level_names")
        change.current, change.new = plan.level_names, new["plan"]["level_names"]
        result.changes.append(change)
    if decision == "apply":
        plan_services.plan_update(
            plan=plan, change_reason=CHANGE_REASON, level_names=new["plan"]["level_names"]
        )


def _merge_nodes(plan, parsed_nodes, base, current, new, result) -> None:
    current_nodes = {item["key"]: item for item in current["nodes"]}
    for item in new["nodes"]:
        key = item["key"]
        if key not in current_nodes:
            _node_arrive(plan, parsed_nodes[key], item, base, new, result)
            continue
        old = base.get(key) if base is not None else None
        updates = {}
        for name in NODE_FIELDS:
            was = old[name] if old is not None else MISSING
            decision = _decide(was, current_nodes[key][name], item[name])
            if decision:
                result.changes.append(
                    Change(
                        _action(decision), "node", key, name, current_nodes[key][name], item[name]
                    )
                )
            if decision == "apply":
                updates[name] = item[name]
        if updates:
            _node_apply(plan, key, updates, new, result)
    _report_missing("node", current_nodes, new["nodes"], base, result)


def _node_arrive(plan, parsed: ParsedNode, item: dict, base, new, result) -> None:
    """A node of the new text that the database does not have."""
    key = item["key"]
    if base is not None and key in base:
        message = "deleted in the database since the last import; not re-created"
        result.changes.append(Change("conflict", "node", key, new=item["title"], message=message))
        return
    parent = None
    if item["parent_key"] is not None:
        parent = PlanNode.objects.filter(plan=plan, key=item["parent_key"]).first()
        if parent is None:
            message = f"its parent {item['parent_key']} is not in the database; not created"
            result.changes.append(Change("conflict", "node", key, message=message))
            return
    _node_check(plan, parsed)
    node = plan_services.node_create(
        plan=plan,
        title=parsed.title,
        key=key,
        parent=parent,
        code=parsed.code,
        kind=str(parsed.kind),
        is_priority=parsed.is_priority,
        department=parsed.department,
        sections=[(section.heading, section.body) for section in parsed.sections],
    )
    node.sdg_goals.set(parsed.sdg_goals)
    update_change_reason(node, CHANGE_REASON)
    _node_place(plan, node, item, new)
    result.changes.append(Change("create", "node", key, new=item["title"]))


def _node_place(plan, node: PlanNode, item: dict, new: dict) -> None:
    """Put a new node after the sibling that precedes it in the text (or first)."""
    siblings = [other["key"] for other in new["nodes"] if other["parent_key"] == item["parent_key"]]
    before = siblings[: siblings.index(item["key"])]
    existing = {n.key: n for n in PlanNode.objects.filter(plan=plan, key__in=siblings)}
    previous = next((existing[k] for k in reversed(before) if k in existing), None)
    if previous is not None:
        plan_services.node_move(actor=CHECKED, node=node, target=previous, position="right")
    elif item["parent_key"] is not None and len(existing) > 1:
        plan_services.node_move(
            actor=CHECKED, node=node, target=node.parent, position="first-child"
        )


def _node_apply(plan, key: str, updates: dict, new: dict, result) -> None:
    node = PlanNode.objects.get(plan=plan, key=key)
    node._change_reason = CHANGE_REASON
    own = {
        name: value
        for name, value in updates.items()
        if name in ("code", "kind", "title", "is_priority", "department")
    }
    if "code" in own:
        own["code"] = own["code"] or ""
    if own:
        node = plan_services.node_update(actor=CHECKED, node=node, **own)
    if "sdg_goals" in updates:
        node.sdg_goals.set(updates["sdg_goals"])
    if "sections" in updates:
        _sections_replace(node, updates["sections"])
    if "parent_key" in updates:
        _node_reparent(plan, node, updates["parent_key"], new, result)


def _node_reparent(plan, node: PlanNode, parent_key: str | None, new: dict, result) -> None:
    if parent_key is None:
        roots = PlanNode.objects.filter(plan=plan, parent=None).order_by("tree_id")
        last_root = roots.exclude(pk=node.pk).last()
        if last_root is not None:
            plan_services.node_move(actor=CHECKED, node=node, target=last_root, position="right")
        return
    parent = PlanNode.objects.filter(plan=plan, key=parent_key).first()
    if parent is None:
        message = f"new parent {parent_key} is not in the database; left where it is"
        result.changes.append(Change("conflict", "node", node.key, "parent_key", message=message))
        return
    moved = plan_services.node_move(actor=CHECKED, node=node, target=parent, position="last-child")
    item = next(item for item in new["nodes"] if item["key"] == node.key)
    _node_place(plan, moved, item, new)


def _sections_replace(node: PlanNode, sections: list[dict]) -> None:
    """The node's sections become ``sections``: rows updated in place, extra ones deleted."""
    plan_services.node_sections_replace(
        node=node,
        sections=[(wanted["heading"], wanted["body"]) for wanted in sections],
        change_reason=CHANGE_REASON,
    )


def _report_missing(entity: str, current: dict, new_items: list, base, result) -> None:
    """Rows from an earlier import that the new text no longer has: reported, kept."""
    in_text = {item["key"] for item in new_items}
    for key in current:
        if key not in in_text and (base is None or key in base):
            message = "not in the new text; kept in the database"
            result.changes.append(Change("missing", entity, key, message=message))


def _merge_indicators(plan, parsed_nodes, base, current, new, result) -> None:
    current_items = {item["key"]: item for item in current["indicators"]}
    parsed = {i.key: i for node in parsed_nodes.values() for i in node.indicators}
    for order_in_node, item in _with_order(new["indicators"]):
        key = item["key"]
        if key not in current_items:
            _indicator_arrive(plan, parsed[key], item, order_in_node, base, result)
            continue
        old = base.get(key) if base is not None else None
        apply = False
        for name in INDICATOR_FIELDS:
            was = old[name] if old is not None else MISSING
            decision = _decide(was, current_items[key][name], item[name])
            if decision:
                change = Change(_action(decision), "indicator", key, name)
                change.current, change.new = current_items[key][name], item[name]
                result.changes.append(change)
            apply = apply or decision == "apply"
        if apply:
            _indicator_apply(plan, key, parsed[key], old, current_items[key], item)
    _report_missing("indicator", current_items, new["indicators"], base, result)


def _with_order(items: list[dict]) -> Iterable[tuple[int, dict]]:
    seen: dict[str, int] = {}
    for item in items:
        order = seen.get(item["node_key"], 0)
        seen[item["node_key"]] = order + 1
        yield order, item


def _indicator_arrive(plan, parsed: ParsedIndicator, item, order: int, base, result) -> None:
    key = item["key"]
    if base is not None and key in base:
        message = "deleted in the database since the last import; not re-created"
        result.changes.append(
            Change("conflict", "indicator", key, new=item["name"], message=message)
        )
        return
    node = PlanNode.objects.filter(plan=plan, key=item["node_key"]).first()
    if node is None:
        message = f"its node {item['node_key']} is not in the database; not created"
        result.changes.append(Change("conflict", "indicator", key, message=message))
        return
    built = _indicator_build(plan, node, parsed, order)
    fields = {column: getattr(built, column) for f in KPI_FIELDS for column in f.columns}
    indicator_services.indicator_create(
        actor=CHECKED,
        plan=plan,
        node=node,
        key=built.key,
        order=order,
        change_reason=CHANGE_REASON,
        **fields,
    )
    result.changes.append(Change("create", "indicator", key, new=item["name"]))


def _indicator_apply(plan, key, parsed: ParsedIndicator, old, current, new) -> None:
    """Write the fields whose decision was "apply"; the others keep the database value."""
    indicator = Indicator.objects.get(plan=plan, key=key)
    fresh = Indicator(plan=plan, key=key)
    _indicator_fill(fresh, parsed)
    columns = {"node_key": (), **{f.key: f.columns for f in KPI_FIELDS}}
    changes = {}
    for name, fields in columns.items():
        was = old[name] if old is not None else MISSING
        if _decide(was, current[name], new[name]) != "apply":
            continue
        changes.update({column: getattr(fresh, column) for column in fields})
        if name == "node_key":
            changes["node"] = PlanNode.objects.get(plan=plan, key=new["node_key"])
    indicator_services.indicator_update(
        actor=CHECKED, indicator=indicator, change_reason=CHANGE_REASON, **changes
    )


def _merge_crossrefs(plan, parsed_nodes, base, current, new, result) -> None:
    """A node's references compared as one list (kind, code, title, resolved target)."""
    groups = {kind: _refs_by_node(doc) for kind, doc in (("current", current), ("new", new))}
    old = _refs_by_node(base) if base else None
    for key in parsed_nodes:
        wanted, now = groups["new"].get(key, []), groups["current"].get(key, [])
        if not wanted and not now:
            continue
        was = old.get(key, []) if old is not None else MISSING
        decision = _decide(was, now, wanted)
        if decision is None:
            continue
        result.changes.append(Change(_action(decision), "crossrefs", key, "crossrefs", now, wanted))
        if decision == "apply":
            _crossrefs_replace(plan, parsed_nodes[key])


def _refs_by_node(document: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for ref in document["crossrefs"]:
        grouped.setdefault(ref["from_key"], []).append(
            {name: value for name, value in ref.items() if name not in ("from_key", "from_code")}
        )
    return grouped


def _crossrefs_replace(plan: Plan, parsed: ParsedNode) -> None:
    node = PlanNode.objects.get(plan=plan, key=parsed.key)
    nodes = {other.key: other for other in PlanNode.objects.filter(plan=plan)}
    plan_services.crossrefs_replace(node=node, references=_crossrefs_build(node, parsed, nodes))


def _merge_glossary(plan, parsed: ParsedPlan, base, current, new, result) -> None:
    current_terms = {item["term"]: item["definition"] for item in current["glossary"]}
    old = {item["term"]: item["definition"] for item in base["glossary"]} if base else None
    for order, item in enumerate(new["glossary"]):
        term, definition = item["term"], item["definition"]
        if term not in current_terms:
            if old is not None and term in old:
                message = "deleted in the database since the last import; not re-created"
                result.changes.append(Change("conflict", "glossary", term, message=message))
                continue
            plan_services.glossary_term_create(
                plan=plan, term=term, definition=definition, order=order
            )
            result.changes.append(Change("create", "glossary", term, new=definition))
            continue
        was = old.get(term, MISSING) if old is not None else MISSING
        decision = _decide(was, current_terms[term], definition)
        if decision:
            change = Change(_action(decision), "glossary", term, "definition")
            change.current, change.new = current_terms[term], definition
            result.changes.append(change)
        if decision == "apply":
            plan_services.glossary_term_update(
                entry=GlossaryTerm.objects.get(plan=plan, term=term),
                definition=definition,
                change_reason=CHANGE_REASON,
            )
    _report_missing(
        "glossary", current_terms, [{"key": i["term"]} for i in new["glossary"]], old, result
    )


# --- The report -----------------------------------------------------------------------------


def _report_lines(result: ImportResult) -> Iterable[str]:
    mode = "DRY RUN (nothing written): " if result.dry_run else ""
    state = "new plan" if result.created else "existing plan"
    yield (
        f"{mode}{result.municipality_slug}/{result.plan_slug} ({state}) "
        f"from {', '.join(result.sources)} [layout {result.layout}]"
    )
    if result.counts:
        yield "plan now: " + ", ".join(f"{n} {what}" for what, n in result.counts.items())
    creates: dict[str, int] = {}
    for change in result.of_action("create"):
        creates[change.entity] = creates.get(change.entity, 0) + 1
    for entity, number in creates.items():
        yield f"create: {number} {entity}"
    if not result.changed:
        yield "no changes"
    for action in ("update", "conflict", "missing"):
        for change in result.of_action(action):
            yield _change_line(change)
    for kind in ("warning", "guess", "conflict", "unresolved_reference", "normalization", "noise"):
        issues = [issue for issue in result.issues if issue.kind == kind]
        if issues:
            yield f"{kind} ({len(issues)}):"
            yield from (f"  {_issue_line(issue)}" for issue in issues)


def _change_line(change: Change) -> str:
    what = f"{change.action}: {change.entity} {change.key}"
    if change.field:
        what += f" {change.field}"
    if change.message:
        return f"{what}: {change.message}"
    if change.action == "conflict":
        return f"{what}: database has {change.current!r}, the text says {change.new!r}; kept"
    return f"{what}: {change.current!r} → {change.new!r}"


def _issue_line(issue: Issue) -> str:
    where = (
        f"{issue.source}:{issue.line}: "
        if issue.line
        else (f"{issue.source}: " * bool(issue.source))
    )
    return f"{where}{issue.message}"


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(str(message) for message in error.messages)


# --- Sample fixtures ------------------------------------------------------------------------


def sample_fixtures_build() -> dict[str, str]:
    """The fixture text of every sample plan, by fixture file name, in catalog order.

    The samples are imported (published) inside a transaction that is rolled back, so the
    database is left as it was; their trees are numbered 1, 2, 3 … across the whole set, so
    that ``loaddata`` of all of them into an empty database gives valid trees.
    """
    texts: dict[str, str] = {}
    with transaction.atomic():
        for entry in selectors.sample_catalog():
            if Plan.objects.filter(
                municipality__slug=entry.municipality.slug, slug=entry.plan.slug
            ).exists():
                raise ImportFailed(
                    f"{entry.municipality.slug}/{entry.plan.slug} is already in this database: "
                    "build the fixtures against an empty one (e.g. SQLITE_PATH=/tmp/build.sqlite3)"
                )
        plans = [_sample_import(entry) for entry in selectors.sample_catalog()]
        next_tree_id = 1
        for entry, plan in zip(selectors.sample_catalog(), plans, strict=True):
            objects = selectors.plan_fixture_objects(plan)
            next_tree_id = selectors.fixture_tree_ids_renumbered(objects, next_tree_id)
            texts[entry.fixture] = selectors.fixture_json(objects)
        transaction.set_rollback(True)
    return texts


def _sample_import(entry) -> Plan:
    files = [(path.name, path.read_bytes()) for path in entry.paths()]
    parsed = parse_files(files, prefer=entry.prefer)
    plan_import(
        actor=tenancy.SYSTEM, parsed=parsed, municipality=entry.municipality, plan=entry.plan
    )
    return Plan.objects.get(municipality__slug=entry.municipality.slug, slug=entry.plan.slug)
