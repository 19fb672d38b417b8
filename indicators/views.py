"""The public KPI page: definition, baseline → target, yearly values, chart and table."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans import selectors as plan_selectors

from . import selectors


@require_GET
def indicator_detail(request, municipality, plan, pk):
    plan = plan_selectors.public_plan(municipality, plan)
    status = selectors.public_indicator(plan, pk)
    breadcrumb = plan_selectors.lineage(plan, status.indicator.node_id)
    node = status.indicator.node = breadcrumb[-1]
    return render(
        request,
        "indicators/detail.html",
        {"plan": plan, "status": status, "node": node, "ancestors_and_node": breadcrumb},
    )
