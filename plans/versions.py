"""A plan's version, for the public page cache: any write to a plan moves it on.

The version is ``Plan.updated_at``. Saving a plan moves it (``auto_now``); a write to anything
the plan's pages show (a node, its sections, references, SDG goals, glossary, KPIs, yearly
values, its municipality) moves it through the signal receivers below, whoever writes:
the admin, a service, an import. Bulk writes send no signals, so the code that makes them
(the import) calls :func:`plans_touch` once at the end.

The version lives in the database, not in the cache: with a cache per process (the default,
local memory) a write served by one worker must still reach the pages of every other worker.
It is read on every request of a kept page, so its query is compiled by the ORM once per
thread (:class:`plans.compiled.CompiledQuery`) and then only run.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .compiled import CompiledQuery
from .models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode

_paused = threading.local()


@contextmanager
def paused():
    """Write rows as they were stored, versions included (a restore from a backup): no
    receiver moves a version meanwhile. Saves of fixtures and restores (``raw``) never do."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def plans_touch(plan_ids: Iterable[int]) -> None:
    """Move on the version of these plans (one UPDATE)."""
    if getattr(_paused, "on", False):
        return
    ids = {plan_id for plan_id in plan_ids if plan_id is not None}
    if ids:
        Plan.objects.filter(pk__in=ids).update(updated_at=timezone.now())


_plan_version = CompiledQuery(
    lambda value: (
        Plan.objects.published()
        .filter(municipality__slug=value("municipality"), slug=value("plan"))
        .values_list("updated_at")[:1]
    )
)


def plan_version(municipality_slug: str, plan_slug: str):
    """The version of a published plan (its ``updated_at``), or None when there is none."""
    rows = _plan_version(municipality=municipality_slug, plan=plan_slug)
    return rows[0][0] if rows else None


_site_version = CompiledQuery(
    lambda value: (
        Plan.objects.published()
        .values("status")
        .annotate(newest=Max("updated_at"), plans=Count("pk"))
        .values_list("newest", "plans")
        .order_by()
    )
)


def site_version() -> tuple:
    """The version of the pages that show every published plan (home, search): the newest
    plan version and the number of plans (a deleted plan moves no timestamp)."""
    rows = _site_version()
    return rows[0] if rows else (None, 0)


def touch_on_change(model, plan_id_of) -> None:
    """Connect ``model``'s saves and deletes to :func:`plans_touch` of ``plan_id_of(row)``."""

    def receiver(sender, instance, raw=False, **kwargs):
        # A row loaded as stored (fixtures, a restore) keeps the stored version; while paused,
        # the plan's id is not even looked up.
        if not raw and not getattr(_paused, "on", False):
            plans_touch([plan_id_of(instance)])

    uid = f"plans.versions:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")


def _node_plan(node_id: int) -> int | None:
    return PlanNode.objects.filter(pk=node_id).values_list("plan_id", flat=True).first()


def _sdg_goals_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, PlanNode):
        plans_touch([instance.plan_id])
    else:  # a goal's nodes changed, from the goal's side
        nodes = PlanNode.objects.filter(pk__in=pk_set or ())
        plans_touch(nodes.values_list("plan_id", flat=True))


def _municipality_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    plans_touch(Plan.objects.filter(municipality=instance).values_list("pk", flat=True))


def connect() -> None:
    """Connect the receivers of the plans app's models (``PlansConfig.ready``)."""
    touch_on_change(PlanNode, lambda node: node.plan_id)
    touch_on_change(NodeSection, lambda section: _node_plan(section.node_id))
    touch_on_change(CrossReference, lambda ref: _node_plan(ref.from_node_id))
    touch_on_change(GlossaryTerm, lambda term: term.plan_id)
    m2m_changed.connect(
        _sdg_goals_changed,
        sender=PlanNode.sdg_goals.through,
        weak=False,
        dispatch_uid="plans.versions:sdg_goals",
    )
    post_save.connect(
        _municipality_changed,
        sender=Municipality,
        weak=False,
        dispatch_uid="plans.versions:municipality",
    )
