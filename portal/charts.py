"""A KPI's line chart drawn on the server as SVG: yearly actuals, the baseline and the target.

No JavaScript and no chart library: the page carries a few hundred bytes of SVG, and the same
numbers in a table next to it for screen readers and for print.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

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
    """The SVG of the chart, or an empty string when there are no numbers to draw.

    Built with f-strings: every number is a float or an int, every text goes through
    ``escape`` (format_html per element cost more than the rest of the KPI page).
    """
    if not data.points:
        return SafeString("")
    scale = Scale(data)
    unit = escape(data.unit)
    parts = [
        _grid(scale),
        _plan_line(data, scale, unit),
        _target_line(data, scale, unit),
        _actuals(data, scale, unit),
    ]
    title_id = escape(title_id)
    return SafeString(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>{"".join(parts)}</svg>'
    )


def _grid(scale: Scale) -> str:
    rows = []
    for v in scale.value_ticks():
        y = scale.y(v)
        rows.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">'
            f"{escape(_number(v))}</text>"
        )
    for year in scale.year_ticks():
        rows.append(
            f'<text class="tick" x="{scale.x(year)}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle">{year}</text>'
        )
    return "".join(rows)


def _plan_line(data: ChartData, scale: Scale, unit: str) -> str:
    """The straight line from baseline to target: where the KPI is expected each year."""
    if data.baseline is None or data.target is None:
        return ""
    b, t = data.baseline, data.target
    bx, by = scale.x(b.year), scale.y(b.value)
    label = escape(_("基準値"))
    return (
        f'<line class="plan-line" x1="{bx}" y1="{by}" x2="{scale.x(t.year)}" '
        f'y2="{scale.y(t.value)}"/>'
        f'<circle class="baseline" cx="{bx}" cy="{by}" r="5"><title>{label} '
        f"{b.year}: {escape(_number(b.value))}{unit}</title></circle>"
    )


def _target_line(data: ChartData, scale: Scale, unit: str) -> str:
    if data.target is None:
        return ""
    t = data.target
    y = scale.y(t.value)
    label = escape(_("目標"))
    return (
        f'<line class="target-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
        f'<text class="target-label" x="{WIDTH - RIGHT}" y="{y - 6}" text-anchor="end">'
        f"{label} {escape(_number(t.value))}{unit}</text>"
    )


def _actuals(data: ChartData, scale: Scale, unit: str) -> str:
    if not data.actuals:
        return ""
    points = [(p, scale.x(p.year), scale.y(p.value)) for p in data.actuals]
    coordinates = " ".join(f"{x},{y}" for _point, x, y in points)
    dots = "".join(
        f'<circle class="actual" cx="{x}" cy="{y}" r="4"><title>{p.year}: '
        f"{escape(_number(p.value))}{unit}</title></circle>"
        for p, x, y in points
    )
    return f'<polyline class="actual-line" points="{coordinates}"/>{dots}'
