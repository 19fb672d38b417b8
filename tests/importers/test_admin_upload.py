"""Staff upload in the admin: preview writes nothing, apply imports a draft, tenancy holds;
the files wait on the server between preview and apply (a plan PDF is 5–30 MB)."""

import io
import os
from pathlib import Path

import pypdfium2
import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from importers.forms import PAYLOAD_SALT, PLAN_UPLOADS
from importers.models import ImportRun
from plans import services
from plans.models import Municipality, Plan, PlanNode

pytestmark = pytest.mark.django_db
DOCUMENTS = Path(__file__).resolve().parent / "documents"
MB = 1024 * 1024

PLAN_TEXT = """第3次さくら町総合計画 基本計画
計画期間 令和6年度〜令和10年度

第1章 安全なまち

1. 防災の推進

成果指標\t現状値（令和4年度）\t目標値（令和10年度）
自主防災組織の結成率\t65.2%\t80.0%
"""
UPLOAD = "/admin/importers/importrun/upload/"


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    """The kept files of each test in a folder of its own."""
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def kept_files() -> list[str]:
    return sorted(path.name for path in PLAN_UPLOADS.folder().iterdir())


@pytest.fixture
def towns():
    own = services.municipality_create(name="さくら町", prefecture="栃木県", slug="sakura")
    other = services.municipality_create(name="もみじ町", prefecture="栃木県", slug="momiji")
    return own, other


@pytest.fixture
def editor(client, towns):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_importrun"))
    towns[0].editors.add(user)
    client.force_login(user)
    return user


def upload(client, municipality, data: bytes, name="plan.txt"):
    files = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(UPLOAD, {"municipality": municipality.pk, "files": files, "preview": "1"})


def rows() -> tuple[int, int, int]:
    return Plan.objects.count(), PlanNode.objects.count(), ImportRun.objects.count()


def test_only_municipalities_the_user_edits_are_offered(client, editor, towns):
    response = client.get(UPLOAD)
    choices = list(response.context["form"].fields["municipality"].queryset)
    assert choices == [towns[0]]


def test_preview_shows_the_tree_and_kpis_and_writes_nothing(client, editor, towns):
    response = upload(client, towns[0], PLAN_TEXT.encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "安全なまち" in page and "防災の推進" in page and "自主防災組織の結成率" in page
    assert "65.2%" in page and "(2022)" in page and "(2028)" in page
    assert rows() == (0, 0, 0)


def test_preview_reports_and_changes_in_japanese(client, editor, towns):
    """The report names each structure, with its kind, file and line in Japanese; changes too."""
    page = upload(client, towns[0], PLAN_TEXT.encode()).content.decode()
    assert "[認識した構造] plan.txt 4 行目: 見出しの形式 「第N章」 → 第1階層「章」" in page
    assert (
        "指標名=「成果指標」、現状値=「現状値(令和4年度)」、目標値=「目標値(令和10年度)」" in page
    )
    assert "[認識した構造] plan.txt 2 行目: 計画期間 2024年度〜2028年度" in page
    assert "追加 項目" in page and "追加 指標" in page
    assert "[structure]" not in page and "create node" not in page


def test_a_text_the_reader_cannot_read_is_refused_in_japanese(client, editor, towns):
    """No headings and no KPI table: the file, the line and what was expected, in Japanese."""
    response = upload(client, towns[0], "ただの文章です。\n".encode())
    [error] = response.context["form"].errors["files"]
    assert error.startswith(
        "plan.txt の 1 行目を計画として読めませんでした。必要なもの: 番号の付いた見出し"
    )
    assert error.endswith("（見つかったもの: 「ただの文章です。」）")
    assert rows() == (0, 0, 0)


def test_apply_imports_a_draft_with_its_period_and_keeps_the_report(client, editor, towns):
    preview = upload(client, towns[0], PLAN_TEXT.encode())
    response = client.post(UPLOAD, {"payload": preview.context["payload"], "apply": "1"})
    assert response.status_code == 302
    plan = Plan.objects.get(municipality=towns[0])
    assert (plan.status, plan.first_fiscal_year, plan.last_fiscal_year) == ("draft", 2024, 2028)
    assert [n.title for n in plan.nodes.order_by("tree_id", "lft")] == ["安全なまち", "防災の推進"]
    run = ImportRun.objects.get(plan=plan)
    assert any(issue["kind"] == "structure" for issue in run.report["issues"])


def test_cancel_writes_nothing(client, editor, towns):
    preview = upload(client, towns[0], PLAN_TEXT.encode())
    client.post(UPLOAD, {"payload": preview.context["payload"], "cancel": "1"})
    assert rows() == (0, 0, 0)


def test_apply_checks_tenancy_again(client, editor, towns):
    """A preview made for さくら町, applied after the user lost it: refused, nothing written."""
    preview = upload(client, towns[0], PLAN_TEXT.encode())
    towns[0].editors.remove(editor)
    client.post(UPLOAD, {"payload": preview.context["payload"], "apply": "1"})
    assert rows() == (0, 0, 0)


def test_another_municipality_cannot_be_chosen(client, editor, towns):
    response = upload(client, towns[1], PLAN_TEXT.encode())
    assert "municipality" in response.context["form"].errors
    assert rows() == (0, 0, 0)


def test_a_tampered_payload_is_refused(client, editor, towns):
    preview = upload(client, towns[0], PLAN_TEXT.encode())
    client.post(UPLOAD, {"payload": preview.context["payload"] + "x", "apply": "1"})
    assert rows() == (0, 0, 0)


def test_binary_and_oversized_files_show_the_error_and_write_nothing(client, editor, towns):
    response = upload(client, towns[0], b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="map.png")
    assert "a PNG image: a scanned page needs OCR" in str(response.context["form"].errors["files"])
    assert rows() == (0, 0, 0)
    assert Municipality.objects.count() == 2
    assert kept_files() == []


def big_plan_pdf(size: int) -> bytes:
    """nishihama.pdf (2 pages, 5 KPIs) grown to ``size`` bytes by an attached file of random
    bytes, as images grow a real plan PDF; its text and outline stay the same."""
    pdf = pypdfium2.PdfDocument(str(DOCUMENTS / "pdf" / "nishihama.pdf"))
    padding = pdf.new_attachment("padding.bin")
    padding.set_data(os.urandom(size))
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def test_a_plan_pdf_larger_than_the_old_caps_previews_and_applies_as_a_draft(client, editor, towns):
    """6 MB: over the old 1 MB per file and the 2.5 MB a form field could carry back. The
    file waits on the server; the form carries a token of a few hundred bytes."""
    data = big_plan_pdf(6 * MB)
    assert len(data) > 6 * MB
    preview = upload(client, towns[0], data, name="plan.pdf")
    assert preview.status_code == 200 and "待機児童数" in preview.content.decode()
    assert len(preview.context["payload"]) < 1000
    assert len(kept_files()) == 1 and rows() == (0, 0, 0)
    response = client.post(UPLOAD, {"payload": preview.context["payload"], "apply": "1"})
    assert response.status_code == 302
    plan = Plan.objects.get(municipality=towns[0])
    assert plan.status == Plan.Status.DRAFT
    assert sorted(plan.nodes.values_list("code", flat=True)) == ["1", "1-1", "1-2", "2", "2-1"]
    assert kept_files() == []  # taken by the apply


def test_a_file_over_the_limit_is_refused_in_japanese_before_it_is_kept(client, editor, towns):
    with override_settings(PLAN_UPLOAD_MAX_BYTES=2 * MB):
        response = upload(client, towns[0], b"a" * (3 * MB), name="plan.pdf")
    errors = str(response.context["form"].errors["files"])
    assert "plan.pdf は 3.0 MB です。1ファイル 2 MB まで取り込めます。" in errors
    assert rows() == (0, 0, 0) and kept_files() == []


def test_applying_twice_imports_once_and_says_so(client, editor, towns):
    preview = upload(client, towns[0], PLAN_TEXT.encode())
    form = {"payload": preview.context["payload"], "apply": "1"}
    client.post(UPLOAD, form)
    Plan.objects.update(title="職員が直した題名")
    again = client.post(UPLOAD, form)
    assert again.status_code == 302 and again["Location"] == UPLOAD
    assert "既に確定したか" in " ".join(str(m) for m in get_messages(again.wsgi_request))
    assert Plan.objects.get().title == "職員が直した題名"  # not imported again
    assert ImportRun.objects.count() == 1


def test_cancel_removes_the_kept_files(client, editor, towns):
    preview = upload(client, towns[0], PLAN_TEXT.encode())
    assert len(kept_files()) == 1
    client.post(UPLOAD, {"payload": preview.context["payload"], "cancel": "1"})
    assert kept_files() == [] and rows() == (0, 0, 0)


def test_a_payload_cannot_name_a_file_outside_its_folder(client, editor, towns, upload_dir):
    """Even a payload signed with the site's key reads and removes nothing but the files it
    kept: the file names are signed tokens of 32 hex digits in the store's own folder."""
    victims = [upload_dir / "victim.txt", PLAN_UPLOADS.folder() / "victim.txt"]
    for victim in victims:
        victim.write_bytes(PLAN_TEXT.encode())
    names = ["../victim.txt", "victim.txt", str(victims[0]), "0" * 31 + "/", "a" * 31 + "."]
    for name in names:
        token = signing.dumps(name, salt=PLAN_UPLOADS.salt)
        payload = signing.dumps(
            {"municipality": towns[0].pk, "files": [["plan.txt", token]]}, salt=PAYLOAD_SALT
        )
        response = client.post(UPLOAD, {"payload": payload, "apply": "1"})
        assert response.status_code == 302 and response["Location"] == UPLOAD, name
    assert all(victim.exists() for victim in victims) and rows() == (0, 0, 0)
