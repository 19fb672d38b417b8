"""Round trip: export → change cells in Excel → the preview lists exactly those changes →
confirm applies them in one transaction → the same file again changes nothing."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from exports.resources import IndicatorResource, import_changes, import_problems
from exports.spreadsheets import ExcelCSV, SafeXLSX
from indicators.models import Indicator, IndicatorValue
from plans.tenancy import SYSTEM
from tests.exports.excel_samples import build_small_plan, load_sample_plan


def export_xlsx(plan) -> bytes:
    return SafeXLSX().export_data(IndicatorResource(plan=plan).export(force_native_type=True))


def edit_xlsx(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """Change cells the way a planner does in Excel: (KPI key, column) → new value."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    rows = {row[headers.index("キー")].value: row for row in sheet.iter_rows(min_row=2)}
    for (key, column), value in edits.items():
        rows[key][headers.index(column)].value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_file(plan, data: bytes, *, dry_run: bool):
    resource = IndicatorResource(plan=plan, actor=SYSTEM)
    dataset = SafeXLSX().create_dataset(data)
    result = resource.import_data(dataset, dry_run=dry_run, rollback_on_validation_errors=True)
    return import_problems(resource, result), import_changes(result)


def test_preview_lists_exactly_the_edited_cells_then_applies_them(plan):
    """A changed target and a new yearly value: previewed, applied, then idempotent."""
    build_small_plan(plan)
    edited = edit_xlsx(export_xlsx(plan), {("kai", "目標値"): 90, ("npo", "2025年度実績"): 45})

    problems, preview = import_file(plan, edited, dry_run=True)
    assert problems == []
    assert [(c.row, c.key, c.column, c.old, c.new) for c in preview] == [
        (2, "kai", "目標値", Decimal("85"), Decimal("90")),
        (3, "npo", "2025年度実績", None, Decimal("45")),
    ]
    assert Indicator.objects.get(key="kai").target_value == Decimal("85")  # a dry run
    assert not IndicatorValue.objects.filter(fiscal_year=2025).exists()

    problems, applied = import_file(plan, edited, dry_run=False)
    assert problems == [] and applied == preview
    kai = Indicator.objects.get(key="kai")
    assert (kai.target_value, kai.target_raw) == (Decimal("90"), "90%以上")
    value = IndicatorValue.objects.get(indicator__key="npo", fiscal_year=2025)
    assert (value.value, value.raw_text) == (Decimal("45"), "45団体")

    assert import_file(plan, edited, dry_run=False) == ([], [])


def test_a_cp932_csv_from_excel_imports(plan):
    """A KPI sheet saved by Japanese Excel as CSV (Shift_JIS) imports like the XLSX."""
    build_small_plan(plan)
    text = ExcelCSV().export_data(IndicatorResource(plan=plan).export()).decode("utf-8-sig")
    text = text.replace("\r\n", "\n")
    lines = text.splitlines()
    lines[1] = re.sub(r",85,85\.00%,", ",88,85.00%,", lines[1])
    dataset = ExcelCSV().create_dataset("\r\n".join(lines).encode("cp932"))
    resource = IndicatorResource(plan=plan, actor=SYSTEM)
    result = resource.import_data(dataset, rollback_on_validation_errors=True)
    assert import_problems(resource, result) == []
    assert [(c.key, c.column, c.new) for c in import_changes(result)] == [
        ("kai", "目標値", Decimal("88"))
    ]
    assert Indicator.objects.get(key="kai").target_value == Decimal("88")


@pytest.fixture
def staff_client(client, municipality):
    user = get_user_model().objects.create_superuser("planner", "p@example.jp", "pw")
    client.force_login(user)
    return client


def test_admin_import_previews_then_confirms(staff_client, plan):
    """The admin: choose the plan and file, see the preview, confirm; the change is saved."""
    build_small_plan(plan)
    edited = edit_xlsx(export_xlsx(plan), {("kai", "目標値"): 90})
    url = reverse("admin:indicators_indicator_import")
    upload = io.BytesIO(edited)
    upload.name = "kpi.xlsx"
    response = staff_client.post(url, {"plan": plan.pk, "format": 0, "import_file": upload})
    assert response.status_code == 200
    result = response.context["result"]
    assert [(c.key, c.column) for c in import_changes(result)] == [("kai", "目標値")]
    assert Indicator.objects.get(key="kai").target_value == Decimal("85")
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = staff_client.post(reverse("admin:indicators_indicator_process_import"), data)
    assert response.status_code == 302
    assert Indicator.objects.get(key="kai").target_value == Decimal("90")


def test_admin_refuses_a_renamed_text_file_with_the_message(staff_client, plan):
    """A text file named .xlsx is refused with our message, not a stack trace."""
    upload = io.BytesIO("指標名\n".encode())
    upload.name = "kpi.xlsx"
    response = staff_client.post(
        reverse("admin:indicators_indicator_import"),
        {"plan": plan.pk, "format": 0, "import_file": upload},
    )
    assert "Excelブック" in str(response.context["form"].errors["import_file"])


def test_workbook_downloads_from_admin_and_public_url(staff_client, plan):
    """The planner workbook downloads from the plan admin and the public URL."""
    build_small_plan(plan)
    admin_url = reverse("admin:plans_plan_workbook", args=[plan.pk])
    public_url = reverse(
        "exports:plan_workbook", kwargs={"municipality": "omitama", "plan": "2023"}
    )
    for url in (admin_url, public_url):
        response = staff_client.get(url)
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["施策体系", "成果指標", "年度別実績"]


@pytest.mark.parametrize("slug", ["omitama", "honjo"])
def test_sample_plan_exports_and_reimports_unchanged(slug, db):
    """The 小美玉市 and 本庄市 samples: an untouched export imports with no change at all."""
    plan = load_sample_plan(slug)
    problems, changes = import_file(plan, export_xlsx(plan), dry_run=False)
    assert (problems, changes) == ([], [])
    kpi = Indicator.objects.get(plan=plan, name="自治会の加入率") if slug == "honjo" else None
    if kpi is not None:
        edited = edit_xlsx(export_xlsx(plan), {(kpi.key, "目標値"): 86})
        _, preview = import_file(plan, edited, dry_run=True)
        assert [(c.key, c.column, c.old, c.new) for c in preview] == [
            (kpi.key, "目標値", Decimal("85.00"), Decimal("86"))
        ]
