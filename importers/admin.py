"""The import history in the admin: what each import read and reported (read-only)."""

from django.contrib import admin

from plans.admin import MunicipalityScopedAdmin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(MunicipalityScopedAdmin):
    """What each import read and reported; written only by import_plan."""

    list_display = ["plan", "number", "layout", "created_at"]
    list_filter = ["plan"]
    list_select_related = ["plan__municipality"]
    readonly_fields = ["plan", "number", "sources", "layout", "report", "created_at"]
    exclude = ["outline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
