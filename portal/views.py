"""Public pages: home, municipality, plan, node, KPI and search. Read-only; drafts are invisible."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from . import dashboard, history, kpi_selectors, selectors
from . import search as finder
from .cache import cached_page, plan_version, site_version
from .context_processors import TEXT_SIZE_COOKIE

TEXT_SIZES = ("normal", "large", "xlarge")


@require_GET
@cached_page(site_version)
def home(request):
    return render(
        request,
        "portal/home.html",
        {"prefectures": selectors.prefectures_with_plans()},
    )


@require_GET
@cached_page(site_version)
def municipality_detail(request, municipality):
    entries = selectors.municipalities_with_plans(municipality)
    if not entries:
        raise Http404("No municipality with a published plan here.")
    return render(request, "portal/municipality.html", {"entry": entries[0]})


@require_GET
@cached_page(plan_version)
def plan_detail(request, municipality, plan):
    plan = selectors.public_plan(municipality, plan)
    sdg = selectors.parse_small_int(request.GET.get("sdg", ""), 1, 17)
    goals = selectors.sdg_goals()
    tree = selectors.plan_tree(plan, sdg=sdg, goals=goals)
    return render(
        request,
        "portal/plan.html",
        {
            "plan": plan,
            "tree": tree,
            "sdg_goals": goals,
            "sdg": next((goal for goal in goals if goal.number == sdg), None),
            "glossary": selectors.plan_glossary(plan),
        },
    )


@require_GET
@cached_page(plan_version)
def node_detail(request, municipality, plan, node):
    page = selectors.node_page(municipality, plan, node)
    context = {"plan": page.node.plan, "page": page, "kpis": page.kpis}
    return render(request, "portal/node.html", context)


@require_GET
@cached_page(plan_version)
def indicator_detail(request, municipality, plan, pk):
    """The KPI page: definition, baseline → target, yearly values, chart and table."""
    plan = selectors.public_plan(municipality, plan)
    status = kpi_selectors.public_indicator(plan, pk)
    breadcrumb = selectors.lineage(plan, status.indicator.node_id)
    node = status.indicator.node = breadcrumb[-1]
    return render(
        request,
        "portal/indicator.html",
        {"plan": plan, "status": status, "node": node, "ancestors_and_node": breadcrumb},
    )


@require_GET
@cached_page(plan_version)
def indicator_history(request, municipality, plan, pk):
    """The KPI's 更新履歴: each change of its yearly values with its date."""
    plan = selectors.public_plan(municipality, plan)
    status = kpi_selectors.public_indicator(plan, pk)
    breadcrumb = selectors.lineage(plan, status.indicator.node_id)
    status.indicator.node = breadcrumb[-1]
    found = history.kpi_history(plan, status.indicator.pk)
    return render(
        request,
        "portal/indicator_history.html",
        {
            "plan": plan,
            "status": status,
            "ancestors_and_node": breadcrumb,
            "entries": found.entries,
            "show_editors": found.show_editors,
        },
    )


@require_GET
@cached_page(plan_version)
def plan_dashboard(request, municipality, plan):
    """Every KPI of the plan with its status: filters, sort, counts per 基本目標, CSV."""
    plan = selectors.public_plan(municipality, plan)
    board = dashboard.plan_dashboard(plan, request.GET)
    return render(
        request,
        "portal/dashboard.html",
        {
            "plan": plan,
            "board": board,
            "sorts": list(dashboard.SORT_LABELS.items()),
        },
    )


@require_GET
def plan_dashboard_csv(request, municipality, plan):
    """The dashboard's KPIs, filtered and sorted the same way, as CSV (not kept in the page
    cache: that keeps no download headers)."""
    plan = selectors.public_plan(municipality, plan)
    return dashboard.csv_response(plan, dashboard.plan_dashboard(plan, request.GET))


@require_GET
@cached_page(site_version)
def search(request):
    filters = finder.search_filters(
        query=request.GET.get("q", ""),
        prefecture=request.GET.get("pref", ""),
        municipality=request.GET.get("city", ""),
        plan_ref=request.GET.get("plan", ""),
        level=request.GET.get("level", ""),
        sdg=request.GET.get("sdg", ""),
        page=request.GET.get("page", ""),
    )
    results, kpis = finder.search_nodes(filters), finder.search_indicators(filters)

    def page_url(page: int) -> str:
        query = request.GET.copy()
        query["page"] = str(page)
        return "?" + query.urlencode()

    more = results.has_next or kpis.has_next
    return render(
        request,
        "portal/search.html",
        {
            "filters": filters,
            "results": results,
            "kpis": kpis,
            "previous_url": page_url(filters.page - 1) if filters.page > 1 else "",
            "next_url": page_url(filters.page + 1) if more else "",
            "per_page": finder.PER_PAGE,
            "municipalities": finder.municipality_choices(filters),
            "count_cap": finder.COUNT_CAP,
            **finder.form_choices(filters, selectors.sdg_goals()),
        },
    )


@require_GET
def text_size(request):
    """Remember the reader's text size in a cookie and go back (works without JavaScript)."""
    size = request.GET.get("size", "normal")
    response = HttpResponseRedirect(_safe_next(request))
    if size in TEXT_SIZES and size != "normal":
        response.set_cookie(TEXT_SIZE_COOKIE, size, max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE)
    return response


@require_GET
def language(request):
    """Switch the interface language (a cookie) and go back.

    A link rather than Django's POST form: a form on every page would give every page a CSRF
    cookie and ``Vary: Cookie``.
    """
    code = request.GET.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


def _safe_next(request) -> str:
    """The ``next`` URL if it stays on this site, else the home page."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")
