"""The staff screen 「年度実績の入力」: every KPI's actual for one year on one page.

Reached from the admin (``IndicatorValueAdmin.get_urls``): choose a plan the user may edit (or
one of its 基本目標/基本施策) and a fiscal year; one page shows every KPI with its baseline,
target and last year's actual; one submit saves them all through
``services.yearly_values_save`` in one transaction, refusing if someone changed an actual
since the page was shown.
"""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from plans import tenancy
from plans.models import Plan

from . import services
from .forms import YearChoiceForm, YearlyValuesForm
from .models import Indicator, IndicatorValue

TEMPLATE = "admin/indicators/indicatorvalue/yearly_entry.html"


def yearly_entry(request, model_admin):
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    plans = editable_plans(request.user)
    choice = YearChoiceForm(request.GET or None, plans=plans)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("年度実績の入力"),
        "opts": model_admin.model._meta,
        "choice": choice,
    }
    if not choice.is_bound or not choice.is_valid():
        return TemplateResponse(request, TEMPLATE, context)
    plan, node, year = (choice.cleaned_data[k] for k in ("plan", "node", "year"))
    indicators = _indicators(plan, node)
    current, previous = _values(indicators, year)
    form = YearlyValuesForm(request.POST or None, indicators=indicators, current=current)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, plan, year)
        if saved:
            return HttpResponseRedirect(request.get_full_path())
    context |= {
        "plan": plan,
        "node": node,
        "year": year,
        "form": form,
        "rows": [replace(row, previous=previous.get(row.indicator.pk)) for row in form.rows()],
    }
    return TemplateResponse(request, TEMPLATE, context)


def editable_plans(user):
    """Plans in which ``user`` may change yearly values (the tenancy question)."""
    plans = Plan.objects.select_related("municipality")
    return tenancy.scope_for(plans, user, IndicatorValue, tenancy.CHANGE)


def _indicators(plan: Plan, node) -> list[Indicator]:
    """The KPIs of the plan, or of the node and everything under it, in plan order."""
    kpis = Indicator.objects.filter(plan=plan).select_related("node")
    if node is not None:
        kpis = kpis.filter(
            node__tree_id=node.tree_id, node__lft__gte=node.lft, node__rght__lte=node.rght
        )
    return list(kpis.order_by("node__tree_id", "node__lft", "order", "pk"))


def _values(indicators: list[Indicator], year: int) -> tuple[dict, dict]:
    """{KPI id: value} for ``year`` and for the year before (one query)."""
    current, previous = {}, {}
    ids = [indicator.pk for indicator in indicators]
    rows = IndicatorValue.objects.filter(
        Q(fiscal_year=year) | Q(fiscal_year=year - 1), indicator_id__in=ids
    )
    for row in rows:
        (current if row.fiscal_year == year else previous)[row.indicator_id] = row
    return current, previous


def _save(request, form: YearlyValuesForm, plan: Plan, year: int) -> bool:
    try:
        changes = services.yearly_values_save(
            plan=plan,
            fiscal_year=year,
            entries=form.entries(),
            stamps=form.stamps(),
            actor=request.user,
            reason=_("年度実績の入力"),
        )
    except services.StaleValues as stale:
        names = "、".join(indicator.name for indicator in stale.indicators)
        form.add_error(None, f"{stale} （{names}）")
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    added = sum(c.before is None for c in changes)
    removed = sum(c.after is None for c in changes)
    messages.success(
        request,
        _("実績を保存しました（追加 %(added)s件、変更 %(changed)s件、削除 %(removed)s件）。")
        % {"added": added, "changed": len(changes) - added - removed, "removed": removed},
    )
    return True
