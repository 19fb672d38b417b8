"""The outline document (docs/outline-json.md) of a plan, built from the database.

It is the same document as ``importers.parsing.outline.outline_dict`` gives for the parsed text,
so that an import can be compared with the database field by field, and ``export_plan`` can
publish what staff see. The database keeps fewer columns than the document has: a value's unit,
comparator and note are read again from its raw text (``parse_value`` gives what the parser gave),
and ``source``/``line`` come from the last import of the plan (``None`` for nodes staff added).
Municipality and plan metadata (prefecture, code, period, status) are filled in from the database.

A fixed number of queries, whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from importers.models import ImportRun
from importers.parsing.model import CROSS_CUTTING_LABEL
from importers.parsing.outline import SCHEMA
from importers.parsing.values import parse_value
from indicators.models import Indicator
from plans.models import CrossReference, GlossaryTerm, NodeSection, Plan, PlanNode


def plan_outline_dict(plan: Plan) -> dict:
    """The outline document of ``plan`` as stored in the database, in document order."""
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft"))
    by_pk = {node.pk: node for node in nodes}
    where = _provenance(plan)
    return {
        "schema": SCHEMA,
        "municipality": _municipality(plan),
        "plan": _plan(plan),
        "nodes": _nodes(plan, nodes, by_pk, where),
        "indicators": _indicators(plan, by_pk, where),
        "crossrefs": _crossrefs(plan, nodes, by_pk),
        "glossary": [
            {"term": term.term, "definition": term.definition}
            for term in GlossaryTerm.objects.filter(plan=plan).order_by("order", "pk")
        ],
    }


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


def _nodes(plan: Plan, nodes: list[PlanNode], by_pk: dict, where: dict) -> list[dict]:
    sections = defaultdict(list)
    for section in NodeSection.objects.filter(node__plan=plan).order_by("node", "order", "pk"):
        sections[section.node_id].append({"heading": section.heading, "body": section.body})
    goals = defaultdict(list)
    through = PlanNode.sdg_goals.through.objects.filter(plannode__plan=plan)
    for node_id, number in through.order_by("sdggoal_id").values_list("plannode_id", "sdggoal_id"):
        goals[node_id].append(number)
    return [_node(plan, node, by_pk, sections, goals, where) for node in nodes]


def _node(plan, node, by_pk, sections, goals, where) -> dict:
    parent = by_pk.get(node.parent_id)
    source, line = where.get(node.key, ("", None))
    return {
        "key": node.key,
        "code": node.code or None,
        "kind": node.kind,
        "level": node.level,
        "level_label": (
            CROSS_CUTTING_LABEL
            if node.kind == PlanNode.Kind.CROSS_CUTTING
            else plan.level_name(node.level)
        ),
        "title": node.title,
        "parent_key": parent.key if parent else None,
        "parent_code": (parent.code or None) if parent else None,
        "is_priority": node.is_priority,
        "department": node.department,
        "sdg_goals": goals[node.pk],
        "sections": sections[node.pk],
        "source": source,
        "line": line,
    }


def _indicators(plan: Plan, by_pk: dict, where: dict) -> list[dict]:
    indicators = Indicator.objects.filter(plan=plan).order_by(
        "node__tree_id", "node__lft", "order", "pk"
    )
    return [_indicator(indicator, by_pk[indicator.node_id], where) for indicator in indicators]


def _indicator(indicator: Indicator, node: PlanNode, where: dict) -> dict:
    source, line = where.get(indicator.key, ("", None))
    return {
        "key": indicator.key,
        "node_key": node.key,
        "node_code": node.code or None,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "baseline": _value(
            indicator.baseline_raw, indicator.baseline_value, indicator.baseline_year
        ),
        "target": _value(indicator.target_raw, indicator.target_value, indicator.target_year),
        "comparator": indicator.comparator or None,
        "direction": indicator.direction or None,
        "cumulative": indicator.is_cumulative,
        "note": indicator.note,
        "source": source,
        "line": line,
    }


def _value(raw: str, number: Decimal | None, fiscal_year: int | None) -> dict:
    """A value cell: the stored number and year, the rest read again from the raw text."""
    printed = parse_value(raw)
    if number is not None and printed.value is not None and printed.value == number:
        text = format(printed.value, "f")  # the digits as printed: "44.0", not "44.0000"
    else:
        text = _decimal(number)
    return {
        "raw": raw,
        "value": text,
        "unit": printed.unit,
        "fiscal_year": fiscal_year,
        "comparator": str(printed.comparator) or None,
        "note": printed.note,
    }


def _decimal(number: Decimal | None) -> str | None:
    if number is None:
        return None
    if number == number.to_integral_value():
        return format(number.quantize(Decimal(1)), "f")
    return format(number.normalize(), "f")


def _crossrefs(plan: Plan, nodes: list[PlanNode], by_pk: dict) -> list[dict]:
    position = {node.pk: index for index, node in enumerate(nodes)}
    references = sorted(
        CrossReference.objects.filter(from_node__plan=plan),
        key=lambda ref: (position[ref.from_node_id], ref.order, ref.pk),
    )
    return [_crossref(ref, by_pk) for ref in references]


def _crossref(ref: CrossReference, by_pk: dict) -> dict:
    source = by_pk[ref.from_node_id]
    target = by_pk.get(ref.to_node_id)
    return {
        "from_key": source.key,
        "from_code": source.code or None,
        "kind": ref.kind,
        "target_code": ref.target_code or None,
        "target_title": ref.target_title or (target.title if target else ""),
        "target_key": target.key if target else None,
    }
