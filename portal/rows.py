"""Reading rows without the ORM's query compiler, for the public pages.

The plan, node and KPI pages read a handful of rows per table. Compiling a QuerySet costs
about ten times running its SQL (on SQLite ~0.4 ms against ~0.04 ms), and ``Model.__init__``
(with mptt's bookkeeping) four times a plain object, so those pages' selectors read through a
few hand-written SELECTs with these helpers. They use only portable SQL and Django's own value
conversions; the SELECTs' f-strings insert column lists and table names only, every value goes
as a parameter.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.base import ModelState


@dataclass(frozen=True)
class Columns:
    """Columns of one model, under a table alias, in a hand-written SELECT."""

    model: type[Model]
    alias: str
    names: tuple[str, ...]  # attnames: "plan_id", not "plan"

    @functools.cached_property
    def sql(self) -> str:
        return ", ".join(f'{self.alias}."{name}"' for name in self.names)

    @functools.cached_property
    def fields(self) -> tuple:
        return tuple(self.model._meta.get_field(name) for name in self.names)


def select_rows(sql: str, params: Sequence, fields: Sequence = ()) -> list[Sequence]:
    """Rows of a SELECT, converted as the ORM converts ``fields[i]`` (None: as returned).

    SQLite hands back decimals as floats, datetimes naive and JSON as text; the fields'
    converters make them what a QuerySet would give (Decimal, aware datetime, list).
    """
    database = connections[DEFAULT_DB_ALIAS]  # this thread's connection
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    conversions = _conversions(database, fields) if fields else ()
    if not conversions:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for index, column, converters in conversions:
            for converter in converters:
                row[index] = converter(row[index], column, database)
        converted.append(row)
    return converted


_CONVERSIONS: dict[tuple, tuple] = {}


def _conversions(database, fields: Sequence) -> tuple:
    """(index, column, converters) for the fields that need converting, per connection.

    Looking the converters up costs more than applying them to a page's few rows. Fields live
    as long as the process, and the converters kept hold their connection, so identities are
    a safe key (and cheaper than hashing each field).
    """
    key = (id(database), *map(id, fields))
    found = _CONVERSIONS.get(key)
    if found is None:
        found = _CONVERSIONS[key] = _look_up_conversions(database, fields)
    return found


def _look_up_conversions(database, fields: Sequence) -> tuple:
    conversions = []
    for index, model_field in enumerate(fields):
        if model_field is None:
            continue
        column = model_field.get_col(model_field.model._meta.db_table)
        converters = [
            *database.ops.get_db_converters(column),
            *model_field.get_db_converters(database),
        ]
        if converters:
            conversions.append((index, column, converters))
    return tuple(conversions)


def read_only(model: type[Model], names: Sequence[str], values: Sequence, **related) -> Model:
    """A model instance for display, built from a row without ``Model.__init__``.

    Never saved. Fields not in ``names`` are deferred: reading one costs a query, which the
    pages' exact query counts would show. ``related`` fills foreign keys already in hand.
    """
    instance = model.__new__(model)
    instance.__dict__ = dict(zip(names, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    state.fields_cache = related
    return instance
