"""Issue 10's findings about the tree and the raw texts, one test each, on the 小美玉市 sample
(基本目標 → 基本施策 → 個別施策)."""

from decimal import Decimal

from django.contrib.messages import get_messages
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from plans.models import PlanNode

from .conftest import admin_form_data


def node(code: str) -> PlanNode:
    return PlanNode.objects.get(plan__municipality__slug="omitama", code=code)


def drag(client, cut: PlanNode, target: PlanNode, position: str):
    response = client.post(
        reverse("admin:plans_plannode_changelist"),
        {"cmd": "move_node", "cut_item": cut.pk, "pasted_on": target.pk, "position": position},
    )
    return response, " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_measure_cannot_be_dragged_to_the_top_and_the_refusal_says_why(cities, clerk_a, client):
    """A 個別施策 dragged next to a 基本目標 became a 基本目標 in name."""
    client.force_login(clerk_a)
    measure, goal = node("1101"), node("1")
    before = (measure.parent_id, measure.level)
    response, said = drag(client, measure, goal, "right")
    assert response.content.startswith(b"FAIL")
    assert "個別施策" in said and "基本目標になるため移動できません" in said
    measure.refresh_from_db()
    assert (measure.parent_id, measure.level) == before


def test_a_policy_cannot_go_under_a_measure(cities, clerk_a, client):
    """A 基本施策 under a 個別施策 got a level with no name."""
    client.force_login(clerk_a)
    policy, measure = node("12"), node("1101")
    response, said = drag(client, policy, measure, "last-child")
    assert response.content.startswith(b"FAIL")
    assert "基本施策" in said
    assert node("12").parent_id == node("1").pk


def test_a_node_cannot_be_added_below_the_last_level(cities, clerk_a, client):
    client.force_login(clerk_a)
    measure = node("1101")
    url = reverse("admin:plans_plannode_add")
    data = admin_form_data(client.get(url))
    data |= {"plan": measure.plan_id, "parent": measure.pk, "title": "深すぎる項目", "key": "deep"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "この計画の階層は3段（基本目標 → 基本施策 → 個別施策）まで" in response.content.decode()
    assert not PlanNode.objects.filter(key="deep").exists()


def test_moves_within_a_level_still_work(cities, clerk_a, client):
    client.force_login(clerk_a)
    measure, other_policy = node("1101"), node("12")
    response, _ = drag(client, measure, other_policy, "last-child")
    assert response.content == b"OK, moved."
    assert node("1101").parent_id == other_policy.pk


def test_a_baseline_edited_in_the_node_pages_kpi_inline_updates_its_raw_text(
    cities, clerk_a, client
):
    """The list showed 65団体 while the public page showed 66."""
    client.force_login(clerk_a)
    kpi = Indicator.objects.filter(plan__municipality__slug="omitama", unit="団体").first()
    url = reverse("admin:plans_plannode_change", args=[kpi.node_id])
    data = admin_form_data(client.get(url))
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(kpi.pk))
    prefix = index.removesuffix("-id")
    data[f"{prefix}-baseline_value"] = "66"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    kpi.refresh_from_db()
    assert (kpi.baseline_value, kpi.baseline_raw) == (Decimal(66), "66団体")


def test_a_yearly_value_added_inline_gets_a_raw_text(cities, clerk_a, client):
    client.force_login(clerk_a)
    kpi = Indicator.objects.filter(plan__municipality__slug="omitama", unit="団体").first()
    url = reverse("admin:indicators_indicator_change", args=[kpi.pk])
    data = admin_form_data(client.get(url))
    total = int(data["values-TOTAL_FORMS"])
    data |= {
        "values-TOTAL_FORMS": str(total + 1),
        f"values-{total}-fiscal_year": "2025",
        f"values-{total}-value": "70",
        f"values-{total}-indicator": str(kpi.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert IndicatorValue.objects.get(indicator=kpi, fiscal_year=2025).raw_text == "70団体"
