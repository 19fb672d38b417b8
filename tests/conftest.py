"""Fixtures shared by every test module: a small real plan built through the services, and
another city (本庄市) with a staff member of 小美玉市 for tenancy tests, and the one headless
Chromium of the browser tests."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.utils import translation

from config.settings import env
from indicators.models import Indicator, IndicatorValue
from plans import services, versions
from plans.models import GlossaryTerm, Municipality, Plan
from tests import golden


def pytest_configure(config):
    """In CI the run refuses UPDATE_GOLDEN: golden files change only as a reviewed diff."""
    if env.CI and golden.update_requested():
        raise pytest.UsageError(golden.REFUSED_IN_CI)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make next
# to it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process, for every browser test of every app: a second session
    fixture would start a second Playwright, which its sync API refuses inside the first's
    event loop."""
    if not CHROMIUM.exists():
        pytest.fail(
            "Browser tests need Debian's chromium at /usr/bin/chromium: "
            "apt-get install -y chromium fonts-noto-cjk",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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


@pytest.fixture
def honjo(db):
    """Another city with a draft plan, and one of everything that keeps history."""
    city = services.municipality_create(name="本庄市", prefecture="埼玉県", slug="honjo")
    plan = services.plan_create(
        municipality=city,
        title="後期基本計画",
        slug="2023",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["分野", "施策大項目"],
    )
    node = services.node_create(plan=plan, title="市民生活分野", key="5", code="5")
    kpi = Indicator.objects.create(
        plan=plan,
        node=node,
        key="5:1",
        name="刑法犯認知件数",
        unit="件",
        baseline_value=Decimal("475"),
        baseline_raw="475件",
    )
    value = IndicatorValue.objects.create(
        indicator=kpi, fiscal_year=2023, value=Decimal("472"), raw_text="472件"
    )
    term = GlossaryTerm.objects.create(plan=plan, term="移動均衡", definition="転入と転出が同数")
    return {
        "municipality": city,
        "plannode": node,
        "indicator": kpi,
        "indicatorvalue": value,
        "glossaryterm": term,
    }


@pytest.fixture
def omitama_editor(plan):
    """A staff member with every plans/indicators permission, editor of 小美玉市 only."""
    staff = User.objects.create_user("omitama-clerk", password="pw", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["plans", "indicators"])
    )
    plan.municipality.editors.add(staff)
    return staff


@pytest.fixture
def omitama_kpi(plan) -> Indicator:
    """A KPI of 小美玉市's plan (64団体 in 令和3年度 → 76団体以上 in 令和9年度), with a value."""
    node = services.node_create(
        plan=plan, title="市民協働・コミュニティ活動の推進", key="11", code="11"
    )
    kpi = Indicator.objects.create(
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
        target_raw="76団体以上",
        comparator="gte",
    )
    IndicatorValue.objects.create(
        indicator=kpi, fiscal_year=2023, value=Decimal(66), raw_text="66団体"
    )
    return kpi


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; every test starts in Japanese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def versions_read_afresh():
    """Each test's writes are rolled back, and the samples inserted again without signals
    (tests/portal/sample_data.py): no test starts with plan versions an earlier test's thread
    remembered (plans.versions)."""
    versions.written_here()


@pytest.fixture
def next_node_ids_in_part(db):
    """On PostgreSQL, make the next new nodes' ids fall in a part of the bigram index
    (``plans.search.INDEX_PARTS``: one run of 1,024 ids in eight is the first part, 0; the
    others the rest, 1): ``next_node_ids_in_part(1)``. Ids only grow, so earlier tests'
    nodes never come back in."""
    from django.db import connection

    def next_ids_in(part: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM plans_plannode_id_seq")
            (last,) = cursor.fetchone()
            start = (last // 8192 + 1) * 8192 + part * 1024  # a run of 1,024 ids of that part
            cursor.execute("SELECT setval('plans_plannode_id_seq', %s, false)", [start])

    return next_ids_in
