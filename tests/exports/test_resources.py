"""Import/export resources: hierarchy columns from one map, and refused input — wrong headers,
text in a number column, a fiscal year outside the plan, another plan's row — each reported
with row, column and reason, with nothing applied."""

import pytest
import tablib

from exports.resources import (
    MISSING_COLUMNS,
    NOT_A_NUMBER,
    OTHER_PLAN,
    UNKNOWN_COLUMNS,
    YEAR_OUTSIDE_PLAN,
    IndicatorResource,
    IndicatorValueResource,
    PlanNodeResource,
    import_changes,
    import_problems,
)
from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.models import PlanNode
from plans.tenancy import SYSTEM
from tests.exports.excel_samples import build_small_plan


def snapshot(plan):
    return (
        list(Indicator.objects.filter(plan=plan).order_by("pk").values()),
        list(IndicatorValue.objects.order_by("pk").values()),
        list(PlanNode.objects.filter(plan=plan).order_by("pk").values()),
    )


def run_import(resource_class, plan, dataset):
    """Import as the admin does; return the problems and changes, asserting no change on error."""
    before = snapshot(plan)
    resource = resource_class(plan=plan, actor=SYSTEM)
    result = resource.import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    problems = import_problems(resource, result)
    if problems:
        assert snapshot(plan) == before
    return problems, import_changes(result)


def exported(resource_class, plan) -> tablib.Dataset:
    return resource_class(plan=plan).export()


def set_cell(dataset, row, column, value):
    rows = [list(r) for r in dataset]
    rows[row][dataset.headers.index(column)] = value
    return tablib.Dataset(*rows, headers=dataset.headers)


@pytest.mark.parametrize("kpis", [4, 40])
def test_export_queries_do_not_grow_with_the_plan(plan, kpis, django_assert_num_queries):
    """Hierarchy columns come from one map: the same queries for 4 or 40 KPIs."""
    build_small_plan(plan)
    node = PlanNode.objects.get(plan=plan, key="1101")
    Indicator.objects.bulk_create(
        Indicator(plan=plan, node=node, key=f"extra{i}", name=f"指標{i}", order=10 + i)
        for i in range(kpis - 4)
    )
    with django_assert_num_queries(4):
        dataset = IndicatorResource(plan=plan).export()
    assert len(dataset) == kpis
    assert dataset.headers[:4] == ["計画", "基本目標", "基本施策", "個別施策"]
    first = dict(zip(dataset.headers, dataset[0], strict=True))
    assert first["個別施策"] == "1101 自治会活動の支援"
    assert first["基本目標"] == "1 みんなで創る協働のまち"


def test_node_export_names_levels_and_sdgs(plan):
    """Nodes export with the plan's level names, priority marks and SDGs."""
    build_small_plan(plan)
    rows = [
        dict(zip(d.headers, r, strict=True)) for d in [exported(PlanNodeResource, plan)] for r in d
    ]
    by_key = {row["キー"]: row for row in rows}
    assert by_key["11"]["階層"] == "基本施策" and by_key["11"]["SDGs"] == "11, 17"
    assert by_key["1102"]["重点"] == "○" and by_key["1101"]["重点"] == ""
    assert by_key["1102"]["基本施策"] == "11 協働のまちづくり"


def test_node_import_changes_a_title_through_the_service(plan):
    """A changed title is previewed and saved; the node's place in the tree stays."""
    build_small_plan(plan)
    dataset = exported(PlanNodeResource, plan)
    row = [r[dataset.headers.index("キー")] for r in dataset].index("1101")
    problems, changes = run_import(
        PlanNodeResource, plan, set_cell(dataset, row, "名称", "自治会活動への支援")
    )
    assert problems == []
    assert [(c.key, c.column, c.new) for c in changes] == [("1101", "名称", "自治会活動への支援")]
    node = PlanNode.objects.get(plan=plan, key="1101")
    assert node.title == "自治会活動への支援" and node.parent.key == "11"


def test_wrong_headers_are_refused_before_any_row(plan):
    """A file whose columns are not the resource's is refused as a whole."""
    build_small_plan(plan)
    dataset = exported(IndicatorResource, plan)
    renamed = tablib.Dataset(
        *dataset, headers=["目標" if h == "目標値" else h for h in dataset.headers]
    )
    problems, changes = run_import(IndicatorResource, plan, renamed)
    reasons = [p.reason for p in problems]
    assert str(UNKNOWN_COLUMNS % {"columns": "目標"}) in reasons
    assert str(MISSING_COLUMNS % {"columns": "目標値"}) in reasons
    assert all(p.row is None for p in problems) and changes == []


def test_text_in_a_number_column_is_refused_with_row_and_column(plan):
    """「85%以上」 typed in 目標値 is refused at its spreadsheet row; nothing is applied."""
    build_small_plan(plan)
    dataset = set_cell(exported(IndicatorResource, plan), 1, "基準値", 44)
    dataset = set_cell(dataset, 0, "目標値", "85%以上")
    problems, _ = run_import(IndicatorResource, plan, dataset)
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (2, "目標値", str(NOT_A_NUMBER % {"value": "85%以上"}))
    ]
    assert Indicator.objects.get(key="npo").baseline_value == 43  # row 3 was valid: rolled back


def test_a_fiscal_year_outside_the_plan_is_refused(plan):
    """A yearly value for 2031 (plan 2023–2027) is refused; so is a 2031 column in the KPI sheet."""
    build_small_plan(plan)
    values = set_cell(exported(IndicatorValueResource, plan), 0, "年度", 2031)
    problems, _ = run_import(IndicatorValueResource, plan, values)
    reason = str(YEAR_OUTSIDE_PLAN % {"year": 2031, "first": 2023, "last": 2027})
    assert [(p.row, p.column, p.reason) for p in problems] == [(2, "年度", reason)]

    kpis = exported(IndicatorResource, plan)
    wide = tablib.Dataset(*[[*r, 1] for r in kpis], headers=[*kpis.headers, "2031年度実績"])
    problems, _ = run_import(IndicatorResource, plan, wide)
    assert [(p.row, p.column, p.reason) for p in problems] == [(None, "", reason)]


def test_a_row_of_another_plan_is_refused(plan, municipality):
    """Import is scoped to the plan being edited: another plan's rows are refused."""
    build_small_plan(plan)
    other = services.plan_create(
        municipality=municipality,
        title="後期基本計画（改訂版）",
        slug="2023r",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["基本目標", "基本施策", "個別施策"],
    )
    dataset = exported(IndicatorResource, plan)
    problems, _ = run_import(IndicatorResource, other, dataset)
    reason = str(OTHER_PLAN % {"row": "omitama/2023", "plan": "omitama/2023r"})
    assert {(p.column, p.reason) for p in problems} == {("計画", reason)}
    assert [p.row for p in problems] == [2, 3, 4, 5]


def test_an_unknown_node_code_is_refused(plan):
    """A new KPI must hang off a node of this plan, named by code or key."""
    build_small_plan(plan)
    dataset = exported(IndicatorResource, plan)
    dataset = set_cell(set_cell(dataset, 0, "キー", "new"), 0, "項目コード", "9999")
    problems, _ = run_import(IndicatorResource, plan, dataset)
    assert [(p.row, p.column) for p in problems] == [(2, "項目コード")]
