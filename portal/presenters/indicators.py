"""KPIs inside plan pages: the KPI tables of a node, progress per tree, KPI search, the chart.

The helpers hand data to the public pages' Jinja2 templates (``portal/jinja2/portal/``, parts in
``includes/``; ``portal/templating.py`` gives them their names there); the one that builds markup
in Python is ``indicator_chart``, and its docstring says why.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.translation import gettext_lazy

from indicators import progress

from .. import charts
from .. import kpi_selectors as selectors
from ..dashboard import STATUS_LABELS, STATUS_MESSAGES
from .plans import content_language, fiscal_year
from .words import word as _

NO_VALUE_TEXTS = ("—", "―", "-", "ー", "なし")
_DECIMALS = re.compile(r"\d[\d,]*\.(\d+)")


def number_text(value: Decimal, raw: str = "") -> str:
    """Thousands separated, with as many decimals as the printed text had (44.0 stays 44.0)."""
    match = _DECIMALS.search(raw or "")
    places = len(match.group(1)) if match else 0
    if not match and value != value.to_integral_value():
        places = len(str(value.normalize()).partition(".")[2])
    text = f"{abs(value):,.{places}f}"
    return f"−{text}" if value < 0 else text


def shows_as_printed(raw) -> bool:
    """Whether a value without a number is shown as printed (設置, 策定); "—" or なし are no
    value."""
    return bool(raw) and raw.strip() not in NO_VALUE_TEXTS


def comparator_word(indicator) -> str:
    """以上 / 以下 / 以内 / 未満 / 維持 as the plan printed it ("" when it prints none)."""
    return progress.printed_comparator(indicator.comparator, indicator.target_raw)


def qualifier(raw) -> str:
    """移動均衡 in ``0 人(移動均衡)``: words printed with a value, shown beside it."""
    return progress.qualifier(raw or "")


STATUS_WORDS = STATUS_LABELS
STATUS_CSS = {
    progress.Status.MET: "status-met",
    progress.Status.ON_TRACK: "status-on-track",
    progress.Status.BEHIND: "status-behind",
    progress.Status.UNRATED: "status-unrated",
}


def status_word(status) -> str:
    """達成 / 順調 / 遅れ / 未評価 for a Status (or its value, as in a query string)."""
    return str(STATUS_WORDS[progress.Status(status)])


def status_words() -> list[tuple[str, str]]:
    """(value, word) of the four statuses, in order: met, on track, behind, unrated."""
    return [(status.value, str(word)) for status, word in STATUS_LABELS.items()]


def status_count_list(summary) -> list[tuple[str, str, int]]:
    """(CSS class, word, count) of the four statuses in ``summary``, in order: one tag for
    ``includes/status_counts.html`` instead of a filter or two per status."""
    counts = summary.counts
    return [
        (STATUS_CSS[status], str(word), counts[status]) for status, word in STATUS_LABELS.items()
    ]


def status_css(status) -> str:
    return STATUS_CSS[progress.Status(status)]


def get_count(counts, status) -> int:
    """``summary.counts|get_count:"met"``: the count of one status."""
    return counts[progress.Status(status)]


HISTORY_WORDS = {
    "added": gettext_lazy("追加"),
    "changed": gettext_lazy("変更"),
    "removed": gettext_lazy("削除"),
}


def history_word(kind: str) -> str:
    return str(HISTORY_WORDS[kind])


@dataclass(frozen=True)
class Verdict:
    """What the page says about a KPI's progress besides the percentage: the status word
    (its CSS class only repeats it in colour), a sentence for targets that are no percentage,
    and a note when something cannot be judged."""

    word: str
    css: str
    detail: tuple[tuple[str, str], ...] = ()  # the sentence's parts: (text, lang), see _sentence
    note: str = ""


def kpi_verdict(status) -> Verdict:
    evaluation, kpi = status.evaluation, status.indicator
    word = _(STATUS_MESSAGES[evaluation.status])
    css = STATUS_CSS[evaluation.status]
    notes = []
    if evaluation.actual is None:
        notes.append(_("実績なし"))
    elif evaluation.kind == progress.Kind.PROGRESS and evaluation.on_track is None:
        if not evaluation.met and evaluation.achievement is not None:
            notes.append(_("年度の記載がないため、順調か遅れかは判定できません"))
    if evaluation.cumulative_drop:
        notes.append(_("累計値が前の年度より小さくなっています"))
    return Verdict(word, css, _verdict_detail(evaluation, kpi), "。".join(notes))


def _verdict_detail(evaluation: progress.Evaluation, kpi) -> tuple[tuple[str, str], ...]:
    """The sentence for a ceiling, floor, hold, direction or 設置/策定 target, as parts; the plan's
    own words in it (88.0以下, 設置済) are marked Japanese for a page in another language."""
    kind, met = evaluation.kind, evaluation.met
    if evaluation.actual is None or met is None:
        return ()
    target = kpi.target_raw or (number_text(kpi.target_value) if kpi.target_value else "")
    if kind in (progress.Kind.CEILING, progress.Kind.FLOOR, progress.Kind.HOLD):
        amount = f"{number_text(abs(evaluation.margin), kpi.target_raw)}{kpi.unit}"
        if met and not evaluation.margin:
            return _sentence(_("目標（%(target)s）ちょうどです"), target=target)
        if met:
            text = _("目標（%(target)s）の範囲内です（余裕 %(amount)s）")
            return _sentence(text, target=target, amount=amount)
        return _sentence(
            _("目標（%(target)s）を %(amount)s 外れています"), target=target, amount=amount
        )
    if kind == progress.Kind.DIRECTION:
        baseline = kpi.baseline_raw or number_text(kpi.baseline_value)
        if met:
            return _sentence(_("基準値（%(baseline)s）より良くなっています"), baseline=baseline)
        return _sentence(_("基準値（%(baseline)s）より良くなっていません"), baseline=baseline)
    if kind == progress.Kind.DONE:
        text = _("完了（%(actual)s）") if met else _("未完了（%(actual)s）")
        return _sentence(text, actual=evaluation.actual.raw)
    return ()


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _sentence(text: str, **words: str) -> tuple[tuple[str, str], ...]:
    """A translated sentence with the plan's words put in, as (text, lang) parts: lang is the
    language of the plan's words ("ja" on a page in another language, else "") and "" for the
    sentence's own. ``includes/kpi_progress.html`` puts each part with a lang in a span."""
    lang = content_language()
    pieces = _PLACEHOLDER.split(text)  # words, name, words, name, …, words
    parts = []
    for index, piece in enumerate(pieces):
        if index % 2:
            parts.append((words[piece], lang))
        elif piece:
            parts.append((piece.replace("%%", "%"), ""))
    return tuple(parts)


@dataclass(frozen=True)
class ShownValue:
    """A cell of a node page's KPI table, its texts prepared once: what ``kpi_value.html``,
    ``comparator.html`` and ``kpi_year.html`` show, without their three includes and filters
    for each of the table's three values (see :class:`KpiRow`)."""

    label: str  # the column's name (data-label, for the narrow layout)
    number: str = ""  # number_text of the value; "" when there is none
    unit: str = ""
    qualifier: str = ""  # 移動均衡 in 0 人(移動均衡)
    printed: str = ""  # a value with no number shown as printed (設置); "" otherwise
    comparator: str = ""  # 以上 / 以下 … after a target
    year: str = ""  # fiscal_year text (令和3年度 (2021)); "" for none


@dataclass(frozen=True)
class KpiRow:
    """A row of a node page's KPI table (``includes/kpi_table.html``): a node page shows up to
    dozens of KPIs, and each include, filter and translation per row cost tens of µs (at
    national size the table was 5.5 of the page's 9.3 ms of rendering)."""

    status: selectors.KpiStatus
    unit_note: tuple[tuple[str, str], ...]  # （単位: 団体）as _sentence parts; () without unit
    cells: tuple[ShownValue, ShownValue, ShownValue]  # baseline, target, latest
    verdict: Verdict
    achievement: str = ""  # 達成率 12.5%; "" when there is no percentage
    bar_width: str = ""  # the bar's width in %, 0–100
    grade: str = ""  # 評価 A; "" without a grade


class _TableTexts:
    """The words of one KPI table, translated once (a gettext costs ~10 µs), and the year and
    unit texts its rows repeat, made once each."""

    def __init__(self):
        self.labels = (_("基準値"), _("目標値"), _("最新の実績"))
        self.achievement = _("達成率 %(percent)s%%")
        self.grade = _("評価 %(grade)s")
        self._unit = _("（単位: %(unit)s）")
        self._years: dict[int, str] = {}
        self._unit_notes: dict[str, tuple[tuple[str, str], ...]] = {}
        self._decimal_separator = get_format("DECIMAL_SEPARATOR")

    def decimal(self, value: Decimal) -> str:
        """``localize(value)`` with the language's decimal separator looked up once per table
        (``localize`` looks up three formats for each number)."""
        if settings.USE_THOUSAND_SEPARATOR:
            return localize(value)
        return f"{value:f}".replace(".", self._decimal_separator)

    def year(self, year) -> str:
        if not year:
            return ""
        if year not in self._years:
            self._years[year] = fiscal_year(year)
        return self._years[year]

    def unit_note(self, unit: str) -> tuple[tuple[str, str], ...]:
        if unit and unit not in self._unit_notes:
            self._unit_notes[unit] = _sentence(self._unit, unit=unit)
        return self._unit_notes.get(unit, ())

    def shown(
        self, column: int, value, raw: str, unit: str, year=None, comparator=""
    ) -> ShownValue:
        label, year_text = self.labels[column], self.year(year)
        if value is not None:
            number = number_text(value, raw)
            return ShownValue(label, number, unit, qualifier(raw), "", comparator, year_text)
        printed = raw if shows_as_printed(raw) else ""
        return ShownValue(label, printed=printed, comparator=comparator, year=year_text)


def kpi_rows(statuses, texts: _TableTexts | None = None) -> list[KpiRow]:
    if not statuses:
        return []
    texts = texts or _TableTexts()
    return [_kpi_row(status, texts) for status in statuses]


def _kpi_row(status, texts: _TableTexts) -> KpiRow:
    kpi, latest = status.indicator, status.latest
    unit = kpi.unit
    cells = (
        texts.shown(0, kpi.baseline_value, kpi.baseline_raw, unit, kpi.baseline_year),
        texts.shown(
            1, kpi.target_value, kpi.target_raw, unit, kpi.target_year, comparator_word(kpi)
        ),
        texts.shown(2, latest.value, latest.raw_text, unit, latest.fiscal_year)
        if latest
        else ShownValue(texts.labels[2]),
    )
    row = (status, texts.unit_note(unit), cells, kpi_verdict(status))
    if status.achievement is None:
        return KpiRow(*row)
    achievement = texts.achievement % {"percent": texts.decimal(status.achievement)}
    grade = texts.grade % {"grade": status.grade} if status.grade else ""
    return KpiRow(*row, achievement, str(status.bar_percent), grade)


def node_kpis(node, around: selectors.KpisAround) -> dict:
    """The node's own KPIs, then those of its nearest ancestor with KPIs (what it serves), for
    ``includes/node_kpis.html``."""
    owner, texts = around.owner, _TableTexts()
    return {
        "node": node,
        "own": kpi_rows(around.own, texts),
        "owner": owner,
        "owner_code": f" {owner.code}" if owner is not None and owner.code else "",
        "inherited": kpi_rows(around.inherited, texts),
    }


def progress_summaries(plan) -> dict:
    """{tree_id: the KPI progress summary} of the plan's top-level nodes."""
    return selectors.tree_progress(plan)


def indicator_chart(status):
    """The KPI's values as an SVG line chart (``portal.charts``): a figure's geometry is
    computed, point by point, which a template cannot do; the same values are in the table
    below it."""
    indicator = status.indicator
    baseline = target = None
    if indicator.baseline_value is not None:
        baseline = charts.Point(indicator.baseline_year, indicator.baseline_value)
    if indicator.target_value is not None:
        target = charts.Point(indicator.target_year, indicator.target_value)
    actuals = [charts.Point(v.fiscal_year, v.value) for v in status.values if v.value is not None]
    kind = status.evaluation.kind
    limits = {progress.Kind.CEILING: "ceiling", progress.Kind.FLOOR: "floor"}
    data = charts.ChartData(
        actuals=actuals,
        baseline=baseline,
        target=target,
        unit=indicator.unit,
        limit=limits.get(kind, ""),
        target_text=indicator.target_raw,
        plan_line=kind == progress.Kind.PROGRESS,
    )
    code = content_language()
    lang = f' lang="{code}"' if code else ""  # the chart's markup is built in Python
    if lang:  # the page is not in Japanese: a title of the site's words only
        title = _("実績・基準値・目標値の推移")
    else:
        title = _("%(name)sの推移（実績・基準値・目標値）") % {"name": indicator.name}
    return charts.line_chart(data, title_id=f"chart-title-{indicator.pk}", title=title, lang=lang)


@dataclass(frozen=True)
class ValueRow:
    """A row of the KPI page's table of values."""

    fiscal_year: int | None
    kind: str  # 基準値 / 実績値 / 目標値
    value: Decimal | None
    raw: str
    expected: Decimal | None = None  # on the plan line that year
    note: str = ""
    source: str = ""
    is_target: bool = False


def value_rows(status) -> list[ValueRow]:
    """Baseline, each year's actual with the plan line's value that year, target."""
    kpi = status.indicator
    rows = [ValueRow(kpi.baseline_year, _("基準値"), kpi.baseline_value, kpi.baseline_raw)]
    actual = _("実績値")
    rows.extend(
        ValueRow(
            v.fiscal_year,
            actual,
            v.value,
            v.raw_text,
            _rounded(status.expected_in(v.fiscal_year), kpi.target_raw),
            v.note,
            getattr(v, "source", ""),
        )
        for v in status.values
    )
    rows.append(
        ValueRow(kpi.target_year, _("目標値"), kpi.target_value, kpi.target_raw, is_target=True)
    )
    return rows


def _rounded(value: Decimal | None, raw: str) -> Decimal | None:
    """A plan-line value to one decimal more than the target was printed with (166.5)."""
    if value is None:
        return None
    match = _DECIMALS.search(raw or "")
    places = (len(match.group(1)) if match else 0) + 1
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
