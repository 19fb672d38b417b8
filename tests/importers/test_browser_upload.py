"""Staff in a real browser (headless Debian chromium): upload, preview and apply a plan as a
draft; a binary upload shows the error and writes nothing."""

import pytest
from django.contrib.auth.models import User

from importers.models import ImportRun
from plans import services
from plans.models import Plan, PlanNode

pytestmark = pytest.mark.browser

PLAN_TEXT = """第3次さくら町総合計画 基本計画
計画期間 令和6年度〜令和10年度

第1章 安全なまち

1. 防災の推進

成果指標\t現状値（令和4年度）\t目標値（令和10年度）
自主防災組織の結成率\t65.2%\t80.0%
"""


@pytest.fixture
def staff_page(browser, live_server, transactional_db):  # noqa: F811
    town = services.municipality_create(name="さくら町", prefecture="栃木県", slug="sakura")
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.is_superuser = True
    user.save()
    town.editors.add(user)
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-editor-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/importers/importrun/upload/")
    yield page, town
    context.close()


def test_staff_upload_preview_and_apply_a_draft(staff_page):
    page, town = staff_page
    page.select_option("#id_municipality", str(town.pk))
    page.set_input_files(
        "#id_files",
        files=[
            {"name": "plan.txt", "mimeType": "text/plain", "buffer": PLAN_TEXT.encode()}
        ],  # fmt: skip
    )
    page.click("input[name=preview]")
    outline = page.locator("#preview-outline")
    outline.wait_for()
    assert "安全なまち" in outline.inner_text() and "自主防災組織の結成率" in outline.inner_text()
    assert "65.2%" in outline.inner_text()
    assert Plan.objects.count() == 0  # the preview wrote nothing
    page.click("input[name=apply]")
    page.locator("ul.messagelist").wait_for()
    plan = Plan.objects.get(municipality=town)
    assert plan.status == Plan.Status.DRAFT
    assert PlanNode.objects.filter(plan=plan).count() == 2
    assert ImportRun.objects.filter(plan=plan).count() == 1


def test_a_binary_upload_shows_the_error_and_writes_nothing(staff_page):
    page, town = staff_page
    page.select_option("#id_municipality", str(town.pk))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    page.set_input_files(
        "#id_files", files=[{"name": "map.png", "mimeType": "image/png", "buffer": png}]
    )
    page.click("input[name=preview]")
    error = page.locator("ul.errorlist")
    error.wait_for()
    assert "map.png" in error.inner_text() and "a PNG image" in error.inner_text()
    assert (Plan.objects.count(), PlanNode.objects.count(), ImportRun.objects.count()) == (0, 0, 0)
