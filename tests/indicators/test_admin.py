"""Staff edit a KPI in the admin through the service: the raw text follows a new number."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import Indicator
from plans import services


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
