"""Uploads in the admin import (django-import-export): a size limit, a temporary file that a
form field cannot point elsewhere, and a confirm step that can be sent twice."""

import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from exports.resources import IndicatorResource
from exports.spreadsheets import ExcelCSV
from exports.uploads import upload_folder
from indicators.models import Indicator

IMPORT = reverse("admin:indicators_indicator_import")
CONFIRM = reverse("admin:indicators_indicator_process_import")


def kpi_csv(plan, target: str) -> tuple[bytes, Indicator]:
    """The plan's KPI sheet as CSV, with the first KPI's 目標値 changed to ``target``."""
    resource = IndicatorResource(plan)
    dataset = resource.export(Indicator.objects.filter(plan=plan))
    kpi = Indicator.objects.filter(plan=plan).order_by("pk").first()
    column = dataset.headers.index("目標値")
    key_column = dataset.headers.index("キー")
    rows = [list(row) for row in dataset]
    for row in rows:
        if row[key_column] == kpi.key:
            row[column] = target
    dataset.dict = [dict(zip(dataset.headers, row, strict=True)) for row in rows]
    return ExcelCSV().export_data(dataset), kpi


def preview(client, plan, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "kpi.csv"
    return client.post(IMPORT, {"plan": plan.pk, "format": 1, "import_file": upload})


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_file_over_the_limit_is_refused_before_it_is_read(cities, clerk_a, client):
    plan = cities[0].plans.get()
    data, _ = kpi_csv(plan, "99")
    client.force_login(clerk_a)
    with override_settings(IMPORT_MAX_UPLOAD_BYTES=len(data) - 1):
        response = preview(client, plan, data)
    errors = str(response.context["form"].errors["import_file"])
    assert "ファイルが大きすぎます" in errors
    assert "confirm_form" not in response.context


def test_confirming_twice_applies_once_and_then_says_so(cities, clerk_a, client):
    """The second confirm was a 500 (FileNotFoundError in the temporary storage)."""
    plan = cities[0].plans.get()
    data, kpi = kpi_csv(plan, "99")
    client.force_login(clerk_a)
    confirm = preview(client, plan, data).context["confirm_form"]
    form = {name: confirm[name].value() for name in confirm.fields}
    assert client.post(CONFIRM, form).status_code == 302
    assert Indicator.objects.get(pk=kpi.pk).target_value == Decimal(99)
    Indicator.objects.filter(pk=kpi.pk).update(target_value=Decimal(1))
    again = client.post(CONFIRM, form)
    assert again.status_code == 302 and again["Location"] == IMPORT
    assert "既に確定したか" in said(again)
    assert Indicator.objects.get(pk=kpi.pk).target_value == Decimal(1)  # not applied again


def test_a_forged_file_name_reads_and_deletes_nothing(cities, clerk_a, client):
    """A forged import_file_name read, then deleted, any file of the temporary folder."""
    plan = cities[0].plans.get()
    data, _ = kpi_csv(plan, "99")
    victims = [Path(tempfile.gettempdir()) / "tenancy-victim.csv", upload_folder() / "victim"]
    for victim in victims:
        victim.write_bytes(data)
    client.force_login(clerk_a)
    confirm = preview(client, plan, data).context["confirm_form"]
    form = {name: confirm[name].value() for name in confirm.fields}
    for forged in [
        "tenancy-victim.csv",
        "../tenancy-victim.csv",
        "victim",
        form["import_file_name"] + "x",
    ]:
        response = client.post(CONFIRM, form | {"import_file_name": forged})
        assert response.status_code == 302 and response["Location"] == IMPORT, forged
    assert all(victim.exists() for victim in victims)
    for victim in victims:
        victim.unlink()
