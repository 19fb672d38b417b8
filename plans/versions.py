"""A plan's version, for the public page cache: any write to a plan moves it on.

The version is ``Plan.updated_at``. Saving a plan moves it (``auto_now``); a write to anything
the plan's pages show (a node, its sections, references, SDG goals, glossary, KPIs, yearly
values, its municipality) moves it through the signal receivers below, whoever writes:
the admin, a service, an import. Bulk writes send no signals, so the code that makes them
(the import) calls :func:`plans_touch` once at the end.

The version lives in the database, not in the cache: with a cache per process (the default,
local memory) a write served by one worker must still reach the pages of every other worker.
It is asked for on every request of a kept page, so each thread remembers the versions it read
(:class:`_Seen`) for as long as nothing can have changed them, which it learns without a
query: a write in this process counts in ``_writes_here``; another connection's commit shows
as a PostgreSQL notification (every statement on ``plans_plan`` sends one, migration 0012:
versions, publishing and deleting a plan all write that table) or as a new SQLite
``data_version``. (A notice reaches the other workers a moment after the commit returns,
normally well under a millisecond; a request they answer within that moment gets the page as
it was just before the write, as a request a moment earlier would have.) A kept page then
costs no query (on PostgreSQL the query with its health check took 0.3–0.5 ms of server CPU,
half the time of the whole cached answer); a version not remembered is read by a query the ORM
compiled once per thread (:class:`plans.compiled.CompiledQuery`). LISTEN needs a connection of
its own for the session: behind PgBouncer, use session pooling.
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .compiled import CompiledQuery
from .models import CrossReference, GlossaryTerm, Municipality, NodeSection, Plan, PlanNode

_paused = threading.local()
# The channel of migration 0012's trigger on plans_plan (PostgreSQL).
CHANGES_CHANNEL = "plans_versions"


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
    written_here()
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
    return _remembered(("plan", municipality_slug, plan_slug), _read_plan_version)


def _read_plan_version(kind: str, municipality_slug: str, plan_slug: str):
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
    return _remembered(("site",), _read_site_version)


def _read_site_version(kind: str) -> tuple:
    rows = _site_version()
    return rows[0] if rows else (None, 0)


class _Writes:
    count = 0  # writes to plans in this process (any thread)


_writes_here = _Writes()


def written_here(*args, **kwargs) -> None:
    """Count a write to a plan in this process: every thread reads its versions again.

    Also a receiver: saving or deleting a Plan row moves its version without ``plans_touch``."""
    _writes_here.count += 1


class _Seen(threading.local):
    """The versions this thread read, and how it tells whether they may have changed since:
    the DB-API connection they were read on, the process's write count, SQLite's
    ``data_version`` then."""

    connection = None
    writes = -1
    data_version = None
    listen_pending = False

    def __init__(self):
        self.versions = {}


_seen = _Seen()


def _remembered(key: tuple, read: Callable):
    """``read(*key)``, or what it returned before if no write can have changed it since.

    None (no such published plan) is not remembered: any address can be asked for, and the
    versions a thread keeps must stay as few as the plans."""
    versions = _versions_still_valid()
    if key in versions:
        return versions[key]
    version = read(*key)
    if version is not None:
        versions[key] = version
    return version


def _versions_still_valid() -> dict:
    """This thread's remembered versions, emptied first when a write may have changed them.

    The checks come before the reads they guard, so a write committed in between empties the
    versions at the next call instead of leaving an old one remembered."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    raw = connection.connection
    writes = _writes_here.count
    try:
        if _seen.connection is not raw:
            _start_watching(connection)
            changed = True
        else:
            changed = _written_elsewhere(connection)
    except connection.Database.Error:  # a broken connection: ask the database as before
        _seen.connection = None
        changed = True
    if changed or _seen.writes != writes:
        _seen.versions = {}
        _seen.writes = writes
    return _seen.versions


def _start_watching(connection) -> None:
    """Remember that versions are read on ``connection`` and listen to its changes."""
    _seen.connection = connection.connection
    if connection.vendor == "postgresql":
        _listen(connection)
    elif connection.vendor == "sqlite":
        _seen.data_version = _data_version(connection)


def _listen(connection) -> None:
    """LISTEN to the plans' channel. Inside a transaction it takes effect only if that commits
    (a test's rolls back), so it is said again once the connection is out of it."""
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANGES_CHANNEL}")
    _seen.listen_pending = not _idle(connection)


def _idle(connection) -> bool:
    """Whether the PostgreSQL connection is outside a transaction (asked of libpq, no query)."""
    idle = connection.Database.extensions.TRANSACTION_STATUS_IDLE
    return connection.connection.get_transaction_status() == idle


def _written_elsewhere(connection) -> bool:
    """Whether another connection may have committed a write to a plan since the last look,
    known without a query: PostgreSQL's notifications wait on the socket (``poll`` reads
    them), SQLite's ``data_version`` changes with every other connection's commit. Any other
    database: always (the versions are read every time, as they were)."""
    if connection.vendor == "postgresql":
        if _seen.listen_pending and _idle(connection):
            _listen(connection)
            return True
        raw = connection.connection
        raw.poll()
        changed = bool(raw.notifies)
        raw.notifies.clear()
        return changed
    if connection.vendor == "sqlite":
        version = _data_version(connection)
        changed, _seen.data_version = version != _seen.data_version, version
        return changed
    return True


def _data_version(connection) -> int:
    return connection.connection.execute("PRAGMA data_version").fetchone()[0]


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
    post_save.connect(written_here, sender=Plan, dispatch_uid="plans.versions:plan:save")
    post_delete.connect(written_here, sender=Plan, dispatch_uid="plans.versions:plan:delete")
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
