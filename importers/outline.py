"""The outline document: a plan as stable, documented JSON (schema in docs/outline-json.md).

It is the golden-test format, what an import compares with the database (a three-way merge
with the outline of the last import), and the open-data export. One builder makes it, from
either of two readers: :func:`outline_dict` reads a parsed plan, :func:`plan_outline_dict` the
plan as stored. Each item is made by the same function whichever reader fed it, and the KPI
fields come from their one declaration, ``indicators.fields.KPI_FIELDS``. Keys come in a fixed
order, lists in document order.

The database keeps fewer columns than the document has: a stored value's unit, comparator and
note are read again from its raw text (``parse_value`` gives what the parser gave), and
``source``/``line`` come from the last import of the plan (``None`` for nodes staff added).
From the database, a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

from importers.models import ImportRun
from importers.parsing.model import (
    CROSS_CUTTING_LABEL,
    NodeKind,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Value,
)
from importers.parsing.values import parse_value
from indicators.fields import CHOICE, KPI_FIELDS, MARK, Described, Measured
from indicators.models import Indicator
from plans.models import CrossReference, GlossaryTerm, NodeSection, Plan, PlanNode

SCHEMA = "sogo-keikaku-outline/1"


# --- The items ---------------------------------------------------------------------------------


def node_item(*, key, code, kind, level, level_label, title, parent, **facts) -> dict:
    """A node: ``parent`` is its parent's (key, code) or None; ``facts`` are is_priority,
    department, sdg_goals, sections, source and line, in that order."""
    return {
        "key": key,
        "code": code or None,
        "kind": str(kind),
        "level": level,
        "level_label": level_label,
        "title": title,
        "parent_key": parent[0] if parent else None,
        "parent_code": (parent[1] or None) if parent else None,
        "is_priority": facts["is_priority"],
        "department": facts["department"],
        "sdg_goals": list(facts["sdg_goals"]),
        "sections": facts["sections"],
        "source": facts["source"],
        "line": facts["line"] or None,
    }


def indicator_item(*, key, node_key, node_code, read, source, line) -> dict:
    """A KPI: each field of ``KPI_FIELDS`` as ``read(field)`` gives it (a measured field as
    :func:`value_item`), between the KPI's place and its provenance."""
    fields = {}
    for kpi_field in KPI_FIELDS:
        value = read(kpi_field)
        if isinstance(kpi_field, Described) and kpi_field.kind == CHOICE:
            value = str(value) or None  # "" is no choice
        elif isinstance(kpi_field, Described) and kpi_field.kind == MARK:
            value = bool(value)
        fields[kpi_field.key] = value
    return {
        "key": key,
        "node_key": node_key,
        "node_code": node_code or None,
        **fields,
        "source": source,
        "line": line or None,
    }


def value_item(printed: Value, number: Decimal | None, fiscal_year: int | None) -> dict:
    """A value cell: the raw text and what it says, ``number`` written with its digits."""
    return {
        "raw": printed.raw,
        "value": None if number is None else format(number, "f"),
        "unit": printed.unit,
        "fiscal_year": fiscal_year,
        "comparator": str(printed.comparator) or None,
        "note": printed.note,
    }


def crossref_item(*, from_node, kind, target_code, target_title, target_key) -> dict:
    """A cross-reference; ``from_node`` is the referring node's (key, code)."""
    return {
        "from_key": from_node[0],
        "from_code": from_node[1] or None,
        "kind": str(kind),
        "target_code": target_code or None,
        "target_title": target_title,
        "target_key": target_key,
    }


def _document(municipality: dict, plan: dict, nodes, indicators, crossrefs, glossary) -> dict:
    return {
        "schema": SCHEMA,
        "municipality": municipality,
        "plan": plan,
        "nodes": nodes,
        "indicators": indicators,
        "crossrefs": crossrefs,
        "glossary": [{"term": term, "definition": definition} for term, definition in glossary],
    }


# --- Reading a parsed plan ---------------------------------------------------------------------


def outline_dict(plan: ParsedPlan) -> dict:
    """The outline document of a parsed plan."""
    parents = {child.key: node for node in plan.walk() for child in node.children}
    keys_by_code = {node.code: node.key for node in plan.walk() if node.code}
    titles_by_code = {node.code: node.title for node in plan.walk() if node.code}
    return _document(
        {"name": plan.municipality},
        {"title": plan.title, "level_names": list(plan.level_names)},
        [_parsed_node(node, parents.get(node.key), plan.level_names) for node in plan.walk()],
        [_parsed_indicator(kpi, node) for node in plan.walk() for kpi in node.indicators],
        [
            crossref_item(
                from_node=(node.key, node.code),
                kind=ref.kind,
                target_code=ref.target_code,
                target_title=ref.target_title or titles_by_code.get(ref.target_code, ""),
                target_key=keys_by_code.get(ref.target_code) if ref.target_code else None,
            )
            for node in plan.walk()
            for ref in node.crossrefs
        ],
        [(term.term, term.definition) for term in plan.glossary],
    )


def outline_json(plan: ParsedPlan) -> str:
    """The outline document as UTF-8-friendly JSON text (Japanese kept, 2-space indent)."""
    return json.dumps(outline_dict(plan), ensure_ascii=False, indent=2) + "\n"


def _parsed_node(node: ParsedNode, parent: ParsedNode | None, level_names: list[str]) -> dict:
    if node.kind == NodeKind.CROSS_CUTTING:
        label = CROSS_CUTTING_LABEL
    else:
        label = level_names[node.level] if 0 <= node.level < len(level_names) else ""
    return node_item(
        key=node.key,
        code=node.code,
        kind=node.kind,
        level=node.level,
        level_label=label,
        title=node.title,
        parent=(parent.key, parent.code) if parent else None,
        is_priority=node.is_priority,
        department=node.department,
        sdg_goals=node.sdg_goals,
        sections=[{"heading": s.heading, "body": s.body} for s in node.sections],
        source=node.source,
        line=node.line,
    )


def _parsed_indicator(indicator: ParsedIndicator, node: ParsedNode) -> dict:
    def read(kpi_field):
        if isinstance(kpi_field, Measured):
            printed = getattr(indicator, kpi_field.name)
            year = printed.fiscal_year or getattr(indicator, kpi_field.year)
            return value_item(printed, printed.value, year)
        return getattr(indicator, kpi_field.key, _default(kpi_field))

    return indicator_item(
        key=indicator.key,
        node_key=node.key,
        node_code=node.code,
        read=read,
        source=indicator.source,
        line=indicator.line,
    )


def _default(kpi_field):
    """What the database holds for a field the parser does not read."""
    return False if kpi_field.kind == MARK else ""


# --- Reading the database ----------------------------------------------------------------------


def plan_outline_dict(plan: Plan) -> dict:
    """The outline document of ``plan`` as stored in the database, in document order, with the
    municipality's and the plan's metadata."""
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft"))
    by_pk = {node.pk: node for node in nodes}
    where = _provenance(plan)
    return _document(
        _municipality(plan),
        _plan(plan),
        _stored_nodes(plan, nodes, by_pk, where),
        _stored_indicators(plan, by_pk, where),
        _stored_crossrefs(plan, nodes, by_pk),
        GlossaryTerm.objects.filter(plan=plan)
        .order_by("order", "pk")
        .values_list("term", "definition"),
    )


def _municipality(plan: Plan) -> dict:
    municipality = plan.municipality
    return {
        "name": municipality.name,
        "name_kana": municipality.name_kana,
        "prefecture": municipality.prefecture,
        "local_gov_code": municipality.local_gov_code or None,
        "slug": municipality.slug,
    }


def _plan(plan: Plan) -> dict:
    return {
        "title": plan.title,
        "level_names": list(plan.level_names),
        "slug": plan.slug,
        "first_fiscal_year": plan.first_fiscal_year,
        "last_fiscal_year": plan.last_fiscal_year,
        "status": plan.status,
    }


def _provenance(plan: Plan) -> dict[str, tuple[str, int | None]]:
    """(source, line) by node or indicator key, from the outline of the plan's last import."""
    run = ImportRun.objects.filter(plan=plan).order_by("-number").only("outline").first()
    if run is None:
        return {}
    outline = run.outline
    return {
        item["key"]: (item.get("source", ""), item.get("line"))
        for item in [*outline.get("nodes", []), *outline.get("indicators", [])]
    }


def _stored_nodes(plan: Plan, nodes: list[PlanNode], by_pk: dict, where: dict) -> list[dict]:
    sections = defaultdict(list)
    for section in NodeSection.objects.filter(node__plan=plan).order_by("node", "order", "pk"):
        sections[section.node_id].append({"heading": section.heading, "body": section.body})
    goals = defaultdict(list)
    through = PlanNode.sdg_goals.through.objects.filter(plannode__plan=plan)
    for node_id, number in through.order_by("sdggoal_id").values_list("plannode_id", "sdggoal_id"):
        goals[node_id].append(number)
    items = []
    for node in nodes:
        parent = by_pk.get(node.parent_id)
        source, line = where.get(node.key, ("", None))
        items.append(
            node_item(
                key=node.key,
                code=node.code,
                kind=node.kind,
                level=node.level,
                level_label=(
                    CROSS_CUTTING_LABEL
                    if node.kind == PlanNode.Kind.CROSS_CUTTING
                    else plan.level_name(node.level)
                ),
                title=node.title,
                parent=(parent.key, parent.code) if parent else None,
                is_priority=node.is_priority,
                department=node.department,
                sdg_goals=goals[node.pk],
                sections=sections[node.pk],
                source=source,
                line=line,
            )
        )
    return items


def _stored_indicators(plan: Plan, by_pk: dict, where: dict) -> list[dict]:
    indicators = Indicator.objects.filter(plan=plan).order_by(
        "node__tree_id", "node__lft", "order", "pk"
    )
    items = []
    for indicator in indicators:
        node = by_pk[indicator.node_id]
        source, line = where.get(indicator.key, ("", None))
        items.append(
            indicator_item(
                key=indicator.key,
                node_key=node.key,
                node_code=node.code,
                read=lambda kpi_field, indicator=indicator: _stored_field(indicator, kpi_field),
                source=source,
                line=line,
            )
        )
    return items


def _stored_field(indicator: Indicator, kpi_field):
    if not isinstance(kpi_field, Measured):
        return getattr(indicator, kpi_field.name)
    raw = getattr(indicator, kpi_field.raw)
    number = getattr(indicator, kpi_field.value)
    printed = parse_value(raw)
    if number is not None and printed.value is not None and printed.value == number:
        number = printed.value  # the digits as printed: "44.0", not "44.0000"
    elif number is not None:
        number = _plain(number)
    return value_item(printed, number, getattr(indicator, kpi_field.year))


def _plain(number: Decimal) -> Decimal:
    """``number`` without the database's trailing zeros: 44.0000 → 44, 0.8200 → 0.82."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _stored_crossrefs(plan: Plan, nodes: list[PlanNode], by_pk: dict) -> list[dict]:
    position = {node.pk: index for index, node in enumerate(nodes)}
    references = sorted(
        CrossReference.objects.filter(from_node__plan=plan),
        key=lambda ref: (position[ref.from_node_id], ref.order, ref.pk),
    )
    items = []
    for ref in references:
        source, target = by_pk[ref.from_node_id], by_pk.get(ref.to_node_id)
        items.append(
            crossref_item(
                from_node=(source.key, source.code),
                kind=ref.kind,
                target_code=ref.target_code,
                target_title=ref.target_title or (target.title if target else ""),
                target_key=target.key if target else None,
            )
        )
    return items
