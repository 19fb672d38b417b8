"""Staff edit a KPI in the admin through the service: the raw text follows a new number."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import Indicator
from plans import services
from plans.concurrency import edit_token


@pytest.fixture
def indicator(plan):
    node = services.node_create(
        plan=plan, title="市民協働・コミュニティ活動の推進", key="11", code="11"
    )
    return Indicator.objects.create(
        plan=plan,
        node=node,
        key="11:1",
        name="まちづくり組織認定団体数",
        unit="団体",
        baseline_value=Decimal(64),
        baseline_year=2021,
        baseline_raw="64団体",
        target_value=Decimal(76),
        target_year=2027,
        target_raw="76団体",
        comparator="gte",
    )


def change_form(indicator, **changes):
    data = {
        field: getattr(indicator, field)
        for field in (
            "node",
            "key",
            "name",
            "definition",
            "unit",
            "baseline_value",
            "baseline_year",
            "baseline_raw",
            "target_value",
            "target_year",
            "target_raw",
            "comparator",
            "direction",
            "order",
            "note",
        )
    }
    data["node"] = indicator.node_id
    data |= {"values-TOTAL_FORMS": "0", "values-INITIAL_FORMS": "0"}
    data["edit_token"] = edit_token(indicator)
    return {k: "" if v is None else v for k, v in (data | changes).items()}


def test_new_target_number_gets_a_matching_raw_text(client, indicator):
    client.force_login(User.objects.create_superuser("admin", "a@example.jp", "pw"))
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    response = client.post(url, change_form(indicator, target_value="80"))
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal(80)
    assert indicator.target_raw == "80団体以上"
    assert indicator.baseline_raw == "64団体"  # untouched
    assert indicator.history.first().target_raw == "80団体以上"


# --- Another city's KPIs are never listed or attachable (issue 15) ---------------------------


def test_staff_list_only_their_citys_kpis_and_yearly_values(
    client, omitama_kpi, honjo, omitama_editor
):
    """The KPI and yearly-value lists of a 小美玉市 editor show 小美玉市's rows, not 本庄市's."""
    client.force_login(omitama_editor)
    for model in ("indicator", "indicatorvalue"):
        response = client.get(reverse(f"admin:indicators_{model}_changelist"))
        html = response.content.decode()
        assert "まちづくり組織認定団体数" in html
        assert "刑法犯認知件数" not in html
        assert response.context["cl"].result_count == 1
    other = reverse("admin:indicators_indicator_change", args=[honjo["indicator"].pk])
    assert client.get(other).status_code in (302, 403, 404)


def test_a_kpi_cannot_be_attached_to_another_citys_node(client, plan, honjo, omitama_editor):
    """The node field (a raw id) refuses 本庄市's node id and creates nothing."""
    client.force_login(omitama_editor)
    response = client.post(
        reverse("admin:indicators_indicator_add"),
        {
            "node": honjo["plannode"].pk,
            "key": "x",
            "name": "乗っ取り指標",
            "order": "0",
            "values-TOTAL_FORMS": "0",
            "values-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not Indicator.objects.filter(name="乗っ取り指標").exists()
