"""History pages (django-simple-history) are scoped like every other admin page: a city's staff
can neither read another city's history nor revert another city's objects to an old version."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from plans import services
from plans.models import Municipality, PlanNode


def history_urls(obj) -> tuple[str, str]:
    """The history list and the first version's detail (revert) page of ``obj``."""
    info = obj._meta.app_label, obj._meta.model_name
    version = obj.history.earliest("history_date")
    return (
        reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
        reverse("admin:{}_{}_simple_history".format(*info), args=[obj.pk, version.history_id]),
    )


@pytest.mark.parametrize(
    "model", ["municipality", "plannode", "indicator", "indicatorvalue", "glossaryterm"]
)
def test_another_citys_history_pages_are_forbidden(client, honjo, omitama_editor, model):
    client.force_login(omitama_editor)
    for url in history_urls(honjo[model]):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "本庄市" not in response.content.decode()


def test_reverting_another_city_to_an_old_version_changes_nothing(client, honjo, omitama_editor):
    """The takeover: an editor of 小美玉市 reverts 本庄市's record with themself as editor."""
    client.force_login(omitama_editor)
    city = honjo["municipality"]
    _, revert_url = history_urls(city)
    response = client.post(
        revert_url,
        {
            "name": "本庄市",
            "prefecture": "埼玉県",
            "slug": "honjo",
            "editors": [omitama_editor.pk],
        },
    )
    assert response.status_code in (403, 404)
    assert list(city.editors.all()) == []
    assert not Municipality.objects.filter(editors=omitama_editor, slug="honjo").exists()

    node = honjo["plannode"]
    _, node_revert_url = history_urls(node)
    response = client.post(node_revert_url, {"kind": "policy", "code": "5", "title": "乗っ取り"})
    assert response.status_code in (403, 404)
    assert PlanNode.objects.get(pk=node.pk).title == "市民生活分野"


def test_own_citys_history_pages_open(client, plan, omitama_editor):
    node = services.node_create(plan=plan, title="市民協働", key="1", code="1")
    client.force_login(omitama_editor)
    for url in history_urls(node):
        assert client.get(url).status_code == 200, url
    for url in history_urls(plan.municipality):
        assert client.get(url).status_code == 200, url


def test_editors_cannot_choose_who_edits_their_city(client, plan, omitama_editor):
    """Only the city's municipality admins (and superusers) decide who edits it (plans.tenancy's
    roles); the page never lists the portal's usernames."""
    other = User.objects.create_user("someone-else", password="pw", is_staff=True)
    client.force_login(omitama_editor)
    url = reverse("admin:plans_municipality_change", args=[plan.municipality_id])
    html = client.get(url).content.decode()
    assert "someone-else" not in html
    response = client.post(
        url,
        {
            "name": "小美玉市",
            "name_kana": "おみたまし",
            "prefecture": "茨城県",
            "local_gov_code": "082368",
            "slug": "omitama",
            "editors": [omitama_editor.pk, other.pk],
        },
    )
    assert response.status_code == 403
    assert list(plan.municipality.editors.all()) == [omitama_editor]
