"""Roles per municipality (plans.tenancy): what an editor, a publisher and a municipality admin
may do, asked the same way by every page."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from plans import tenancy
from plans.models import Membership, Plan
from tests.security.conftest import admin_form_data


@pytest.fixture
def staff(plan):
    def make(role):
        user = User.objects.create_user(f"{role}-clerk", password="pw", is_staff=True)
        Membership.objects.create(municipality=plan.municipality, user=user, role=role)
        return user

    return make


def test_roles_allow_what_the_issue_says(plan, staff):
    editor, publisher, admin = staff("editor"), staff("publisher"), staff("admin")
    city = plan.municipality
    assert [tenancy.allowed(u, plan, "change") for u in (editor, publisher, admin)] == [True] * 3
    assert [tenancy.allowed(u, plan, "publish") for u in (editor, publisher, admin)] == [
        False,
        True,
        True,
    ]
    assert [tenancy.allowed(u, city, "change") for u in (editor, publisher, admin)] == [
        False,
        False,
        True,
    ]
    assert not tenancy.allowed(admin, city, "delete")  # deleting a city: superusers only


def test_a_shared_table_or_unknown_model_is_superusers_only(plan, staff):
    editor = staff("admin")
    assert not tenancy.allowed(editor, User.objects.get(pk=editor.pk), "view")
    assert list(tenancy.scope(User.objects.all(), editor)) == []


def test_an_editor_cannot_publish_a_plan_a_publisher_can(plan, staff, client):
    plan.status = Plan.Status.DRAFT
    plan.save()
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    client.force_login(staff("editor"))
    assert 'name="status"' not in client.get(url).content.decode()
    client.force_login(staff("publisher"))
    assert 'name="status"' in client.get(url).content.decode()


def test_a_municipality_admin_adds_staff_by_user_name(plan, staff, client):
    newcomer = User.objects.create_user("newcomer", password="pw", is_staff=True)
    city = plan.municipality
    client.force_login(staff("admin"))
    url = reverse("admin:plans_municipality_change", args=[city.pk])
    page = client.get(url)
    assert "newcomer" not in page.content.decode()  # no list of the portal's users
    data = admin_form_data(page)
    data |= {
        "memberships-TOTAL_FORMS": "2",
        "memberships-1-username": "newcomer",
        "memberships-1-role": "editor",
        "memberships-1-municipality": str(city.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert Membership.objects.get(user=newcomer).role == "editor"
    data["memberships-1-username"] = "nobody"
    response = client.post(url, data)
    assert "このユーザー名の職員" in response.content.decode()
