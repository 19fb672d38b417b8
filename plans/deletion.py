"""Delete a set of rows with everything that depends on them, in a number of queries that does
not grow with the set.

Django's ``QuerySet.delete()`` loads every row it deletes (and every dependent row), sends
``pre_delete``/``post_delete`` per row, and django-simple-history writes one history row per
deleted row in a query of its own: deleting a top-level item of a national-size plan (hundreds
of nodes, sections, KPIs and yearly values) took 0.5–1.3 s. Here, for each model involved, the
deletion history is written by one ``INSERT … SELECT`` and the rows go in one ``DELETE … WHERE
… IN (SELECT …)``, whatever their number.

What depends on what is read from the models (``on_delete`` of every relation pointing at a
model), so KPIs and their yearly values, which live in an app above this one, go with their
nodes without this module importing them. No per-row signal is sent: the caller moves the
plan's version once (:func:`plans.versions.plans_touch`).
"""

from django.db import connections
from django.db.models import (
    CASCADE,
    DO_NOTHING,
    SET_NULL,
    CharField,
    DateTimeField,
    IntegerField,
    Value,
)
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Fields of a historical model that are not copies of the tracked model's fields.
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def history_user_id(actor) -> int | None:
    """Who deletes, as django-simple-history would record them: the acting person, else the
    signed-in user of the current request (its middleware), else nobody (the portal itself)."""
    if getattr(actor, "is_authenticated", False):
        return actor.pk
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


def delete_closed_set(queryset, *, user_id: int | None) -> None:
    """Delete the rows of ``queryset`` and, first, every row that depends on them
    (``CASCADE``: deleted, ``SET_NULL``: cleared), writing deletion history ("-") for every
    history-tracked row deleted.

    The set must be closed under relations of its model to itself (a whole subtree: every
    child of a row in the set is in the set), which are therefore not followed.
    """
    _delete(queryset.order_by(), user_id=user_id, date=timezone.now())


def _delete(queryset, *, user_id, date) -> None:
    model = queryset.model
    for relation in get_candidate_relations_to_delete(model._meta):
        on_delete = relation.on_delete
        if on_delete is DO_NOTHING or relation.related_model is model:
            continue
        name = relation.field.name
        rows = relation.related_model._base_manager.filter(**{f"{name}__in": queryset})
        if on_delete is CASCADE:
            _delete(rows.order_by(), user_id=user_id, date=date)
        elif on_delete is SET_NULL:
            rows.update(**{name: None})
        else:  # PROTECT, RESTRICT, SET_DEFAULT …: no relation to a plan's rows uses them today
            raise NotImplementedError(f"{relation.related_model.__name__}.{name}: {on_delete}")
    _write_history(queryset, user_id=user_id, date=date)
    queryset._raw_delete(queryset.db)


def _write_history(queryset, *, user_id, date) -> None:
    """One ``INSERT INTO historical… SELECT …`` of the rows about to be deleted."""
    model = queryset.model
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return
    history = getattr(model, manager).model
    copied = [f for f in history._meta.concrete_fields if f.name not in HISTORY_FIELDS]
    constants = {
        "history_date": Value(date, output_field=DateTimeField()),
        "history_type": Value("-", output_field=CharField()),
    }
    if user_id is not None:
        constants["history_user"] = Value(user_id, output_field=IntegerField())
    select = queryset.annotate(**{f"_{name}": value for name, value in constants.items()})
    select = select.values_list(
        *(model._meta.get_field(f.name).attname for f in copied),
        *(f"_{name}" for name in constants),
    )
    sql, params = select.query.sql_with_params()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    columns = [f.column for f in copied] + [history._meta.get_field(n).column for n in constants]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608 (names from the models)
            f"({', '.join(quote(c) for c in columns)}) {sql}",
            params,
        )
