"""The outline document (sogo-keikaku-outline/1): stable keys, order, nulls and decimal strings."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from importers.outline import SCHEMA, outline_dict, outline_json
from importers.parsing import parse_files
from importers.parsing.model import (
    CrossRef,
    CrossRefKind,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Value,
)

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"


@pytest.fixture(scope="module")
def document():
    files = [(n, (SAMPLES / n).read_bytes()) for n in ("omitama_outline.txt", "omitama_goal1.txt")]
    return outline_dict(parse_files(files))


def test_top_level_keys_in_documented_order(document):
    """schema, municipality, plan, nodes, indicators, crossrefs, glossary — in that order."""
    assert list(document) == [
        "schema",
        "municipality",
        "plan",
        "nodes",
        "indicators",
        "crossrefs",
        "glossary",
    ]
    assert document["schema"] == SCHEMA
    assert document["plan"]["level_names"] == ["基本目標", "基本施策", "個別施策"]


def test_node_fields_and_depth_first_order(document):
    """Nodes come depth first; each names its level label and parent by key and code."""
    nodes = document["nodes"]
    assert list(nodes[0]) == [
        "key", "code", "kind", "level", "level_label", "title", "parent_key", "parent_code",
        "is_priority", "department", "sdg_goals", "sections", "source", "line",
    ]  # fmt: skip
    assert [node["key"] for node in nodes[:4]] == ["1", "11", "1101", "1102"]
    assert (nodes[0]["parent_key"], nodes[0]["level_label"]) == (None, "基本目標")
    item = next(node for node in nodes if node["key"] == "3305")
    assert (item["parent_key"], item["parent_code"], item["level_label"]) == (
        "33",
        "33",
        "個別施策",
    )


def test_indicator_values_are_decimal_strings_with_years(document):
    """Numbers are strings as printed; no value is null, never zero."""
    indicators = {ind["name"]: ind for ind in document["indicators"]}
    rate = indicators["人口社会増減率"]
    assert (rate["baseline"]["value"], rate["target"]["value"]) == ("-0.98", "-0.18")
    assert (rate["baseline"]["fiscal_year"], rate["target"]["fiscal_year"]) == (2021, 2027)
    nps = document["indicators"][18]
    assert (nps["baseline"]["raw"], nps["baseline"]["value"]) == ("—", None)
    assert indicators["経常収支比率"]["comparator"] == "lte"
    assert indicators["経常収支比率"]["direction"] is None


def test_crossrefs_resolve_to_node_keys_or_null(document):
    """A reference to a code in the plan gets its key and title; others keep only the code."""
    refs = {ref["target_code"]: ref for ref in document["crossrefs"]}
    assert refs["2101"]["target_key"] == "2101"
    assert refs["2101"]["target_title"] == "保育サービスの充実"
    assert (refs["5501"]["target_key"], refs["5501"]["target_title"]) == (None, "")
    assert {ref["kind"] for ref in refs.values()} == {"relisted"}


def test_json_text_keeps_japanese_and_is_stable(document):
    """The JSON text is unescaped UTF-8 with 2-space indent, identical on every run."""
    files = [(n, (SAMPLES / n).read_bytes()) for n in ("omitama_outline.txt", "omitama_goal1.txt")]
    text = outline_json(parse_files(files))
    assert "みんなの力で磨くまちづくり" in text and "\\u" not in text
    assert text.startswith('{\n  "schema"')
    assert json.loads(text) == document
    assert outline_json(parse_files(files)) == text


def test_a_hand_made_plan_shows_nulls_and_keys():
    """Empty codes, lines and comparators become null; a decimal keeps its printed digits."""
    indicator = ParsedIndicator(
        name="率", key="a:1", target=Value(raw="44.0%", value=Decimal("44.0"))
    )
    child = ParsedNode(title="子", key="a-1", level=1, indicators=[indicator])
    child.crossrefs.append(CrossRef(kind=CrossRefKind.POLICY_LINK, target_code="9-9"))
    root = ParsedNode(title="親", key="a", level=0, children=[child])
    document = outline_dict(ParsedPlan("市", "計画", ["章"], [root]))
    node = document["nodes"][1]
    assert (node["code"], node["line"], node["level_label"], node["parent_key"]) == (
        None,
        None,
        "",
        "a",
    )
    target = document["indicators"][0]["target"]
    assert (target["value"], target["fiscal_year"], target["comparator"]) == ("44.0", None, None)
    assert document["crossrefs"][0]["target_key"] is None
