"""Fixtures shared by every test module: a small real plan built through the services, and
the one headless Chromium of the browser tests."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from plans import services
from plans.models import Municipality, Plan

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


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; every test starts in Japanese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
