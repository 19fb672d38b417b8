"""A KPI's page sits under its plan: /<municipality>/<plan>/kpi/<pk>/."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("<slug:municipality>/<slug:plan>/kpi/<int:pk>/", views.indicator_detail, name="detail"),
]
