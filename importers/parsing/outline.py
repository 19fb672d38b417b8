"""The outline document: a plan as stable, documented JSON (schema in docs/outline-json.md).

It is both the golden-test format and the open-data export format, so it holds only what a
plan says — no parser internals. Keys come in a fixed order, lists in document order.
"""

from __future__ import annotations

import json
from decimal import Decimal

from importers.parsing.model import (
    CROSS_CUTTING_LABEL,
    NodeKind,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Value,
)

SCHEMA = "sogo-keikaku-outline/1"


def outline_dict(plan: ParsedPlan) -> dict:
    """The outline document of a parsed plan."""
    parents = _parents(plan)
    keys_by_code = {node.code: node.key for node in plan.walk() if node.code}
    titles_by_code = {node.code: node.title for node in plan.walk() if node.code}
    return {
        "schema": SCHEMA,
        "municipality": {"name": plan.municipality},
        "plan": {"title": plan.title, "level_names": list(plan.level_names)},
        "nodes": [_node(node, parents.get(node.key), plan.level_names) for node in plan.walk()],
        "indicators": [_indicator(ind, node) for node in plan.walk() for ind in node.indicators],
        "crossrefs": [
            {
                "from_key": node.key,
                "from_code": node.code or None,
                "kind": str(ref.kind),
                "target_code": ref.target_code or None,
                "target_title": ref.target_title or titles_by_code.get(ref.target_code, ""),
                "target_key": keys_by_code.get(ref.target_code) if ref.target_code else None,
            }
            for node in plan.walk()
            for ref in node.crossrefs
        ],
        "glossary": [{"term": term.term, "definition": term.definition} for term in plan.glossary],
    }


def outline_json(plan: ParsedPlan) -> str:
    """The outline document as UTF-8-friendly JSON text (Japanese kept, 2-space indent)."""
    return json.dumps(outline_dict(plan), ensure_ascii=False, indent=2) + "\n"


def _parents(plan: ParsedPlan) -> dict[str, ParsedNode]:
    return {child.key: node for node in plan.walk() for child in node.children}


def _level_label(node: ParsedNode, level_names: list[str]) -> str:
    if node.kind == NodeKind.CROSS_CUTTING:
        return CROSS_CUTTING_LABEL
    return level_names[node.level] if 0 <= node.level < len(level_names) else ""


def _node(node: ParsedNode, parent: ParsedNode | None, level_names: list[str]) -> dict:
    return {
        "key": node.key,
        "code": node.code or None,
        "kind": str(node.kind),
        "level": node.level,
        "level_label": _level_label(node, level_names),
        "title": node.title,
        "parent_key": parent.key if parent else None,
        "parent_code": (parent.code or None) if parent else None,
        "is_priority": node.is_priority,
        "department": node.department,
        "sdg_goals": list(node.sdg_goals),
        "sections": [{"heading": s.heading, "body": s.body} for s in node.sections],
        "source": node.source,
        "line": node.line or None,
    }


def _indicator(indicator: ParsedIndicator, node: ParsedNode) -> dict:
    return {
        "key": indicator.key,
        "node_key": node.key,
        "node_code": node.code or None,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "baseline": _value(indicator.baseline, indicator.baseline_year),
        "target": _value(indicator.target, indicator.target_year),
        "comparator": str(indicator.comparator) or None,
        "direction": str(indicator.direction) or None,
        "cumulative": indicator.cumulative,
        "note": indicator.note,
        "source": indicator.source,
        "line": indicator.line or None,
    }


def _value(value: Value, column_year: int | None) -> dict:
    return {
        "raw": value.raw,
        "value": _decimal(value.value),
        "unit": value.unit,
        "fiscal_year": value.fiscal_year or column_year,
        "comparator": str(value.comparator) or None,
        "note": value.note,
    }


def _decimal(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")
