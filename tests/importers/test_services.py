"""plan_import: parsed plans written to the database in one transaction, through plans.services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importers.models import ImportRun
from importers.parsing import parse_files
from importers.parsing.model import (
    CrossRef,
    CrossRefKind,
    NodeKind,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Value,
)
from importers.selectors import catalog_entry_for
from importers.services import ImportFailed, MunicipalityInfo, PlanInfo, plan_import
from indicators.models import Indicator
from plans.models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode
from plans.tenancy import SYSTEM

pytestmark = pytest.mark.django_db

MODELS = (Municipality, Plan, PlanNode, NodeSection, CrossReference, Indicator, GlossaryTerm)
TOWN = MunicipalityInfo(name="テスト町", slug="test-town", prefecture="東京都")


def parsed_sample(slug: str) -> ParsedPlan:
    entry = catalog_entry_for(slug)
    files = [(path.name, path.read_bytes()) for path in entry.paths()]
    return parse_files(files, prefer=entry.prefer)


def import_sample(slug: str, **options):
    entry = catalog_entry_for(slug)
    return plan_import(
        actor=SYSTEM,
        parsed=parsed_sample(slug),
        municipality=entry.municipality,
        plan=entry.plan,
        **options,
    )


def plan_of(slug: str) -> Plan:
    return Plan.objects.get(municipality__slug=slug)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def tree_state() -> list[tuple]:
    return list(
        PlanNode.objects.order_by("pk").values_list(
            "pk", "tree_id", "lft", "rght", "level", "parent_id"
        )
    )


def small_plan(count: int = 2) -> ParsedPlan:
    """A hand-made plan: goal 1 with ``count`` measures (11, 12 …); 12 relists 11 and 9999."""
    measures = [
        ParsedNode(title=f"施策{n}", key=f"1{n}", code=f"1{n}", level=1)
        for n in range(1, count + 1)
    ]
    measures[0].indicators = [
        ParsedIndicator(
            name="参加者数",
            key="11:1",
            unit="人",
            baseline=Value(raw="—"),
            baseline_year=2021,
            target=Value(raw="1,400人以上", value=Decimal(1400), unit="人"),
            target_year=2027,
        )
    ]
    measures[1].crossrefs = [
        CrossRef(kind=CrossRefKind.RELISTED, target_code="11"),
        CrossRef(kind=CrossRefKind.RELISTED, target_code="9999", target_title="どこか"),
        CrossRef(kind=CrossRefKind.RELISTED, target_code="12"),
    ]
    goal = ParsedNode(title="目標", key="1", code="1", level=0, children=measures)
    return ParsedPlan(
        municipality="テスト町", title="テスト計画", level_names=["基本目標", "施策"], nodes=[goal]
    )


def test_omitama_loads_3_goals_16_policies_76_measures_placed_by_code():
    """000 + 001 give 3 基本目標 → 16 基本施策 → 76 個別施策; every code sits under its parent."""
    import_sample("omitama")
    plan = plan_of("omitama")
    by_level = [PlanNode.objects.filter(plan=plan, level=level).count() for level in range(3)]
    assert by_level == [3, 16, 76]
    for node in PlanNode.objects.filter(plan=plan, level=2).select_related("parent"):
        assert node.code[:2] == node.parent.code, node.code
    assert PlanNode.objects.get(plan=plan, code="1205").parent.code == "12"
    assert PlanNode.objects.get(plan=plan, code="3305").parent.code == "33"
    assert plan.level_names == ["基本目標", "基本施策", "個別施策"]


def test_omitama_has_21_indicators_on_goal_1s_six_policies_from_fy2021_to_fy2027():
    """成果指標 hang off 基本施策 11–16 with baseline 令和3年度 and target 令和9年度."""
    import_sample("omitama")
    indicators = Indicator.objects.filter(plan=plan_of("omitama")).select_related("node")
    assert indicators.count() == 21
    assert {indicator.node.code for indicator in indicators} == {"11", "12", "13", "14", "15", "16"}
    assert {(i.baseline_year, i.target_year) for i in indicators} == {(2021, 2027)}


def test_indicator_keeps_raw_text_next_to_value_and_no_value_stays_null():
    """ "—" is NULL (never 0); "82.31 %" keeps its raw text; "92.7 %以内" is an lte target."""
    import_sample("honjo")
    plan = plan_of("honjo")
    proposals = Indicator.objects.get(plan=plan, name="市民提案型事業数")
    assert (proposals.baseline_raw, proposals.baseline_value) == ("—", None)
    assert proposals.target_value == Decimal(2)
    membership = Indicator.objects.get(plan=plan, name="自治会の加入率")
    assert (membership.baseline_raw, membership.baseline_value) == ("82.31 %", Decimal("82.31"))
    assert membership.unit == "%"
    assert membership.definition == "全世帯のうち自治会に加入している世帯の割合"
    ratio = Indicator.objects.get(plan=plan, name="経常収支比率")
    assert (ratio.target_raw, ratio.target_value, ratio.comparator) == (
        "92.7 %以内",
        Decimal("92.7"),
        Indicator.Comparator.LTE,
    )


def test_honjo_has_2_fields_11_major_49_middle_27_indicators_and_5_policy_link_plans():
    """分野 → 施策大項目 → 施策中項目 plus five 政策連携プラン as cross-cutting roots."""
    import_sample("honjo")
    plan = plan_of("honjo")
    policies = PlanNode.objects.filter(plan=plan, kind=PlanNode.Kind.POLICY)
    assert [policies.filter(level=level).count() for level in range(3)] == [2, 11, 49]
    assert list(policies.filter(level=0).values_list("title", flat=True)) == [
        "市民生活分野",
        "行財政経営分野",
    ]
    assert Indicator.objects.filter(plan=plan).count() == 27
    links = PlanNode.objects.filter(plan=plan, kind=PlanNode.Kind.CROSS_CUTTING)
    assert links.count() == 5
    for link in links:
        assert link.outgoing_references.exists(), link.title


def test_references_resolve_by_code_in_the_same_plan_or_keep_code_and_title():
    """A reference to 5-6 points at node 5-6; one to 2-1 (not imported) keeps 2-1 and its title."""
    import_sample("honjo")
    references = CrossReference.objects.filter(from_node__plan=plan_of("honjo"))
    resolved = references.filter(to_node__isnull=False).select_related("to_node")
    assert resolved.exists()
    for reference in resolved:
        assert reference.to_node.code == reference.target_code
        assert reference.to_node.plan_id == reference.from_node.plan_id
    unresolved = references.filter(target_code="2-1").first()
    assert unresolved.to_node is None
    assert unresolved.target_title == "確かな学力と自立する力の育成"


def test_unresolved_references_are_reported():
    """The report lists the references that stay unresolved, and the counts say how many."""
    result = import_sample("honjo")
    unresolved = CrossReference.objects.filter(to_node__isnull=True).count()
    assert result.counts["unresolved_crossrefs"] == unresolved > 0
    assert "unresolved_reference" in result.as_text()
    reported = [i for i in result.issues if i.kind == "unresolved_reference"]
    assert any("2-1" in issue.message for issue in reported)


def test_kiyose_has_4_visions_12_goals_with_paragraphs_and_glossary():
    """清瀬市: 将来像 → 基本目標 (codes 11, 12 …) with their paragraphs; ※ notes as glossary."""
    import_sample("kiyose")
    plan = plan_of("kiyose")
    assert PlanNode.objects.filter(plan=plan, level=0).count() == 4
    goals = PlanNode.objects.filter(plan=plan, level=1)
    assert goals.count() == 12
    assert all(goal.sections.exists() for goal in goals)
    assert GlossaryTerm.objects.filter(plan=plan).count() == 3


def test_tomakomai_has_3_policies_in_two_groups_8_topics_and_no_page_noise():
    """苫小牧市: two groups, three ◇ policies, eight topics; 文字サイズ or 6/37 nowhere."""
    import_sample("tomakomai")
    plan = plan_of("tomakomai")
    assert PlanNode.objects.filter(plan=plan, level=0).count() == 2
    assert PlanNode.objects.filter(plan=plan, level=1).count() == 3
    assert PlanNode.objects.filter(plan=plan, level=2).count() == 8
    texts = [*PlanNode.objects.filter(plan=plan).values_list("title", flat=True)]
    texts += NodeSection.objects.filter(node__plan=plan).values_list("body", flat=True)
    for noise in ("文字サイズ", "6/37", "MENU"):
        assert not any(noise in text for text in texts), noise


def test_catalog_metadata_is_stored_with_the_plan():
    """Municipality code, prefecture, kana, plan title, period and status come from the catalog."""
    import_sample("omitama")
    plan = plan_of("omitama")
    assert plan.municipality.local_gov_code == "082368"
    assert (plan.municipality.prefecture, plan.municipality.name_kana) == ("茨城県", "おみたまし")
    assert (plan.first_fiscal_year, plan.last_fiscal_year) == (2023, 2027)
    assert plan.status == Plan.Status.PUBLISHED


def test_imported_tree_is_valid_for_mptt():
    """Bulk-built tree fields are exactly what mptt's rebuild() computes."""
    for slug in ("omitama", "honjo"):
        import_sample(slug)
    before = tree_state()
    PlanNode.objects.rebuild()
    assert tree_state() == before


def test_dry_run_writes_nothing_and_lists_what_would_be_created():
    """--dry-run: the whole import runs and is rolled back; the result says what it would do."""
    before = row_counts()
    result = import_sample("kiyose", dry_run=True)
    assert row_counts() == before
    assert ImportRun.objects.count() == 0
    assert len(result.of_action("create")) > 16
    assert "DRY RUN" in result.as_text()
    assert "create: 16 node" in result.as_text()


def test_import_records_the_run_with_sources_outline_and_report():
    """One ImportRun per import: the files, the outline of the text, the report."""
    result = import_sample("omitama")
    run = ImportRun.objects.get()
    assert run.number == result.run_number == 1
    assert run.sources == ["omitama_outline.txt", "omitama_goal1.txt"]
    assert len(run.outline["nodes"]) == 95
    assert any(issue["kind"] == "conflict" for issue in run.report["issues"])


def test_created_rows_have_history_marked_as_import():
    """Bulk-created nodes and indicators get a history record with the reason "import"."""
    import_sample("omitama")
    assert PlanNode.history.count() == 95
    assert set(PlanNode.history.values_list("history_change_reason", flat=True)) == {"import"}
    assert Indicator.history.filter(history_change_reason="import").count() == 21


def test_hand_made_plan_resolves_references_and_keeps_kpi_values():
    """A reference to 11 resolves, 9999 stays unresolved, a reference to itself stays unresolved."""
    plan_import(
        actor=SYSTEM, parsed=small_plan(), municipality=TOWN, plan=PlanInfo(slug="p", title="計画")
    )
    references = CrossReference.objects.order_by("order")
    assert [ref.to_node.code if ref.to_node else None for ref in references] == ["11", None, None]
    assert [ref.target_code for ref in references] == ["11", "9999", "12"]
    indicator = Indicator.objects.get()
    assert (indicator.baseline_value, indicator.target_value) == (None, Decimal(1400))
    assert indicator.target_raw == "1,400人以上"


def test_a_plan_without_a_period_is_a_draft_with_an_open_period_and_reported():
    """Without a period (given or stated), the plan is created anyway: a draft whose period is
    open, and the report says so, naming the KPIs' latest target year (FY2027) as a hint."""
    result = plan_import(
        actor=SYSTEM,
        parsed=small_plan(),
        municipality=TOWN,
        plan=PlanInfo(slug="p", status="published"),
    )
    plan = Plan.objects.get()
    assert (plan.first_fiscal_year, plan.last_fiscal_year) == (None, None)
    assert plan.title == "テスト計画"
    assert plan.status == Plan.Status.DRAFT
    (issue,) = [issue for issue in result.issues if "period" in issue.message]
    assert "draft" in issue.message and "FY2027" in issue.message


def test_a_value_the_database_refuses_fails_the_whole_import():
    """A baseline year after the target year: ImportFailed naming the indicator; nothing written."""
    parsed = small_plan()
    parsed.nodes[0].children[0].indicators[0].baseline_year = 2030
    with pytest.raises(ImportFailed) as error:
        plan_import(actor=SYSTEM, parsed=parsed, municipality=TOWN, plan=PlanInfo(slug="p"))
    assert "11:1" in str(error.value)
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_a_title_too_long_fails_with_its_source_line():
    """Field checks that bulk inserts skip run first: the message names source and line."""
    parsed = small_plan()
    node = parsed.nodes[0].children[1]
    node.title, node.source, node.line = "長" * 301, "x.txt", 7
    with pytest.raises(ImportFailed) as error:
        plan_import(actor=SYSTEM, parsed=parsed, municipality=TOWN, plan=PlanInfo(slug="p"))
    assert "x.txt:7" in str(error.value)
    assert Plan.objects.count() == 0


def test_loading_a_new_plan_takes_the_same_queries_whatever_its_size(django_assert_num_queries):
    """Nodes, sections, indicators and references are created in bulk, not row by row."""
    info = PlanInfo(slug="small", title="計画", first_fiscal_year=2023, last_fiscal_year=2027)
    plan_import(actor=SYSTEM, parsed=small_plan(2), municipality=TOWN, plan=info)
    with CaptureQueriesContext(connection) as small:
        plan_import(
            actor=SYSTEM,
            parsed=small_plan(3),
            municipality=TOWN,
            plan=PlanInfo(slug="a", title="計画"),
        )
    with django_assert_num_queries(len(small.captured_queries)):
        plan_import(
            actor=SYSTEM,
            parsed=small_plan(40),
            municipality=TOWN,
            plan=PlanInfo(slug="b", title="計画"),
        )


def test_cross_cutting_kind_is_stored():
    """A parsed cross-cutting node becomes a PlanNode of kind cross_cutting."""
    parsed = small_plan()
    parsed.nodes.append(
        ParsedNode(
            title="連携プラン",
            key="link-1",
            level=0,
            kind=NodeKind.CROSS_CUTTING,
            crossrefs=[CrossRef(kind=CrossRefKind.POLICY_LINK, target_code="12")],
        )
    )
    plan_import(actor=SYSTEM, parsed=parsed, municipality=TOWN, plan=PlanInfo(slug="p"))
    link = PlanNode.objects.get(key="link-1")
    assert link.kind == PlanNode.Kind.CROSS_CUTTING
    assert link.outgoing_references.get().to_node.code == "12"
