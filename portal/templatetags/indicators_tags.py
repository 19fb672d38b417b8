"""KPIs inside plan pages: the KPI table of a node, progress per tree, KPI search, the chart.

Plan templates load these tags, so the ``plans`` app shows KPIs without importing this app.
"""

import re
from decimal import Decimal
from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from portal.templatetags.plans_tags import fiscal_year
from portal.words import word as _  # named so that makemessages finds the messages

from .. import charts
from .. import kpi_selectors as selectors

register = template.Library()

NO_VALUE = "—"


_DECIMALS = re.compile(r"\d[\d,]*\.(\d+)")


def format_number(value: Decimal, raw: str = "") -> str:
    """Thousands separated, with as many decimals as the printed text had (44.0 stays 44.0)."""
    match = _DECIMALS.search(raw or "")
    places = len(match.group(1)) if match else 0
    if not match and value != value.to_integral_value():
        places = len(str(value.normalize()).partition(".")[2])
    text = f"{abs(value):,.{places}f}"
    return f"−{text}" if value < 0 else text


@register.simple_tag
def kpi_value(value, unit="", raw="") -> SafeString:
    """A value with its unit; a non-numeric one (設置, 策定) as printed; none as "—"."""
    if value is not None:
        return SafeString(
            f'<span class="num">{escape(format_number(value, raw))}</span>'
            f'<span class="unit">{escape(str(unit))}</span>'
        )
    if raw and raw.strip() not in ("—", "―", "-", "ー", "なし"):
        return SafeString(f"<span>{escape(str(raw))}</span>")
    no_value = escape(_("値なし"))
    return SafeString(
        f'<span class="none" title="{no_value}"><span aria-hidden="true">{NO_VALUE}</span>'
        f'<span class="visually-hidden">{no_value}</span></span>'
    )


@register.simple_tag
def comparator_word(indicator) -> str:
    """以上 / 以下・以内 / 維持 as a word beside the target ("" when the plan prints none)."""
    return indicator.get_comparator_display() if indicator.comparator else ""


@register.simple_tag
def node_kpis(node, ancestors) -> SafeString:
    """The node's own KPIs, then those of its nearest ancestor with KPIs (what it serves)."""
    around = selectors.kpis_around(node, ancestors)
    html = kpi_table(around.own, node, _("成果指標"))
    owner = around.owner
    if owner is not None:
        heading = _("%(level)s%(code)s「%(title)s」の成果指標") % {
            "level": owner.level_label,
            "code": f" {owner.code}" if owner.code else "",
            "title": owner.title,
        }
        html += kpi_table(around.inherited, owner, heading, link_owner=True)
    return SafeString(html)


@register.simple_tag
def kpi_table(rows, node, heading, link_owner=False) -> SafeString:
    """KPIs as a table with a heading (nothing when there are none).

    Built in Python: with a template tag or an include per cell, the table cost more than
    the rest of the node page.
    """
    if not rows:
        return SafeString("")
    heading_id = f"kpi-heading-{node.pk}"
    count = ngettext("%(counter)s件", "%(counter)s件", len(rows)) % {"counter": len(rows)}
    html = [
        f'\n<section class="kpis" aria-labelledby="{heading_id}">\n'
        f'  <h2 id="{heading_id}">{escape(heading)}（{count}）</h2>\n'
    ]
    if link_owner:
        note = escape(_("この項目が属する上位の項目の成果指標です。"))
        html.append(
            f'  <p class="meta">{note} <a href="{escape(node.url)}">{escape(node.title)}</a></p>\n'
        )
    columns = "".join(
        f'\n      <th scope="col">{escape(word)}</th>'
        for word in (_("指標名"), _("基準値"), _("目標値"), _("最新の実績"), _("進み具合"))
    )
    html.append(
        f'  <div class="table-wrap" role="region" aria-labelledby="{heading_id}" tabindex="0">\n'
        f'  <table class="kpi-table">\n    <caption class="visually-hidden">{escape(heading)}'
        f"</caption>\n    <thead><tr>{columns}\n    </tr></thead>\n    <tbody>"
    )
    unit_word = _("単位")
    html.extend(_kpi_row(row, unit_word) for row in rows)
    html.append("\n    </tbody>\n  </table>\n  </div>\n</section>\n")
    return SafeString("".join(html))


def _kpi_row(status, unit_word: str) -> str:
    kpi = status.indicator
    unit = f' <span class="meta">（{unit_word}: {escape(kpi.unit)}）</span>' if kpi.unit else ""
    if status.latest:
        latest = kpi_value(status.latest.value, kpi.unit, status.latest.raw_text) + _year(
            status.latest.fiscal_year
        )
    else:
        latest = kpi_value(None)
    return (
        f'\n      <tr>\n        <th scope="row"><a href="{escape(kpi.url)}">{escape(kpi.name)}</a>'
        f"{unit}</th>\n"
        f"        <td>{kpi_value(kpi.baseline_value, kpi.unit, kpi.baseline_raw)}"
        f"{_year(kpi.baseline_year)}</td>\n"
        f"        <td>{kpi_value(kpi.target_value, kpi.unit, kpi.target_raw)}"
        f"{_comparator(kpi)}{_year(kpi.target_year)}</td>\n"
        f"        <td>{latest}</td>\n"
        f"        <td>{kpi_progress(status)}</td>\n      </tr>"
    )


def _year(year) -> str:
    return f'<br><span class="meta">{escape(fiscal_year(year))}</span>' if year else ""


def _comparator(kpi) -> str:
    word = comparator_word(kpi)
    return f' <span class="comparator">{escape(word)}</span>' if word else ""


@register.simple_tag
def value_rows(status) -> SafeString:
    """The rows of a KPI's table of values: baseline, each year's actual, target."""
    kpi = status.indicator
    rows = [
        _value_row(
            kpi.baseline_year,
            _("基準値"),
            kpi_value(kpi.baseline_value, kpi.unit, kpi.baseline_raw),
        )
    ]
    actual = _("実績値")
    for value in status.values:
        cell = kpi_value(value.value, kpi.unit, value.raw_text)
        rows.append(_value_row(value.fiscal_year, actual, cell, value.note))
    target = kpi_value(kpi.target_value, kpi.unit, kpi.target_raw) + _comparator(kpi)
    rows.append(_value_row(kpi.target_year, _("目標値"), target))
    return SafeString("\n      ".join(rows))


def _value_row(year, kind: str, cell: str, note: str = "") -> str:
    return (
        f'<tr><th scope="row">{escape(fiscal_year(year))}</th><td>{escape(kind)}</td>'
        f"<td>{cell}</td><td>{escape(note)}</td></tr>"
    )


@register.simple_tag
def kpi_progress(status) -> SafeString:
    """Achievement as a bar and in words, with 目標達成/順調/遅れ; or what little is known."""
    if status.achievement is not None:
        percent = _("達成率 %(percent)s%%") % {"percent": localize(status.achievement)}
        percent = escape(percent)
        grade = ""
        if status.grade:
            grade = _("評価 %(grade)s") % {"grade": escape(status.grade)}
            grade = f' <span class="grade">{grade}</span>'
        mark = _status_mark(status)
        return SafeString(
            # An SVG width, not a style attribute: the Content-Security-Policy allows no inline
            # styles.
            '\n<div class="progress">\n  <svg class="bar" aria-hidden="true" focusable="false">'
            f'<rect width="{status.bar_percent}%" height="100%"></rect></svg>\n'
            f'  <span class="progress-text">{percent}{grade}</span>\n  {mark}\n</div>\n'
        )
    if status.met is not None:
        met = escape(_("目標達成") if status.met else _("未達成"))
        css = "status-met" if status.met else "status-behind"
        return SafeString(f'\n<span class="status {css}">{met}</span>\n')
    none = escape(_("実績なし"))
    return SafeString(f'<span class="meta">{none}</span>')


def _status_mark(status) -> str:
    """目標達成, else 順調 or 遅れ when the straight line from baseline to target says so."""
    if status.met:
        css, word = "status-met", _("目標達成")
    elif status.on_track:
        css, word = "status-on-track", _("順調")
    elif status.on_track is False:
        css, word = "status-behind", _("遅れ")
    else:
        return ""
    return f'<span class="status {css}">{escape(word)}</span>'


@register.simple_tag
def progress_notes(plan) -> dict[int, SafeString]:
    """{tree_id: the progress summary paragraph} for the plan's top-level nodes."""
    notes = {}
    for tree_id, summary in selectors.tree_progress(plan).items():
        text = _(
            "成果指標 %(total)s件（実績あり %(with_actual)s件、目標達成 %(met)s件、"
            "順調 %(on_track)s件）"
        ) % {
            "total": summary.total,
            "with_actual": summary.with_actual,
            "met": summary.met,
            "on_track": summary.on_track + summary.met,
        }
        notes[tree_id] = SafeString(f'<p class="progress-summary">{escape(text)}</p>')
    return notes


@register.simple_tag
def kpi_search(filters):
    """(KPIs, total) matching the search form; see ``selectors.search_indicators``."""
    return selectors.search_indicators(
        query=filters.query,
        folded=filters.folded,
        plan=filters.plan,
        level=filters.level,
        sdg=filters.sdg,
    )


@register.simple_tag
def indicator_chart(status) -> SafeString:
    indicator = status.indicator
    baseline = target = None
    if indicator.baseline_value is not None and indicator.baseline_year:
        baseline = charts.Point(indicator.baseline_year, indicator.baseline_value)
    if indicator.target_value is not None and indicator.target_year:
        target = charts.Point(indicator.target_year, indicator.target_value)
    actuals = [charts.Point(v.fiscal_year, v.value) for v in status.values if v.value is not None]
    data = charts.ChartData(actuals=actuals, baseline=baseline, target=target, unit=indicator.unit)
    title = _("%(name)sの推移（実績・基準値・目標値）") % {"name": indicator.name}
    return charts.line_chart(data, title_id=f"chart-title-{indicator.pk}", title=title)
