"""Model instances for display, built from ``values_list`` rows without ``Model.__init__``.

The public pages read their rows through ORM QuerySets compiled once
(:class:`plans.compiled.CompiledQuery`) and turn them into instances here. ``Model.from_db``
(with mptt's bookkeeping for nodes) costs about 14 µs a row: reading the 95-node sample plan's
tree as model instances took 2.8 ms against 1.4 ms as tuples (about 70 ms more for a
5,010-node plan). Setting the attributes directly costs a small part of that.
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS
from django.db.models import JSONField, Model, Subquery
from django.db.models.base import ModelState
from django.db.models.functions import JSONArray


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
    ``[value, …]`` lists of ``fields``, ``[]`` when there is none.

    ``queryset`` is correlated with the outer row (``OuterRef``); a page then reads a node's
    sections, SDGs or neighbours with the node itself instead of a query each: each query is a
    round trip to the database, which cost a node page more than running its SQL. The lists
    come in no particular order (SQLite before 3.44 cannot order an aggregate): sort them.
    Only for values JSON keeps as they are (numbers, text, ``null``); SQLite writes booleans
    as 0 and 1, and decimals or dates belong in a query of their own (or a ``Cast`` to text).
    """

    def __init__(self, queryset, fields: Sequence):
        row = queryset.order_by().annotate(json_row=JSONArray(*fields)).values("json_row")
        super().__init__(row, output_field=JSONField())

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
            template=(
                "(SELECT COALESCE(JSONB_AGG(json_row), '[]') FROM (%(subquery)s) AS json_rows)"
            ),
            **extra,
        )
