"""Locks that serialize writes to a plan's tree.

django-mptt keeps ``lft``/``rght``/``tree_id`` consistent only if no two writers interleave:
two staff members inserting into the same plan at once corrupt the numbering. Every tree write
therefore runs inside ``plan_tree_lock``:

* the plan's row is locked (``SELECT … FOR UPDATE``) so writers to one plan queue up, while
  other plans stay writable;
* writes that create, move or delete a *root* also take a transaction-level advisory lock,
  because mptt renumbers ``tree_id`` of every later tree — other plans' trees included.

SQLite has one writer at a time anyway (we open transactions with BEGIN IMMEDIATE).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from .models import Plan

# pg_advisory_xact_lock key for "tree_id space": any number unique to this purpose.
TREE_SPACE_LOCK_KEY = 0x504C414E  # "PLAN"


@contextmanager
def plan_tree_lock(plan: Plan, *, tree_space: bool = False) -> Iterator[Plan]:
    """Open a transaction holding the plan's write lock; yield the freshly locked plan."""
    with transaction.atomic():
        if tree_space and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_SPACE_LOCK_KEY])
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        yield locked
