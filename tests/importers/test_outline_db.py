"""plan_outline_dict: the outline document built from the database."""

import pytest

from importers.outline import plan_outline_dict
from importers.parsing import parse_files
from importers.selectors import catalog_entry_for
from importers.services import plan_import
from indicators.models import Indicator
from plans import services as plan_services
from plans.models import Plan, PlanNode
from plans.tenancy import SYSTEM

pytestmark = pytest.mark.django_db


def import_sample(slug: str) -> Plan:
    entry = catalog_entry_for(slug)
    files = [(path.name, path.read_bytes()) for path in entry.paths()]
    parsed = parse_files(files, prefer=entry.prefer)
    plan_import(actor=SYSTEM, parsed=parsed, municipality=entry.municipality, plan=entry.plan)
    return Plan.objects.get(municipality__slug=slug)


def test_outline_takes_the_same_queries_for_a_small_and_a_large_plan(django_assert_num_queries):
    """A fixed number of queries: 清瀬市 (16 nodes) and 小美玉市 (95 nodes, KPIs, references)."""
    small, large = import_sample("kiyose"), import_sample("omitama")
    with django_assert_num_queries(8):
        plan_outline_dict(Plan.objects.select_related("municipality").get(pk=small.pk))
    with django_assert_num_queries(8):
        plan_outline_dict(Plan.objects.select_related("municipality").get(pk=large.pk))


def test_values_keep_the_digits_printed_and_no_value_is_null():
    """ "44.0%" exports "44.0" (not the column's 44.0000); "—" exports null, never "0"."""
    plan = import_sample("honjo")
    by_name = {item["name"]: item for item in plan_outline_dict(plan)["indicators"]}
    assert by_name["自治会の加入率"]["target"]["value"] == "85.00"
    assert by_name["市民提案型事業数"]["baseline"] == {
        "raw": "—",
        "value": None,
        "unit": "",
        "fiscal_year": None,
        "comparator": None,
        "note": "",
    }


def test_staff_changes_show_in_the_outline():
    """The export is the database: a staff title and a value typed in the admin appear."""
    plan = import_sample("honjo")
    plan_services.node_update(
        actor=SYSTEM, node=PlanNode.objects.get(plan=plan, key="5-1"), title="新しい名称"
    )
    indicator = Indicator.objects.get(plan=plan, name="自治会の加入率")
    indicator.target_value, indicator.target_raw = 90, "90%"
    indicator.save()
    document = plan_outline_dict(plan)
    assert next(n for n in document["nodes"] if n["key"] == "5-1")["title"] == "新しい名称"
    target = next(i for i in document["indicators"] if i["key"] == indicator.key)["target"]
    assert (target["raw"], target["value"], target["unit"]) == ("90%", "90", "%")


def test_a_node_staff_added_has_no_source_line():
    """source/line come from the last import; a node staff created has none."""
    plan = import_sample("kiyose")
    parent = PlanNode.objects.get(plan=plan, key="1")
    plan_services.node_create(plan=plan, title="職員が追加", key="staff-1", parent=parent)
    item = next(n for n in plan_outline_dict(plan)["nodes"] if n["key"] == "staff-1")
    assert (item["source"], item["line"], item["parent_key"], item["level"]) == ("", None, "1", 1)
