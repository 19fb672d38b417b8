"""Staff pages for the workbook round trip of a year's actuals (reached from the admin).

* 書き出し: choose a plan you may edit and a fiscal year; the planner workbook comes with the
  sheet 実績入力 (an input column for that year).
* 取り込み: upload the filled workbook; a preview lists exactly the actuals that will change
  (before → after) and nothing is written; 「反映する」 saves those, in one transaction, unless
  an actual changed since the preview.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import services
from indicators.models import FISCAL_YEAR_RANGE
from indicators.views import editable_plans
from plans.models import Plan

from .actuals import ActualsError, InputPreview, apply_input, preview_input, read_input_sheet
from .views import XLSX_CONTENT_TYPE
from .workbook import write_plan_workbook

TEMPLATE = "admin/exports/actuals.html"
SIGNING_SALT = "exports.actuals.preview"
PREVIEW_MAX_AGE = 3600  # seconds a preview may be applied after it was shown


class InputWorkbookForm(forms.Form):
    plan = forms.ModelChoiceField(label=gettext_lazy("計画"), queryset=Plan.objects.none())
    year = forms.IntegerField(
        label=gettext_lazy("入力する年度（西暦）"),
        min_value=FISCAL_YEAR_RANGE[0],
        max_value=FISCAL_YEAR_RANGE[1],
    )


class UploadForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=gettext_lazy("取り込み先の計画"), queryset=Plan.objects.none()
    )
    workbook = forms.FileField(label=gettext_lazy("実績を入力したExcelファイル（.xlsx）"))


def _plans(request):
    return editable_plans(request.user)


def actuals_page(request, model_admin):
    """Both forms on one page; the upload answers with its preview."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    plans = _plans(request)
    download = InputWorkbookForm(request.GET if "year" in request.GET else None)
    download.fields["plan"].queryset = plans
    if download.is_bound and download.is_valid():
        return _input_workbook(download.cleaned_data["plan"], download.cleaned_data["year"])
    upload = UploadForm(request.POST or None, request.FILES or None)
    upload.fields["plan"].queryset = plans
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("年度実績のExcel入出力"),
        "opts": model_admin.model._meta,
        "download": download,
        "upload": upload,
    }
    if request.method == "POST" and "apply" in request.POST:
        return _apply(request, plans) or redirect(request.path)
    if request.method == "POST" and upload.is_valid():
        context |= _preview(upload)
    return TemplateResponse(request, TEMPLATE, context)


def _input_workbook(plan: Plan, year: int) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    name = f"{plan.municipality.slug}-{plan.slug}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_plan_workbook(plan, response, input_year=year)
    return response


def _preview(upload: UploadForm) -> dict:
    plan = upload.cleaned_data["plan"]
    try:
        sheet = read_input_sheet(upload.cleaned_data["workbook"].read())
        preview = preview_input(plan, sheet)
    except ActualsError as error:
        return {"errors": error.errors}
    except ValidationError as error:
        return {"errors": error.messages}
    return {"preview": preview, "token": _sign(preview)}


def _sign(preview: InputPreview) -> str:
    entries = [
        [e.indicator_id, None if e.value is None else str(e.value), e.raw_text, e.note, e.source]
        for e in preview.entries
        if e.indicator_id in preview.stamps
    ]
    payload = {"plan": preview.plan.pk, "year": preview.year, "entries": entries}
    payload["stamps"] = {str(k): v for k, v in preview.stamps.items()}
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def _apply(request, plans) -> None:
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(
            request,
            _("確認画面の有効期限が切れたか、内容が正しくありません。もう一度取り込んでください。"),
        )
        return None
    plan = plans.filter(pk=payload["plan"]).first()
    if plan is None:
        raise PermissionDenied
    entries = [
        services.YearlyEntry(pk, None if value is None else Decimal(value), raw, note, source)
        for pk, value, raw, note, source in payload["entries"]
    ]
    stamps = {int(k): v for k, v in payload["stamps"].items()}
    preview = InputPreview(plan, payload["year"], [], entries, stamps)
    try:
        changes = apply_input(preview, actor=request.user)
    except services.StaleValues as stale:
        names = "、".join(indicator.name for indicator in stale.indicators)
        messages.error(request, f"{stale} （{names}）")
        return None
    messages.success(request, _("%(count)s件の実績を反映しました。") % {"count": len(changes)})
    return None
