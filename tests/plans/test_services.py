"""Tree writes through the services keep every plan's tree valid: rebuild() changes nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans import services
from plans.models import NodeSection, Plan, PlanNode
from plans.services import NodeSpec
from plans.tenancy import SYSTEM


def tree_state():
    return list(
        PlanNode.objects.order_by("pk").values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level"
        )
    )


def assert_tree_valid():
    """django-mptt's rebuild() recomputes every tree field from parent links alone."""
    before = tree_state()
    PlanNode.objects.rebuild()
    assert tree_state() == before


def outline(plan) -> str:
    """The plan as an indented outline of codes, in tree order."""
    nodes = PlanNode.objects.for_plan(plan).order_by("tree_id", "lft")
    return "\n".join("  " * node.level + (node.code or node.key) for node in nodes)


@pytest.fixture
def tree(plan):
    """Two goals with policies and measures, built one insert at a time."""
    goal1 = services.node_create(plan=plan, title="みんなの力で磨くまちづくり", key="1", code="1")
    policy11 = services.node_create(plan=plan, title="市民協働", key="11", code="11", parent=goal1)
    for code in ("1101", "1102"):
        services.node_create(
            plan=plan, title=f"個別施策{code}", key=code, code=code, parent=policy11
        )
    policy12 = services.node_create(
        plan=plan, title="人権の尊重", key="12", code="12", parent=goal1
    )
    services.node_create(plan=plan, title="人権教育", key="1201", code="1201", parent=policy12)
    goal2 = services.node_create(plan=plan, title="人を育てる学びの場づくり", key="2", code="2")
    services.node_create(plan=plan, title="子育て支援", key="21", code="21", parent=goal2)
    return plan


def test_inserts_build_the_expected_outline(tree):
    assert outline(tree) == "1\n  11\n    1101\n    1102\n  12\n    1201\n2\n  21"
    assert_tree_valid()


def test_first_child_insert(tree):
    policy11 = PlanNode.objects.get(plan=tree, code="11")
    services.node_create(
        plan=tree, title="先頭", key="1100", code="1100", parent=policy11, position="first-child"
    )
    assert outline(tree).startswith("1\n  11\n    1100\n    1101")
    assert_tree_valid()


def test_move_a_measure_to_another_policy(tree):
    """The 1201 case of the samples: a measure filed under the wrong parent is moved by code."""
    measure = PlanNode.objects.get(plan=tree, code="1201")
    services.node_move(
        actor=SYSTEM, node=measure, target=PlanNode.objects.get(plan=tree, code="11")
    )
    assert outline(tree) == "1\n  11\n    1101\n    1102\n    1201\n  12\n2\n  21"
    assert_tree_valid()


def test_move_a_subtree_before_a_sibling_and_across_roots(tree):
    policy12 = PlanNode.objects.get(plan=tree, code="12")
    services.node_move(
        actor=SYSTEM,
        node=policy12,
        target=PlanNode.objects.get(plan=tree, code="11"),
        position="left",
    )
    assert outline(tree) == "1\n  12\n    1201\n  11\n    1101\n    1102\n2\n  21"
    services.node_move(
        actor=SYSTEM, node=policy12, target=PlanNode.objects.get(plan=tree, code="2")
    )
    assert outline(tree) == "1\n  11\n    1101\n    1102\n2\n  21\n  12\n    1201"
    assert_tree_valid()


def test_reorder_roots_without_touching_another_plan(tree, earlier_plan):
    services.node_create(plan=earlier_plan, title="別計画の目標", key="x1", code="x1")
    other_outline = outline(earlier_plan)
    services.node_move(
        actor=SYSTEM,
        node=PlanNode.objects.get(plan=tree, code="2"),
        target=PlanNode.objects.get(plan=tree, code="1"),
        position="left",
    )
    assert outline(tree) == "2\n  21\n1\n  11\n    1101\n    1102\n  12\n    1201"
    assert outline(earlier_plan) == other_outline
    assert_tree_valid()


def test_delete_a_subtree_and_a_root(tree):
    services.node_delete(actor=SYSTEM, node=PlanNode.objects.get(plan=tree, code="11"))
    assert outline(tree) == "1\n  12\n    1201\n2\n  21"
    services.node_delete(actor=SYSTEM, node=PlanNode.objects.get(plan=tree, code="1"))
    assert outline(tree) == "2\n  21"
    assert_tree_valid()


def test_deleting_a_subtree_moves_the_plans_version_once(tree):
    """Nodes and sections deleted together move the plan's version in one UPDATE, not one
    per row (and their plan is not looked up row by row)."""
    node = PlanNode.objects.get(plan=tree, code="1")
    NodeSection.objects.create(node=PlanNode.objects.get(plan=tree, code="11"), body="本文")
    Plan.objects.filter(pk=tree.pk).update(updated_at=timezone.now() - timedelta(days=1))
    before = Plan.objects.get(pk=tree.pk).updated_at
    with CaptureQueriesContext(connection) as queries:
        services.node_delete(actor=SYSTEM, node=node)
    touches = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "plans_plan"')]
    assert len(touches) == 1
    assert Plan.objects.get(pk=tree.pk).updated_at > before


def test_stale_instances_cannot_corrupt_the_tree(tree):
    """Services re-read nodes inside the lock, so an instance loaded before a move is safe."""
    stale = PlanNode.objects.get(plan=tree, code="1102")
    services.node_create(
        plan=tree,
        title="割り込み",
        key="1100",
        parent=PlanNode.objects.get(code="11"),
        position="first-child",
    )
    services.node_move(actor=SYSTEM, node=stale, target=PlanNode.objects.get(plan=tree, code="21"))
    assert "  21\n    1102" in outline(tree)
    assert_tree_valid()


def test_update_does_not_overwrite_tree_fields(tree):
    stale = PlanNode.objects.get(plan=tree, code="1101")
    services.node_move(
        actor=SYSTEM,
        node=PlanNode.objects.get(plan=tree, code="12"),
        target=PlanNode.objects.get(plan=tree, code="11"),
        position="left",
    )
    services.node_update(
        actor=SYSTEM, node=stale, title="市民協働推進のための環境づくり", department="市民協働課"
    )
    assert PlanNode.objects.get(pk=stale.pk).title == "市民協働推進のための環境づくり"
    assert_tree_valid()


def test_update_refuses_tree_fields(tree):
    node = PlanNode.objects.get(plan=tree, code="1101")
    with pytest.raises(TypeError):
        services.node_update(actor=SYSTEM, node=node, parent=None)


def test_bulk_create_builds_valid_trees_next_to_existing_ones(tree):
    other = services.plan_create(
        municipality=tree.municipality,
        title="本庄市型",
        slug="bulk",
        first_fiscal_year=2023,
        last_fiscal_year=2027,
        level_names=["分野", "施策大項目", "施策中項目"],
    )
    roots = [
        NodeSpec(
            key="5",
            code="5",
            title="市民生活分野",
            children=[
                NodeSpec(
                    key="5-1",
                    code="5-1",
                    title="市民との協働によるまちづくりの推進",
                    sections=[("めざす姿", "自治会活動が活発化しています。")],
                    sdg_goals=[11, 17],
                    children=[
                        NodeSpec(key=f"5-1-{i}", code=f"5-1-{i}", title=f"中項目{i}")
                        for i in (1, 2, 3)
                    ],
                )
            ],
        ),
        NodeSpec(key="6", code="6", title="行財政経営分野"),
    ]
    created = services.nodes_bulk_create(plan=other, roots=roots)
    assert outline(other) == "5\n  5-1\n    5-1-1\n    5-1-2\n    5-1-3\n6"
    assert list(created["5-1"].sdg_goals.values_list("number", flat=True)) == [11, 17]
    assert created["5-1"].sections.get().heading == "めざす姿"
    assert "自治会活動" in PlanNode.objects.get(pk=created["5-1"].pk).search_text
    assert_tree_valid()
    # A node added afterwards through the ordinary service lands correctly.
    services.node_create(
        plan=other, title="中項目4", key="5-1-4", code="5-1-4", parent=created["5-1"]
    )
    assert outline(other).endswith("5-1-3\n    5-1-4\n6")
    assert_tree_valid()


def test_invalid_position_is_refused(tree):
    with pytest.raises(ValueError):
        services.node_create(plan=tree, title="x", key="x", position="left")
    assert not PlanNode.objects.filter(key="x").exists()


# --- Concurrency: real threads, each with its own connection ------------------------------
# PostgreSQL runs writers to different plans in parallel and queues writers to one plan; SQLite
# queues every writer (one at a time, BEGIN IMMEDIATE). Either way no write is lost or refused
# and the tree stays valid. tests/plans/test_locking.py forces the interleavings one by one.

THREADS = 8
OPERATIONS_PER_THREAD = 6


def _worker(plan_pk: int, worker: int, errors: list) -> None:
    try:
        plan = Plan.objects.get(pk=plan_pk)
        goals = list(PlanNode.objects.filter(plan=plan, level=0).order_by("tree_id"))
        for step in range(OPERATIONS_PER_THREAD):
            parent = goals[(worker + step) % len(goals)]
            node = services.node_create(
                plan=plan, title=f"並行{worker}-{step}", key=f"w{worker}-{step}", parent=parent
            )
            target = goals[(worker + step + 1) % len(goals)]
            services.node_move(actor=SYSTEM, node=node, target=target, position="first-child")
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        close_old_connections()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_and_moves_keep_the_tree_valid(plan):
    for number in range(1, 4):
        goal = services.node_create(
            plan=plan, title=f"基本目標{number}", key=str(number), code=str(number)
        )
        services.node_create(plan=plan, title=f"基本施策{number}1", key=f"{number}1", parent=goal)
    errors: list = []
    threads = [threading.Thread(target=_worker, args=(plan.pk, w, errors)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert PlanNode.objects.filter(plan=plan).count() == 6 + THREADS * OPERATIONS_PER_THREAD
    assert_tree_valid()
