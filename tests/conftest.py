"""Fixtures shared by every test module: a small real plan built through the services."""

import pytest
from django.conf import settings
from django.utils import translation

from plans import services
from plans.models import Municipality, Plan


@pytest.fixture
def municipality(db) -> Municipality:
    return services.municipality_create(
        name="小美玉市",
        name_kana="おみたまし",
        prefecture="茨城県",
        slug="omitama",
        local_gov_code="082368",
    )


@pytest.fixture
def plan(municipality) -> Plan:
    return services.plan_create(
        municipality=municipality,
        title="第2次総合計画 後期基本計画",
        slug="2023",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["基本目標", "基本施策", "個別施策"],
        status=Plan.Status.PUBLISHED,
    )


@pytest.fixture
def earlier_plan(municipality) -> Plan:
    """Another plan of the same city: the 前期基本計画 before ``plan``."""
    return services.plan_create(
        municipality=municipality,
        title="第2次総合計画 前期基本計画",
        slug="2018",
        first_fiscal_year=2018,
        last_fiscal_year=2022,
        level_names=["基本目標", "基本施策", "個別施策"],
    )


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; every test starts in Japanese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
