"""What a citizen reads about a KPI's progress: 達成率, the grade, and 達成 / 順調 / 遅れ / 未評価
with the sentence for a target that is no percentage, on the KPI page and in the plan page's
summary.

Every verdict below is worked out by hand from docs/DOMAIN.md: achievement is
(actual − baseline) / (target − baseline); a KPI is on track when its actual is at or beyond the
straight line from baseline to target in its year; a ceiling the baseline already satisfies is
met or not met, never a percentage; the default grades are S ≥ 110 %, A ≥ 100 %, B ≥ 70 %,
C ≥ 30 %, D below.

The words the pages use are in ``WORDS`` and ``progress_text``: rewording them is a one-line
edit here, while a wrong verdict fails.
"""

import re
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue
from plans import services

WORDS = {"met": "達成", "on track": "順調", "behind": "遅れ", "unrated": "未評価"}


def progress_text(percent: str, grade: str, verdict: str) -> str:
    """The 進み具合 of a KPI measured in percent: "達成率 50.0% 評価 C 順調"."""
    return f"達成率 {percent}% 評価 {grade} {WORDS[verdict]}"


# name: (baseline, baseline raw, target, target raw, comparator, actual year, actual, shown)
CASES = {
    # 64 → 76 団体 over 令和3→9年度 (6 years); the line in 令和5年度 is 64 + 12 × 2/6 = 68.
    # 70 ≥ 68: on track; (70 − 64) / (76 − 64) = 6/12 = 50.0 %: C.
    "on track": (
        "64",
        "64団体",
        "76",
        "76団体",
        "gte",
        2023,
        "70",
        progress_text("50.0", "C", "on track"),
    ),
    # 66 < 68: behind; 2/12 = 16.66… → 16.7 %: D.
    "behind": (
        "64",
        "64団体",
        "76",
        "76団体",
        "gte",
        2023,
        "66",
        progress_text("16.7", "D", "behind"),
    ),
    # 77 ≥ 76: met; 13/12 = 108.33… → 108.3 %: A.
    "met": ("64", "64団体", "76", "76団体", "gte", 2024, "77", progress_text("108.3", "A", "met")),
    # Fewer is better: 12 → 0 人; the line in 令和5年度 is 12 − 12 × 2/6 = 8. 9 > 8: behind;
    # (9 − 12) / (0 − 12) = 3/12 = 25.0 %: D (actual ÷ target would divide by zero).
    "fewer is better, behind": (
        "12",
        "12人",
        "0",
        "0人",
        "lte",
        2023,
        "9",
        progress_text("25.0", "D", "behind"),
    ),
    # A ceiling the baseline already meets (DOMAIN.md): 85.5, "88.0以下". 89.2 breaks it —
    # the percentage formula would say 148 % — so: behind by 89.2 − 88.0 = 1.2, and no
    # percentage, no grade.
    "ceiling broken": (
        "85.5",
        "85.5",
        "88.0",
        "88.0以下",
        "lte",
        2023,
        "89.2",
        f"{WORDS['behind']} 目標（88.0以下）を 1.2 外れています",
    ),
    # 87.0 stays under the ceiling with 88.0 − 87.0 = 1.0 to spare: met.
    "ceiling kept": (
        "85.5",
        "85.5",
        "88.0",
        "88.0以下",
        "lte",
        2023,
        "87.0",
        f"{WORDS['met']} 目標（88.0以下）の範囲内です（余裕 1.0）",
    ),
}


def add_kpi(plan, case: str) -> Indicator:
    baseline, baseline_raw, target, target_raw, comparator, year, actual, _ = CASES[case]
    node = services.node_create(plan=plan, title="市民協働の推進", key="11", code="11")
    kpi = Indicator.objects.create(
        plan=plan,
        node=node,
        key="11:1",
        name=f"検証用の指標（{case}）",
        unit="",
        baseline_value=Decimal(baseline),
        baseline_year=2021,
        baseline_raw=baseline_raw,
        target_value=Decimal(target),
        target_year=2027,
        target_raw=target_raw,
        comparator=comparator,
    )
    IndicatorValue.objects.create(
        indicator=kpi, fiscal_year=year, value=Decimal(actual), raw_text=actual
    )
    return kpi


def shown_progress(html: str) -> str:
    """The text of the KPI page's 進み具合, tags removed and spaces collapsed."""
    found = re.search(r"<dt>進み具合</dt>\s*<dd>(.*?)</dd>", html, re.DOTALL)
    assert found, "the KPI page has no 進み具合"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize("case", CASES)
def test_the_kpi_page_shows_the_verdict(client, plan, case):
    kpi = add_kpi(plan, case)
    html = client.get(kpi.get_absolute_url()).content.decode()
    assert shown_progress(html) == CASES[case][-1]


@pytest.mark.parametrize(
    ("case", "met", "on_track", "behind"),
    [("on track", 0, 1, 0), ("behind", 0, 0, 1), ("met", 1, 0, 0), ("ceiling broken", 0, 0, 1)],
)
def test_the_plan_page_counts_the_verdicts(client, plan, case, met, on_track, behind):
    """The plan page's line under each goal counts its KPIs in each of the four statuses."""
    add_kpi(plan, case)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert f"成果指標 1件: 達成 {met}・順調 {on_track}・遅れ {behind}・未評価 0" in html
