"""QuerySets compiled by the ORM once, then run with each call's values.

Compiling a QuerySet into SQL costs several times running it: on SQLite about 0.5 ms against
0.05 ms for a one-row read, 1.1 ms against 0.2 ms for a plan with its municipality on
PostgreSQL (issue 12's measurements). Public pages read the same few queries on every request,
so they compile each once per thread and only run it afterwards: the query is still written
with the ORM (lookups, joins, ``values_list``), and its columns come back converted as the
QuerySet would give them (decimals, aware datetimes, JSON).
"""

import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, Value


class CompiledQuery:
    """A ``values_list`` QuerySet compiled once per thread, run with each call's values.

    ``build(value)`` returns the QuerySet; ``value("name")`` stands where the call's ``name``
    goes (``.filter(plan_id=value("plan"))``). Calling the instance with ``name=...`` runs it
    and returns its rows as tuples.
    """

    def __init__(self, build: Callable[[Callable[[str], Value]], QuerySet]):
        self.build = build
        self.local = threading.local()

    def __call__(self, **values) -> list[tuple]:
        connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection
        compiled = getattr(self.local, "compiled", None)
        if compiled is None or compiled[0] is not connection:
            compiled = self.local.compiled = self._compile(connection)
        _connection, compiler, sql, params = compiled
        params = [values[p.key] if isinstance(p, _Placeholder) else p for p in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return list(compiler.results_iter(results=[rows], tuple_expected=True))

    def _compile(self, connection) -> tuple:
        queryset = self.build(_value)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        return connection, compiler, sql, [_Placeholder.find(param) for param in params]


def _value(key: str) -> Value:
    # A Value, not the bare string: lookups on integer fields would convert a string.
    return Value(_Placeholder(key))


class _Placeholder(str):
    """A value not known yet, named ``key``: compiled as the string ``"\\x00key\\x00"``."""

    def __new__(cls, key: str):
        placeholder = super().__new__(cls, f"\x00{key}\x00")
        placeholder.key = key
        return placeholder

    @classmethod
    def find(cls, param):
        """The placeholder a compiled parameter stands for (compilers may copy strings)."""
        if isinstance(param, str) and param.startswith("\x00") and param.endswith("\x00"):
            return cls(param[1:-1])
        return param
