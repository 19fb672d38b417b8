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
