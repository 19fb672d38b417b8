"""Public downloads of a published plan: the planner workbook and the outline JSON (open data)."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from importers.outline import plan_outline_dict
from plans.models import Plan

from .workbook import write_plan_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_filename(plan: Plan) -> str:
    return f"{plan.municipality.slug}-{plan.slug}.xlsx"


def workbook_response(plan: Plan) -> HttpResponse:
    """An attachment response holding the planner workbook of ``plan``."""
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(plan)}"'
    write_plan_workbook(plan, response)
    return response


def _downloadable_plan(request, municipality: str, plan: str) -> Plan:
    """A published plan; staff also get the drafts of their municipalities."""
    plans = Plan.objects.select_related("municipality")
    visible = plans.published()
    if request.user.is_authenticated and request.user.is_staff:
        visible = visible | plans.editable_by(request.user)
    return get_object_or_404(visible, municipality__slug=municipality, slug=plan)


def plan_workbook(request, municipality: str, plan: str):
    """The planner workbook (.xlsx) of a plan."""
    return workbook_response(_downloadable_plan(request, municipality, plan))


def plan_outline(request, municipality: str, plan: str):
    """The plan as the outline JSON document (docs/outline-json.md), the open-data format."""
    found = _downloadable_plan(request, municipality, plan)
    body = json.dumps(plan_outline_dict(found), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{found.municipality.slug}-{found.slug}.json"'
    )
    return response
