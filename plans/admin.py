"""Staff admin for municipalities, plans and plan trees, scoped to each user's municipalities."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin
from mptt.exceptions import InvalidMove
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    CrossReference,
    GlossaryTerm,
    Municipality,
    NodeSection,
    Plan,
    PlanNode,
    SdgGoal,
)


def municipality_id_of(obj, path: str):
    """The id of the municipality ``obj`` belongs to, following ``path`` (``""``: obj is one)."""
    if not path:
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


def editable_municipality_ids(request) -> frozenset:
    """Ids of the municipalities the requesting user edits, read once per request."""
    if not hasattr(request, "_editable_municipality_ids"):
        request._editable_municipality_ids = frozenset(
            request.user.municipalities.values_list("pk", flat=True)
        )
    return request._editable_municipality_ids


class MunicipalityScopedAdmin(admin.ModelAdmin):
    """Staff see and edit only the rows of municipalities they are editors of.

    ``municipality_path`` is the lookup from the model to its Municipality.
    """

    municipality_path = "plan__municipality"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.municipality_path}__editors": request.user})

    # Object-level checks: the list is scoped by get_queryset, but some views reach an object
    # without it (simple-history's history list falls back to a historical copy, its detail and
    # revert page read the historical table directly). Every view asks these with the object.
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def in_scope(self, request, obj) -> bool:
        """Whether ``obj`` belongs to a municipality the user edits (superusers: every one)."""
        if obj is None or request.user.is_superuser:
            return True
        try:
            municipality_id = municipality_id_of(obj, self.municipality_path)
        except ObjectDoesNotExist:  # a historical copy whose plan or KPI is gone
            return False
        return municipality_id in editable_municipality_ids(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and db_field.name in self.scoped_foreign_keys:
            path = self.scoped_foreign_keys[db_field.name]
            field.queryset = field.queryset.filter(**{f"{path}editors": request.user})
        return field

    # foreign key name → lookup prefix from the related model to Municipality.
    scoped_foreign_keys = {
        "municipality": "",
        "plan": "municipality__",
        "parent": "plan__municipality__",
        "node": "plan__municipality__",
        "to_node": "plan__municipality__",
    }


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin, SimpleHistoryAdmin):
    municipality_path = ""
    list_display = ["name", "prefecture", "local_gov_code", "slug", "plan_count"]
    search_fields = ["name", "name_kana", "local_gov_code"]
    prepopulated_fields: dict = {}
    filter_horizontal = ["editors"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request).annotate(plan_total=Count("plans"))
        return queryset if request.user.is_superuser else queryset.filter(editors=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Who may edit a city is decided by superusers: an editor could otherwise add anyone.
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else [*readonly, "editors"]

    @admin.display(description=_("計画数"), ordering="plan_total")
    def plan_count(self, obj):
        return obj.plan_total


@admin.register(Plan)
class PlanAdmin(MunicipalityScopedAdmin, SimpleHistoryAdmin):
    municipality_path = "municipality"
    list_display = ["title", "municipality", "period", "status", "node_count", "updated_at"]
    list_filter = ["status", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(node_total=Count("nodes"))

    @admin.display(description=_("計画期間"))
    def period(self, obj):
        return f"{obj.first_fiscal_year or '—'}–{obj.last_fiscal_year or '—'}"

    @admin.display(description=_("項目数"), ordering="node_total")
    def node_count(self, obj):
        return obj.node_total


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_en"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NodeSectionInline(admin.StackedInline):
    model = NodeSection
    extra = 0
    fields = ["order", "heading", "body"]


class CrossReferenceInline(admin.TabularInline):
    model = CrossReference
    fk_name = "from_node"
    extra = 0
    fields = ["kind", "to_node", "target_code", "target_title", "order"]
    raw_id_fields = ["to_node"]


class LevelFilter(admin.SimpleListFilter):
    """Filter by depth, named with the filtered plan's own level names when a plan is chosen."""

    title = _("階層")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        plan = Plan.objects.filter(pk=request.GET.get("plan__id__exact") or None).first()
        names = plan.level_names if plan else []
        depth = max(len(names), 4)
        return [
            (str(i), names[i] if i < len(names) else _("第%d階層") % (i + 1)) for i in range(depth)
        ]

    def queryset(self, request, queryset):
        if self.value() is not None and self.value().isdigit():
            return queryset.filter(level=int(self.value()))
        return queryset


@admin.register(PlanNode)
class PlanNodeAdmin(MunicipalityScopedAdmin, SimpleHistoryAdmin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "level_name", "plan", "is_priority"]
    list_display_links = ["indented_title"]
    list_filter = ["plan", LevelFilter, "kind", "is_priority"]
    list_select_related = ["plan__municipality"]
    search_fields = ["code", "title", "key"]
    list_per_page = 500
    fields = [
        "plan",
        "parent",
        "kind",
        "code",
        "title",
        "key",
        "is_priority",
        "department",
        "sdg_goals",
    ]
    raw_id_fields = ["parent"]
    filter_horizontal = ["sdg_goals"]
    inlines = [NodeSectionInline, CrossReferenceInline]

    @admin.display(description=_("階層"))
    def level_name(self, obj):
        return obj.level_label

    def get_readonly_fields(self, request, obj=None):
        # A node's place changes only by drag and drop in the list, which takes the plan's lock.
        return ["plan", "parent"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            fields = [f for f in form.changed_data if f != "sdg_goals"]
            services.node_update(node=obj, **{f: getattr(obj, f) for f in fields})
        else:
            services.node_insert(node=obj)

    def delete_model(self, request, obj):
        services.node_delete(node=obj)

    def delete_selected_tree(self, modeladmin, request, queryset):
        """The list's delete action: Django's, which calls ``delete_queryset`` below.

        mptt's own deletes with tree updates delayed and without the plan's lock.
        """
        return delete_selected(modeladmin, request, queryset)

    def delete_queryset(self, request, queryset):
        # Deepest first: a node deleted before its selected parent is not deleted twice.
        for node in queryset.order_by("-level"):
            services.node_delete(node=node)

    def _move_node(self, request):
        """Drag-and-drop moves, through the locking service (mptt's own skips the plan lock)."""
        position = request.POST.get("position")
        queryset = self.get_queryset(request)
        try:
            cut_item = queryset.get(pk=request.POST.get("cut_item"))
            pasted_on = queryset.get(pk=request.POST.get("pasted_on"))
        except (PlanNode.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("項目が見つかりません。"), level=messages.ERROR)
            return HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, cut_item):
            self.message_user(request, _("権限がありません。"), level=messages.ERROR)
            return HttpResponse("FAIL, no permission.")
        try:
            services.node_move(node=cut_item, target=pasted_on, position=position)
        except (InvalidMove, ValidationError, ValueError) as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return HttpResponse("FAIL, invalid move.")
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[cut_item],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["parent"]}}],
            single_object=True,
        )
        self.message_user(request, _("%s を移動しました。") % cut_item)
        return HttpResponse("OK, moved.")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(MunicipalityScopedAdmin, SimpleHistoryAdmin):
    list_display = ["term", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan__municipality"]
    search_fields = ["term", "definition"]
