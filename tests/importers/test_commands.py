"""import_plan and export_plan: files in, report out; bad files fail clearly and write nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from importers.models import ImportRun
from importers.outline import outline_dict
from importers.parsing import parse_files
from importers.selectors import SAMPLES_DIR, catalog_entry_for
from indicators.models import Indicator
from plans.models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode

pytestmark = pytest.mark.django_db

MODELS = (
    Municipality,
    Plan,
    PlanNode,
    NodeSection,
    CrossReference,
    Indicator,
    GlossaryTerm,
    ImportRun,
)
OMITAMA = [str(SAMPLES_DIR / "omitama_outline.txt"), str(SAMPLES_DIR / "omitama_goal1.txt")]
HONJO = str(SAMPLES_DIR / "honjo.txt")


def run(name: str, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def test_import_plan_loads_both_omitama_files_and_reports_the_title_conflicts():
    """000 + 001 into 小美玉市 (catalog metadata); the 1205/1301–1304/1401 conflicts are listed."""
    out = run("import_plan", *OMITAMA, "--municipality", "小美玉市")
    plan = Plan.objects.get(municipality__slug="omitama", slug="2023")
    assert plan.nodes.count() == 95
    assert plan.status == Plan.Status.PUBLISHED
    assert "create: 95 node" in out
    for code in ("1205", "1301", "1304", "1401"):
        assert f"{code}: title differs" in out


def test_import_plan_dry_run_writes_nothing_and_prints_what_would_change():
    """--dry-run: no row anywhere; stdout says what would be created."""
    out = run("import_plan", HONJO, "--municipality", "本庄市", "--dry-run")
    assert row_counts() == dict.fromkeys(row_counts(), 0)
    assert out.startswith("DRY RUN (nothing written): honjo/2023 (new plan)")
    assert "create: 67 node" in out
    assert "create: 27 indicator" in out


def test_import_plan_writes_the_report_as_json(tmp_path):
    """--report: the same report as JSON: changes, counts and every parser issue with its line."""
    report_path = tmp_path / "report.json"
    run("import_plan", *OMITAMA, "--municipality", "omitama", "--report", str(report_path))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["counts"]["nodes"] == 95
    kinds = {issue["kind"] for issue in report["issues"]}
    assert {"conflict", "normalization", "unresolved_reference", "guess", "structure"} <= kinds
    conflict = next(issue for issue in report["issues"] if issue["kind"] == "conflict")
    assert conflict["source"] in ("omitama_outline.txt", "omitama_goal1.txt")
    assert conflict["line"] > 0


def test_import_plan_fixture_out_writes_a_loadable_fixture(tmp_path):
    """--fixture-out: the plan as a natural-key fixture that loads back into an empty database."""
    fixture = tmp_path / "honjo.json"
    run("import_plan", HONJO, "--municipality", "本庄市", "--fixture-out", str(fixture))
    objects = json.loads(fixture.read_text(encoding="utf-8"))
    assert all("pk" not in item for item in objects)  # natural keys only
    Plan.objects.all().delete()
    Municipality.objects.all().delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert PlanNode.objects.count() == 67


def test_import_plan_creates_an_unknown_municipality_from_its_options():
    """A municipality outside the catalog needs a slug and prefecture; the period can be given."""
    run(
        "import_plan",
        str(SAMPLES_DIR / "kiyose.txt"),
        "--municipality",
        "どこか市",
        "--municipality-slug",
        "dokoka",
        "--prefecture",
        "東京都",
        "--plan-slug",
        "2030",
        "--plan-title",
        "基本計画",
        "--period",
        "2030-2034",
    )
    plan = Plan.objects.get(municipality__slug="dokoka")
    assert (plan.title, plan.first_fiscal_year, plan.last_fiscal_year) == ("基本計画", 2030, 2034)
    assert plan.status == Plan.Status.DRAFT


def test_import_plan_unknown_municipality_without_slug_is_a_command_error():
    """A name in no table and no database, without options to create it: refused, unwritten."""
    with pytest.raises(CommandError, match="national table"):
        run("import_plan", str(SAMPLES_DIR / "kiyose.txt"), "--municipality", "どこか市")
    assert row_counts() == dict.fromkeys(row_counts(), 0)


# A plan of a city outside the catalog; its text states its period on the cover line.
PERIOD_PLAN = """第3次まちづくり計画 前期基本計画
計画期間 令和6年度〜令和10年度

第1章 安全なまち

1. 防災の推進

防災訓練を実施します。
"""


def test_a_new_city_by_name_alone_comes_from_the_national_table(tmp_path):
    """音威子府村 (北海道) is created with its 地方公共団体コード, reading and an ASCII slug;
    the plan takes its period and slug from the text (令和6年度〜令和10年度 → 2024)."""
    path = tmp_path / "plan.txt"
    path.write_text(PERIOD_PLAN, encoding="utf-8")
    run("import_plan", str(path), "--municipality", "音威子府村")
    village = Municipality.objects.get()
    assert (village.name, village.prefecture, village.local_gov_code) == (
        "音威子府村",
        "北海道",
        "014702",
    )
    assert (village.slug, village.name_kana) == ("otoineppu", "おといねっぷむら")
    plan = Plan.objects.get()
    assert (plan.slug, plan.first_fiscal_year, plan.last_fiscal_year) == ("2024", 2024, 2028)


def test_a_text_without_a_period_gives_a_draft_with_an_open_period(tmp_path):
    """Never a refusal for a missing period: a draft (slug "draft"), period open, reported."""
    path = tmp_path / "plan.txt"
    path.write_text(PERIOD_PLAN.replace("計画期間 令和6年度〜令和10年度\n", ""), encoding="utf-8")
    out = run("import_plan", str(path), "--municipality", "松戸市")
    plan = Plan.objects.get(municipality__slug="matsudo")
    assert (plan.slug, plan.first_fiscal_year, plan.last_fiscal_year) == ("draft", None, None)
    assert plan.status == Plan.Status.DRAFT
    assert "period open" in out


def test_a_shared_name_is_refused_with_a_question_about_the_prefecture(tmp_path):
    """府中市 names a city of 東京都 and one of 広島県: the command asks which, writes nothing;
    with --prefecture it creates the right one."""
    path = tmp_path / "plan.txt"
    path.write_text(PERIOD_PLAN, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_plan", str(path), "--municipality", "府中市")
    assert "which prefecture?" in str(caught.value)
    assert "東京都" in str(caught.value) and "広島県" in str(caught.value)
    assert row_counts() == dict.fromkeys(row_counts(), 0)
    run("import_plan", str(path), "--municipality", "府中市", "--prefecture", "広島県")
    assert Municipality.objects.get().local_gov_code == "342084"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "bad.txt: expected a UTF-8 plan text; found 'an empty file'"),
        (bytes(range(256)) * 4, "bad.txt:1: expected a text file"),
        ((SAMPLES_DIR / "kiyose.txt").read_text().encode("cp932"), "bad.txt:3: expected UTF-8"),
    ],
    ids=["empty", "binary", "shift_jis"],
)
def test_unreadable_files_are_a_command_error_with_file_and_line(tmp_path, data, expected):
    """Empty, binary or Shift_JIS input: a CommandError naming file, line, what was expected."""
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(CommandError) as error:
        run("import_plan", path, "--municipality", "清瀬市")
    assert expected in str(error.value)
    assert "nothing was written" in str(error.value)
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_a_truncated_table_row_stops_the_whole_import(tmp_path):
    """A 成果指標 row without its target: CommandError at honjo.txt:62; the good files too are
    not written."""
    text = (SAMPLES_DIR / "honjo.txt").read_text(encoding="utf-8")
    broken = replace_line(
        text, 62, "自治会の加入率 [全世帯のうち自治会に加入している世帯の割合]\t82.31 % ▶▶"
    )
    path = write(tmp_path, "honjo.txt", broken.encode())
    with pytest.raises(CommandError) as error:
        run("import_plan", path, "--municipality", "本庄市")
    assert "honjo.txt:62: expected" in str(error.value)
    assert "目標値" in str(error.value)
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_a_code_contradicting_its_parent_is_placed_by_code_and_reported(tmp_path):
    """1206 printed in 基本施策3's block: placed under 12 by its code, and the report says so
    at its line; --dry-run writes nothing."""
    text = (SAMPLES_DIR / "omitama_goal1.txt").read_text(encoding="utf-8")
    path = write(
        tmp_path, "omitama_goal1.txt", text.replace("1302 DXの推進", "1206 DXの推進").encode()
    )
    args = (OMITAMA[0], path, "--municipality", "小美玉市")
    out = run("import_plan", *args, "--dry-run")
    assert row_counts() == dict.fromkeys(row_counts(), 0)
    warning = next(line for line in out.splitlines() if "1206" in line and "12 の下" in line)
    assert warning.strip().startswith("omitama_goal1.txt:")
    run("import_plan", *args)
    assert PlanNode.objects.get(code="1206").parent.code == "12"


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("import_plan", str(tmp_path / "nope.txt"), "--municipality", "清瀬市")


def test_an_unknown_prefer_is_a_command_error():
    """--prefer must name one of the files or layouts."""
    with pytest.raises(CommandError, match="--prefer"):
        run("import_plan", *OMITAMA, "--municipality", "小美玉市", "--prefer", "other.txt")
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.parametrize("slug", ["omitama", "honjo", "kiyose", "tomakomai"])
def test_export_plan_prints_the_parsers_outline_document_with_metadata(slug):
    """outline-json from the database equals outline_dict of the parsed text, plus metadata."""
    entry = catalog_entry_for(slug)
    run("import_plan", *map(str, entry.paths()), "--municipality", slug)
    document = json.loads(run("export_plan", f"{slug}/{entry.plan.slug}"))
    parsed = outline_dict(parse_files([(p.name, p.read_bytes()) for p in entry.paths()]))
    for part in ("schema", "nodes", "indicators", "crossrefs", "glossary"):
        assert document[part] == parsed[part], part
    assert document["plan"]["level_names"] == parsed["plan"]["level_names"]
    assert document["municipality"]["local_gov_code"] == entry.municipality.local_gov_code
    assert document["municipality"]["prefecture"] == entry.municipality.prefecture
    assert document["plan"]["status"] == "published"
    assert (document["plan"]["first_fiscal_year"], document["plan"]["last_fiscal_year"]) == (
        entry.plan.first_fiscal_year,
        entry.plan.last_fiscal_year,
    )


def test_export_plan_needs_the_municipality_when_a_plan_slug_is_shared(tmp_path):
    """Slug 2023 is 小美玉市's and 本庄市's plan: say which (omitama/2023 or --municipality)."""
    run("import_plan", *OMITAMA, "--municipality", "小美玉市")
    run("import_plan", HONJO, "--municipality", "本庄市")
    with pytest.raises(CommandError, match="several municipalities"):
        run("export_plan", "2023")
    by_option = json.loads(run("export_plan", "2023", "--municipality", "本庄市"))
    assert by_option["municipality"]["slug"] == "honjo"
    output = tmp_path / "omitama.json"
    run("export_plan", "2023", "--municipality", "omitama", "-o", str(output))
    assert json.loads(output.read_text(encoding="utf-8"))["municipality"]["name"] == "小美玉市"
    with pytest.raises(CommandError, match="no plan"):
        run("export_plan", "kiyose/2023")


def test_export_plan_xlsx_needs_an_output_file():
    run("import_plan", HONJO, "--municipality", "本庄市")
    with pytest.raises(CommandError, match="-o FILE"):
        run("export_plan", "honjo/2023", "--format", "xlsx")
