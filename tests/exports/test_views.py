"""Public downloads of a plan: the workbook and the outline JSON, for published plans only."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from plans.models import Plan

GOLDEN = Path(settings.BASE_DIR) / "tests" / "importers" / "golden"


@pytest.fixture
def omitama(db):
    call_command("loaddata", "fixtures/omitama.json", verbosity=0)
    return Plan.objects.get(municipality__slug="omitama")


def outline_url(plan):
    return reverse(
        "exports:plan_outline", kwargs={"municipality": plan.municipality.slug, "plan": plan.slug}
    )


def test_outline_json_download_is_the_documented_document(client, omitama):
    response = client.get(outline_url(omitama))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="omitama-2023.json"' in response["Content-Disposition"]
    document = json.loads(response.content.decode("utf-8"))
    # The tree, KPIs, cross-references and glossary are the reviewed golden outline of the
    # sample text; the municipality and plan come from importers/samples/catalog.json.
    golden = json.loads((GOLDEN / "omitama.json").read_text(encoding="utf-8"))
    assert document == {
        **golden,
        "municipality": {
            "name": "小美玉市",
            "name_kana": "おみたまし",
            "prefecture": "茨城県",
            "local_gov_code": "082368",
            "slug": "omitama",
        },
        "plan": {
            "title": "第2次小美玉市総合計画 後期基本計画",
            "level_names": ["基本目標", "基本施策", "個別施策"],
            "slug": "2023",
            "first_fiscal_year": 2023,
            "last_fiscal_year": 2027,
            "status": "published",
        },
    }
    assert document["schema"] == "sogo-keikaku-outline/1"
    assert "みんなの力で磨くまちづくり" in response.content.decode("utf-8")  # not \\u-escaped
    assert len(document["indicators"]) == 21


def test_draft_plans_are_not_downloadable(client, omitama):
    omitama.status = Plan.Status.DRAFT
    omitama.save()
    assert client.get(outline_url(omitama)).status_code == 404
    workbook = reverse("exports:plan_workbook", kwargs={"municipality": "omitama", "plan": "2023"})
    assert client.get(workbook).status_code == 404


DOWNLOADS = ["workbook.xlsx", "outline.json"]


@pytest.mark.parametrize("document", DOWNLOADS)
def test_staff_download_their_own_citys_draft(client, plan, omitama_editor, document):
    """An editor of 小美玉市 downloads 小美玉市's draft plan (to review it before publishing)."""
    plan.status = Plan.Status.DRAFT
    plan.save()
    client.force_login(omitama_editor)
    response = client.get(f"/downloads/omitama/2023/{document}")
    assert response.status_code == 200
    assert (
        f'filename="omitama-2023.{document.rsplit(".", 1)[1]}"' in (response["Content-Disposition"])
    )


@pytest.mark.parametrize("document", DOWNLOADS)
def test_staff_cannot_download_another_citys_draft(client, honjo, omitama_editor, document):
    """本庄市's draft is as invisible to a 小美玉市 editor as to the public: 404."""
    client.force_login(omitama_editor)
    assert client.get(f"/downloads/honjo/2023/{document}").status_code == 404
    client.logout()
    assert client.get(f"/downloads/honjo/2023/{document}").status_code == 404
