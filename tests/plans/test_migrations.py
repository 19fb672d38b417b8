"""Migrations that change data, run forward over rows written before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans import services
from plans.models import PlanNode

BEFORE = [("plans", "0004_glossaryterm")]
AFTER = [("plans", "0005_tree_ids_owned_by_plans")]


@pytest.fixture(autouse=True)
def _latest_schema_afterwards(django_db_blocker):
    """Leave the database at the latest migrations: later tests in this process need them."""
    yield
    with django_db_blocker.unblock():
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_tree_ids_owned_by_plans_keeps_trees_and_hands_out_ids_past_every_one_in_use():
    """Trees numbered by mptt stay as they are; the next new tree gets the largest id + 1."""
    apps = migrate(BEFORE)
    city = apps.get_model("plans", "Municipality").objects.create(
        name="小美玉市", prefecture="茨城県", slug="omitama"
    )
    plan = apps.get_model("plans", "Plan").objects.create(
        municipality=city,
        title="基本計画",
        slug="2023",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["基本目標"],
    )
    Node = apps.get_model("plans", "PlanNode")
    for tree_id, key in ((1, "1"), (2, "2"), (1_234_567, "3")):
        Node.objects.create(
            plan=plan, key=key, title=f"目標{key}", tree_id=tree_id, lft=1, rght=2, level=0
        )
    rows = list(Node.objects.order_by("pk").values_list("key", "tree_id", "lft", "rght"))
    migrate(AFTER)
    assert list(PlanNode.objects.order_by("pk").values_list("key", "tree_id", "lft", "rght")) == (
        rows
    )
    new = services.node_create(plan=PlanNode.objects.get(key="1").plan, title="目標4", key="4")
    assert new.tree_id == 1_234_568
