"""Excel in the admin: import/export on the node, KPI and yearly-value lists, and the planner
workbook on the plan list and plan page.

The plan, node, KPI and yearly-value admins are defined in ``plans.admin`` and
``indicators.admin`` (those apps import nothing above them) and registered here, once each, with
the Excel side added.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm

from indicators.admin import IndicatorAdmin, IndicatorValueAdmin, PlanNodeWithIndicatorsAdmin
from indicators.models import Indicator, IndicatorValue
from plans.admin import PlanAdmin
from plans.models import Plan, PlanNode

from . import actuals_views, uploads
from .resources import IndicatorResource, IndicatorValueResource, PlanNodeResource
from .spreadsheets import SPREADSHEET_FORMATS, SpreadsheetError
from .views import workbook_response


class PlanImportForm(ImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("取り込み先の計画"))

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = uploads.max_upload_bytes()
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                uploads.UPLOAD_TOO_LARGE % {"size": upload.size / 2**20, "limit": limit / 2**20},
                code="too_large",
            )
        return upload


class PlanConfirmImportForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), widget=forms.HiddenInput)


class PlanImportExportMixin(ImportExportMixin):
    """Import into one plan the user may edit; everything applies in one transaction or not."""

    import_form_class = PlanImportForm
    confirm_form_class = PlanConfirmImportForm
    export_form_class = ExportForm
    formats = SPREADSHEET_FORMATS
    import_error_display = ("message", "row")
    tmp_storage_class = uploads.SignedUploadStorage

    def process_import(self, request, **kwargs):
        """The confirm step; a second confirm (or a forged file token) changes nothing."""
        try:
            return super().process_import(request, **kwargs)
        except uploads.UploadGone as gone:
            self.message_user(request, str(gone), level=messages.WARNING)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")

    def editable_plans(self, request):
        return Plan.objects.editable_by(request.user).select_related("municipality")

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.fields["plan"].queryset = self.editable_plans(request)
        return form

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        form.fields["plan"].queryset = self.editable_plans(request)
        return form

    def get_import_form_initial(self, request):
        return {"plan": request.GET.get("plan")}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        plan = form.cleaned_data.get("plan") if form is not None and form.is_bound else None
        return {"plan": plan, "actor": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


class PlanNodeExcelAdmin(PlanImportExportMixin, PlanNodeWithIndicatorsAdmin):
    resource_classes = [PlanNodeResource]


class IndicatorExcelAdmin(PlanImportExportMixin, IndicatorAdmin):
    resource_classes = [IndicatorResource]


class IndicatorValueExcelAdmin(PlanImportExportMixin, IndicatorValueAdmin):
    resource_classes = [IndicatorValueResource]
    change_list_template = "admin/exports/indicatorvalue_change_list.html"

    def get_urls(self):
        page = self.admin_site.admin_view(partial(actuals_views.actuals_page, model_admin=self))
        return [path("actuals/", page, name="exports_yearly_actuals"), *super().get_urls()]


class PlanWorkbookAdmin(PlanAdmin):
    """The plan list with a workbook link per plan, and a workbook download on each plan."""

    list_display = [*PlanAdmin.list_display, "workbook_link"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "<int:plan_id>/workbook/",
                self.admin_site.admin_view(self.workbook_view),
                name="{}_{}_workbook".format(*info),
            )
        ]
        return urls + super().get_urls()

    @admin.display(description=_("Excel"))
    def workbook_link(self, obj):
        url = reverse("admin:plans_plan_workbook", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("ダウンロード"))

    def workbook_view(self, request, plan_id):
        plan = get_object_or_404(
            self.get_queryset(request).select_related("municipality"), pk=plan_id
        )
        return workbook_response(plan)


admin.site.register(Plan, PlanWorkbookAdmin)
admin.site.register(PlanNode, PlanNodeExcelAdmin)
admin.site.register(Indicator, IndicatorExcelAdmin)
admin.site.register(IndicatorValue, IndicatorValueExcelAdmin)
