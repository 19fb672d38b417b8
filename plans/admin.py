"""Staff admin for municipalities, plans and plan trees, scoped to each user's municipalities.

The plan and node admins are defined here and registered once, by ``exports.admin``, which adds
the KPIs (``indicators.admin``) and the Excel side: plans imports none of the apps above it.
"""

from functools import wraps

from django import forms
from django.contrib import admin
from django.contrib import messages as admin_messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin
from mptt.exceptions import InvalidMove
from simple_history.admin import SimpleHistoryAdmin

from . import messages, services, tenancy
from .concurrency import EditTokenModelForm
from .models import (
    CrossReference,
    GlossaryTerm,
    Membership,
    Municipality,
    NodeSection,
    Plan,
    PlanNode,
    SdgGoal,
)


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that names only objects the user may choose (never another city's)."""

    def __init__(self, rel, admin_site, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        pk = tenancy.parse_id(value)
        if pk is None or not self.queryset.filter(pk=pk).exists():
            return "", ""
        return super().label_and_url_for_value(value)


class TenantFormfieldMixin:
    """Choices of foreign keys and many-to-many fields limited to what the user may act on."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scoped_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scoped_choices(field, db_field, request)

    def _scoped_choices(self, field, db_field, request):
        if field is None or tenancy.is_superuser(request.user):
            return field
        related = db_field.related_model
        if tenancy.tenancy_path(related) is not None:
            field.queryset = tenancy.scope_for(
                field.queryset, request.user, self.model, tenancy.CHANGE
            )
        elif related is get_user_model():
            field.queryset = field.queryset.none()
        widget = getattr(field.widget, "widget", field.widget)
        if type(widget) is ForeignKeyRawIdWidget:
            scoped = ScopedRawIdWidget(widget.rel, widget.admin_site, field.queryset)
            scoped.attrs = widget.attrs
            if field.widget is widget:
                field.widget = scoped
            else:
                field.widget.widget = scoped
        return field


class TenantAdmin(TenantFormfieldMixin, admin.ModelAdmin):
    """The admin of a model that belongs to a municipality: every view asks :mod:`plans.tenancy`.

    Lists, choices, list filters, autocomplete and exports see only the user's rows; change,
    delete, history and revert of another city's object answer 404, and saving checks the
    object again (a form cannot point it elsewhere). Change forms carry an edit token
    (:mod:`plans.concurrency`): a save from a stale form saves nothing.
    """

    form = EditTokenModelForm

    def get_queryset(self, request):
        return tenancy.scope(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another city's object and a missing one look the same: not found.
            raise Http404
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        allowed = self._allowed(request, obj, tenancy.CHANGE)
        return super().has_change_permission(request, obj) and allowed

    def has_delete_permission(self, request, obj=None):
        allowed = self._allowed(request, obj, tenancy.DELETE)
        return super().has_delete_permission(request, obj) and allowed

    def _allowed(self, request, obj, action):
        return obj is None or tenancy.allowed(request.user, obj, action)

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        tenancy.require(request.user, obj, tenancy.CHANGE if change else tenancy.ADD)
        return obj

    def get_list_filter(self, request):
        """Related filters offer only the rows the user sees (not every city's plan titles)."""
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
            return (entry, admin.RelatedOnlyFieldListFilter)
        return entry

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version: only of one's own objects; reverting needs the change permission."""
        current = self.get_object(request, unquote(object_id))
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class TenantInline(TenantFormfieldMixin, InlineModelAdmin):
    """An inline of a tenant model: the parent object decides, through the same question."""

    form = EditTokenModelForm

    def get_queryset(self, request):
        return tenancy.scope(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        allowed = obj is None or tenancy.allowed(request.user, obj, tenancy.VIEW)
        return super().has_view_permission(request, obj) and allowed

    def has_add_permission(self, request, obj=None):
        allowed = obj is None or tenancy.allowed(request.user, obj, tenancy.CHANGE)
        return super().has_add_permission(request, obj) and allowed

    def has_change_permission(self, request, obj=None):
        allowed = obj is None or tenancy.allowed(request.user, obj, tenancy.CHANGE)
        return super().has_change_permission(request, obj) and allowed

    def has_delete_permission(self, request, obj=None):
        allowed = obj is None or tenancy.allowed(request.user, obj, tenancy.CHANGE)
        return super().has_delete_permission(request, obj) and allowed


def _superusers_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not tenancy.is_superuser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """A shared table (SDGゴール, users, groups, login records): superusers only.

    The admin site gives every model without ``tenancy_path`` this base
    (:class:`plans.admin_site.PortalAdminSite`).
    """

    def get_urls(self):
        """Every URL of the admin, its own extra views included, refuses others first."""
        urls = super().get_urls()
        for pattern in urls:
            pattern.callback = _superusers_only(pattern.callback)
        return urls

    def has_module_permission(self, request):
        return tenancy.is_superuser(request.user)

    def has_view_permission(self, request, obj=None):
        return tenancy.is_superuser(request.user)

    def has_add_permission(self, request):
        return tenancy.is_superuser(request.user)

    def has_change_permission(self, request, obj=None):
        return tenancy.is_superuser(request.user)

    def has_delete_permission(self, request, obj=None):
        return tenancy.is_superuser(request.user)


class MembershipForm(forms.ModelForm):
    """A staff member named by user name: the form never lists the portal's users."""

    username = forms.CharField(label=_("ユーザー名"), max_length=150)

    class Meta:
        model = Membership
        fields = ["username", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id is not None:
            self.fields["username"].initial = self.instance.user.get_username()

    def clean_username(self):
        username = self.cleaned_data["username"]
        user = get_user_model()._default_manager.filter(
            username=username, is_active=True, is_staff=True
        )
        if not user.exists():
            raise ValidationError(messages.STAFF_UNKNOWN, code="staff_unknown")
        self.instance.user = user.get()
        return username


class MembershipInline(TenantInline, admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("ユーザー名"))
    def username(self, obj):
        """The user name where the inline is read-only (an editor's view of their city)."""
        return obj.user.get_username()

    def _allowed(self, request, obj):
        return obj is None or tenancy.allowed(request.user, obj, tenancy.ADMINISTER)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Municipality)
class MunicipalityAdmin(TenantAdmin, SimpleHistoryAdmin):
    """A city and its staff; only its municipality admins (and superusers) change them."""

    list_display = ["name", "prefecture", "local_gov_code", "slug", "plan_count"]
    search_fields = ["name", "name_kana", "local_gov_code"]
    # By 地方公共団体コード: north to south, as the national table lists them (and a stable
    # order for the autocomplete's pages).
    ordering = ["local_gov_code", "name"]
    fields = ["name", "name_kana", "prefecture", "local_gov_code", "slug"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(plan_total=Count("plans"))

    def has_add_permission(self, request):
        return tenancy.is_superuser(request.user)

    @admin.display(description=_("計画数"), ordering="plan_total")
    def plan_count(self, obj):
        return obj.plan_total


class PlanAdmin(TenantAdmin, SimpleHistoryAdmin):
    list_display = ["title", "municipality", "period", "status", "node_count", "updated_at"]
    list_filter = ["status", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    # A city's plans together, newest first (and a stable order for the autocomplete's pages).
    ordering = ["municipality__local_gov_code", "municipality__name", "-first_fiscal_year", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(node_total=Count("nodes"))

    def get_readonly_fields(self, request, obj=None):
        """Only publishers (and municipality admins) publish or withdraw a plan."""
        readonly = list(super().get_readonly_fields(request, obj))
        may_publish = tenancy.allowed(request.user, obj, tenancy.PUBLISH) if obj else False
        if not (may_publish or tenancy.is_superuser(request.user)):
            readonly.append("status")
        return readonly

    @admin.display(description=_("計画期間"))
    def period(self, obj):
        return f"{obj.first_fiscal_year or '—'}–{obj.last_fiscal_year or '—'}"

    @admin.display(description=_("項目数"), ordering="node_total")
    def node_count(self, obj):
        return obj.node_total


@admin.register(SdgGoal)
class SdgGoalAdmin(SuperuserOnlyAdmin):
    list_display = ["number", "name", "name_en"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NodeSectionInline(TenantInline, admin.StackedInline):
    model = NodeSection
    extra = 0
    fields = ["order", "heading", "body"]


class CrossReferenceInline(TenantInline, admin.TabularInline):
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
        plan_id = request.GET.get("plan__id__exact", "")
        plans = tenancy.scope(Plan.objects.all(), request.user)
        pk = tenancy.parse_id(plan_id)
        plan = plans.filter(pk=pk).first() if pk is not None else None
        names = plan.level_names if plan else []
        depth = max(len(names), 4)
        return [
            (str(i), names[i] if i < len(names) else _("第%d階層") % (i + 1)) for i in range(depth)
        ]

    def queryset(self, request, queryset):
        level = tenancy.parse_id(self.value())
        if level is not None:
            return queryset.filter(level=level)
        return queryset


class PlanNodeForm(EditTokenModelForm):
    def clean(self):
        cleaned = super().clean()
        parent, plan = cleaned.get("parent"), cleaned.get("plan")
        if self.instance.pk is None and parent is not None and plan is not None:
            services.node_insert_check(parent=parent, plan=plan)
        return cleaned


class PlanNodeAdmin(TenantAdmin, SimpleHistoryAdmin, DraggableMPTTAdmin):
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
    form = PlanNodeForm
    inlines = [NodeSectionInline, CrossReferenceInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description=_("階層"))
    def level_name(self, obj):
        return obj.level_label

    @admin.display(description=_("名称"))
    def indented_title(self, item):
        """Indented by a class per level: the Content-Security-Policy refuses style attributes."""
        return format_html('<div class="tree-level-{}">{}</div>', min(item.level, 9), item)

    def get_readonly_fields(self, request, obj=None):
        # A node's place changes only by drag and drop in the list, which takes the plan's lock.
        return ["plan", "parent"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            fields = [f for f in form.changed_data if f != "sdg_goals"]
            services.node_update(
                actor=request.user, node=obj, **{f: getattr(obj, f) for f in fields}
            )
        else:
            services.node_insert(actor=request.user, node=obj)

    def delete_model(self, request, obj):
        services.node_delete(actor=request.user, node=obj)

    def delete_selected_tree(self, modeladmin, request, queryset):
        """The list's delete action: Django's, which calls ``delete_queryset`` below.

        mptt's own deletes with tree updates delayed and without the plan's lock.
        """
        return delete_selected(modeladmin, request, queryset)

    def delete_queryset(self, request, queryset):
        # Deepest first: a node deleted before its selected parent is not deleted twice.
        for node in queryset.order_by("-level"):
            services.node_delete(actor=request.user, node=node)

    def _move_node(self, request):
        """Drag-and-drop moves, through the locking service (mptt's own skips the plan lock)."""
        position = request.POST.get("position")
        queryset = self.get_queryset(request)
        try:
            cut_item = queryset.get(pk=request.POST.get("cut_item"))
            pasted_on = queryset.get(pk=request.POST.get("pasted_on"))
        except (PlanNode.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("項目が見つかりません。"), level=admin_messages.ERROR)
            return HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, cut_item):
            self.message_user(request, _("権限がありません。"), level=admin_messages.ERROR)
            return HttpResponse("FAIL, no permission.")
        try:
            services.node_move(
                actor=request.user, node=cut_item, target=pasted_on, position=position
            )
        except (InvalidMove, ValidationError, ValueError) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, reason, level=admin_messages.ERROR)
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
class GlossaryTermAdmin(TenantAdmin, SimpleHistoryAdmin):
    list_display = ["term", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan__municipality"]
    search_fields = ["term", "definition"]
