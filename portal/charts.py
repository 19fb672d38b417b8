"""A KPI's line chart drawn on the server as SVG: yearly actuals, the baseline and the target.

No JavaScript and no chart library: the page carries a few hundred bytes of SVG, and the same
numbers in a table next to it for screen readers and for print.

The chart is responsive without scaling its text: the outer SVG has no viewBox, so its text is
sized by CSS in rem (readable at 360 px and larger with the reader's text size), and every
position is a percentage of its box. Only the lines sit in an inner SVG stretched to the plot
area (``preserveAspectRatio="none"``, strokes not scaled). The value axis has round ticks and
starts at zero unless zero is far below the figures; then the chart says so. A ≤ target (以下,
以内) is a band to stay in, not a line to climb; a ≥ target the baseline already reaches is a
band above. Built with f-strings: every number is formatted here, every text goes through
``escape``.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The plot area in percent of the chart's box: room on the left for the value labels, at the
# bottom for the years, at the top for the target's label.
LEFT, RIGHT, TOP, BOTTOM = 17.0, 3.0, 9.0, 13.0
UNITS = 1000  # the inner SVG's viewBox: lines drawn in 0–1000 both ways
TICKS = 4  # about this many steps on the value axis
MAX_YEAR_LABELS = 6  # a 360 px screen holds six four-digit years
ZERO_REACH = Decimal("0.5")  # start at zero when the lowest figure is within half the highest


@dataclass(frozen=True)
class Point:
    year: int | None  # None: a baseline or target printed without a year
    value: Decimal


@dataclass(frozen=True)
class ChartData:
    actuals: list[Point]
    baseline: Point | None
    target: Point | None
    unit: str = ""
    limit: str = ""  # "ceiling": stay at or under the target; "floor": at or above
    target_text: str = ""  # the target as printed beside its label ("88.0以下")
    plan_line: bool = True  # draw the straight line from baseline to target

    @property
    def points(self) -> list[Point]:
        return [p for p in (self.baseline, *self.actuals, self.target) if p is not None]


def nice_step(span: Decimal, ticks: int = TICKS) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` steps."""
    if span <= 0:
        return Decimal(1)
    rough = span / ticks
    power = Decimal(10) ** math.floor(math.log10(rough))
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if rough <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop ends at 10


@dataclass
class Axis:
    """The value axis: round ends, round ticks, and whether it starts at zero."""

    low: Decimal
    high: Decimal
    step: Decimal
    from_zero: bool = field(init=False)

    def __post_init__(self):
        self.from_zero = self.low <= 0 <= self.high

    @classmethod
    def around(cls, values: list[Decimal]) -> "Axis":
        low, high = min(values), max(values)
        if low >= 0 and low <= high * ZERO_REACH:
            low = Decimal(0)  # the figures are counts or rates near zero: show where zero is
        elif high <= 0 and high >= low * ZERO_REACH:
            high = Decimal(0)
        if low == high:
            pad = abs(low) / 10 or Decimal(1)
            low, high = (low - pad, high + pad) if low != 0 else (low, high + pad)
        step = nice_step(high - low)
        start = math.floor(low / step) * step
        end = math.ceil(high / step) * step
        if low >= 0 and start < 0:
            start = Decimal(0)  # a rate or a count never dips below zero on its axis
        return cls(Decimal(start), Decimal(end), step)

    def ticks(self) -> list[Decimal]:
        count = int((self.high - self.low) / self.step)
        return [self.low + self.step * i for i in range(count + 1)]

    def share(self, value: Decimal) -> float:
        """0 at the bottom of the axis, 1 at the top."""
        return float((value - self.low) / (self.high - self.low))


def tick_label(value: Decimal, step: Decimal) -> str:
    """A short value label: 万/億 in Japanese (528万), K/M in English; decimals as the step."""
    magnitude = abs(value)
    if get_language() and get_language().startswith("ja"):
        units = ((Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "万"))
    else:
        units = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K"))
    for size, suffix in units:
        if magnitude >= size and step >= size / 10:
            return _plain(value / size, step / size) + suffix
    return _plain(value, step)


def _plain(value: Decimal, step: Decimal) -> str:
    places = max(0, -step.normalize().as_tuple().exponent)
    text = f"{abs(value):,.{places}f}"
    return f"−{text}" if value < 0 and text.strip("0.,") else text


def _number(value: Decimal) -> str:
    """A value as in the tooltips: thousands separated, at most two decimals."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


class Layout:
    """Where a year and a value fall, in percent of the chart's box and in inner units."""

    def __init__(self, data: ChartData, axis: Axis):
        years = [p.year for p in data.points if p.year is not None]
        self.first, self.last = (min(years), max(years)) if years else (0, 0)
        self.axis = axis

    def x_share(self, year: int) -> float:
        if self.last == self.first:
            return 0.5
        return (year - self.first) / (self.last - self.first)

    def x(self, year: int) -> str:
        return _pc(LEFT + (100 - LEFT - RIGHT) * self.x_share(year))

    def y(self, value: Decimal) -> str:
        return _pc(TOP + (100 - TOP - BOTTOM) * (1 - self.axis.share(value)))

    def ix(self, year: int) -> str:
        return f"{UNITS * self.x_share(year):.1f}"

    def iy(self, value: Decimal) -> str:
        return f"{UNITS * (1 - self.axis.share(value)):.1f}"

    def years(self) -> list[int]:
        if not self.first:
            return []
        years = list(range(self.first, self.last + 1))
        stride = math.ceil(len(years) / MAX_YEAR_LABELS)
        return years[::stride]


def _pc(number: float) -> str:
    return f"{number:.2f}%"


class ChartSvg(SafeString):
    """The chart's SVG, and whether its value axis starts at zero (``from_zero``): when it does
    not, the page says so beside the chart."""

    from_zero = True


def line_chart(data: ChartData, *, title_id: str, title: str, lang: str = "") -> ChartSvg:
    """The SVG of the chart, or an empty string when there is nothing to draw over years.

    ``lang`` (`` lang="ja"``) marks the plan's words in the labels on a page in another
    language."""
    if not data.points or not any(p.year is not None for p in data.points):
        return ChartSvg("")
    axis = Axis.around([p.value for p in data.points])
    layout = Layout(data, axis)
    unit = escape(data.unit)
    inner = "".join([_band(data, layout), _grid(axis, layout), _lines(data, layout)])
    parts = [
        f'<svg class="plot" x="{_pc(LEFT)}" y="{_pc(TOP)}" width="{_pc(100 - LEFT - RIGHT)}" '
        f'height="{_pc(100 - TOP - BOTTOM)}" viewBox="0 0 {UNITS} {UNITS}" '
        f'preserveAspectRatio="none" overflow="visible">{inner}</svg>',
        _labels(axis, layout),
        _target_label(data, layout, lang),
        _baseline_label(data, layout, lang),
        _dots(data, layout, unit),
    ]
    title_id = escape(title_id)
    svg = ChartSvg(
        f'<svg class="chart" role="img" aria-labelledby="{title_id}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">{escape(title)}</title>'
        f"{''.join(parts)}</svg>"
    )
    svg.from_zero = axis.from_zero
    return svg


def _line(css: str, x1, y1, x2, y2) -> str:
    return (
        f'<line class="{css}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
        'vector-effect="non-scaling-stroke"/>'
    )


def _grid(axis: Axis, layout: Layout) -> str:
    rows = []
    for value in axis.ticks():
        css = "grid zero" if value == 0 and axis.low < 0 else "grid"
        rows.append(_line(css, 0, layout.iy(value), UNITS, layout.iy(value)))
    return "".join(rows)


def _band(data: ChartData, layout: Layout) -> str:
    """The range a ≤ (or ≥) target asks to stay in, shaded from the target to the axis end."""
    if not data.limit or data.target is None:
        return ""
    edge = float(layout.iy(data.target.value))
    top, bottom = (edge, UNITS) if data.limit == "ceiling" else (0, edge)
    return (
        f'<rect class="band" x="0" y="{top:.1f}" width="{UNITS}" '
        f'height="{max(bottom - top, 0):.1f}"/>'
    )


def _lines(data: ChartData, layout: Layout) -> str:
    parts = []
    b, t = data.baseline, data.target
    if data.plan_line and b and t and b.year is not None and t.year is not None:
        parts.append(_line("plan-line", layout.ix(b.year), layout.iy(b.value),
                           layout.ix(t.year), layout.iy(t.value)))  # fmt: skip
    for point, css in ((b, "baseline-line"), (t, "target-line")):
        if point is not None and (point.year is None or point is t):
            parts.append(_line(css, 0, layout.iy(point.value), UNITS, layout.iy(point.value)))
    actuals = [p for p in data.actuals if p.year is not None]
    if len(actuals) > 1:
        coordinates = " ".join(f"{layout.ix(p.year)},{layout.iy(p.value)}" for p in actuals)
        parts.append(
            f'<polyline class="actual-line" points="{coordinates}" '
            'vector-effect="non-scaling-stroke"/>'
        )
    return "".join(parts)


def _labels(axis: Axis, layout: Layout) -> str:
    rows = [
        f'<text class="tick" x="{_pc(LEFT - 1.5)}" y="{layout.y(v)}" dy="0.35em" '
        f'text-anchor="end">{escape(tick_label(v, axis.step))}</text>'
        for v in axis.ticks()
    ]
    rows.extend(
        f'<text class="tick" x="{layout.x(year)}" y="{_pc(100 - BOTTOM / 4)}" '
        f'text-anchor="middle">{year}</text>'
        for year in layout.years()
    )
    return "".join(rows)


def _target_label(data: ChartData, layout: Layout, lang: str) -> str:
    if data.target is None:
        return ""
    text = data.target_text or f"{_number(data.target.value)}{data.unit}"
    if data.limit:
        label = _label(_("目標 %(target)s（網かけの範囲なら達成）"), "target", text, lang)
    else:
        label = _label(_("目標 %(target)s"), "target", text, lang)
    below = data.limit == "floor"
    return (
        f'<text class="target-label" x="{_pc(100 - RIGHT)}" y="{layout.y(data.target.value)}" '
        f'dy="{"1.2em" if below else "-0.45em"}" text-anchor="end">{label}</text>'
    )


def _label(template: str, name: str, words: str, lang: str) -> str:
    """A translated label with the plan's ``words`` in it (in a tspan of their language)."""
    inserted = f"<tspan{lang}>{escape(words)}</tspan>" if lang else escape(words)
    return escape(template) % {name: inserted}


def _baseline_label(data: ChartData, layout: Layout, lang: str) -> str:
    """A baseline printed without a year is a level line: say what it is."""
    b = data.baseline
    if b is None or b.year is not None:
        return ""
    label = _label(_("基準値 %(baseline)s"), "baseline", f"{_number(b.value)}{data.unit}", lang)
    return (
        f'<text class="baseline-label" x="{_pc(LEFT + 1)}" y="{layout.y(b.value)}" '
        f'dy="-0.45em">{label}</text>'
    )


def _dots(data: ChartData, layout: Layout, unit: str) -> str:
    parts = []
    b = data.baseline
    if b is not None and b.year is not None:
        label = escape(_("基準値"))
        parts.append(
            f'<circle class="baseline" cx="{layout.x(b.year)}" cy="{layout.y(b.value)}" r="5">'
            f"<title>{label} {b.year}: {escape(_number(b.value))}{unit}</title></circle>"
        )
    parts.extend(
        f'<circle class="actual" cx="{layout.x(p.year)}" cy="{layout.y(p.value)}" r="4">'
        f"<title>{p.year}: {escape(_number(p.value))}{unit}</title></circle>"
        for p in data.actuals
        if p.year is not None
    )
    return "".join(parts)
