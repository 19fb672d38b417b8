"""The tenancy matrix: every model registered in the admin × every URL of its admin.

Generated from ``admin.site._registry`` and each admin's ``get_urls()``, so a model or a URL
registered later is covered without editing this test. ``clerk_a`` edits 小美玉市 only:

* another city's object: every URL answers 403 or 404, a POST changes nothing;
* lists, filters, choices and exports show none of 本庄市's rows, names or staff;
* the clerk's own objects: every page answers 200, a change form saves (302);
* shared tables (no ``tenancy_path``: SDGゴール, users, groups): 403 on every URL.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from plans import tenancy
from plans.concurrency import row_values

from .conftest import admin_form_data

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
REFUSED = (403, 404)


def object_of(model, municipality):
    """One row of ``model`` belonging to ``municipality`` (the first shared row if shared)."""
    path = tenancy.tenancy_path(model)
    rows = model._default_manager.order_by("pk")
    if path is not None:
        rows = rows.filter(**({path: municipality} if path else {"pk": municipality.pk}))
    found = rows.first()
    if found is None and path is None:
        return model(pk=1)  # a shared table with no rows yet: its URLs are refused all the same
    assert found is not None, f"the two cities have no {model._meta.label}: add one to them"
    if hasattr(found, "history") and not found.history.exists():
        found.save()  # a past version, for the history detail and revert pages
    return found


def admin_urls(model_admin, obj):
    """(name, url, takes an object) for every named URL of the admin."""
    for pattern in model_admin.get_urls():
        if not pattern.name:
            continue
        regex = pattern.pattern.regex
        # simple-history's patterns are positional: (object id, version id).
        names = list(regex.groupindex) or ["object_id", "version_id"][: regex.groups]
        values = [
            obj.history.latest().history_id if name == "version_id" else obj.pk for name in names
        ]
        if regex.groupindex:
            url = reverse(f"admin:{pattern.name}", kwargs=dict(zip(names, values, strict=True)))
        else:
            url = reverse(f"admin:{pattern.name}", args=values)
        yield pattern.name, url, bool(names)


def markers_of(city) -> list[str]:
    """Words that only 本庄市's pages contain: its name, its plan titles, its staff."""
    return [city.name, *city.plans.values_list("title", flat=True), "clerk_b"]


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS, ids=lambda v: str(v))
def test_another_citys_objects_are_out_of_reach(cities, clerk_a, client, model, model_admin):
    city_a, city_b = cities
    client.force_login(clerk_a)
    theirs = object_of(model, city_b)
    before = row_values(theirs)
    for name, url, takes_object in admin_urls(model_admin, theirs):
        if not takes_object:
            continue
        assert client.get(url).status_code in REFUSED, f"GET {name} {url}"
        response = client.post(url, {"post": "yes", "title": "乗っ取り"})
        assert response.status_code in REFUSED, f"POST {name} {url}"
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"}
    )
    if not theirs._state.adding:  # a stand-in for an empty shared table has no row to check
        after = type(theirs)._default_manager.filter(pk=theirs.pk).first()
        assert after is not None and row_values(after) == before, "another city's row changed"


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS, ids=lambda v: str(v))
def test_lists_show_only_ones_own_city(cities, clerk_a, client, model, model_admin):
    city_a, city_b = cities
    ours, theirs = object_of(model, city_a), object_of(model, city_b)
    shared = tenancy.tenancy_path(model) is None
    client.force_login(clerk_a)
    for name, url, takes_object in admin_urls(model_admin, ours):
        if takes_object:
            continue
        response = client.get(url)
        if shared:
            assert response.status_code == 403, f"shared table {name} {url}"
            continue
        # 405: a step that only takes a POST (import-export's confirm)
        assert response.status_code in (200, 403, 405), f"GET {name} {url}"
        html = page_text(response)
        for marker in markers_of(city_b):
            assert marker not in html, f"{name} {url} shows {marker!r}"
        if name.endswith("_changelist"):
            shown = response.context["cl"].queryset
            assert shown.filter(pk=ours.pk).exists() and not shown.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS, ids=lambda v: str(v))
def test_ones_own_objects_open_and_save(cities, clerk_a, client, model, model_admin):
    city_a, city_b = cities
    ours = object_of(model, city_a)
    shared = tenancy.tenancy_path(model) is None
    client.force_login(clerk_a)
    for name, url, takes_object in admin_urls(model_admin, ours):
        if not takes_object:
            continue
        response = client.get(url)
        # Deleting a municipality or a plan is not an editor's job (plans.tenancy's roles).
        may_delete = tenancy.allowed(clerk_a, ours, "delete")
        refused = shared or (name.endswith("_delete") and not may_delete)
        assert response.status_code == (403 if refused else 200), f"GET {name} {url}"
        html = page_text(response)
        for marker in markers_of(city_b):
            assert marker not in html, f"{name} {url} shows {marker!r}"
    if shared or not model_admin.has_change_permission(_request(clerk_a), ours):
        return
    opts = model._meta
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[ours.pk])
    response = client.post(change, admin_form_data(client.get(change)))
    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, f"{change}: {errors}"


def page_text(response) -> str:
    """An HTML page's text ("" for downloads and refusals: they carry no markup to read)."""
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return ""
    return response.content.decode()


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def autocomplete_cases():
    """(model, field) for every relation of a registered model to a registered model: the
    admin's autocomplete answers for each, whether or not a form uses it."""
    registry = admin.site._registry
    for model in sorted(registry, key=lambda m: m._meta.label):
        for field in model._meta.get_fields():
            direct = field.concrete or (field.many_to_many and not field.auto_created)
            if direct and field.is_relation and field.remote_field.model in registry:
                yield model, field


def search_term(model_admin, obj) -> str:
    """Text that the admin's search finds ``obj`` by (its first search field's value)."""
    value = obj
    for name in model_admin.search_fields[0].lstrip("^=@").split("__"):
        value = getattr(value, name)
    return str(value)[:20]


@pytest.mark.parametrize(("model", "field"), list(autocomplete_cases()), ids=str)
def test_autocomplete_offers_only_ones_own_city(cities, clerk_a, client, model, field):
    """``/admin/autocomplete/`` for every relation: another city's rows are never offered
    (searched for by their own text), one's own are (or the answer is 403 or 404)."""
    remote = field.remote_field.model
    remote_admin = admin.site._registry[remote]
    client.force_login(clerk_a)
    opts = model._meta
    query = {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": field.name}
    for city, offered in ((cities[1], False), (cities[0], True)):
        obj = object_of(remote, city)
        term = search_term(remote_admin, obj) if remote_admin.search_fields else ""
        response = client.get(reverse("admin:autocomplete"), {**query, "term": term})
        if tenancy.tenancy_path(remote) is None or not remote_admin.search_fields:
            assert response.status_code in REFUSED, f"{field} answered {response.status_code}"
            continue
        assert response.status_code == 200, f"{field}: {response.status_code}"
        ids = {row["id"] for row in response.json()["results"]}
        assert (str(obj.pk) in ids) is offered, f"{field} {city.slug} {term!r}"
