"""Each plan owns its trees: django-mptt's TreeManager, with tree ids that no other plan touches.

mptt orders root nodes by ``tree_id`` and keeps the ids dense: a new root between two others
shifts the id of every later tree in the table (``_create_tree_space``), and moving a root
rewrites every id between its old and new place. With all plans in one table, a top-level
write in one city rewrote the rows of every city after it (662,685 rows for one delete at
national size) and had to lock them all.

Here a tree id, once handed out, belongs to one plan's top-level item:

* new ids come from a sequence (:meth:`PlanTreeManager.new_tree_ids`), never from
  ``MAX(tree_id) + 1``, so two plans adding roots at once cannot pick the same id;
* ids may have gaps: deleting a root leaves its id unused;
* reordering a plan's roots swaps ids among that plan's own trees only
  (:meth:`PlanTreeManager.reorder_roots`);
* ``rebuild()`` keeps every tree's id and recomputes ``lft``/``rght``/``level``.

Every other mptt operation (inserts, moves and deletes inside a tree, or from one tree to
another of the same plan) updates ``WHERE tree_id = …`` of those trees only. The plan's row
lock (:mod:`plans.locking`) is therefore the only lock a tree write needs.
"""

from django.db import connections
from django.db.models import Case, Value, When
from mptt.exceptions import InvalidMove
from mptt.managers import TreeManager

# PostgreSQL hands out tree ids from this sequence. Trees numbered by hand (the sample
# fixtures number theirs 1, 2, 3 … across the set) stay far below its start, so the two
# never meet; the migration that creates it starts it past any id already in the table.
TREE_ID_SEQUENCE = "plans_plannode_tree_id_seq"
FIRST_SEQUENCE_TREE_ID = 1_000_000

NOT_ACROSS_PLANS = "A node can only be placed among the top-level items of its own plan."


class PlanTreeManager(TreeManager):
    def new_tree_ids(self, count: int) -> list[int]:
        """``count`` unused tree ids, ascending, each greater than every id in use.

        On SQLite there is one writer at a time (transactions begin IMMEDIATE), so the next
        ids after the largest are free. On PostgreSQL a sequence gives each caller its own.
        """
        if count <= 0:
            return []
        connection = connections[self.db]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s)", [TREE_ID_SEQUENCE, count]
                )
                return sorted(row[0] for row in cursor.fetchall())
            cursor.execute(f"SELECT COALESCE(MAX(tree_id), 0) FROM {self.model._meta.db_table}")  # noqa: S608
            largest = cursor.fetchone()[0]
        return list(range(largest + 1, largest + 1 + count))

    def _get_next_tree_id(self) -> int:
        # mptt calls this when a node becomes a root (a new root, or a child made a root).
        return self.new_tree_ids(1)[0]

    def _create_tree_space(self, target_tree_id, num_trees=1):
        raise NotImplementedError(
            "mptt would shift the tree ids of every later tree, other plans' too; "
            "add the root with services.node_insert and place it with services.node_move"
        )

    def _make_sibling_of_root_node(self, node, target, position):
        """Put ``node`` left or right of the root ``target``, by ids of their plan only.

        A child first leaves its tree as a root with a new id (mptt's ``_make_child_root_node``
        closes the gap in the tree it leaves); then the plan's roots take their new order.
        """
        if node == target:
            raise InvalidMove("A node may not be made a sibling of itself.")
        if node.plan_id != target.plan_id:
            raise InvalidMove(NOT_ACROSS_PLANS)
        if position not in ("left", "right"):
            raise ValueError(f"An invalid position was given: {position}.")
        if node.is_child_node():
            self._make_child_root_node(node)
        order = [tree_id for tree_id in self.root_tree_ids(node.plan_id) if tree_id != node.tree_id]
        order.insert(order.index(target.tree_id) + (position == "right"), node.tree_id)
        node.tree_id = self.reorder_roots(node.plan_id, order)[node.tree_id]

    def root_tree_ids(self, plan_id: int) -> list[int]:
        """The tree ids of the plan's top-level items, in their order."""
        roots = self.filter(plan_id=plan_id, parent=None).order_by("tree_id")
        return list(roots.values_list("tree_id", flat=True))

    def reorder_roots(self, plan_id: int, order: list[int]) -> dict[int, int]:
        """Put the plan's trees (by their ids) in ``order``, reusing the same set of ids.

        The first in ``order`` takes the smallest id, and so on; only rows of trees whose id
        changes are updated, all of them in this plan. Returns old id → new id.
        """
        renumbered = dict(zip(order, sorted(order), strict=True))
        changed = {old: new for old, new in renumbered.items() if old != new}
        if changed:
            self.filter(plan_id=plan_id, tree_id__in=changed).update(
                tree_id=Case(*(When(tree_id=old, then=Value(new)) for old, new in changed.items()))
            )
        return renumbered

    def rebuild(self, batch_size=1000, **filters) -> None:
        """Recompute ``lft``, ``rght`` and ``level`` from parent links; every tree keeps its id.

        mptt's own numbers the trees 1, 2, 3 … over the whole table, which after any gap
        would renumber other plans' trees.
        """
        self._find_out_rebuild_fields()
        roots = self._mptt_filter(parent=None, **filters).only("pk", "tree_id")
        children = self._get_children(**filters)
        nodes: list = []
        for root in roots:
            self._rebuild_helper(
                node=root,
                left=1,
                tree_id=root.tree_id,
                children=children,
                nodes_to_update=nodes,
                level=0,
            )
        self.bulk_update(nodes, self._rebuild_fields.values(), batch_size=batch_size)

    rebuild.alters_data = True
