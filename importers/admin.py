"""The import history in the admin (read-only), and the staff upload of plan files.

Upload → preview → apply as a draft, or cancel. The preview parses the files and runs the
same import as ``manage.py import_plan`` in a transaction that is rolled back (``dry_run``), so
it shows the tree, the KPIs, every warning and what would change, and writes nothing. Only
municipalities the user edits are offered, and "apply" checks that again.
"""

from django.contrib import admin, messages
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from plans import tenancy
from plans.admin import TenantAdmin
from plans.models import Municipality, Plan

from .forms import (
    PREVIEW_EXPIRED,
    PlanUploadForm,
    discard_files,
    read_payload,
    signed_payload,
    take_files,
)
from .models import ImportRun
from .parsing import ParseError, parse_files
from .selectors import import_target_for
from .services import ImportFailed, plan_import
from .uploads import UploadGone


@admin.register(ImportRun)
class ImportRunAdmin(TenantAdmin):
    """What each import read and reported; written by import_plan and the upload."""

    list_display = ["plan", "number", "layout", "created_at"]
    list_filter = ["plan"]
    list_select_related = ["plan__municipality"]
    readonly_fields = ["plan", "number", "sources", "layout", "report", "created_at"]
    exclude = ["outline"]
    change_list_template = "admin/importers/importrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("upload/", upload, name="importers_importrun_upload"), *super().get_urls()]

    def editable_municipalities(self, request):
        """Where the user may add a plan: the one question of plans.tenancy."""
        municipalities = Municipality.objects.order_by("slug")
        return tenancy.scope_for(municipalities, request.user, Plan, tenancy.ADD)

    def upload_view(self, request):
        """GET: the form; POST: a preview, "apply" or "cancel"."""
        if not self.has_view_permission(request):
            return self._refused(request)
        if request.method == "POST" and "payload" in request.POST:
            return self._apply_or_cancel(request)
        municipalities = self.editable_municipalities(request)
        form = PlanUploadForm(
            request.POST or None, request.FILES or None, municipalities=municipalities
        )
        if request.method == "POST" and form.is_valid():
            municipality = form.cleaned_data["municipality"]
            preview = self._preview(request, municipality, form.cleaned_data["files"])
            if "error" not in preview:
                preview["payload"] = signed_payload(municipality.pk, form.cleaned_data["files"])
                return self._render(request, "admin/importers/upload_preview.html", preview)
            form.add_error("files", preview["error"])
        return self._render(request, "admin/importers/upload.html", {"form": form})

    def _preview(self, request, municipality: Municipality, files: list[tuple[str, bytes]]) -> dict:
        """What applying would do, computed in a rolled-back import: writes nothing."""
        try:
            parsed = parse_files(files)
            target, plan = import_target_for(municipality.slug, parsed=parsed)
            result = plan_import(
                actor=request.user,
                parsed=parsed,
                municipality=target,
                plan=plan,
                dry_run=True,
            )
        except (ParseError, ImportFailed) as error:
            return {"error": error_text(error)}
        return {
            "municipality": municipality,
            "parsed": parsed,
            "plan": plan,
            "result": result,
            "outline": _outline(parsed.nodes, parsed.level_names),
        }

    def _apply_or_cancel(self, request):
        changelist = reverse("admin:importers_importrun_changelist")
        try:
            municipality_id, kept = read_payload(request.POST["payload"])
        except signing.BadSignature:
            municipality_id, kept = None, []
        if "cancel" in request.POST:
            discard_files(kept)
            self.message_user(request, _("取り込みを取り消しました。何も書き込んでいません。"))
            return redirect(changelist)
        if municipality_id is None:
            self.message_user(request, PREVIEW_EXPIRED, messages.ERROR)
            return redirect("admin:importers_importrun_upload")
        municipality = self.editable_municipalities(request).filter(pk=municipality_id).first()
        if municipality is None:  # tenancy asked again: not (or no longer) this user's city
            discard_files(kept)
            return self._refused(request)
        try:
            files = take_files(kept)
        except UploadGone as gone:  # applied already (or expired): nothing is written twice
            self.message_user(request, str(gone), messages.WARNING)
            return redirect("admin:importers_importrun_upload")
        try:
            with transaction.atomic():
                parsed = parse_files(files)
                target, plan = import_target_for(municipality.slug, parsed=parsed)
                result = plan_import(
                    actor=request.user, parsed=parsed, municipality=target, plan=plan
                )
        except (ParseError, ImportFailed) as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return redirect("admin:importers_importrun_upload")
        self.message_user(
            request,
            _("%(plan)s を下書きとして取り込みました（%(nodes)s 項目、%(kpis)s 指標）。")
            % {
                "plan": f"{municipality.name} {plan.slug}",
                "nodes": result.counts.get("nodes", 0),
                "kpis": result.counts.get("indicators", 0),
            },
        )
        return redirect(changelist)

    def _refused(self, request):
        self.message_user(request, _("この自治体の計画は取り込めません。"), messages.ERROR)
        return redirect("admin:index")

    def _render(self, request, template: str, context: dict):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("計画ファイルの取り込み"),
            **context,
        }
        return TemplateResponse(request, template, context)


def _outline(nodes, level_names: list[str]) -> list[dict]:
    """The parsed tree for the preview template: title, code, level label, KPIs, children."""
    return [
        {
            "title": node.title,
            "code": node.code,
            "level_label": level_names[node.level] if node.level < len(level_names) else "",
            "indicators": node.indicators,
            "children": _outline(node.children, level_names),
        }
        for node in nodes
    ]


def error_text(error: ParseError | ImportFailed) -> str:
    """The reader's refusal in the staff's words: which file, which line, what it expected."""
    if not isinstance(error, ParseError):
        return str(error)
    where = error.source
    if error.line:
        where = _("%(source)s の %(line)s 行目") % {"source": error.source, "line": error.line}
    text = _("%(where)sを計画として読めませんでした。必要なもの: %(expected)s") % {
        "where": where,
        "expected": error.expected,
    }
    if error.found:
        text += _("（見つかったもの: 「%(found)s」）") % {"found": error.found}
    return text
