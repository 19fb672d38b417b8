"""Re-import: the same text changes nothing; a corrected text changes only what it corrects;
staff edits made in the admin since the last import are kept and reported, never overwritten."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from importers.models import ImportRun
from importers.parsing import parse_files
from importers.selectors import catalog_entry_for
from importers.services import plan_import
from indicators.models import Indicator
from plans import services as plan_services
from plans.models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode
from plans.tenancy import SYSTEM

pytestmark = pytest.mark.django_db

MODELS = (Municipality, Plan, PlanNode, NodeSection, CrossReference, Indicator, GlossaryTerm)
HISTORIES = (Plan, PlanNode, NodeSection, Indicator, GlossaryTerm)


def sample_bytes(slug: str) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in catalog_entry_for(slug).paths()]


def corrected(files: list[tuple[str, bytes]], old: str, new: str) -> list[tuple[str, bytes]]:
    """The files with one passage of the text replaced (it must occur exactly once)."""
    text = b"".join(data for _, data in files).decode()
    assert text.count(old) == 1, old
    return [(name, data.decode().replace(old, new).encode()) for name, data in files]


def import_files(slug: str, files: list[tuple[str, bytes]], **options):
    entry = catalog_entry_for(slug)
    return plan_import(
        actor=SYSTEM,
        parsed=parse_files(files, prefer=entry.prefer),
        municipality=entry.municipality,
        plan=entry.plan,
        **options,
    )


def snapshot() -> dict:
    """Every row of every plan model (all columns, updated_at included) and every history count."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["history"] = {model.__name__: model.history.count() for model in HISTORIES}
    rows["runs"] = ImportRun.objects.count()
    return rows


def node(key: str) -> PlanNode:
    return PlanNode.objects.get(key=key)


@pytest.mark.parametrize("slug", ["omitama", "honjo", "kiyose", "tomakomai"])
def test_importing_the_same_files_again_changes_nothing(slug):
    """No row, no updated_at, no history record and no new import run: the result says so."""
    import_files(slug, sample_bytes(slug))
    before = snapshot()
    result = import_files(slug, sample_bytes(slug))
    assert snapshot() == before
    assert not result.changed
    assert result.changes == []
    assert "no changes" in result.as_text()


def test_a_corrected_title_updates_only_that_node():
    """基本目標 12's corrected title is written; no other row of the plan is touched."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    before = snapshot()
    fixed = corrected(
        files, "[基本目標 12] 一人ひとりの学びと学びあいの充実", "[基本目標 12] 学びの充実"
    )
    result = import_files("kiyose", fixed)
    assert node("12").title == "学びの充実"
    assert [(c.action, c.entity, c.key, c.field) for c in result.changes] == [
        ("update", "node", "12", "title")
    ]
    after = snapshot()
    changed = [a for a, b in zip(after["PlanNode"], before["PlanNode"], strict=True) if a != b]
    assert [row["key"] for row in changed] == ["12"]
    assert after["NodeSection"] == before["NodeSection"]
    assert after["runs"] == before["runs"] + 1


def test_a_corrected_target_value_updates_the_indicator_and_keeps_its_raw_text():
    """本庄市 自治会の加入率 target 85.00 % → 86.00 %: value and raw text updated, nothing else."""
    files = sample_bytes("honjo")
    import_files("honjo", files)
    before = {i.key: i.updated_at for i in Indicator.objects.all()}
    fixed = corrected(files, "82.31 % ▶▶\t85.00 %", "82.31 % ▶▶\t86.00 %")
    result = import_files("honjo", fixed)
    indicator = Indicator.objects.get(name="自治会の加入率")
    assert (indicator.target_value, indicator.target_raw) == (Decimal("86.00"), "86.00 %")
    assert [(c.entity, c.key, c.field) for c in result.of_action("update")] == [
        ("indicator", indicator.key, "target")
    ]
    unchanged = {i.key: i.updated_at for i in Indicator.objects.exclude(pk=indicator.pk)}
    assert unchanged == {key: at for key, at in before.items() if key != indicator.key}


def test_a_staff_edit_survives_a_reimport_of_the_unchanged_text_without_a_conflict():
    """The text did not change, so the title staff typed in the admin simply stays."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    plan_services.node_update(actor=SYSTEM, node=node("21"), title="職員が直した名称")
    result = import_files("kiyose", files)
    assert node("21").title == "職員が直した名称"
    assert result.changes == []


def test_a_staff_edit_that_the_corrected_text_also_changes_is_a_conflict_and_kept():
    """Staff and the new text both changed 基本目標 12's title: staff's stays, reported."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    plan_services.node_update(actor=SYSTEM, node=node("12"), title="職員が直した名称")
    history_before = PlanNode.history.filter(key="12").count()
    fixed = corrected(
        files, "[基本目標 12] 一人ひとりの学びと学びあいの充実", "[基本目標 12] 学びの充実"
    )
    result = import_files("kiyose", fixed)
    assert node("12").title == "職員が直した名称"
    [conflict] = result.conflicts
    assert (conflict.key, conflict.field, conflict.current, conflict.new) == (
        "12",
        "title",
        "職員が直した名称",
        "学びの充実",
    )
    assert "conflict: node 12 title" in result.as_text()
    assert PlanNode.history.filter(key="12").count() == history_before


def test_a_staff_edited_kpi_value_is_not_overwritten():
    """A baseline staff corrected stays when the text changes that baseline too."""
    files = sample_bytes("honjo")
    import_files("honjo", files)
    indicator = Indicator.objects.get(name="自治会の加入率")
    indicator.baseline_value, indicator.baseline_raw = Decimal("82.40"), "82.40 %"
    indicator.save()
    fixed = corrected(files, "82.31 % ▶▶\t85.00 %", "82.35 % ▶▶\t85.00 %")
    result = import_files("honjo", fixed)
    indicator.refresh_from_db()
    assert (indicator.baseline_value, indicator.baseline_raw) == (Decimal("82.40"), "82.40 %")
    assert [(c.key, c.field) for c in result.conflicts] == [(indicator.key, "baseline")]


def test_nodes_missing_from_the_new_text_are_reported_not_deleted():
    """A 基本目標 dropped from the text stays in the database; the report names it."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    text = files[0][1].decode()
    start = text.index("[基本目標 12]")
    end = text.index("将来像2")
    result = import_files("kiyose", [(files[0][0], (text[:start] + text[end:]).encode())])
    assert PlanNode.objects.filter(key="12").exists()
    assert [(c.entity, c.key) for c in result.of_action("missing")] == [("node", "12")]
    assert "missing: node 12" in result.as_text()


def test_a_node_added_to_the_text_is_created_in_its_place_and_the_tree_stays_valid():
    """A new 基本目標 13 after 12 lands as 将来像1's last child; mptt fields stay consistent."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    new_goal = "[基本目標 13] 新しい目標\n\n新しい目標の本文です。\n\n将来像2"
    text = files[0][1].decode()
    assert text.count("\n将来像2") == 1
    fixed = [(files[0][0], text.replace("将来像2", new_goal, 1).encode())]
    result = import_files("kiyose", fixed)
    assert [(c.action, c.entity, c.key) for c in result.changes] == [("create", "node", "13")]
    assert [child.key for child in node("1").get_children()] == ["11", "12", "13"]
    state = list(PlanNode.objects.order_by("pk").values_list("tree_id", "lft", "rght", "level"))
    PlanNode.objects.rebuild()
    assert list(PlanNode.objects.order_by("pk").values_list("tree_id", "lft", "rght", "level")) == (
        state
    )


def test_a_node_staff_deleted_is_not_recreated_and_is_reported():
    """Deleting is a staff decision: the re-import of a changed text reports it as a conflict."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    plan_services.node_delete(actor=SYSTEM, node=node("41"))
    fixed = corrected(
        files, "[基本目標 12] 一人ひとりの学びと学びあいの充実", "[基本目標 12] 学びの充実"
    )
    result = import_files("kiyose", fixed)
    assert not PlanNode.objects.filter(key="41").exists()
    assert ("node", "41") in [(c.entity, c.key) for c in result.conflicts]


def test_dry_run_of_a_corrected_text_reports_the_update_and_writes_nothing():
    """--dry-run on an existing plan: the update is listed, the database is untouched."""
    files = sample_bytes("kiyose")
    import_files("kiyose", files)
    before = snapshot()
    fixed = corrected(
        files, "[基本目標 12] 一人ひとりの学びと学びあいの充実", "[基本目標 12] 学びの充実"
    )
    result = import_files("kiyose", fixed, dry_run=True)
    assert snapshot() == before
    assert [(c.action, c.key, c.field) for c in result.changes] == [("update", "12", "title")]


def test_reimport_after_a_loaded_fixture_changes_nothing():
    """The fixtures carry the last import run, so importing the samples again is a no-op."""
    call_command("loaddata", "kiyose.json", verbosity=0)
    before = snapshot()
    result = import_files("kiyose", sample_bytes("kiyose"))
    assert result.changes == []
    assert snapshot() == before
