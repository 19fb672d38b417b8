"""Model instances for display, built from ``values_list`` rows without ``Model.__init__``.

The public pages read their rows through ORM QuerySets compiled once
(:class:`plans.compiled.CompiledQuery`) and turn them into instances here. ``Model.from_db``
(with mptt's bookkeeping for nodes) costs about 14 µs a row: reading the 95-node sample plan's
tree as model instances took 2.8 ms against 1.4 ms as tuples (about 70 ms more for a
5,010-node plan). Setting the attributes directly costs a small part of that.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    BooleanField,
    CharField,
    DecimalField,
    F,
    ForeignKey,
    Func,
    IntegerField,
    JSONField,
    Model,
    Subquery,
    TextField,
)
from django.db.models.base import ModelState
from django.db.models.functions import Cast


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


class JSONRows(Subquery):
    """The rows of ``queryset`` as one JSON value in a column of the outer query: a list of
    ``[value, …]`` lists of ``fields`` (names as in ``values_list``), ``[]`` when there is none.

    ``queryset`` is correlated with the outer row (``OuterRef``); a page then reads a node's
    sections, SDGs, neighbours or KPIs with the node itself instead of a query each: each query
    is a round trip to the database, which cost a node page more than running its SQL.

    Values come back as ``values_list`` gives them for numbers, text, booleans (SQLite's JSON
    has 0 and 1) and decimals (sent as text, so none becomes a float); other types are
    refused. The rows come in no particular order (SQLite before 3.44 cannot order an
    aggregate): sort them.
    """

    def __init__(self, queryset, fields: Sequence[str]):
        query = queryset.order_by().query
        columns, readers = [], []
        for name in fields:
            field = query.resolve_ref(name, allow_joins=True).output_field
            if isinstance(field, DecimalField):
                columns.append(Cast(name, CharField()))
                readers.append(_decimal_reader(field))
            elif isinstance(field, BooleanField):
                columns.append(F(name))
                readers.append(_boolean)
            elif isinstance(field, (IntegerField, CharField, TextField, ForeignKey)):
                columns.append(F(name))
                readers.append(None)
            else:
                raise TypeError(f"JSONRows cannot carry {name} ({type(field).__name__})")
        row = queryset.order_by().annotate(json_row=_JSONList(*columns)).values("json_row")
        super().__init__(row, output_field=_JSONRowsField(readers))

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(SELECT JSON_GROUP_ARRAY(JSON(json_row)) FROM (%(subquery)s) AS json_rows)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(SELECT COALESCE(JSON_AGG(json_row), '[]') FROM (%(subquery)s) AS json_rows)",
            **extra,
        )


class _JSONList(Func):
    """``[a, b, …]`` of the expressions, as JSON.

    On PostgreSQL ``json``, not Django's ``JSONArray`` (``jsonb``): the server writes text
    JSON out as it is, where ``jsonb`` is turned back into text, ~0.2 ms of its CPU for a node
    page. Each expression is cast to its type, as ``JSONArray`` does: a prepared statement's
    parameter (``COALESCE(…, 0)``) has none otherwise.
    """

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra):
        typed = self.copy()
        typed.set_source_expressions(
            [
                each if isinstance(each, Cast) else Cast(each, each.output_field)
                for each in typed.get_source_expressions()
            ]
        )
        return typed.as_sql(compiler, connection, function="JSON_BUILD_ARRAY", **extra)


def _boolean(value):
    return None if value is None else bool(value)


def _decimal_reader(field: DecimalField):
    """Text to the Decimal ``values_list`` gives (with the field's decimal places, as Django
    reads SQLite's numbers)."""
    places = Decimal(1).scaleb(-field.decimal_places)
    return lambda text: None if text is None else Decimal(text).quantize(places)


class _JSONRowsField(JSONField):
    """The JSON of :class:`JSONRows`, read back into tuples of Python values."""

    def __init__(self, readers):
        super().__init__()
        self.readers = [(i, read) for i, read in enumerate(readers) if read is not None]

    def from_db_value(self, value, expression, connection):
        if isinstance(value, list):  # psycopg2 reads json itself
            rows = value
        else:
            rows = super().from_db_value(value, expression, connection)
        for row in rows:
            for i, read in self.readers:
                row[i] = read(row[i])
        return [tuple(row) for row in rows]
