"""A KPI's line chart drawn on the server as SVG: yearly actuals, the baseline and the target.

No JavaScript and no chart library: the page carries a few hundred bytes of SVG, and the same
numbers in a table next to it for screen readers and for print.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 20, 44
TICKS = 4


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal


@dataclass(frozen=True)
class ChartData:
    actuals: list[Point]
    baseline: Point | None
    target: Point | None
    unit: str = ""

    @property
    def points(self) -> list[Point]:
        return [p for p in (self.baseline, *self.actuals, self.target) if p is not None]


def _number(value: Decimal) -> str:
    """A short axis label: thousands separated, at most two decimals, no trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Scale:
    """Maps fiscal years to x and values to y inside the plotting area."""

    def __init__(self, data: ChartData):
        years = [p.year for p in data.points]
        values = [p.value for p in data.points]
        self.first, self.last = min(years), max(years)
        low, high = min(values), max(values)
        pad = (high - low) * Decimal("0.1") or abs(high) * Decimal("0.1") or Decimal(1)
        # Pad by a tenth, but do not push a non-negative axis below zero.
        self.low = max(low - pad, Decimal(0)) if low >= 0 else low - pad
        self.high = high + pad

    def x(self, year: int) -> float:
        span = (self.last - self.first) or 1
        offset = (year - self.first) if self.last != self.first else 0.5
        return round(LEFT + (WIDTH - LEFT - RIGHT) * offset / span, 1)

    def y(self, value: Decimal) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(float(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * share), 1)

    def value_ticks(self) -> list[Decimal]:
        step = (self.high - self.low) / TICKS
        return [self.low + step * i for i in range(TICKS + 1)]

    def year_ticks(self) -> list[int]:
        years = list(range(self.first, self.last + 1))
        stride = max(1, len(years) // 8)
        return years[::stride]


def line_chart(data: ChartData, *, title_id: str, title: str) -> SafeString:
    """The SVG of the chart, or an empty string when there are no numbers to draw."""
    if not data.points:
        return SafeString("")
    scale = Scale(data)
    parts = [
        _grid(scale),
        _plan_line(data, scale),
        _target_line(data, scale),
        _actuals(data, scale),
    ]
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        title_id,
        title,
        SafeString("".join(parts)),
    )


def _grid(scale: Scale) -> str:
    rows = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, scale.y(v), scale.y(v), LEFT - 6, scale.y(v) + 4, _number(v))
            for v in scale.value_ticks()
        ),
    )
    columns = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((scale.x(year), HEIGHT - BOTTOM + 18, year) for year in scale.year_ticks()),
    )
    return rows + columns


def _plan_line(data: ChartData, scale: Scale) -> str:
    """The straight line from baseline to target: where the KPI is expected each year."""
    if data.baseline is None or data.target is None:
        return ""
    b, t = data.baseline, data.target
    return format_html(
        '<line class="plan-line" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<circle class="baseline" cx="{}" cy="{}" r="5"><title>{} {}: {}{}</title></circle>',
        scale.x(b.year),
        scale.y(b.value),
        scale.x(t.year),
        scale.y(t.value),
        scale.x(b.year),
        scale.y(b.value),
        _("基準値"),
        b.year,
        _number(b.value),
        data.unit,
    )


def _target_line(data: ChartData, scale: Scale) -> str:
    if data.target is None:
        return ""
    t = data.target
    y = scale.y(t.value)
    return format_html(
        '<line class="target-line" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="target-label" x="{}" y="{}" text-anchor="end">{} {}{}</text>',
        LEFT,
        WIDTH - RIGHT,
        y,
        y,
        WIDTH - RIGHT,
        y - 6,
        _("目標"),
        _number(t.value),
        data.unit,
    )


def _actuals(data: ChartData, scale: Scale) -> str:
    if not data.actuals:
        return ""
    coordinates = " ".join(f"{scale.x(p.year)},{scale.y(p.value)}" for p in data.actuals)
    dots = format_html_join(
        "",
        '<circle class="actual" cx="{}" cy="{}" r="4"><title>{}: {}{}</title></circle>',
        (
            (scale.x(p.year), scale.y(p.value), p.year, _number(p.value), data.unit)
            for p in data.actuals
        ),
    )
    return format_html('<polyline class="actual-line" points="{}"/>', coordinates) + dots
