"""The plan page offers the plan's glossary and its downloads, and the downloads work."""

import io
import json

from openpyxl import load_workbook


def test_plan_page_shows_the_glossary(samples, client):
    html = client.get("/omitama/2023/").content.decode()
    assert '<h2 id="glossary">用語解説</h2>' in html
    assert "<dt>QOL</dt>" in html
    assert "<dt>ファシリティマネジメント</dt>" in html


def test_plan_without_glossary_has_no_glossary_heading(samples, client):
    assert 'id="glossary"' not in client.get("/honjo/2023/").content.decode()


def test_plan_page_links_to_working_downloads(samples, client):
    html = client.get("/omitama/2023/").content.decode()
    assert 'href="/downloads/omitama/2023/workbook.xlsx"' in html
    assert 'href="/downloads/omitama/2023/outline.json"' in html
    workbook = load_workbook(
        io.BytesIO(client.get("/downloads/omitama/2023/workbook.xlsx").content)
    )
    assert workbook.sheetnames == ["施策体系", "成果指標", "年度別実績"]
    document = json.loads(client.get("/downloads/omitama/2023/outline.json").content)
    assert document["municipality"]["name"] == "小美玉市"


def test_kiyose_footnotes_are_in_its_glossary(samples, client):
    html = client.get("/kiyose/2024/").content.decode()
    assert "<dt>シビックプライド</dt>" in html


def test_footnote_marks_link_to_the_plan_glossary(samples, client):
    """QOL* in 基本施策12's text points at the 用語解説 of the plan page."""
    html = client.get("/omitama/2023/12/").content.decode()
    assert (
        'QOL<a class="footnote" href="/omitama/2023/#glossary">*'
        '<span class="visually-hidden">（用語解説へ）</span></a>'
    ) in html
