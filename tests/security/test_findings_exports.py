"""Formula injection: the admin's CSV and XLSX exports wrote staff text as live formulas."""

import csv
import io

import openpyxl
from django.urls import reverse

from exports.spreadsheets import ExcelCSV
from plans.models import PlanNode

HOSTILE_TITLES = ['=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+2"]


def export(client, fmt: int) -> bytes:
    response = client.post(reverse("admin:plans_plannode_export"), {"format": fmt, "resource": 0})
    assert response.status_code == 200, response.content[:500]
    return response.content


def plant_titles(city) -> list[PlanNode]:
    nodes = list(PlanNode.objects.filter(plan__municipality=city).order_by("pk")[:4])
    for node, title in zip(nodes, HOSTILE_TITLES, strict=True):
        PlanNode.objects.filter(pk=node.pk).update(title=title)
    return nodes


def test_xlsx_export_writes_formula_like_text_as_text(cities, clerk_a, client):
    plant_titles(cities[0])
    client.force_login(clerk_a)
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, 0))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value in HOSTILE_TITLES]
    assert sorted(cell.value for cell in cells) == sorted(HOSTILE_TITLES)  # the text is whole
    assert {cell.data_type for cell in cells} == {"s"}  # and none is a formula


def test_csv_export_neutralises_formulae_and_reads_back_the_same_text(cities, clerk_a, client):
    plant_titles(cities[0])
    client.force_login(clerk_a)
    data = export(client, 1)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row if cell.lstrip("'") in HOSTILE_TITLES]
    assert sorted(cells) == sorted(f"'{title}" for title in HOSTILE_TITLES)
    read_back = ExcelCSV().create_dataset(data)
    titles = [cell for row in read_back for cell in row if cell in HOSTILE_TITLES]
    assert sorted(titles) == sorted(HOSTILE_TITLES)
