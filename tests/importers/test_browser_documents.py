"""Staff in a real browser (headless Debian chromium) upload the plan as a PDF, see its outline
in the preview and apply it as a draft — also a PDF of the size real plans have (6 MB: over the
old 1 MB per file and the 2.5 MB a form field could carry back)."""

from pathlib import Path

import pytest

from importers.models import ImportRun
from indicators.models import Indicator
from plans.models import Plan
from tests.importers.test_admin_upload import big_plan_pdf
from tests.importers.test_browser_upload import staff_page  # noqa: F401 - the logged-in page

pytestmark = pytest.mark.browser

PDF = Path(__file__).resolve().parent / "documents" / "pdf" / "nishihama.pdf"


@pytest.mark.parametrize("size", ["small", "6 MB"])
def test_staff_upload_a_pdf_preview_its_outline_and_apply_it_as_a_draft(
    staff_page,  # noqa: F811
    size,
    tmp_path,
    settings,
):
    page, town = staff_page
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    path = PDF
    if size == "6 MB":
        path = tmp_path / "nishihama.pdf"
        path.write_bytes(big_plan_pdf(6 * 1024 * 1024))
    page.select_option("#id_municipality", str(town.pk))
    page.set_input_files("#id_files", files=[str(path)])
    page.click("input[name=preview]")
    outline = page.locator("#preview-outline")
    outline.wait_for()
    text = outline.inner_text()
    for expected in ("子育て支援の充実", "健康づくりの推進", "待機児童数", "12,480", "380以下"):
        assert expected in text
    assert "後期基本計画\n" not in text.split("子育て支援の充実", 1)[1]  # no running header
    assert Plan.objects.count() == 0  # the preview wrote nothing
    page.click("input[name=apply]")
    page.locator(".messagelist").wait_for()
    plan = Plan.objects.get(municipality=town)
    assert plan.status == Plan.Status.DRAFT
    assert sorted(plan.nodes.values_list("code", flat=True)) == ["1", "1-1", "1-2", "2", "2-1"]
    assert Indicator.objects.filter(node__plan=plan).count() == 5
    assert ImportRun.objects.get().sources == ["nishihama.pdf"]
