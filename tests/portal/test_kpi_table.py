"""The node page's KPI table writes its rows inline from texts prepared once per KPI
(``portal.presenters.indicators.KpiRow``), for speed; the KPI page and the dashboard show the
same values through the shared includes (kpi_value, comparator, kpi_year, kpi_progress). Both
must read the same to a citizen: every cell of the table is what the includes render, byte for
byte, for every KPI of the sample plans and of the fictional demo city (the only one with yearly
actuals: latest values, percentages, grades and verdict sentences), in Japanese and English."""

import pytest
from django.template import engines
from django.utils import translation

from indicators.demo import build_demo_plan
from indicators.models import Indicator
from plans.models import PlanNode
from portal import kpi_selectors

pytestmark = pytest.mark.usefixtures("samples")

# A row as the shared includes and in_ja render it (the node page's table before its rows were
# written inline).
ROW = engines["jinja2"].from_string(
    """<th scope="row"><a href="{{ kpi.url }}"{% if content_lang %} lang="{{ content_lang }}"{% endif %}>{{ kpi.name }}</a>{% if kpi.unit %} <span class="meta">{{ _("（単位: %(unit)s）", unit=kpi.unit|in_ja) }}</span>{% endif %}</th>
        <td data-label="{{ _("基準値") }}">{% with value=kpi.baseline_value, unit=kpi.unit, raw=kpi.baseline_raw %}{% include "portal/includes/kpi_value.html" %}{% endwith %}{% if kpi.baseline_year %}{% with year=kpi.baseline_year %}{% include "portal/includes/kpi_year.html" %}{% endwith %}{% endif %}</td>
        <td data-label="{{ _("目標値") }}">{% with value=kpi.target_value, unit=kpi.unit, raw=kpi.target_raw %}{% include "portal/includes/kpi_value.html" %}{% endwith %}{% include "portal/includes/comparator.html" %}{% if kpi.target_year %}{% with year=kpi.target_year %}{% include "portal/includes/kpi_year.html" %}{% endwith %}{% endif %}</td>
        <td data-label="{{ _("最新の実績") }}">{% if status.latest %}{% with value=status.latest.value, unit=kpi.unit, raw=status.latest.raw_text %}{% include "portal/includes/kpi_value.html" %}{% endwith %}{% with year=status.latest.fiscal_year %}{% include "portal/includes/kpi_year.html" %}{% endwith %}{% else %}{% with value=None, raw="" %}{% include "portal/includes/kpi_value.html" %}{% endwith %}{% endif %}</td>
        <td data-label="{{ _("進み具合") }}">{% include "portal/includes/kpi_progress.html" %}</td>"""  # noqa: E501
)


def row_as_the_includes_render_it(kpi: Indicator, language: str) -> str:
    status = kpi_selectors.public_indicator(kpi.plan, kpi.pk)
    content_lang = "" if language == "ja" else "ja"
    context = {"kpi": status.indicator, "status": status, "content_lang": content_lang}
    with translation.override(language):
        return ROW.render(context)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_kpi_row_shows_what_the_shared_includes_show(client, language):
    build_demo_plan()
    client.cookies["django_language"] = language
    nodes = PlanNode.objects.filter(indicators__isnull=False, plan__status="published")
    checked = 0
    for node in nodes.distinct().order_by("pk"):
        html = client.get(node.get_absolute_url()).content.decode()
        for kpi in Indicator.objects.filter(node=node).select_related("plan"):
            assert row_as_the_includes_render_it(kpi, language) in html, kpi.name
            checked += 1
    # every KPI of the sample plans (none with actuals) and of the demo city (all with)
    assert checked == Indicator.objects.filter(plan__status="published").count() > 40
    assert "verdict-detail" in html  # the last node (the demo city's) has a verdict sentence


def test_a_node_without_kpis_shows_the_table_of_what_it_serves(client):
    """A measure of the demo city has no KPIs: its policy's table, with the same rows."""
    plan = build_demo_plan()
    measure = PlanNode.objects.filter(plan=plan, level=2).order_by("pk").first()
    html = client.get(measure.get_absolute_url()).content.decode()
    kpis = Indicator.objects.filter(node=measure.parent).select_related("plan")
    assert kpis and not measure.indicators.exists()
    for kpi in kpis:
        assert row_as_the_includes_render_it(kpi, "ja") in html
