"""The server-side SVG chart of a KPI: actuals, the baseline → target line, the target."""

import re
from decimal import Decimal

from portal.charts import ChartData, Point, line_chart

BASELINE = Point(2021, Decimal(64))
TARGET = Point(2027, Decimal(76))


def chart(actuals, baseline=BASELINE, target=TARGET):
    data = ChartData(actuals=actuals, baseline=baseline, target=target, unit="団体")
    return line_chart(data, title_id="t1", title="まちづくり組織認定団体数の推移")


def test_chart_draws_each_actual_and_the_planned_line():
    svg = chart([Point(2022, Decimal(66)), Point(2023, Decimal(70))])
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="t1"' in svg
    assert '<title id="t1">まちづくり組織認定団体数の推移</title>' in svg
    assert svg.count('class="actual"') == 2
    assert 'class="plan-line"' in svg and 'class="target-line"' in svg
    assert "目標 76団体" in svg and "2023: 70団体" in svg


def test_higher_values_are_drawn_higher():
    svg = chart([Point(2022, Decimal(66)), Point(2023, Decimal(70))])
    ys = [float(y) for y in re.findall(r'class="actual" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[0] > ys[1]  # SVG y grows downwards


def test_a_decreasing_target_and_a_single_year_still_draw():
    svg = chart([], baseline=Point(2021, Decimal(88)), target=Point(2021, Decimal(80)))
    assert 'class="plan-line"' in svg and 'class="actual"' not in svg


def test_no_numbers_means_no_chart():
    assert chart([], baseline=None, target=None) == ""


def test_chart_text_is_escaped():
    data = ChartData(actuals=[Point(2022, Decimal(1))], baseline=None, target=None, unit="<b>")
    svg = line_chart(data, title_id="x", title="<script>")
    assert "<script>" not in svg and "<b>" not in svg
