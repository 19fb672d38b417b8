"""Tree writes hold the plan's lock: a second writer to the same plan waits until the first has
committed, on SQLite and on PostgreSQL; writers in different plans never corrupt each other's
trees (on PostgreSQL they may run at once; SQLite has one writer at a time, so they queue).

Each test stops a first writer in the middle of its tree write — at its first INSERT, UPDATE or
DELETE of plan nodes, seen through ``connection.execute_wrapper`` — and starts a second writer
then. The first writer resumes when the second has finished or after ``PAUSE`` seconds, which
is how long the second writer is given to show that it does not wait.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection

from plans import services
from plans.models import Plan, PlanNode
from plans.tenancy import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE = 2.0  # seconds the first writer stays stopped unless the second finishes sooner
TREE_WRITE = ("INSERT", "UPDATE", "DELETE")


def writes_nodes(sql: str) -> bool:
    return sql.lstrip().upper().startswith(TREE_WRITE) and "plans_plannode" in sql


@dataclass
class Writers:
    """Two writer threads; ``finished`` lists their names in the order they committed."""

    finished: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    first_inside: threading.Event = field(default_factory=threading.Event)
    second_done: threading.Event = field(default_factory=threading.Event)

    def _pause_first_write(self, execute, sql, params, many, context):
        if not self.first_inside.is_set() and writes_nodes(sql):
            self.first_inside.set()
            self.second_done.wait(timeout=PAUSE)
        return execute(sql, params, many, context)

    def _run(self, name: str, write: Callable[[], object], paused: bool) -> None:
        try:
            if paused:
                with connection.execute_wrapper(self._pause_first_write):
                    write()
            else:
                write()
            self.finished.append(name)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.errors.append(error)
        finally:
            if not paused:
                self.second_done.set()
            connection.close()

    def run(self, first: Callable[[], object], second: Callable[[], object]) -> None:
        """Run ``first`` until it writes nodes, then ``second``; wait for both to end."""
        one = threading.Thread(target=self._run, args=("first", first, True))
        one.start()
        if not self.first_inside.wait(timeout=30):
            one.join()
            raise AssertionError(f"the first writer never wrote a node: {self.errors}")
        two = threading.Thread(target=self._run, args=("second", second, False))
        two.start()
        for thread in (one, two):
            thread.join(timeout=60)
        assert not one.is_alive() and not two.is_alive(), "a writer is stuck"
        assert self.errors == []


def tree_state():
    return list(
        PlanNode.objects.order_by("pk").values_list(
            "pk", "plan_id", "parent_id", "tree_id", "lft", "rght", "level"
        )
    )


def assert_trees_valid():
    """Every tree holds one plan's nodes, and rebuild() (which recomputes every tree field from
    parent links alone) changes nothing."""
    shared = {
        tree_id: sorted(plans)
        for tree_id, plans in _plans_by_tree().items()
        if len(plans) > 1  # (a plan may own several trees, a tree never several plans)
    }
    assert shared == {}, f"trees holding nodes of several plans: {shared}"
    before = tree_state()
    PlanNode.objects.rebuild()
    changed = sorted(set(tree_state()) ^ set(before))
    assert changed == [], "rebuild() renumbered (pk, plan, parent, tree, lft, rght, level)"


def _plans_by_tree() -> dict[int, set[int]]:
    plans: dict[int, set[int]] = {}
    for tree_id, plan_id in PlanNode.objects.values_list("tree_id", "plan_id"):
        plans.setdefault(tree_id, set()).add(plan_id)
    return plans


def outline(plan: Plan) -> str:
    """The plan as an indented outline of keys, in tree order."""
    nodes = PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft")
    return "\n".join("  " * node.level + node.key for node in nodes)


def node(plan: Plan, key: str) -> PlanNode:
    return PlanNode.objects.get(plan=plan, key=key)


def build(plan: Plan) -> Plan:
    """Two goals with two policies each:

    1
      11
      12
    2
      21
      22
    """
    for goal in ("1", "2"):
        parent = services.node_create(plan=plan, title=f"基本目標{goal}", key=goal, code=goal)
        for policy in ("1", "2"):
            key = goal + policy
            services.node_create(
                plan=plan, title=f"基本施策{key}", key=key, code=key, parent=parent
            )
    return plan


def insert_child(plan: Plan, parent_key: str, key: str):
    return lambda: services.node_create(
        plan=plan, title=f"追加{key}", key=key, code=key, parent=node(plan, parent_key)
    )


def insert_root(plan: Plan, key: str):
    return lambda: services.node_create(plan=plan, title=f"追加{key}", key=key, code=key)


def move(plan: Plan, key: str, target_key: str, position: str):
    return lambda: services.node_move(
        actor=SYSTEM, node=node(plan, key), target=node(plan, target_key), position=position
    )


def delete(plan: Plan, key: str):
    return lambda: services.node_delete(actor=SYSTEM, node=node(plan, key))


# The first writer's change to the plan above, and the outline once the second writer (who adds
# 13 under 1) has finished after it.
SAME_PLAN_WRITES = {
    "insert a child": (
        lambda plan: insert_child(plan, "1", "14"),
        "1\n  11\n  12\n  14\n  13\n2\n  21\n  22",
    ),
    "insert a root": (
        lambda plan: insert_root(plan, "3"),
        "1\n  11\n  12\n  13\n2\n  21\n  22\n3",
    ),
    "move a policy across goals": (
        lambda plan: move(plan, "21", "1", "last-child"),
        "1\n  11\n  12\n  21\n  13\n2\n  22",
    ),
    "move a root to the top": (
        lambda plan: move(plan, "2", "1", "left"),
        "2\n  21\n  22\n1\n  11\n  12\n  13",
    ),
    "delete a subtree": (lambda plan: delete(plan, "12"), "1\n  11\n  13\n2\n  21\n  22"),
    "delete a root": (lambda plan: delete(plan, "2"), "1\n  11\n  12\n  13"),
}


@pytest.mark.parametrize("write", SAME_PLAN_WRITES)
def test_a_second_writer_to_the_same_plan_waits_for_the_first(plan, write):
    """While one tree write of a plan is under way, another write to that plan waits for it to
    commit (both databases): the second writer finishes second and the tree is valid."""
    build(plan)
    first, expected = SAME_PLAN_WRITES[write]
    writers = Writers()
    writers.run(first(plan), insert_child(plan, "1", "13"))
    assert writers.finished == ["first", "second"]
    assert outline(plan) == expected
    assert_trees_valid()


# Writes that create, move or delete top-level nodes, each in its own plan at once.
OTHER_PLAN_WRITES = {
    "insert roots in both": (
        lambda plan: insert_root(plan, "3"),
        "1\n  11\n  12\n2\n  21\n  22\n3",
    ),
    "move a root to the top while the other inserts one": (
        lambda plan: move(plan, "2", "1", "left"),
        "2\n  21\n  22\n1\n  11\n  12",
    ),
    "delete a root while the other inserts one": (
        lambda plan: delete(plan, "1"),
        "2\n  21\n  22",
    ),
}


@pytest.mark.parametrize("write", OTHER_PLAN_WRITES)
def test_top_level_writes_in_two_plans_at_once_keep_both_trees_valid(plan, earlier_plan, write):
    """Two plans written at the same moment, at the top of their trees: each plan gets exactly
    its own change and every tree stays valid. SQLite has one writer at a time, so there the
    second writer also waits for the first."""
    build(plan)
    build(earlier_plan)
    first, expected = OTHER_PLAN_WRITES[write]
    writers = Writers()
    writers.run(first(plan), insert_root(earlier_plan, "3"))
    assert outline(plan) == expected
    assert outline(earlier_plan) == "1\n  11\n  12\n2\n  21\n  22\n3"
    assert_trees_valid()
    if connection.vendor == "sqlite":
        assert writers.finished == ["first", "second"]
