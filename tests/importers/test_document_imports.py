"""Plan documents through the real loader: import_plan and the admin upload take PDF, HTML,
Word, Excel and CSV files, several files of mixed formats merging into one plan; bad documents
are refused with their message and write nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from importers.models import ImportRun
from importers.selectors import SAMPLES_DIR
from indicators.models import Indicator
from plans import services
from plans.models import Municipality, Plan, PlanNode

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent / "documents"
UPLOAD = "admin:importers_importrun_upload"


def run(*args) -> str:
    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def rows() -> tuple[int, int, int, int]:
    return (
        Municipality.objects.count(),
        Plan.objects.count(),
        PlanNode.objects.count(),
        Indicator.objects.count(),
    )


def test_import_plan_merges_a_pdf_and_a_web_page_into_the_plan_their_texts_make():
    """小美玉市's outline as PDF and its goal-1 chapter as a web page give the same plan as the
    two text files: importing the texts afterwards changes nothing."""
    run(
        str(DOCUMENTS / "samples" / "omitama_outline.pdf"),
        str(DOCUMENTS / "samples" / "omitama_goal1.html"),
        "--municipality",
        "小美玉市",
    )
    plan = Plan.objects.get(municipality__slug="omitama", slug="2023")
    assert plan.nodes.count() == 95  # as the text import (test_commands)
    again = run(
        str(SAMPLES_DIR / "omitama_outline.txt"),
        str(SAMPLES_DIR / "omitama_goal1.txt"),
        "--municipality",
        "小美玉市",
        "--dry-run",
    )
    lines = again.splitlines()
    assert "(existing plan)" in lines[0]
    assert "no changes" in lines
    assert not [line for line in lines if line.startswith(("update:", "conflict:", "missing:"))]


def test_import_plan_takes_word_and_excel_files_of_one_plan(tmp_path):
    """The Word plan gives the tree and its KPIs; the Excel list of the same plan agrees."""
    run(
        str(DOCUMENTS / "docx" / "nishihama.docx"),
        str(DOCUMENTS / "xlsx" / "nishihama.xlsx"),
        "--municipality",
        "西浜町",
        "--municipality-slug",
        "nishihama",
        "--prefecture",
        "北海道",
    )
    plan = Plan.objects.get(municipality__name="西浜町")
    assert plan.status == Plan.Status.DRAFT
    titles = sorted(plan.nodes.values_list("code", "title"))
    assert titles == [
        ("1", "安心して子どもを産み育てられるまち"),
        ("1-1", "子育て支援の充実"),
        ("1-2", "学校教育の推進"),
        ("2", "健康でいきいきと暮らせるまち"),
        ("2-1", "健康づくりの推進"),
    ]
    waiting = Indicator.objects.get(node__plan=plan, name="待機児童数")
    assert (waiting.node.code, waiting.baseline_value, waiting.target_value) == ("1-1", 8, 0)
    assert Indicator.objects.filter(node__plan=plan).count() == 5


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad/scanned.pdf", "without a text layer (a scan): run OCR on it"),
        ("bad/encrypted.pdf", "an encrypted PDF: save or export a copy without a password"),
        ("bad/corrupt.docx", "a damaged Word file"),
        ("bad/bomb.xlsx", "(a ZIP bomb?); nothing was read"),
    ],
)
def test_import_plan_refuses_a_bad_document_with_its_message_and_writes_nothing(name, message):
    before = rows()
    with pytest.raises(CommandError) as error:
        run(str(DOCUMENTS / name), "--municipality", "小美玉市")
    assert str(error.value).startswith(f"{Path(name).name}: expected ")
    assert message in str(error.value)
    assert str(error.value).endswith("nothing was written")
    assert rows() == before
    assert ImportRun.objects.count() == 0


# --- the admin upload --------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    town = services.municipality_create(name="さくら町", prefecture="栃木県", slug="sakura")
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.is_superuser = True
    user.save()
    town.editors.add(user)
    client.force_login(user)
    return client, town


def upload(client, town, *names):
    files = []
    for name in names:
        handle = (DOCUMENTS / name).open("rb")
        files.append(handle)
    try:
        return client.post(
            reverse(UPLOAD), {"municipality": town.pk, "files": files, "preview": "1"}
        )
    finally:
        for handle in files:
            handle.close()


def test_admin_upload_previews_a_pdf_and_a_csv_together_and_writes_nothing(editor_client):
    client, town = editor_client
    before = rows()
    response = upload(client, town, "pdf/nishihama.pdf", "csv/nishihama_utf8bom.csv")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("子育て支援の充実", "待機児童数", "12,480", "380以下"):
        assert text in page
    assert rows() == before


def test_admin_upload_of_an_encrypted_pdf_shows_the_message_and_writes_nothing(editor_client):
    client, town = editor_client
    before = rows()
    response = upload(client, town, "bad/encrypted.pdf")
    errors = str(response.context["form"].errors["files"])
    assert "an encrypted PDF: save or export a copy without a password" in errors
    assert rows() == before
