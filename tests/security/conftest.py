"""Two real cities (the 小美玉市 and 本庄市 sample plans), a staff member of each, and helpers
that read an admin form back as the browser would post it."""

from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.db import transaction

from indicators import services as indicator_services
from indicators.models import Indicator, KpiSettings
from plans.models import GlossaryTerm, Membership, Municipality, Plan
from plans.tenancy import SYSTEM
from tests.portal.sample_data import load_sample_plans

CITY_A, CITY_B = "omitama", "honjo"


def build_two_cities() -> None:
    """The two sample plans, each with a yearly value and a glossary term (the samples have
    none of one or the other), and a staff member per city (``clerk_a`` edits 小美玉市)."""
    load_sample_plans((CITY_A, CITY_B))
    for slug in (CITY_A, CITY_B):
        plan = Plan.objects.get(municipality__slug=slug)
        indicator = Indicator.objects.filter(plan=plan).order_by("pk").first()
        indicator_services.indicator_value_set(
            actor=SYSTEM,
            indicator=indicator,
            fiscal_year=plan.first_fiscal_year,
            value=Decimal("12.5"),
        )
        KpiSettings.objects.get_or_create(plan=plan)
        GlossaryTerm.objects.get_or_create(
            plan=plan, term=f"{slug}の用語", defaults={"definition": "用語の説明"}
        )
    Group.objects.create(name="計画担当")
    for letter, slug in (("a", CITY_A), ("b", CITY_B)):
        user = User.objects.create_user(f"clerk_{letter}", password="pw", is_staff=True)
        Membership.objects.create(
            municipality=Municipality.objects.get(slug=slug), user=user, role="editor"
        )


@pytest.fixture(scope="module")
def two_cities(django_db_setup, django_db_blocker):
    """Loaded once per module, rolled back after it; each test nests in a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_two_cities()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def cities(two_cities, db):
    return Municipality.objects.get(slug=CITY_A), Municipality.objects.get(slug=CITY_B)


@pytest.fixture
def clerk_a(cities) -> User:
    return User.objects.get(username="clerk_a")


def bound_values(form: forms.BaseForm) -> dict:
    """The form's fields as a browser posts them (unchecked boxes absent)."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def admin_form_data(response) -> dict:
    """The POST data of an admin change (or add) page as drawn: main form, then inlines."""
    data = bound_values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        data |= bound_values(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= bound_values(form)
    return data
