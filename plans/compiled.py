"""QuerySets compiled by the ORM once, then run with each call's values.

Compiling a QuerySet into SQL costs several times running it: on SQLite about 0.5 ms against
0.05 ms for a one-row read, 1.1 ms against 0.2 ms for a plan with its municipality on
PostgreSQL (issue 12's measurements). Public pages read the same few queries on every request,
so they compile each once per thread and only run it afterwards: the query is still written
with the ORM (lookups, joins, ``values_list``), and its columns come back converted as the
QuerySet would give them (decimals, aware datetimes, JSON).

On PostgreSQL each query is also prepared once per connection (``PREPARE``, then ``EXECUTE``
with the call's values): the server then parses it once, and after a few runs plans it once,
where a page's seven queries otherwise spent about 1 ms of the server's time being planned on
every request (``EXPLAIN ANALYZE``'s planning times on the sample node page). ``EXECUTE`` goes
through Django's cursor, so each run still counts as one query; ``PREPARE``, like the settings
Django sends to a new connection, is said on the driver's own cursor, once per connection.
"""

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, Value

_statement_numbers = itertools.count(1)
# Django's SQL marks a parameter %s and writes a literal percent sign %%.
_PARAM_OR_PERCENT = re.compile(r"%([s%])")


class CompiledQuery:
    """A ``values_list`` QuerySet compiled once per thread, run with each call's values.

    ``build(value)`` returns the QuerySet; ``value("name")`` stands where the call's ``name``
    goes (``.filter(plan_id=value("plan"))``), in a lookup or among a ``RawSQL``'s params.
    Calling the instance with ``name=...`` runs it and returns its rows as tuples. A value may
    be a list: a PostgreSQL array, one parameter, whose type the SQL states (``%s::text[]``,
    as ``ArrayField`` lookups do), so one statement serves lists of any length.
    """

    def __init__(self, build: Callable[[Callable[[str], Value]], QuerySet]):
        self.build = build
        self.local = threading.local()
        self.statement = f"compiled_query_{next(_statement_numbers)}"

    def __call__(self, **values) -> list[tuple]:
        connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection
        compiled = getattr(self.local, "compiled", None)
        if compiled is None or compiled.connection is not connection:
            compiled = self.local.compiled = self._compile(connection)
        params = [values[p.key] if isinstance(p, _Placeholder) else p for p in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql_to_run(), params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return list(map(tuple, rows))

    def _compile(self, connection) -> "_Compiled":
        queryset = self.build(_value)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return _Compiled(
            connection=connection,
            compiler=compiler,
            sql=sql,
            params=[_Placeholder.find(param) for param in params],
            converters=compiler.get_converters(fields),
            statement=self.statement if connection.vendor == "postgresql" else "",
        )


@dataclass
class _Compiled:
    """One thread's compiled query: its SQL, parameters and the converters of its columns;
    on PostgreSQL the name it is prepared under and the connection it was prepared on."""

    connection: object
    compiler: object
    sql: str
    params: list
    converters: dict
    statement: str
    prepared_on: object = None

    def sql_to_run(self) -> str:
        """The SQL to send now: the query itself, or on PostgreSQL ``EXECUTE`` of it, prepared
        first if this connection (a new one after ``CONN_MAX_AGE``) has not seen it."""
        if not self.statement:
            return self.sql
        raw = self.connection.connection
        if self.prepared_on is not raw:
            numbers = itertools.count(1)
            numbered = _PARAM_OR_PERCENT.sub(
                lambda m: "%" if m.group(1) == "%" else f"${next(numbers)}", self.sql
            )
            with raw.cursor() as cursor:
                cursor.execute(f"PREPARE {self.statement} AS {numbered}")
            self.prepared_on = raw
        if not self.params:
            return f"EXECUTE {self.statement}"
        return f"EXECUTE {self.statement}({', '.join(['%s'] * len(self.params))})"


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
        """The placeholder a compiled parameter stands for (compilers may copy strings; a
        ``RawSQL`` passes its params as given, so there ``value()``'s ``Value`` itself)."""
        if isinstance(param, Value):
            param = param.value
        if isinstance(param, str) and param.startswith("\x00") and param.endswith("\x00"):
            return cls(param[1:-1])
        return param
