"""The Excel side of the admin: imports go only into the staff member's own plans, CSV files
decode as what they are, and the plan workbook downloads only for the staff member's city."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from exports.admin import (
    IndicatorExcelAdmin,
    IndicatorValueExcelAdmin,
    PlanNodeExcelAdmin,
    PlanWorkbookAdmin,
)
from exports.resources import PlanNodeResource
from indicators.admin import IndicatorInline
from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.models import Plan, PlanNode
from tests.pages import select_options

IMPORT_PAGES = ["plans_plannode", "indicators_indicator", "indicators_indicatorvalue"]
CSV = 1  # the admin's formats: 0 Excel (.xlsx), 1 CSV


def upload(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.mark.parametrize("page", IMPORT_PAGES)
def test_the_import_form_offers_only_the_staff_members_plans(
    client, plan, earlier_plan, honjo, omitama_editor, page
):
    """A 小美玉市 editor imports into one of 小美玉市's two plans; 本庄市's draft is not offered."""
    client.force_login(omitama_editor)
    html = client.get(reverse(f"admin:{page}_import")).content.decode()
    assert sorted(select_options(html, "plan")) == [
        "小美玉市 第2次総合計画 前期基本計画",
        "小美玉市 第2次総合計画 後期基本計画",
    ]


def test_a_superuser_may_import_into_every_plan(client, plan, honjo):
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "pw"))
    html = client.get(reverse("admin:plans_plannode_import")).content.decode()
    assert sorted(select_options(html, "plan")) == [
        "小美玉市 第2次総合計画 後期基本計画",
        "本庄市 後期基本計画",
    ]


def test_an_import_posted_into_another_citys_plan_is_refused(client, plan, honjo, omitama_editor):
    """Posting 本庄市's plan id by hand: the form's error, no preview, nothing changed."""
    client.force_login(omitama_editor)
    data = "キー,名称\r\n5,乗っ取り\r\n".encode()
    response = client.post(
        reverse("admin:plans_plannode_import"),
        {"plan": honjo["plannode"].plan_id, "format": CSV, "import_file": upload(data, "x.csv")},
    )
    assert "plan" in response.context["form"].errors
    assert "result" not in response.context or response.context["result"] is None
    assert PlanNode.objects.get(pk=honjo["plannode"].pk).title == "市民生活分野"


# The node sheet as a planner saves it after renaming goal 1 (the columns the import requires;
# 版 is the row's version as exported).
RENAMED_NODE_CSV = (
    "計画,キー,階層,コード,名称,重点,担当部局,SDGs,版\r\n"
    "omitama/2023,1,基本目標,1,防災のまちづくり,,,,{version}\r\n"
)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp932"], ids=["utf-8", "utf-8 with BOM", "Shift_JIS"]
)
def test_a_csv_imports_as_the_text_it_holds(client, plan, encoding):
    """A node renamed in a CSV saved as UTF-8 (LibreOffice, Google Sheets), UTF-8 with a BOM
    (our export) or Shift_JIS (Japanese Excel): previewed, confirmed, saved as the text."""
    services.node_create(plan=plan, title="みんなの力で磨くまちづくり", key="1", code="1")
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "pw"))
    exported = PlanNodeResource(plan).export()
    version = exported[0][exported.headers.index("版")]
    data = RENAMED_NODE_CSV.format(version=version).encode(encoding)
    response = client.post(
        reverse("admin:plans_plannode_import"),
        {"plan": plan.pk, "format": CSV, "import_file": upload(data, "nodes.csv")},
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]  # the preview, without errors
    assert confirm is not None, response.context["form"].errors
    response = client.post(
        reverse("admin:plans_plannode_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert PlanNode.objects.get(plan=plan, key="1").title == "防災のまちづくり"


# --- The plan workbook in the admin -----------------------------------------------------------


def test_staff_download_their_citys_workbook_only(client, plan, honjo, omitama_editor):
    """The admin's workbook link works for 小美玉市's plan and not for 本庄市's draft."""
    client.force_login(omitama_editor)
    own = client.get(reverse("admin:plans_plan_workbook", args=[plan.pk]))
    assert own.status_code == 200
    assert own["Content-Disposition"] == 'attachment; filename="omitama-2023.xlsx"'
    other = client.get(reverse("admin:plans_plan_workbook", args=[honjo["plannode"].plan_id]))
    assert other.status_code in (302, 403, 404)
    assert not other.get("Content-Disposition")


def test_plan_node_and_kpi_admins_are_the_excel_ones_with_kpis_inline():
    """Each model is registered in the admin once, by the app that composes its final admin."""
    registered = {model: type(admin.site.get_model_admin(model)) for model in admin.site._registry}
    assert registered[Plan] is PlanWorkbookAdmin
    assert registered[PlanNode] is PlanNodeExcelAdmin
    assert registered[Indicator] is IndicatorExcelAdmin
    assert registered[IndicatorValue] is IndicatorValueExcelAdmin
    assert IndicatorInline in PlanNodeExcelAdmin.inlines
