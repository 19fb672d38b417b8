"""Achievement is measured from the baseline toward the target, in either direction."""

from decimal import Decimal as D

import pytest

from indicators.progress import achievement, expected_value, grade, is_on_track, is_target_met


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "percent"),
    [
        (D("82.31"), D("85.00"), D("85.00"), D("100.0")),  # 自治会の加入率: reached
        (D("82.31"), D("85.00"), D("82.31"), D("0.0")),  # no change yet
        (D("475"), D("470"), D("472"), D("60.0")),  # 刑法犯認知件数: less is better
        (D("475"), D("470"), D("480"), D("-100.0")),  # worse than the baseline: negative
        (D("184"), D("180"), D("176"), D("200.0")),  # beyond the target
    ],
)
def test_achievement_relative_to_baseline(baseline, target, actual, percent):
    assert achievement(baseline=baseline, target=target, actual=actual) == percent


def test_decrease_is_not_flattered_by_dividing_by_target():
    """actual/target would call 480 of 470 "102 %"; from the baseline it is a step backwards."""
    assert achievement(baseline=D(475), target=D(470), actual=D(480)) < 0


@pytest.mark.parametrize("missing", ["baseline", "target", "actual"])
def test_achievement_unknown_without_a_value(missing):
    values = {"baseline": D(1), "target": D(2), "actual": D(3)} | {missing: None}
    assert achievement(**values) is None


def test_achievement_unknown_when_target_equals_baseline():
    assert achievement(baseline=D(5), target=D(5), actual=D(6)) is None


@pytest.mark.parametrize(
    ("comparator", "baseline", "target", "actual", "met"),
    [
        ("lte", D("95.0"), D("92.7"), D("92.7"), True),  # 92.7 %以内
        ("lte", D("95.0"), D("92.7"), D("92.8"), False),
        ("gte", D("843"), D("1900"), D("1900"), True),
        ("stay", D("0"), None, D("0"), True),  # 0 人(移動均衡) held
        ("stay", D("0"), None, D("-1"), False),
        ("", D("475"), D("470"), D("469"), True),  # decreasing target without comparator
        ("", D("43"), D("50"), None, None),
    ],
)
def test_target_met_by_comparator(comparator, baseline, target, actual, met):
    assert (
        is_target_met(comparator=comparator, baseline=baseline, target=target, actual=actual) == met
    )


def test_expected_value_on_the_straight_line_and_on_track():
    line = {"baseline": D(43), "baseline_year": 2021, "target": D(50), "target_year": 2027}
    assert expected_value(**line, fiscal_year=2024) == D("46.5")
    assert is_on_track(**line, fiscal_year=2024, actual=D("46.5")) is True
    assert is_on_track(**line, fiscal_year=2024, actual=D("46")) is False
    falling = {"baseline": D(475), "baseline_year": 2021, "target": D(469), "target_year": 2027}
    assert is_on_track(**falling, fiscal_year=2024, actual=D(471)) is True


@pytest.mark.parametrize(
    ("percent", "label"),
    [(D(120), "S"), (D(110), "S"), (D(100), "A"), (D(69.9), "C"), (D(-5), "D"), (None, "")],
)
def test_grade_bands(percent, label):
    assert grade(percent) == label
