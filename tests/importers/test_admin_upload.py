"""Staff upload in the admin: preview writes nothing, apply imports a draft, tenancy holds."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from importers.forms import MAX_FILE_BYTES
from importers.models import ImportRun
from plans import services
from plans.models import Municipality, Plan, PlanNode

pytestmark = pytest.mark.django_db

PLAN_TEXT = """第3次さくら町総合計画 基本計画
計画期間 令和6年度〜令和10年度

第1章 安全なまち

1. 防災の推進

成果指標\t現状値（令和4年度）\t目標値（令和10年度）
自主防災組織の結成率\t65.2%\t80.0%
"""
UPLOAD = "/admin/importers/importrun/upload/"


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
    response = upload(client, towns[0], b"a" * (MAX_FILE_BYTES + 1))
    assert "1ファイル" in str(response.context["form"].errors["files"])
    assert rows() == (0, 0, 0)
    assert Municipality.objects.count() == 2
