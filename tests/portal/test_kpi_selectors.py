"""Verdicts and roll-ups read from the database: the sample KPIs, a plan's own grade bands, and
exact query counts that stay the same on a 5,010-node plan."""

from decimal import Decimal as D

import pytest
from django.db import transaction

from indicators import services
from indicators.demo import DemoSize, build_demo_plan
from indicators.models import GradeBand, Indicator, KpiSettings
from indicators.progress import Status
from plans.models import Plan, PlanNode
from plans.tenancy import SYSTEM
from portal import kpi_selectors as selectors
from portal import selectors as plan_selectors

# 10 基本目標 × 20 基本施策 × 24 個別施策 = 5,010 nodes; three KPIs on each 基本施策 (600).
BIG = DemoSize(goals=10, policies=20, measures=24, kpis_per_policy=3)


@pytest.fixture(scope="module")
def big_plan(sample_plans, django_db_blocker):
    """A published fictional plan of 5,010 nodes with yearly actuals, next to the samples."""
    with django_db_blocker.unblock(), transaction.atomic():
        return build_demo_plan(slug="bigcity", name="大規模市（架空）", size=BIG)


MET, ON_TRACK, BEHIND, UNRATED = Status.MET, Status.ON_TRACK, Status.BEHIND, Status.UNRATED


def kpi(municipality: str, key: str) -> Indicator:
    return Indicator.objects.select_related("plan").get(
        plan__municipality__slug=municipality, key=key
    )


def enter(municipality: str, key: str, year: int, value: str) -> Indicator:
    indicator = kpi(municipality, key)
    services.indicator_value_set(
        actor=SYSTEM, indicator=indicator, fiscal_year=year, value=D(value)
    )
    return indicator


def test_a_broken_ceiling_reads_not_met_and_no_grade(samples):
    """小美玉市 経常収支比率 85.5 → 88.0以下 with 89.2: 未達成 and 遅れ, not 「148.0% S」."""
    indicator = enter("omitama", "14:経常収支比率", 2024, "89.2")
    status = selectors.public_indicator(indicator.plan, indicator.pk)
    assert (status.met, status.achievement, status.grade) == (False, None, "")
    assert status.status == BEHIND
    assert status.evaluation.margin == D("-1.2")  # 88.0 − 89.2


def test_sample_percentages(samples):
    """本庄市: (83.65 − 82.31) / 2.69 = 49.8 %; (472 − 475) / (470 − 475) = 60 %; both C."""
    for key, value, percent in [
        ("5-1:自治会の加入率", "83.65", "49.8"),
        ("5-4:刑法犯認知件数", "472", "60.0"),
    ]:
        indicator = enter("honjo", key, 2024, value)
        status = selectors.public_indicator(indicator.plan, indicator.pk)
        assert (status.achievement, status.grade) == (D(percent), "C")
        assert status.status == UNRATED  # 本庄市 prints no years: no line to be on


def test_the_plans_own_bands_grade_its_percentages(samples, client):
    indicator = enter("honjo", "5-1:自治会の加入率", 2024, "83.65")  # 49.8 %
    settings = KpiSettings.objects.create(plan=indicator.plan)
    for label, minimum in [
        ("達成", D(100)),
        ("向上", D("49.8")),
        ("現状維持", D(-3)),
        ("悪化", None),
    ]:
        GradeBand.objects.create(settings=settings, label=label, minimum=minimum)
    assert selectors.public_indicator(indicator.plan, indicator.pk).grade == "向上"
    # The node page reads the bands with its node (JSON, the minimum as text: 49.8 exactly).
    node_page = client.get(indicator.node.get_absolute_url()).content.decode()
    assert '達成率 49.8% <span class="grade">評価 向上</span>' in node_page
    other = kpi("omitama", "11:まちづくり組織認定団体数")  # another plan keeps the defaults
    assert selectors.plan_bands(other.plan_id)[0].label == "S"


def nodes_of(plan: Plan):
    """The plan's nodes in tree order, each holding the plan (as the pages' reads do)."""
    return (
        PlanNode.objects.filter(plan=plan)
        .select_related("plan__municipality")
        .order_by("tree_id", "lft")
    )


def omitama_nodes() -> tuple[Plan, list[PlanNode], dict[str, PlanNode]]:
    plan = Plan.objects.get(municipality__slug="omitama")
    nodes = list(nodes_of(plan))
    return plan, nodes, {node.code: node for node in nodes}


def test_a_node_rolls_up_its_kpis_and_everything_under_it(samples):
    # 64 → 76 (2021–2027): 70 expected in 2024, 70 is on track; 8 → 14: 14 is met;
    # 経常収支比率 89.2 breaks 88.0以下; 住みよさランキング 380位 is behind the 377 expected.
    enter("omitama", "11:まちづくり組織認定団体数", 2024, "70")
    enter("omitama", "11:まちづくり組織ウェブサイト立ち上げ数", 2024, "14")
    enter("omitama", "14:経常収支比率", 2024, "89.2")
    enter("omitama", "16:住みよさランキング", 2024, "380")
    plan, nodes, by_code = omitama_nodes()
    summaries = selectors.plan_progress(plan, nodes)

    def counts(code):
        summary = summaries[by_code[code].pk]
        return summary.met, summary.on_track, summary.behind, summary.unrated

    assert counts("11") == (1, 1, 0, 1)  # 11:市民と行政が協働で運営する実行委員会数 has no actual
    assert counts("14") == (0, 0, 1, 2)
    assert counts("16") == (0, 0, 1, 3)
    assert counts("1101") == (0, 0, 0, 0)  # a 個別施策 without KPIs
    assert counts("1") == (1, 1, 2, 17)  # all 21 KPIs of 基本目標1
    assert counts("2") == (0, 0, 0, 0)
    assert summaries[by_code["1"].pk].with_actual == 4
    subtree = selectors.node_kpis(by_code["1"], []).progress
    assert (subtree.met, subtree.on_track, subtree.behind, subtree.unrated) == (1, 1, 2, 17)


def test_roll_up_and_kpi_reads_cost_the_same_on_a_sample_and_a_5010_node_plan(
    big_plan, samples, django_assert_num_queries
):
    big_nodes = list(nodes_of(big_plan))
    assert len(big_nodes) == 5010
    plan, nodes, by_code = omitama_nodes()
    for each_plan, each_nodes in [(plan, nodes), (big_plan, big_nodes)]:
        with django_assert_num_queries(1):  # every KPI with its values
            summaries = selectors.plan_progress(each_plan, each_nodes)
        with django_assert_num_queries(1):
            selectors.tree_progress(each_plan)
        root = each_nodes[0]
        # A node's KPIs up and down the tree with their values, the plan's grade bands.
        with django_assert_num_queries(2):
            subtree = selectors.node_kpis(root, []).progress
        assert subtree.counts == summaries[root.pk].counts
        with django_assert_num_queries(2):
            selectors.node_kpis(each_nodes[1], [root])
    # 20 基本施策 × 3 KPIs under each 基本目標; all 600 in the plan.
    assert summaries[big_nodes[0].pk].total == 60
    assert sum(summaries[n.pk].total for n in big_nodes if n.level == 0) == 600


def test_the_node_page_reads_the_same_kpis_as_a_query_of_their_own(samples):
    """The node page reads its KPIs as JSON with the node (one query for the page): the same
    KPIs, yearly values (Decimals with their places), verdicts and grades as their own query,
    for every node of the demo city (yearly actuals) and of a sample plan (no values)."""
    demo = build_demo_plan(slug="democity", name="デモ市（架空）", size=DemoSize())
    omitama = Plan.objects.get(municipality__slug="omitama")

    def shown(statuses):
        return [
            (
                s.indicator.pk,
                s.indicator.name,
                s.indicator.baseline_value,
                str(s.indicator.target_value),
                s.indicator.is_cumulative,
                s.indicator.url,
                [(v.fiscal_year, str(v.value), v.raw_text) for v in s.values],
                s.status,
                s.achievement,
                s.grade,
            )
            for s in statuses
        ]

    compared = 0
    for plan in (demo, omitama):
        for node in nodes_of(plan):
            page = plan_selectors.node_page(
                plan.municipality.slug, plan.slug, node.code or node.key
            )
            alone = selectors.node_kpis(page.node, page.ancestors)
            read, queried = page.kpis.around, alone.around
            assert shown(read.own) == shown(queried.own)
            assert shown(read.inherited) == shown(queried.inherited)
            assert read.owner == queried.owner
            assert page.kpis.progress.counts == alone.progress.counts
            compared += len(read.own)
    assert compared == Indicator.objects.filter(plan__in=(demo, omitama)).count()
