"""KPIs inside plan pages: the KPI table of a node, progress per tree, KPI search, the chart.

Plan templates load these tags, so the ``plans`` app shows KPIs without importing this app.
"""

import re
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import charts, selectors

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
        return format_html(
            '<span class="num">{}</span><span class="unit">{}</span>',
            format_number(value, raw),
            unit,
        )
    if raw and raw.strip() not in ("—", "―", "-", "ー", "なし"):
        return format_html("<span>{}</span>", raw)
    return format_html(
        '<span class="none" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        _("値なし"),
        NO_VALUE,
        _("値なし"),
    )


@register.simple_tag
def comparator_word(indicator) -> str:
    """以上 / 以下・以内 / 維持 as a word beside the target ("" when the plan prints none)."""
    return indicator.get_comparator_display() if indicator.comparator else ""


@register.simple_tag
def kpis_around(node, ancestors):
    """The node's own KPIs and its nearest ancestor's, with headings for the two tables."""
    around = selectors.kpis_around(node, ancestors)
    around.own_heading = _("成果指標")
    owner = around.owner
    if owner is not None:
        around.inherited_heading = _("%(level)s%(code)s「%(title)s」の成果指標") % {
            "level": owner.level_label,
            "code": f" {owner.code}" if owner.code else "",
            "title": owner.title,
        }
    return around


@register.inclusion_tag("indicators/includes/kpi_table.html")
def kpi_table(rows, node, heading, link_owner=False):
    """KPIs as a table with a heading (nothing when there are none)."""
    return {"rows": rows, "node": node, "heading": heading, "link_owner": link_owner}


@register.inclusion_tag("indicators/includes/progress.html")
def kpi_progress(status):
    return {"status": status}


@register.simple_tag
def plan_progress(plan):
    """{tree_id: ProgressSummary} for the plan's top-level nodes."""
    return selectors.plan_progress(plan)


@register.filter
def progress_for(summaries, node):
    return summaries.get(node.tree_id)


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
    actuals = [
        charts.Point(v.fiscal_year, v.value) for v in indicator.values.all() if v.value is not None
    ]
    data = charts.ChartData(actuals=actuals, baseline=baseline, target=target, unit=indicator.unit)
    title = _("%(name)sの推移（実績・基準値・目標値）") % {"name": indicator.name}
    return charts.line_chart(data, title_id=f"chart-title-{indicator.pk}", title=title)
