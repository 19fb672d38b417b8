"""Staff admin for KPIs and yearly values; also puts KPIs inline on the plan node page.

Defined here, registered once by ``exports.admin`` with the Excel side added.
"""

from functools import partial

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.admin import PlanNodeAdmin, TenantAdmin, TenantInline

from . import services, views
from .fields import KPI_FIELDS, TEXT, Measured
from .models import GradeBand, Indicator, IndicatorValue, KpiSettings


class IndicatorValueInline(TenantInline, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["fiscal_year", "value", "raw_text", "note", "source"]


def kpi_form_fields() -> list:
    """The KPI fields (``indicators.fields``) as the admin form lays them out: a text per line,
    a measured value as number, year and raw text on one line, the choices and marks together
    on one line; then the import key and the order."""
    lines: list = []
    choices: list[str] = []
    for kpi_field in KPI_FIELDS:
        if isinstance(kpi_field, Measured):
            lines.append(kpi_field.columns)
        elif kpi_field.kind == TEXT:
            lines.append(kpi_field.name)
        else:
            if not choices:
                lines.append(choices)  # the line's place: where the first choice is declared
            choices.append(kpi_field.name)
    return [tuple(line) if isinstance(line, list) else line for line in lines] + [("key", "order")]


class IndicatorInline(TenantInline, admin.StackedInline):
    model = Indicator
    extra = 0
    show_change_link = True
    fields = kpi_form_fields()


class IndicatorAdmin(TenantAdmin, SimpleHistoryAdmin):
    list_display = ["name", "node", "unit", "baseline_display", "target_display", "updated_at"]
    list_filter = ["plan", "comparator", "direction"]
    list_select_related = ["node", "plan"]
    search_fields = ["name", "definition", "node__code", "node__title"]
    raw_id_fields = ["node"]
    readonly_fields = ["plan"]
    inlines = [IndicatorValueInline]

    @admin.display(description=_("基準値"))
    def baseline_display(self, obj):
        return f"{obj.baseline_raw} ({obj.baseline_year or '—'})"

    @admin.display(description=_("目標値"))
    def target_display(self, obj):
        return f"{obj.target_raw} ({obj.target_year or '—'})"

    def save_formset(self, request, form, formset, change):
        follow_raw_texts(formset)
        super().save_formset(request, form, formset, change)

    def save_model(self, request, obj, form, change):
        if change:
            # Through the service: a number typed without its raw text gets a matching one.
            fields = {name: getattr(obj, name) for name in form.changed_data}
            services.indicator_update(actor=request.user, indicator=obj, **fields)
            return
        obj.plan_id = obj.node.plan_id
        super().save_model(request, obj, form, change)


class IndicatorValueAdmin(TenantAdmin, SimpleHistoryAdmin):
    list_display = ["indicator", "fiscal_year", "value", "raw_text", "updated_at"]
    list_filter = ["indicator__plan", "fiscal_year"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name"]
    raw_id_fields = ["indicator"]
    change_list_template = "admin/indicators/indicatorvalue/change_list.html"

    def get_urls(self):
        entry = self.admin_site.admin_view(partial(views.yearly_entry, model_admin=self))
        return [path("entry/", entry, name="indicators_yearly_entry"), *super().get_urls()]


class GradeBandInline(TenantInline, admin.TabularInline):
    model = GradeBand
    extra = 1
    fields = ["label", "minimum"]


@admin.register(KpiSettings)
class KpiSettingsAdmin(TenantAdmin):
    """A plan's grade bands (S, A … or its own) and whether its 更新履歴 names staff."""

    list_display = ["plan", "show_editor_names"]
    list_select_related = ["plan__municipality"]
    inlines = [GradeBandInline]


class PlanNodeWithIndicatorsAdmin(PlanNodeAdmin):
    """The node page with its KPIs inline (plans must not import indicators, so we extend here)."""

    inlines = [*PlanNodeAdmin.inlines, IndicatorInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Indicator:
            for indicator_form in formset.forms:
                indicator_form.instance.plan_id = form.instance.plan_id
        follow_raw_texts(formset)
        super().save_formset(request, form, formset, change)


def follow_raw_texts(formset) -> None:
    """Raw texts of the KPIs and yearly values an inline saves follow their new numbers."""
    if formset.model not in (Indicator, IndicatorValue):
        return
    for row_form in formset.forms:
        if row_form.has_changed() and not formset._should_delete_form(row_form):
            services.raw_texts_follow(row_form.instance, set(row_form.changed_data))
