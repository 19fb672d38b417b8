"""Public download of a published plan's planner workbook."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

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


def plan_workbook(request, municipality: str, plan: str):
    """The planner workbook (.xlsx) of a published plan; staff also get their drafts."""
    plans = Plan.objects.select_related("municipality")
    visible = plans.published()
    if request.user.is_authenticated and request.user.is_staff:
        visible = visible | plans.editable_by(request.user)
    found = get_object_or_404(visible, municipality__slug=municipality, slug=plan)
    return workbook_response(found)
