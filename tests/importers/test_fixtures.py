"""The committed sample fixtures (fixtures/*.json): valid trees, the plans the sample texts
print, up to date, and rebuilt identically (no build time in them) by the command that alone
writes them — and that refuses to in CI."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from importers.models import ImportRun
from importers.selectors import sample_catalog
from importers.services import sample_fixtures_build
from indicators.models import Indicator
from plans.models import CrossReference, GlossaryTerm, NodeSection, Plan, PlanNode
from tests.golden import assert_same_text

pytestmark = pytest.mark.django_db

FIXTURES_DIR = Path(settings.FIXTURE_DIRS[0])
REBUILD = (
    "rebuild with `manage.py build_sample_fixtures` (see its docstring), review "
    "`git diff fixtures/`, commit."
)


def fixture_paths() -> list[str]:
    return [str(FIXTURES_DIR / entry.fixture) for entry in sample_catalog()]


def load_all() -> None:
    call_command("loaddata", *fixture_paths(), verbosity=0)


def tree_state() -> list[tuple]:
    """(plan, key, tree_id, lft, rght, level, parent key) of every node."""
    return list(
        PlanNode.objects.order_by("plan__municipality__slug", "key").values_list(
            "plan__municipality__slug", "key", "tree_id", "lft", "rght", "level", "parent__key"
        )
    )


def nodes(slug: str):
    return PlanNode.objects.filter(plan__municipality__slug=slug)


def test_every_sample_plan_has_a_fixture():
    assert [Path(path).name for path in fixture_paths()] == [
        "omitama.json",
        "honjo.json",
        "kiyose.json",
        "tomakomai.json",
    ]
    assert all(Path(path).is_file() for path in fixture_paths())


@pytest.fixture(scope="class")
def fixtures_loaded(django_db_setup, django_db_blocker):
    """Every fixture loaded (loaddata) once for the tests of a class, and rolled back after it;
    each test nests in a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_all()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.usefixtures("fixtures_loaded")
class TestTheLoadedFixtures:
    def test_loading_every_fixture_gives_trees_that_rebuild_leaves_unchanged(self):
        """loaddata skips save(): the fixtures carry tree fields, and they are exactly mptt's."""
        before = tree_state()
        assert len(before) == 95 + 67 + 16 + 13
        PlanNode.objects.rebuild()
        assert tree_state() == before

    def test_loading_the_fixtures_twice_changes_nothing(self):
        """Natural keys: a second loaddata (the run command runs it on every start) updates in
        place."""
        models = (PlanNode, NodeSection, Indicator, ImportRun)
        counts = [model.objects.count() for model in models]
        load_all()
        assert [model.objects.count() for model in models] == counts

    def test_omitama_fixture_3_goals_16_policies_76_measures_21_kpis_fy2021_to_fy2027(self):
        assert [nodes("omitama").filter(level=level).count() for level in range(3)] == [3, 16, 76]
        indicators = Indicator.objects.filter(plan__municipality__slug="omitama")
        assert indicators.count() == 21
        goal_1_policies = nodes("omitama").get(code="1").get_children()
        assert len(goal_1_policies) == 6
        assert set(indicators.values_list("node__code", flat=True)) == {
            policy.code for policy in goal_1_policies
        }
        assert set(indicators.values_list("baseline_year", "target_year")) == {(2021, 2027)}

    def test_honjo_fixture_fields_majors_middles_kpis_and_policy_link_plans(self):
        policies = nodes("honjo").filter(kind=PlanNode.Kind.POLICY)
        assert [policies.filter(level=level).count() for level in range(3)] == [2, 11, 49]
        assert Indicator.objects.filter(plan__municipality__slug="honjo").count() == 27
        links = nodes("honjo").filter(kind=PlanNode.Kind.CROSS_CUTTING)
        assert links.count() == 5
        references = CrossReference.objects.filter(from_node__in=links)
        assert set(references.values_list("from_node__key", flat=True)) == set(
            links.values_list("key", flat=True)
        )
        assert references.filter(to_node__isnull=False).exists()

    def test_kiyose_and_tomakomai_fixtures(self):
        assert [nodes("kiyose").filter(level=level).count() for level in range(2)] == [4, 12]
        assert [nodes("tomakomai").filter(level=level).count() for level in range(3)] == [2, 3, 8]

    def test_every_fixture_plan_is_published_with_its_municipality_code(self):
        plans = Plan.objects.select_related("municipality")
        assert {plan.municipality.slug: plan.municipality.local_gov_code for plan in plans} == {
            "omitama": "082368",
            "honjo": "112119",
            "kiyose": "132217",
            "tomakomai": "012131",
        }
        assert {plan.status for plan in plans} == {Plan.Status.PUBLISHED}

    def test_fixtures_hold_what_the_sample_texts_print(self):
        """Values written here from the sample texts, not from the builder.

        omitama_goal1.txt:179-180 (a KPI table of 基本施策11)::

            指標名	実績値（令和3年度）	将来値（令和9年度）
            まちづくり組織認定団体数	64団体	76団体

        omitama_goal1.txt:231 (a glossary entry whose reading stays with the definition)::

            QOL (キュー・オー・エル) : Quality of life (クオリティ・オブ・ライフ) の略で、…
        """
        kpi = Indicator.objects.get(
            plan__municipality__slug="omitama", name="まちづくり組織認定団体数"
        )
        assert kpi.node.code == "11"
        assert (kpi.baseline_value, kpi.baseline_raw, kpi.baseline_year) == (
            Decimal("64"),
            "64団体",
            2021,  # 令和3年度
        )
        assert (kpi.target_value, kpi.target_raw, kpi.target_year) == (
            Decimal("76"),
            "76団体",
            2027,
        )
        assert kpi.unit == "団体"
        qol = GlossaryTerm.objects.get(plan__municipality__slug="omitama", term="QOL")
        assert qol.definition.startswith(
            "(キュー・オー・エル) Quality of life (クオリティ・オブ・ライフ) の略で"
        )


def test_fixtures_are_up_to_date_with_the_parsers():
    """Building from the samples gives the committed fixtures, every line of them (build times
    included: there are none). When this fails the failure shows the changed lines."""
    built = sample_fixtures_build()
    for entry in sample_catalog():
        assert_same_text(FIXTURES_DIR / entry.fixture, built[entry.fixture], how_to_update=REBUILD)
    assert Plan.objects.count() == 0  # the build leaves the database as it was


def test_rebuilding_the_fixtures_twice_changes_nothing(tmp_path, settings):
    """Two builds, seconds apart, write the same bytes: the second finds every file unchanged."""
    settings.CI = False
    first = call_text("build_sample_fixtures", "--output-dir", str(tmp_path))
    written = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert sorted(written) == sorted(entry.fixture for entry in sample_catalog())
    assert first.count("wrote ") == 4
    second = call_text("build_sample_fixtures", "--output-dir", str(tmp_path))
    assert sorted(second.splitlines()) == sorted(f"unchanged {tmp_path / name}" for name in written)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == written


def test_the_fixture_builder_refuses_to_write_in_ci(tmp_path, settings):
    """With CI set, fixtures are never rewritten; ``--check`` still compares them."""
    settings.CI = True
    with pytest.raises(CommandError, match="refused in CI"):
        call_command("build_sample_fixtures", "--output-dir", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
    assert "up to date" in call_text("build_sample_fixtures", "--check")


def call_text(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
