"""Issue 10's finding "an old spreadsheet imported over newer edits silently reverts them":
every exported row carries its version (版), and the import refuses a row that someone saved
after the export where the file would overwrite that save — the preview names the cell with
its value at export, now and in the file, and nothing of the file is saved."""

import io
from decimal import Decimal

from django.urls import reverse

from exports.resources import IndicatorResource, IndicatorValueResource
from exports.spreadsheets import ExcelCSV
from indicators import services
from indicators.models import Indicator, IndicatorValue
from plans.tenancy import SYSTEM

from .test_findings_uploads import kpi_csv


def preview(client, model: str, plan, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "sheet.csv"
    url = reverse(f"admin:indicators_{model}_import")
    return client.post(url, {"plan": plan.pk, "format": 1, "import_file": upload})


def refusals(response) -> list[str]:
    """The preview's reasons for refusing rows (import-export's invalid rows)."""
    result = response.context["result"]
    return [str(m) for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]


def test_an_old_kpi_sheet_does_not_revert_a_baseline_saved_after_the_export(
    cities, clerk_a, client
):
    """Exported; someone saves the baseline 50; the old sheet (baseline as exported, a new
    target typed in) is refused in the preview and the baseline stays 50."""
    plan = cities[0].plans.get(slug="2023")
    data, kpi = kpi_csv(plan, "999")
    before = Indicator.objects.get(pk=kpi.pk)
    services.indicator_update(actor=SYSTEM, indicator=before, baseline_value=Decimal("50"))
    client.force_login(clerk_a)
    response = preview(client, "indicator", plan, data)
    assert response.context.get("confirm_form") is None  # no confirm button: nothing to save
    exported = "" if kpi.baseline_value is None else format(kpi.baseline_value.normalize(), "f")
    (reason,) = refusals(response)
    assert f"書き出し時「{exported}」、現在「50」" in reason
    assert "他の人がこの値を保存しました" in response.content.decode()
    after = Indicator.objects.get(pk=kpi.pk)
    assert after.baseline_value == Decimal("50") and after.target_value == kpi.target_value


def test_an_old_yearly_values_sheet_does_not_revert_a_value_saved_after_the_export(
    cities, clerk_a, client
):
    plan = cities[0].plans.get(slug="2023")
    value = IndicatorValue.objects.filter(indicator__plan=plan).order_by("pk").first()
    resource = IndicatorValueResource(plan)
    dataset = resource.export(IndicatorValue.objects.filter(indicator__plan=plan))
    services.indicator_value_set(
        actor=SYSTEM, indicator=value.indicator, fiscal_year=value.fiscal_year, value=Decimal("77")
    )
    client.force_login(clerk_a)
    response = preview(client, "indicatorvalue", plan, ExcelCSV().export_data(dataset))
    assert response.context.get("confirm_form") is None
    assert any("現在「77」" in reason for reason in refusals(response))
    assert IndicatorValue.objects.get(pk=value.pk).value == Decimal("77")


def test_a_sheet_exported_after_the_edit_imports(cities, clerk_a, client):
    """The same edit made on a fresh export goes through: the version is no obstacle."""
    plan = cities[0].plans.get(slug="2023")
    kpi = Indicator.objects.filter(plan=plan).order_by("pk").first()
    services.indicator_update(actor=SYSTEM, indicator=kpi, baseline_value=Decimal("50"))
    data, kpi = kpi_csv(plan, "999")
    client.force_login(clerk_a)
    response = preview(client, "indicator", plan, data)
    assert refusals(response) == []
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("admin:indicators_indicator_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    after = Indicator.objects.get(pk=kpi.pk)
    assert after.baseline_value == Decimal("50") and after.target_value == Decimal("999")


def test_a_row_without_its_version_does_not_overwrite(cities, clerk_a, client):
    """A row whose 版 was cleared (or typed by hand) changes no saved value."""
    plan = cities[0].plans.get(slug="2023")
    resource = IndicatorResource(plan)
    dataset = resource.export(Indicator.objects.filter(plan=plan))
    rows = [list(row) for row in dataset]
    version, target = dataset.headers.index("版"), dataset.headers.index("目標値")
    rows[0][version], rows[0][target] = "", "999"
    dataset.dict = [dict(zip(dataset.headers, row, strict=True)) for row in rows]
    client.force_login(clerk_a)
    response = preview(client, "indicator", plan, ExcelCSV().export_data(dataset))
    assert any("版の列が空です" in reason for reason in refusals(response))
    assert not Indicator.objects.filter(plan=plan, target_value=Decimal("999")).exists()
