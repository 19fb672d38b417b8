"""The KPI page and the KPI table once yearly actuals exist (added through the ORM)."""

import re
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.usefixtures("samples")


@pytest.fixture
def groups_kpi():
    """まちづくり組織認定団体数: 64団体 (令和3年度) → 76団体 (令和9年度), plus two actuals."""
    kpi = Indicator.objects.get(plan__municipality__slug="omitama", name="まちづくり組織認定団体数")
    IndicatorValue.objects.create(indicator=kpi, fiscal_year=2022, value=66, raw_text="66団体")
    IndicatorValue.objects.create(indicator=kpi, fiscal_year=2023, value=70, raw_text="70団体")
    return kpi


def test_kpi_page_shows_definition_values_chart_and_the_same_data_as_a_table(client, groups_kpi):
    """Baseline → target with years, the latest actual, achievement in text, SVG and table."""
    html = client.get(groups_kpi.get_absolute_url()).content.decode()
    assert "<h1>まちづくり組織認定団体数</h1>" in html
    assert "令和3年度 (2021)" in html and "令和9年度 (2027)" in html
    assert html.count('class="actual"') == 2  # two dots in the SVG
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>", html)
    assert [year for year, _ in rows] == [
        "令和3年度 (2021)",
        "令和4年度 (2022)",
        "令和5年度 (2023)",
        "令和9年度 (2027)",
    ]
    assert [kind for _, kind in rows] == ["基準値", "実績値", "実績値", "目標値"]
    # (70 − 64) / (76 − 64) = 50 %; the straight line expects 68 in 2023, so on track.
    assert "達成率 50.0%" in html and "順調" in html


def test_node_kpi_table_shows_the_latest_actual_and_progress(client, groups_kpi):
    html = client.get("/omitama/2023/11/").content.decode()
    assert '<span class="num">70</span><span class="unit">団体</span><br>' in html
    assert "令和5年度 (2023)" in html and "達成率 50.0%" in html


def test_plan_page_counts_kpis_with_actuals_per_top_level_node(client, groups_kpi):
    """基本目標1 has 21 KPIs; 70 団体 in 2023 is on the line (68 expected): one 順調."""
    html = client.get("/omitama/2023/").content.decode()
    assert "成果指標 21件: 達成 0・順調 1・遅れ 0・未評価 20" in html


def test_achievement_is_relative_to_the_baseline_when_less_is_better(client, groups_kpi):
    """100 → 80 with an actual of 90 is 50 % of the way; the comparator typed without a printed
    word is shown as 以下."""
    kpi = Indicator.objects.create(
        plan=groups_kpi.plan,
        node=groups_kpi.node,
        key="test:down",
        name="待機児童数",
        unit="人",
        baseline_value=Decimal(100),
        baseline_year=2021,
        target_value=Decimal(80),
        target_year=2027,
        comparator="lte",
        order=9,
    )
    IndicatorValue.objects.create(indicator=kpi, fiscal_year=2023, value=90)
    html = client.get(kpi.get_absolute_url()).content.decode()
    assert "達成率 50.0%" in html
    assert '<span class="unit">人</span> <span class="comparator">以下</span>' in html


def test_a_year_without_a_value_shows_a_dash_not_zero(client, groups_kpi):
    IndicatorValue.objects.create(indicator=groups_kpi, fiscal_year=2024, value=None, raw_text="—")
    html = client.get(groups_kpi.get_absolute_url()).content.decode()
    row = re.search(r"令和6年度 \(2024\)</th><td>実績値</td><td>(.*?)</td>", html).group(1)
    assert "—" in row and ">0<" not in row
    assert "70団体" in re.sub(r"<[^>]+>", "", html)  # the latest number stays 2023's
