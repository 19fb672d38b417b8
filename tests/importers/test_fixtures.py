"""The committed sample fixtures (fixtures/*.json): valid trees, the expected plans, up to date."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from importers.models import ImportRun
from importers.selectors import sample_catalog
from importers.services import sample_fixtures_build
from indicators.models import Indicator
from plans.models import CrossReference, NodeSection, Plan, PlanNode

pytestmark = pytest.mark.django_db

FIXTURES_DIR = Path(settings.FIXTURE_DIRS[0])
TIMESTAMPS = ("updated_at", "created_at")


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


def without_timestamps(objects: list[dict]) -> list[dict]:
    for item in objects:
        for name in TIMESTAMPS:
            item["fields"].pop(name, None)
    return objects


def test_every_sample_plan_has_a_fixture():
    assert [Path(path).name for path in fixture_paths()] == [
        "omitama.json",
        "honjo.json",
        "kiyose.json",
        "tomakomai.json",
    ]
    assert all(Path(path).is_file() for path in fixture_paths())


def test_loading_every_fixture_gives_trees_that_rebuild_leaves_unchanged():
    """loaddata skips save(): the fixtures carry tree fields, and they are exactly mptt's."""
    load_all()
    before = tree_state()
    assert len(before) == 95 + 67 + 16 + 13
    PlanNode.objects.rebuild()
    assert tree_state() == before


def test_loading_the_fixtures_twice_changes_nothing():
    """Natural keys: a second loaddata (the run command runs it on every start) updates in place."""
    load_all()
    counts = [model.objects.count() for model in (PlanNode, NodeSection, Indicator, ImportRun)]
    load_all()
    assert [m.objects.count() for m in (PlanNode, NodeSection, Indicator, ImportRun)] == counts


def test_omitama_fixture_3_goals_16_policies_76_measures_21_kpis_fy2021_to_fy2027():
    load_all()
    assert [nodes("omitama").filter(level=level).count() for level in range(3)] == [3, 16, 76]
    indicators = Indicator.objects.filter(plan__municipality__slug="omitama")
    assert indicators.count() == 21
    goal_1_policies = nodes("omitama").get(code="1").get_children()
    assert len(goal_1_policies) == 6
    assert set(indicators.values_list("node__code", flat=True)) == {
        policy.code for policy in goal_1_policies
    }
    assert set(indicators.values_list("baseline_year", "target_year")) == {(2021, 2027)}


def test_honjo_fixture_fields_majors_middles_kpis_and_policy_link_plans():
    load_all()
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


def test_kiyose_and_tomakomai_fixtures():
    load_all()
    assert [nodes("kiyose").filter(level=level).count() for level in range(2)] == [4, 12]
    assert [nodes("tomakomai").filter(level=level).count() for level in range(3)] == [2, 3, 8]


def test_every_fixture_plan_is_published_with_its_municipality_code():
    load_all()
    plans = Plan.objects.select_related("municipality")
    assert {plan.municipality.slug: plan.municipality.local_gov_code for plan in plans} == {
        "omitama": "082368",
        "honjo": "112119",
        "kiyose": "132217",
        "tomakomai": "012131",
    }
    assert {plan.status for plan in plans} == {Plan.Status.PUBLISHED}


def test_fixtures_are_up_to_date_with_the_parsers():
    """Rebuilding from the samples gives the committed fixtures (timestamps aside).

    When this fails the parsers changed: run ``manage.py build_sample_fixtures`` and commit.
    """
    built = sample_fixtures_build()
    for entry in sample_catalog():
        committed = json.loads((FIXTURES_DIR / entry.fixture).read_text(encoding="utf-8"))
        fresh = json.loads(built[entry.fixture])
        assert without_timestamps(fresh) == without_timestamps(committed), entry.fixture
    assert Plan.objects.count() == 0  # the build leaves the database as it was
