"""A plan's KPI dashboard: every KPI with its status, filters, sorts, counts per 基本目標, the CSV,
and a query count that is the same for a sample plan and a fictional plan of 5,010 nodes.

The actuals are entered here on 小美玉市's real KPIs (as staff would), and each status is worked
out by hand from the sample text (現状値 令和3年度 → 目標値 令和9年度)."""

import csv
import io
import re
from decimal import Decimal as D

import pytest
from django.db import transaction

from indicators import services
from indicators.demo import DemoSize, build_demo_plan
from indicators.models import Indicator
from plans.models import Plan, PlanNode
from plans.tenancy import SYSTEM

URL = "/omitama/2023/kpis/"
BIG = DemoSize(goals=10, policies=20, measures=24, kpis_per_policy=3)  # 5,010 nodes


@pytest.fixture(scope="module")
def big_plan(sample_plans, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        return build_demo_plan(slug="bigcity", name="大規模市（架空）", size=BIG)


@pytest.fixture
def entered(samples):
    """Four actuals for 令和6年度 (2024), whose statuses are, by hand:

    11 まちづくり組織認定団体数 64 → 76: 70 is on the line (64 + 12 × 3/6 = 70): 順調, 50.0 %.
    11 まちづくり組織ウェブサイト立ち上げ数 8 → 14: 14 reaches it: 達成, 100.0 %.
    14 経常収支比率 85.5 → 88.0以下: 89.2 breaks the ceiling: 遅れ, no percentage.
    16 住みよさランキング 454位 → 300位: 377 expected, 380 is behind: 遅れ, 74/154 = 48.1 %.
    The other 17 KPIs have no actual: 未評価.
    """
    plan = Plan.objects.get(municipality__slug="omitama")
    keys = {
        "11:まちづくり組織認定団体数": "70",
        "11:まちづくり組織ウェブサイト立ち上げ数": "14",
        "14:経常収支比率": "89.2",
        "16:住みよさランキング": "380",
    }
    ids = dict(Indicator.objects.filter(plan=plan).values_list("key", "pk"))
    services.yearly_values_save(
        actor=SYSTEM,
        plan=plan,
        fiscal_year=2024,
        entries=[services.YearlyEntry(ids[k], D(v)) for k, v in keys.items()],
    )
    return plan


def names(html: str) -> list[str]:
    table = html[html.index('class="kpi-table dashboard-table"') :]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', table)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_kpi_with_counts_per_goal(client, entered):
    html = client.get(URL).content.decode()
    assert len(names(html)) == 21
    page = text(html)
    assert "成果指標 21件: 達成 16" not in page  # the demo city is not on this page
    assert "成果指標 21件: 達成 1 順調 1 遅れ 2 未評価 17" in page
    # 基本目標1 holds all 21 KPIs; 基本目標2 … none, so no row for them.
    row = re.search(r"<tr><th scope=\"row\"><a [^>]+>1 (.*?)</tr>", html, re.DOTALL).group(0)
    assert [int(n) for n in re.findall(r'class="num">(\d+)<', row)] == [1, 1, 2, 17, 21]
    assert html.count('<tr><th scope="row"><a href="/omitama/2023/kpis/?goal=') == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=behind", ["経常収支比率", "住みよさランキング"]),  # in plan order: 14, 16
        ("status=met", ["まちづくり組織ウェブサイト立ち上げ数"]),
        ("status=on_track", ["まちづくり組織認定団体数"]),
        ("level=2", []),  # 小美玉市's KPIs hang on 基本施策 (level 1), none on 個別施策
    ],
)
def test_filters(client, entered, query, expected):
    html = client.get(f"{URL}?{query}").content.decode()
    assert (names(html) if expected else []) == expected
    if not expected:
        assert "条件に合う成果指標はありません。" in html


def test_an_unknown_filter_is_ignored(client, entered):
    assert len(names(client.get(f"{URL}?status=nonsense&level=x&goal=1e9").content.decode())) == 21


def test_sort_by_achievement(client, entered):
    """With a percentage, highest first (100.0, 50.0, 48.1); then the broken ceiling (no
    percentage); then the 17 without an actual."""
    shown = names(client.get(f"{URL}?sort=achievement").content.decode())
    assert shown[:4] == [
        "まちづくり組織ウェブサイト立ち上げ数",
        "まちづくり組織認定団体数",
        "住みよさランキング",
        "経常収支比率",
    ]
    assert len(shown) == 21


def test_goal_filter_and_level_filter(client, entered):
    goal = PlanNode.objects.get(plan=entered, code="1")
    assert len(names(client.get(f"{URL}?goal={goal.pk}&level=1").content.decode())) == 21
    other = PlanNode.objects.get(plan=entered, code="2")
    html = client.get(f"{URL}?goal={other.pk}").content.decode()
    assert "条件に合う成果指標はありません。" in html


def test_sort_by_update_date_puts_the_entered_first(client, entered):
    shown = names(client.get(f"{URL}?sort=updated").content.decode())
    assert set(shown[:4]) == {
        "まちづくり組織認定団体数",
        "まちづくり組織ウェブサイト立ち上げ数",
        "経常収支比率",
        "住みよさランキング",
    }


def test_csv_download_of_the_filtered_list(client, entered):
    response = client.get("/omitama/2023/kpis.csv?status=behind")
    assert response["Content-Disposition"] == 'attachment; filename="omitama-2023-kpis.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Japanese Excel opens it
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["基本目標", "項目", "指標名"]
    assert [(r[2], r[6], r[8], r[9], r[10]) for r in rows[1:]] == [
        ("経常収支比率", "89.2", "", "", "遅れ"),
        ("住みよさランキング", "380位", "48.1", "C", "遅れ"),
    ]


def test_the_demo_city_says_it_is_fictional(client, samples):
    build_demo_plan()
    html = client.get("/sample/2023/kpis/").content.decode()
    assert "サンプル市（架空）" in html and len(names(html)) == 40


@pytest.mark.parametrize("slug", ["omitama/2023", "bigcity/2023"])
def test_dashboard_queries_do_not_grow_with_the_plan(
    client, big_plan, samples, slug, django_assert_num_queries
):
    """Plan, nodes, KPIs with their values, grade bands — the same four on 21 KPIs and 95
    nodes as on 600 KPIs and 5,010 nodes."""
    with django_assert_num_queries(4):
        response = client.get(f"/{slug}/kpis/?sort=achievement")
    assert response.status_code == 200
