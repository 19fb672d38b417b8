"""Issue 10's findings about tenancy and lost edits, one test each, on the sample cities.

Each failed on the code before issue 10 (the report quotes the failing lines)."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from plans.models import GlossaryTerm, Municipality, Plan, PlanNode

from .conftest import CITY_A, admin_form_data

REFUSED = (403, 404)


def history_urls(obj):
    opts = obj._meta
    version = obj.history.latest().history_id
    return (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version]),
    )


def test_revert_of_another_citys_municipality_does_not_make_you_its_editor(cities, clerk_a, client):
    """Critical: a 小美玉市 editor POSTed a revert of 本庄市 with themself among its editors."""
    _, honjo = cities
    honjo.save()  # a past version to revert to
    client.force_login(clerk_a)
    revert = history_urls(honjo)[1]
    data = {"name": honjo.name, "prefecture": honjo.prefecture, "slug": honjo.slug}
    response = client.post(revert, data | {"editors": [clerk_a.pk]})
    assert response.status_code in REFUSED
    assert not honjo.editors.filter(pk=clerk_a.pk).exists()
    assert not clerk_a.municipalities.filter(slug="honjo").exists()


def test_revert_of_another_citys_node_changes_nothing(cities, clerk_a, client):
    _, honjo = cities
    node = PlanNode.objects.filter(plan__municipality=honjo).order_by("pk").first()
    node.save()
    title = node.title
    client.force_login(clerk_a)
    data = {"kind": node.kind, "code": node.code, "key": node.key, "title": "乗っ取り"}
    assert client.post(history_urls(node)[1], data).status_code in REFUSED
    node.refresh_from_db()
    assert node.title == title


def test_history_pages_of_another_city_are_not_found(cities, clerk_a, client):
    """The history list and detail of 本庄市's node, KPI, yearly value and term answered 200."""
    _, honjo = cities
    rows = [
        PlanNode.objects.filter(plan__municipality=honjo).first(),
        Indicator.objects.filter(plan__municipality=honjo).first(),
        IndicatorValue.objects.filter(indicator__plan__municipality=honjo).first(),
        GlossaryTerm.objects.filter(plan__municipality=honjo).first(),
    ]
    client.force_login(clerk_a)
    for row in rows:
        row.save()
        for url in history_urls(row):
            assert client.get(url).status_code in REFUSED, url


def test_an_editor_cannot_add_staff_to_their_own_city_by_revert(cities, clerk_a, client):
    """Managing staff is the municipality admin's role, not an editor's, by any page."""
    omitama, _ = cities
    omitama.save()
    stranger = User.objects.create_user("stranger", password="pw", is_staff=True)
    client.force_login(clerk_a)
    data = {"name": omitama.name, "prefecture": omitama.prefecture, "slug": omitama.slug}
    response = client.post(history_urls(omitama)[1], data | {"editors": [stranger.pk]})
    assert response.status_code == 403
    assert not omitama.editors.filter(pk=stranger.pk).exists()


def test_shared_reference_tables_are_for_superusers_only(cities, clerk_a, client):
    """SDGゴール was editable by any city's staff."""
    client.force_login(clerk_a)
    url = reverse("admin:plans_sdggoal_change", args=[3])
    assert client.get(url).status_code == 403
    response = client.post(url, {"number": 3, "name": "書き換え", "name_en": "x"})
    assert response.status_code == 403


def test_list_filters_and_widgets_name_no_other_city(cities, clerk_a, client):
    """The plan filter listed every city's plan titles (drafts too); the editors widget every
    username."""
    _, honjo = cities
    Plan.objects.filter(municipality=honjo).update(status="draft")
    honjo_plan = Plan.objects.get(municipality=honjo)
    client.force_login(clerk_a)
    for name in ("plans_plannode", "indicators_indicator", "plans_glossaryterm"):
        html = client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert honjo_plan.title not in html, name
    omitama = Municipality.objects.get(slug=CITY_A)
    html = client.get(reverse("admin:plans_municipality_change", args=[omitama.pk]))
    assert "clerk_b" not in html.content.decode()


def test_a_stale_kpi_form_saves_nothing_and_shows_what_changed(cities, clerk_a, client):
    """A saved the baseline; B, from a form opened before, saved the target: A's edit was lost."""
    omitama, _ = cities
    indicator = Indicator.objects.filter(plan__municipality=omitama).order_by("pk").first()
    client.force_login(clerk_a)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    form_a = admin_form_data(client.get(url))
    form_b = admin_form_data(client.get(url))
    assert client.post(url, form_a | {"baseline_value": "66"}).status_code == 302
    response = client.post(url, form_b | {"target_value": "99"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "他の人がこの内容を保存しました" in html
    assert "画面を開いた時" in html and "現在保存されている値" in html
    indicator.refresh_from_db()
    assert indicator.baseline_value == Decimal(66)
    assert indicator.target_value != Decimal(99)


def test_a_stale_node_title_saves_nothing(cities, clerk_a, client):
    omitama, _ = cities
    node = PlanNode.objects.filter(plan__municipality=omitama, level=1).order_by("pk").first()
    client.force_login(clerk_a)
    url = reverse("admin:plans_plannode_change", args=[node.pk])
    form_a = admin_form_data(client.get(url))
    form_b = admin_form_data(client.get(url))
    assert client.post(url, form_a | {"title": "Aの名称"}).status_code == 302
    response = client.post(url, form_b | {"title": "Bの名称"})
    assert response.status_code == 200
    assert "Aの名称" in response.content.decode()  # shown as the value saved since
    node.refresh_from_db()
    assert node.title == "Aの名称"


ENGLISH = ["Revert", "Changed by", "Date/time", "Collapse tree", "Expand tree", "Choose a date"]


def test_history_pages_and_the_tree_widget_are_japanese(cities, clerk_a, client):
    """History pages and the tree widget were partly English."""
    omitama, _ = cities
    node = PlanNode.objects.filter(plan__municipality=omitama).order_by("pk").first()
    node.save()
    client.force_login(clerk_a)
    pages = [*history_urls(node), reverse("admin:plans_plannode_changelist")]
    for url in pages:
        html = client.get(url).content.decode()
        assert [word for word in ENGLISH if word in html] == [], url
    assert "元に戻す" in client.get(history_urls(node)[1]).content.decode()
