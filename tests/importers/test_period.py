"""period: the plan period a text states, or none."""

import pytest

from importers.parsing.model import Line
from importers.parsing.period import period_in, stated_period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("計画期間 令和5年度〜令和9年度", (2023, 2027)),
        ("計画期間:令和5(2023)年度から令和9(2027)年度まで", (2023, 2027)),
        ("第2次総合計画 後期基本計画(2023-2027)", (2023, 2027)),
        ("平成28年度から5年間", (2016, 2020)),
        ("人口は2050年に2万人まで減少", (None, None)),
        ("2020〜2045年度の推計", (None, None)),  # 25 years: no plan period
    ],
)
def test_periods(text, period):
    assert period_in(text) == period


def test_a_period_line_may_give_only_the_start():
    assert period_in("計画期間は令和6年度からとします", allow_open=True) == (2024, None)


def test_a_sentence_about_years_is_no_period():
    lines = [Line(1, "本市の人口は2020年から2025年まで減少しました。"), Line(2, "1. まち")]
    assert stated_period(lines) == (None, None, 0)
    lines.append(Line(3, "計画期間 令和6年度〜令和10年度"))
    assert stated_period(lines) == (2024, 2028, 3)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # A range may be one year, and spans at most 12 years (2021〜2032 is twelve).
        ("計画期間 令和6年度〜令和6年度", (2024, 2024)),
        ("計画期間 2021〜2032年度", (2021, 2032)),
        ("計画期間 2020〜2032年度", (None, None)),
        # A length counts only after the start, from one year up to twelve.
        ("令和6年度から1年間", (2024, 2024)),
        ("令和6年度から12年間", (2024, 2035)),
        ("令和6年度から0年間", (None, None)),
        ("令和6年度から13年間", (None, None)),
        ("5年間で見直す計画を、平成28年度から実施", (None, None)),
        # Years are read between 1950 and 2100.
        ("1950年度〜1955年度", (1950, 1955)),
        ("1949年度〜1955年度", (None, None)),
        ("令和78年度〜令和82年度", (2096, 2100)),
        ("令和79年度〜令和83年度", (None, None)),
    ],
)
def test_period_bounds(text, period):
    assert period_in(text) == period


def test_only_a_period_line_may_leave_the_end_open():
    """「計画期間 令和6年度から」 gives an open end; a title that only starts a year does not."""
    assert stated_period([Line(1, "計画期間 令和6年度から")]) == (2024, None, 1)
    assert stated_period([Line(1, "第3次総合計画(令和6年度から)")]) == (None, None, 0)
