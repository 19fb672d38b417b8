"""KPIs inside plan pages: the KPI tables of a node, progress per tree, KPI search, the chart.

The tags hand data to the templates (``templates/portal/includes/``); the one that builds
markup in Python is ``indicator_chart``, and its docstring says why.
"""

import re
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from .. import charts
from .. import kpi_selectors as selectors

register = template.Library()

NO_VALUE_TEXTS = ("—", "―", "-", "ー", "なし")
_DECIMALS = re.compile(r"\d[\d,]*\.(\d+)")


@register.filter
def number_text(value: Decimal, raw: str = "") -> str:
    """Thousands separated, with as many decimals as the printed text had (44.0 stays 44.0)."""
    match = _DECIMALS.search(raw or "")
    places = len(match.group(1)) if match else 0
    if not match and value != value.to_integral_value():
        places = len(str(value.normalize()).partition(".")[2])
    text = f"{abs(value):,.{places}f}"
    return f"−{text}" if value < 0 else text


@register.filter
def shows_as_printed(raw) -> bool:
    """Whether a value without a number is shown as printed (設置, 策定); "—" or なし are no
    value."""
    return bool(raw) and raw.strip() not in NO_VALUE_TEXTS


@register.simple_tag
def comparator_word(indicator) -> str:
    """以上 / 以下・以内 / 維持 as a word beside the target ("" when the plan prints none)."""
    return indicator.get_comparator_display() if indicator.comparator else ""


@register.inclusion_tag("portal/includes/node_kpis.html")
def node_kpis(node, ancestors) -> dict:
    """The node's own KPIs, then those of its nearest ancestor with KPIs (what it serves)."""
    around = selectors.kpis_around(node, ancestors)
    owner = around.owner
    return {
        "node": node,
        "own": around.own,
        "owner": owner,
        "owner_code": f" {owner.code}" if owner is not None and owner.code else "",
        "inherited": around.inherited,
    }


@register.simple_tag
def progress_summaries(plan) -> dict:
    """{tree_id: the KPI progress summary} of the plan's top-level nodes."""
    return selectors.tree_progress(plan)


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
def indicator_chart(status):
    """The KPI's values as an SVG line chart (``portal.charts``): a figure's geometry is
    computed, point by point, which a template cannot do; the same values are in the table
    below it."""
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
