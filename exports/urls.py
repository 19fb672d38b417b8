from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path(
        "<slug:municipality>/<slug:plan>/workbook.xlsx", views.plan_workbook, name="plan_workbook"
    ),
    path("<slug:municipality>/<slug:plan>/outline.json", views.plan_outline, name="plan_outline"),
]
