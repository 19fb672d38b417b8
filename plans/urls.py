"""Readable public URLs: /<municipality>/<plan>/<node code or key>/."""

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("text-size/", views.text_size, name="text_size"),
    path("language/", views.language, name="language"),
    path("<slug:municipality>/", views.municipality_detail, name="municipality"),
    path("<slug:municipality>/<slug:plan>/", views.plan_detail, name="plan"),
    path("<slug:municipality>/<slug:plan>/<str:node>/", views.node_detail, name="node"),
]
