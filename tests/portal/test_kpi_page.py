"""The KPI page tells the truth about real sample KPIs: the comparator as printed (以内 is not
以下), the qualifier 移動均衡, a ceiling drawn as a band and judged met or not, the plan line's
value beside each actual; and the public 更新履歴."""

import re
from decimal import Decimal as D

from django.contrib.auth.models import User

from indicators import services
from indicators.models import Indicator, KpiSettings
from plans.tenancy import SYSTEM


def kpi(municipality: str, key: str) -> Indicator:
    return Indicator.objects.select_related("plan__municipality").get(
        plan__municipality__slug=municipality, key=key
    )


def enter(indicator, year, value, user=None, note=""):
    services.yearly_values_save(
        actor=user or SYSTEM,
        plan=indicator.plan,
        fiscal_year=year,
        entries=[services.YearlyEntry(indicator.pk, D(value), note=note)],
    )


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_comparator_as_printed_and_the_qualifier(client, samples):
    """本庄市 prints 「92.7 %以内」 and 「0 人(移動均衡)」."""
    html = client.get(kpi("honjo", "6-5:経常収支比率").get_absolute_url()).content.decode()
    assert '<span class="comparator">以内</span>' in html and "以下・以内" not in html
    people = kpi("honjo", "6-5:20代・30代の転入超過人口")
    html = client.get(people.get_absolute_url()).content.decode()
    assert '<span class="unit">人</span> <span class="qualifier">（移動均衡）</span>' in html


def test_a_broken_ceiling_is_a_band_and_behind(client, samples):
    """小美玉市 経常収支比率 85.5 → 88.0以下 with 89.2: 遅れ by 1.2, a band, no plan line."""
    ratio = kpi("omitama", "14:経常収支比率")
    enter(ratio, 2024, "89.2")
    html = client.get(ratio.get_absolute_url()).content.decode()
    assert "遅れ 目標（88.0以下）を 1.2 外れています" in text(html)
    assert "達成率" not in text(html) and "評価 S" not in html
    assert 'class="band"' in html and 'class="plan-line"' not in html
    assert "網かけが目標を満たす範囲です" in html
    assert "縦軸は0から始まっていません。" in html  # 85–90 on the axis


def test_each_actual_beside_the_plan_line(client, samples):
    """64 → 76 団体 over 令和3→9年度: the line gives 66 in 2022 and 70 in 2024."""
    groups = kpi("omitama", "11:まちづくり組織認定団体数")
    enter(groups, 2022, "66")
    enter(groups, 2024, "69")
    html = client.get(groups.get_absolute_url()).content.decode()
    assert '<th scope="col">計画線上の値</th>' in html
    rows = re.findall(
        r'<tr><th scope="row">(令和\d+年度) \(\d{4}\)</th><td>実績値</td>.*?</td><td>(.*?)</td>',
        html,
    )
    assert [(year, text(cell)) for year, cell in rows] == [
        ("令和4年度", "66 団体"),
        ("令和6年度", "70 団体"),
    ]
    # 69 < 70: behind; (69 − 64) / 12 = 41.7 %, C.
    assert "達成率 41.7% 評価 C 遅れ" in text(html)


def test_no_plan_line_column_without_years(client, samples):
    """本庄市 prints no years: nothing to draw a line from."""
    rate = kpi("honjo", "5-1:自治会の加入率")
    enter(rate, 2024, "83.65")
    html = client.get(rate.get_absolute_url()).content.decode()
    assert "計画線上の値" not in html
    page = text(html)
    assert "達成率 49.8% 評価 C 未評価" in page
    assert "年度の記載がないため、順調か遅れかは判定できません" in page


def test_public_history_without_then_with_staff_names(client, samples, django_assert_num_queries):
    groups = kpi("omitama", "11:まちづくり組織認定団体数")
    staff = User.objects.create_user(
        "yamada", first_name="太郎", last_name="山田", is_staff=True, is_superuser=True
    )
    enter(groups, 2024, "69", staff, note="速報値")
    enter(groups, 2024, "70", staff, note="確定値")
    url = f"{groups.get_absolute_url()}history/"
    assert f'href="{url}"' in client.get(groups.get_absolute_url()).content.decode()
    with django_assert_num_queries(6):  # plan, KPI, bands, lineage, setting, history
        html = client.get(url).content.decode()
    page = text(html)
    assert "まちづくり組織認定団体数の更新履歴" in page
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, re.DOTALL)
    assert [text(row)[text(row).index("令和") :] for row in rows] == [
        "令和6年度 (2024) 変更 70 団体 確定値",
        "令和6年度 (2024) 追加 69 団体 速報値",
    ]
    assert "山田" not in html and "変更した職員の名前は表示していません。" in html
    KpiSettings.objects.create(plan=groups.plan, show_editor_names=True)
    html = client.get(url).content.decode()
    assert '<th scope="col">更新者</th>' in html and html.count("山田 太郎") == 2
