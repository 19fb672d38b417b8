"""The lock that serializes writes to a plan's tree.

django-mptt keeps ``lft``/``rght``/``tree_id`` consistent only if no two writers interleave:
two staff members inserting into the same plan at once corrupt the numbering. Every tree write
therefore runs inside ``plan_tree_lock``, which locks the plan's row (``SELECT … FOR UPDATE``):
writers to one plan queue up, while other plans stay writable.

Nothing wider is needed: a plan's trees have ids no other plan uses or renumbers
(:mod:`plans.trees`), so a write in one plan changes no row of another.

SQLite has one writer at a time anyway (we open transactions with BEGIN IMMEDIATE).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from .models import Plan


@contextmanager
def plan_tree_lock(plan: Plan) -> Iterator[Plan]:
    """Open a transaction holding the plan's write lock; yield the freshly locked plan."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        yield locked
