"""The server-side SVG chart of a KPI: round ticks, an honest axis, a band for ≤ targets, text
that does not shrink with the screen (positions in percent, no viewBox on the outer SVG)."""

import re
from decimal import Decimal as D

import pytest
from django.utils import translation

from portal.charts import Axis, ChartData, Point, line_chart, nice_step, tick_label

BASELINE = Point(2021, D(64))
TARGET = Point(2027, D(76))


def chart(actuals, baseline=BASELINE, target=TARGET, **more):
    data = ChartData(actuals=actuals, baseline=baseline, target=target, unit="団体", **more)
    return line_chart(data, title_id="t1", title="まちづくり組織認定団体数の推移")


def test_chart_draws_each_actual_and_the_planned_line():
    svg = chart([Point(2022, D(66)), Point(2023, D(70))])
    assert svg.startswith('<svg class="chart" role="img" aria-labelledby="t1"')
    assert '<title id="t1">まちづくり組織認定団体数の推移</title>' in svg
    assert svg.count('class="actual"') == 2
    assert 'class="plan-line"' in svg and 'class="target-line"' in svg
    assert "目標 76団体" in svg and "2023: 70団体" in svg


def test_text_keeps_its_size_the_outer_svg_has_no_viewbox():
    svg = chart([Point(2022, D(66))])
    outer = svg[: svg.index(">")]
    assert "viewBox" not in outer and "width=" not in outer  # sized by CSS
    # Only the inner plot stretches, and its strokes do not.
    assert 'preserveAspectRatio="none"' in svg
    assert svg.count('vector-effect="non-scaling-stroke"') == svg.count("<line") + svg.count(
        "<polyline"
    )


def test_higher_values_are_drawn_higher():
    svg = chart([Point(2022, D(66)), Point(2023, D(70))])
    ys = [float(y) for y in re.findall(r'class="actual" cx="[\d.]+%" cy="([\d.]+)%"', svg)]
    assert ys[0] > ys[1]  # SVG y grows downwards


@pytest.mark.parametrize(
    ("span", "step"),
    # About four steps of 1, 2, 2.5 or 5 × 10ⁿ: 12 / 4 = 3 → 5; 3.7 / 4 = 0.925 → 1;
    # 1,340,715 / 4 ≈ 335,179 → 500,000; 0.8 / 4 = 0.2 → 0.2; 90 / 4 = 22.5 → 25.
    [("12", "5"), ("3.7", "1"), ("1340715", "500000"), ("0.8", "0.2"), ("90", "25")],
)
def test_round_steps(span, step):
    assert nice_step(D(span)) == D(step)


@pytest.mark.parametrize(
    ("values", "ticks", "from_zero"),
    [
        # まちづくり組織認定団体数 64 → 76: 64 is more than half of 76, so no zero; step 5.
        (["64", "76", "69"], ["60", "65", "70", "75", "80"], False),
        # 経常収支比率 85.5, 88.0以下, 89.2: step 1 from 85 to 90.
        (["85.5", "88.0", "89.2"], ["85", "86", "87", "88", "89", "90"], False),
        # 自主防災 0 → 90: counts from zero, step 25.
        (["0", "90", "40"], ["0", "25", "50", "75", "100"], True),
        # 待機児童 4 → 0 and 2: from zero; 4 / 4 = 1.
        (["4", "0", "2"], ["0", "1", "2", "3", "4"], True),
        # 人口社会増減率 −0.98 → −0.18: negative, zero within reach: −1.0 … 0 by 0.25.
        (["-0.98", "-0.18", "-0.5"], ["-1.00", "-0.75", "-0.50", "-0.25", "0.00"], True),
        # 転入超過人口 108 → 0, then −3: zero inside; 111 / 4 = 27.75 → step 50.
        (["108", "0", "-3"], ["-50", "0", "50", "100", "150"], True),
    ],
)
def test_axis_has_round_ticks_and_zero_where_it_matters(values, ticks, from_zero):
    axis = Axis.around([D(v) for v in values])
    assert axis.ticks() == [D(t) for t in ticks]
    assert axis.from_zero is from_zero


@pytest.mark.parametrize(
    ("value", "step", "language", "label"),
    [
        (D(3500000), D(500000), "ja", "350万"),
        (D(3500000), D(500000), "en", "3.5M"),
        (D(285000), D(100000), "ja", "28万"),  # 千円 figures: 285,000 → 28万 (step 10万)
        (D(250000000), D(50000000), "ja", "2.5億"),
        (D("87.5"), D("2.5"), "ja", "87.5"),
        (D(1500), D(500), "ja", "1,500"),
        (D("-0.75"), D("0.25"), "ja", "−0.75"),
    ],
)
def test_tick_labels_are_short(value, step, language, label):
    with translation.override(language):
        assert tick_label(value, step) == label


def test_a_ceiling_is_a_band_not_a_rising_line():
    """経常収支比率 85.5 → 88.0以下: shade at or under 88.0; no line from 85.5 up to 88."""
    svg = line_chart(
        ChartData(
            actuals=[Point(2024, D("89.2"))],
            baseline=Point(2021, D("85.5")),
            target=Point(2027, D("88.0")),
            unit="",
            limit="ceiling",
            target_text="88.0以下",
            plan_line=False,
        ),
        title_id="t",
        title="経常収支比率",
    )
    assert 'class="band"' in svg and 'class="plan-line"' not in svg
    assert "目標 88.0以下（網かけの範囲なら達成）" in svg
    band = re.search(r'class="band" x="0" y="([\d.]+)" width="1000" height="([\d.]+)"', svg)
    # Axis 85–90: 88 is 3/5 up, so the band runs from y = 400 down to the bottom (1000).
    assert (band.group(1), band.group(2)) == ("400.0", "600.0")
    assert svg.from_zero is False


def test_a_baseline_and_target_without_years_are_level_lines():
    """本庄市 prints no years: 82.31 → 85.00 drawn as levels behind the actuals."""
    svg = chart(
        [Point(2023, D("83.1")), Point(2024, D("83.65"))],
        baseline=Point(None, D("82.31")),
        target=Point(None, D("85.00")),
    )
    assert 'class="baseline-line"' in svg and 'class="target-line"' in svg
    assert 'class="plan-line"' not in svg and 'class="baseline"' not in svg
    assert ">基準値 82.31団体</text>" in svg
    assert re.findall(r'text-anchor="middle">(\d{4})<', svg) == ["2023", "2024"]


def test_many_years_are_labelled_sparsely():
    actuals = [Point(year, D(year - 2000)) for year in range(2013, 2028)]
    svg = chart(actuals, baseline=None, target=None)
    years = re.findall(r'text-anchor="middle">(\d{4})<', svg)
    assert years == ["2013", "2016", "2019", "2022", "2025"]  # 15 years, every third


def test_no_numbers_means_no_chart():
    assert chart([], baseline=None, target=None) == ""
    assert chart([], baseline=Point(None, D(1)), target=Point(None, D(2))) == ""


def test_chart_text_is_escaped():
    data = ChartData(actuals=[Point(2022, D(1))], baseline=None, target=None, unit="<b>")
    svg = line_chart(data, title_id="x", title="<script>")
    assert "<script>" not in svg and "<b>" not in svg
