"""Every public page and every admin page works in a real browser (headless Debian chromium)
under the Content-Security-Policy: no violation reported, no script error.

The admin pages are read from ``admin.site._registry`` and each admin's URLs, like the tenancy
matrix, so a page added later is checked too.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from indicators.models import Indicator
from plans.models import Municipality, PlanNode

from .conftest import build_two_cities
from .test_tenancy_matrix import MODEL_ADMINS, admin_urls, object_of

pytestmark = pytest.mark.browser


def public_paths() -> list[str]:
    node = PlanNode.objects.filter(plan__municipality__slug="omitama", level=1).first()
    kpi = Indicator.objects.filter(node=node).first()
    return [
        "/",
        "/omitama/",
        node.plan.get_absolute_url(),
        node.plan.get_absolute_url() + "?sdg=11",
        node.get_absolute_url(),
        kpi.get_absolute_url(),
        "/search/?q=防災",
        "/no-such-page/",
        "/search/?q=a%00",
    ]


def admin_paths(city) -> list[str]:
    paths = ["/admin/", "/admin/plans/"]
    for model, model_admin in MODEL_ADMINS:
        obj = object_of(model, city)
        for name, url, _ in admin_urls(model_admin, obj):
            if name.endswith(("_process_import", "_config", "_qrcode")):
                continue  # a POST-only step; TOTP secrets are hidden (403 by design)
            if obj._state.adding and "<" not in url and str(obj.pk) in url.split("/"):
                continue  # a stand-in row of an empty shared table has no page
            paths.append(url)
    return paths


def test_every_page_runs_under_the_content_security_policy(browser, live_server, transactional_db):
    build_two_cities()
    superuser = User.objects.create_superuser("root", "root@example.jp", "pw")
    client = Client()
    client.force_login(superuser)
    city = Municipality.objects.get(slug="omitama")
    context = browser.new_context(locale="ja-JP")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    # One tab for every page: what the console and the page's scripts report while a page
    # loads is that page's.
    page = context.new_page()
    found: list[str] = []
    page.on(
        "console", lambda msg: found.append(msg.text) if "Content Security" in msg.text else None
    )
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    problems, headers = {}, []
    for path in [*public_paths(), *admin_paths(city)]:
        found.clear()
        try:
            response = page.goto(live_server.url + path, wait_until="load")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a download (workbook, export): no page to run
            raise
        headers.append(response.headers.get("content-security-policy"))
        if found:
            problems[path] = list(found)
    context.close()
    assert headers and all(
        header and "unsafe-inline" not in header and "script-src 'self'" in header
        for header in headers
    )
    report = [f"{path}: {message[:100]}" for path, found in problems.items() for message in found]
    if report:
        pytest.fail("\n".join(report), pytrace=False)
