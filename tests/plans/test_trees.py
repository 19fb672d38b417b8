"""Each plan owns its trees: a write in one plan changes no row of another (plans.trees)."""

import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, close_old_connections, connection
from django.db.models import Count
from mptt.exceptions import InvalidMove

from plans import services
from plans.locking import plan_tree_lock
from plans.models import Plan, PlanNode
from plans.services import NodeSpec
from plans.tenancy import SYSTEM


def tree_state() -> list[tuple]:
    return list(
        PlanNode.objects.order_by("pk").values_list(
            "pk", "plan_id", "parent_id", "tree_id", "lft", "rght", "level"
        )
    )


def assert_trees_valid() -> None:
    """Every tree is whole and belongs to one plan.

    ``rebuild()`` recomputes ``lft``/``rght``/``level`` from parent links alone (keeping each
    tree's id), so it must change nothing; no two roots share a tree id; no tree holds nodes
    of two plans.
    """
    before = tree_state()
    PlanNode.objects.rebuild()
    assert tree_state() == before
    root_ids = list(PlanNode.objects.filter(parent=None).values_list("tree_id", flat=True))
    assert len(root_ids) == len(set(root_ids)), "two roots share a tree id"
    mixed = PlanNode.objects.values("tree_id").annotate(plans=Count("plan", distinct=True))
    assert [row["tree_id"] for row in mixed if row["plans"] > 1] == []


def outline(plan) -> str:
    """The plan as an indented outline of codes (or keys), in tree order."""
    nodes = PlanNode.objects.for_plan(plan).order_by("tree_id", "lft")
    return "\n".join("  " * node.level + (node.code or node.key) for node in nodes)


SAMPLES = ["omitama", "honjo", "kiyose", "tomakomai"]  # fixtures numbering trees 1 … 16


def load_samples() -> None:
    call_command("loaddata", *SAMPLES, verbosity=0)


def sample(slug: str) -> Plan:
    return Plan.objects.get(municipality__slug=slug)


def rows_of_other_plans(plan: Plan) -> list[dict]:
    return list(PlanNode.objects.exclude(plan=plan).order_by("pk").values())


def node(plan: Plan, code: str) -> PlanNode:
    return PlanNode.objects.get(plan=plan, code=code)


def move_changing_level(moved: PlanNode, target: PlanNode, position: str) -> None:
    """The service refuses a move that changes a node's level (issue 10: it would rename it);
    the tree mechanics under it must still leave other plans alone when one happens."""
    with plan_tree_lock(moved.plan):
        PlanNode.objects.move_node(moved, target, position)


@pytest.mark.django_db
def test_top_level_and_inner_writes_in_one_plan_change_no_row_of_another():
    """小美玉市's trees come first (ids 1-3): mptt used to renumber all 13 trees after them."""
    load_samples()
    omitama = sample("omitama")
    others = rows_of_other_plans(omitama)
    writes = [
        (
            "insert an inner node",
            lambda: services.node_create(
                plan=omitama, title="個別施策", key="1199", code="1199", parent=node(omitama, "11")
            ),
        ),
        (
            "add a top-level node last",
            lambda: services.node_create(plan=omitama, title="新しい基本目標", key="4", code="4"),
        ),
        (
            "add a top-level node first",
            lambda: services.node_create(
                plan=omitama, title="最初の基本目標", key="0", code="0", position="first-child"
            ),
        ),
        (
            "move an inner node to another tree",
            lambda: services.node_move(
                actor=SYSTEM, node=node(omitama, "1199"), target=node(omitama, "21")
            ),
        ),
        (
            "move a top-level node before another",
            lambda: services.node_move(
                actor=SYSTEM, node=node(omitama, "3"), target=node(omitama, "1"), position="left"
            ),
        ),
        (
            "move an inner node to the top level",
            lambda: move_changing_level(node(omitama, "12"), node(omitama, "2"), "right"),
        ),
        (
            "move a top-level node under another node",
            lambda: move_changing_level(node(omitama, "4"), node(omitama, "3"), "first-child"),
        ),
        (
            "delete an inner node",
            lambda: services.node_delete(actor=SYSTEM, node=node(omitama, "1199")),
        ),
        (
            "delete a top-level node",
            lambda: services.node_delete(actor=SYSTEM, node=node(omitama, "0")),
        ),
        (
            "bulk-create top-level nodes",
            lambda: services.nodes_bulk_create(
                plan=omitama,
                roots=[
                    NodeSpec(
                        key="9",
                        code="9",
                        title="一括",
                        children=[NodeSpec(key="91", code="91", title="一括の子")],
                    )
                ],
            ),
        ),
    ]
    for description, write in writes:
        write()
        assert rows_of_other_plans(omitama) == others, f"{description} changed another plan"
    top_level = PlanNode.objects.filter(plan=omitama, parent=None).order_by("tree_id")
    assert [n.code for n in top_level] == ["3", "1", "2", "12", "9"]
    assert outline(omitama).startswith("3\n  4\n  31\n")
    assert "\n2\n  21\n    2101\n" in outline(omitama)
    assert_trees_valid()


@pytest.mark.django_db
def test_a_node_cannot_be_placed_among_another_plans_top_level(plan, earlier_plan):
    here = services.node_create(plan=plan, title="目標", key="1", code="1")
    child = services.node_create(plan=plan, title="施策", key="11", code="11", parent=here)
    there = services.node_create(plan=earlier_plan, title="前期の目標", key="1", code="1")
    with pytest.raises(InvalidMove, match="own plan"):
        PlanNode.objects.move_node(child, there, "left")
    assert outline(plan) == "1\n  11"
    assert outline(earlier_plan) == "1"


@pytest.mark.django_db
def test_rebuild_keeps_each_trees_id(plan, earlier_plan):
    """Deleting a root leaves a gap; rebuild() no longer closes it by renumbering later trees."""
    first = services.node_create(plan=plan, title="目標1", key="1", code="1")
    services.node_create(plan=plan, title="目標2", key="2", code="2")
    later = services.node_create(plan=earlier_plan, title="前期の目標", key="1", code="1")
    services.node_delete(actor=SYSTEM, node=first)
    PlanNode.objects.rebuild()
    assert PlanNode.objects.get(pk=later.pk).tree_id == later.tree_id


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_two_trees_with_one_id(plan, earlier_plan):
    """A unique (tree_id, lft), checked at commit, catches a tree id given to two plans."""
    if connection.vendor != "postgresql":
        pytest.skip("the constraint is PostgreSQL's (SQLite has one writer)")
    services.node_create(plan=plan, title="目標", key="1", code="1")
    other = services.node_create(plan=earlier_plan, title="前期の目標", key="1", code="1")
    PlanNode.objects.filter(pk=other.pk).update(tree_id=PlanNode.objects.get(plan=plan).tree_id)
    with pytest.raises(IntegrityError, match="plannode_unique_lft_per_tree"):
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# --- Writers in different plans at once -------------------------------------------------------

ROUNDS = 12


def _write_rounds(plan_pk: int, start: threading.Barrier, errors: list) -> None:
    """Each round: inner and top-level inserts, top-level moves, top-level and inner deletes.

    Net effect per round: one new top-level node, moved first in the plan.
    """
    try:
        plan = Plan.objects.get(pk=plan_pk)
        # A top-level parent: its child stays within every sample plan's named levels.
        inner_parent = PlanNode.objects.filter(plan=plan, level=0).order_by("tree_id", "lft")[0]
        for number in range(ROUNDS):
            start.wait(timeout=60)
            child = services.node_create(
                plan=plan, title="並行", key=f"c{number}", parent=inner_parent
            )
            root = services.node_create(plan=plan, title="並行の目標", key=f"w{number}")
            first = PlanNode.objects.filter(plan=plan, parent=None).order_by("tree_id")[0]
            services.node_move(actor=SYSTEM, node=root, target=first, position="left")
            move_changing_level(child, root, "right")
            services.node_delete(actor=SYSTEM, node=child)
            leaf = services.node_create(plan=plan, title="葉", key=f"l{number}", parent=root)
            services.node_delete(actor=SYSTEM, node=leaf)
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
        start.abort()
    finally:
        close_old_connections()
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_in_different_plans_keep_every_tree_valid():
    """Four cities write at once, round after round; no lock is shared between them."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has a single writer")
    load_samples()
    plans = [sample(slug) for slug in SAMPLES]
    counts = {plan.pk: plan.nodes.count() for plan in plans}
    tops = {plan.pk: list(plan.nodes.filter(parent=None).order_by("tree_id")) for plan in plans}
    errors: list = []
    start = threading.Barrier(len(plans))
    threads = [
        threading.Thread(target=_write_rounds, args=(plan.pk, start, errors)) for plan in plans
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_trees_valid()
    for plan in plans:
        assert plan.nodes.count() == counts[plan.pk] + ROUNDS
        top_level = list(plan.nodes.filter(parent=None).order_by("tree_id"))
        expected_new = [f"w{number}" for number in reversed(range(ROUNDS))]
        assert [n.key for n in top_level] == [*expected_new, *(n.key for n in tops[plan.pk])]


@pytest.mark.django_db(transaction=True)
def test_sqlite_lets_one_tree_writer_at_a_time(plan, earlier_plan):
    """SQLite shows what it can: while a plan's tree lock is held, no other plan can write.

    (Transactions begin IMMEDIATE, so the lock is the database's one write lock; a writer in
    another plan is refused or waits, and never interleaves.)
    """
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL runs writers in different plans at once (test above)")
    services.node_create(plan=earlier_plan, title="前期の目標", key="1", code="1")
    holding, release, errors = threading.Event(), threading.Event(), []

    def hold_the_lock():
        try:
            with plan_tree_lock(plan):
                services.node_create(plan=plan, title="目標", key="1", code="1")
                holding.set()
                release.wait(timeout=60)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
            holding.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(OperationalError, match="locked"):
            services.node_create(plan=earlier_plan, title="割り込み", key="2", code="2")
    finally:
        release.set()
        holder.join()
    assert errors == []
    services.node_create(plan=earlier_plan, title="後から", key="3", code="3")
    assert outline(earlier_plan) == "1\n3"
    assert outline(plan) == "1"
    assert_trees_valid()
