"""Every public page runs a fixed number of queries: the same for a sample plan and for a
generated plan of 5,010 nodes with 600 KPIs (one query per table, no query per node)."""

from decimal import Decimal

import pytest
from django.db import transaction

from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.models import Plan, PlanNode

ROOTS, CHILDREN, LEAVES = 10, 20, 24  # 10 + 200 + 4,800 nodes


def _generated_roots() -> list[services.NodeSpec]:
    return [
        services.NodeSpec(
            key=f"{g}",
            code=f"{g}",
            title=f"基本目標{g} まちづくりの目標",
            sections=[("めざす姿", "誰もが安心して暮らせるまち")],
            children=[
                services.NodeSpec(
                    key=f"{g}-{p}",
                    code=f"{g}-{p}",
                    title=f"基本施策{g}-{p} 防災とまちづくり",
                    sections=[("現況と課題", "防災意識の向上が求められています。")],
                    sdg_goals=[11],
                    children=[
                        services.NodeSpec(
                            key=f"{g}-{p}-{i}", code=f"{g}-{p}-{i}", title=f"個別施策{i} 子育て支援"
                        )
                        for i in range(1, LEAVES + 1)
                    ],
                )
                for p in range(1, CHILDREN + 1)
            ],
        )
        for g in range(1, ROOTS + 1)
    ]


@pytest.fixture(scope="module")
def big_plan(sample_plans, django_db_blocker):
    """A published 5,010-node plan; each 基本施策 has three KPIs with two yearly values."""
    with django_db_blocker.unblock(), transaction.atomic():
        municipality = services.municipality_create(
            name="大規模市", prefecture="東京都", slug="bigcity"
        )
        plan = services.plan_create(
            municipality=municipality,
            title="総合計画",
            slug="5000",
            first_fiscal_year=2023,
            last_fiscal_year=2027,
            level_names=["基本目標", "基本施策", "個別施策"],
            status=Plan.Status.PUBLISHED,
        )
        services.nodes_bulk_create(plan=plan, roots=_generated_roots())
        policies = PlanNode.objects.filter(plan=plan, level=1)
        indicators = Indicator.objects.bulk_create(
            Indicator(
                plan=plan,
                node=node,
                key=f"{node.code}:{n}",
                name=f"防災訓練の参加者数{n}",
                unit="人",
                baseline_value=Decimal(100),
                baseline_year=2021,
                target_value=Decimal(200),
                target_year=2027,
                order=n,
            )
            for node in policies
            for n in range(3)
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=i, fiscal_year=year, value=Decimal(120 + year - 2022))
            for i in indicators
            for year in (2022, 2023)
        )
    assert PlanNode.objects.filter(plan=plan).count() == 5010
    return plan


def kpi_url(slug: str, code: str) -> str:
    kpi = Indicator.objects.filter(plan__municipality__slug=slug, node__code=code).first()
    return kpi.get_absolute_url()


PAGES = {
    # page: (expected queries, sample URL, generated-plan URL)
    "home": (1, "/", "/"),
    "municipality": (1, "/omitama/", "/bigcity/"),
    "plan": (6, "/omitama/2023/", "/bigcity/5000/"),
    "plan filtered by SDG": (6, "/omitama/2023/?sdg=11", "/bigcity/5000/?sdg=11"),
    # node: one row, the node with its plan, sections, SDGs, grade bands, ancestors and
    # children, references, its KPIs, those it serves and those under it (issue 14)
    "node with KPIs and children": (1, "/omitama/2023/11/", "/bigcity/5000/1-1/"),
    "measure under a node with KPIs": (1, "/omitama/2023/1101/", "/bigcity/5000/1-1-1/"),
    # search: node ids, nodes with their sections (one query since issue 12's row reads),
    # KPI ids, KPIs, SDGs; a place adds its municipalities, a plan the plan
    "search": (5, "/search/?q=防災", "/search/?q=防災"),
    "search in a prefecture": (
        6,
        "/search/?q=子育て&pref=茨城県",
        "/search/?q=子育て&pref=東京都",
    ),
    "search in one plan": (
        7,
        "/search/?q=子育て&plan=omitama/2023",
        "/search/?q=子育て&plan=bigcity/5000",
    ),
}


# What each page must show, written from the sample texts and from the generator above:
# 10 goals × 20 policies × 24 measures; every policy titled "… 防災とまちづくり" with three KPIs
# and the SDG 11; every measure titled "個別施策N 子育て支援".
SHOWN = {
    ("home", "sample"): ['href="/omitama/"', 'href="/bigcity/"'],
    ("home", "generated"): ['href="/omitama/"', 'href="/bigcity/"'],
    ("municipality", "sample"): ["第2次小美玉市総合計画 後期基本計画", 'href="/omitama/2023/"'],
    ("municipality", "generated"): ["大規模市", 'href="/bigcity/5000/"'],
    # 小美玉市: 3 基本目標, 16 基本施策, 76 個別施策 (the sample text's tables of contents).
    ("plan", "sample"): [('class="node-link"', 95), "基本目標 → 基本施策 → 個別施策"],
    ("plan", "generated"): [('class="node-link"', 5010)],
    ("plan filtered by SDG", "sample"): ["SDGs 11"],
    ("plan filtered by SDG", "generated"): ["関係する項目: 200件"],
    # 基本施策11 of 小美玉市: three KPIs, five 個別施策 (omitama_goal1.txt).
    ("node with KPIs and children", "sample"): ["成果指標（3件）", "個別施策（5件）"],
    ("node with KPIs and children", "generated"): ["成果指標（3件）", "個別施策（24件）"],
    ("measure under a node with KPIs", "sample"): ["1101"],
    ("measure under a node with KPIs", "generated"): ["個別施策1 子育て支援"],
    # 200 generated policies alone match 防災: more than the 20 results a page lists.
    ("search", "sample"): ['href="/bigcity/5000/1-1/"', "1〜20件目を表示しています", "次の20件"],
    ("search", "generated"): ['href="/bigcity/5000/1-1/"', "1〜20件目を表示しています", "次の20件"],
    ("search in a prefecture", "sample"): ['href="/omitama/2023/1503/"'],
    # 4,800 measures match: the count stops at 1,000.
    ("search in a prefecture", "generated"): ["「子育て」の検索結果: 項目 1,000件以上"],
    ("search in one plan", "sample"): ['href="/omitama/2023/1503/"'],
    ("search in one plan", "generated"): ["「子育て」の検索結果: 項目 1,000件以上"],
}
NOT_SHOWN = {
    ("search in a prefecture", "sample"): "/bigcity/",
    ("search in a prefecture", "generated"): "/omitama/",
    ("search in one plan", "sample"): "/bigcity/",
    ("search in one plan", "generated"): "/omitama/",
}


@pytest.mark.parametrize("size", ["sample", "generated"])
@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_the_plan(
    page, size, big_plan, db, client, django_assert_num_queries
):
    """The page costs exactly the same number of queries on the sample and the 5,010-node plan,
    and shows what it is for."""
    expected, sample_url, generated_url = PAGES[page]
    url = sample_url if size == "sample" else generated_url
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for shown in SHOWN[page, size]:
        if isinstance(shown, tuple):
            assert html.count(shown[0]) == shown[1], shown
        else:
            assert shown in html
    results = html.split('id="node-results-heading"', 1)[-1]
    if (page, size) in NOT_SHOWN:
        assert NOT_SHOWN[page, size] not in results


@pytest.mark.parametrize(
    ("slug", "code", "name"),
    [("omitama", "11", "まちづくり組織認定団体数"), ("bigcity", "1-1", "防災訓練の参加者数0")],
)
def test_indicator_page_query_count(
    slug, code, name, big_plan, db, client, django_assert_num_queries
):
    """A KPI page: plan, KPI with its yearly values, the plan's grade bands, node with its
    breadcrumb — four queries."""
    url = kpi_url(slug, code)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert f"<h1>{name}</h1>" in response.content.decode()


def test_generated_plan_page_lists_every_node(big_plan, db, client):
    """The 5,010-node plan page really renders the whole tree (no silent truncation)."""
    html = client.get("/bigcity/5000/").content.decode()
    assert html.count('class="node-link"') == 5010
