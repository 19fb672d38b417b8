"""Readable public URLs: /<municipality>/<plan>/<node code or key>/ and
/<municipality>/<plan>/kpi/<pk>/ for a KPI."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("text-size/", views.text_size, name="text_size"),
    path("language/", views.language, name="language"),
    path("<slug:municipality>/", views.municipality_detail, name="municipality"),
    path("<slug:municipality>/<slug:plan>/", views.plan_detail, name="plan"),
    # The KPI pattern must come before the catch-all node pattern.
    path(
        "<slug:municipality>/<slug:plan>/kpi/<int:pk>/",
        views.indicator_detail,
        name="indicator",
    ),
    path(
        "<slug:municipality>/<slug:plan>/kpi/<int:pk>/history/",
        views.indicator_history,
        name="indicator_history",
    ),
    path("<slug:municipality>/<slug:plan>/kpis/", views.plan_dashboard, name="dashboard"),
    path(
        "<slug:municipality>/<slug:plan>/kpis.csv",
        views.plan_dashboard_csv,
        name="dashboard_csv",
    ),
    path("<slug:municipality>/<slug:plan>/<str:node>/", views.node_detail, name="node"),
]
