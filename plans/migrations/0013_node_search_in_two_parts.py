"""On PostgreSQL: the bigram index of node texts in two parts, so a common word stops early.

A GIN index answers a bitmap of every match before the first row is read: 福祉 (159,405
nodes of 690,879 in the national set) cost 18 ms of ``Bitmap Index Scan`` to keep 1,001 of
them. Two partial indexes split the texts by runs of 1,024 node ids: the first part holds
one run in eight (``(node_id / 1024) % 8 = 0``), the rest the other seven. Search asks the
first part, then the rest, under one ``LIMIT`` (``UNION ALL``): a word with 1,001 matches in
the first part never opens the rest (福祉: 20,000 entries read instead of 159,405), and a
rarer word costs what it cost, its matches being few. Runs of ids, not single ids, keep a
part's rows together on disk (a plan's nodes have neighbouring ids), and every part keeps its
share as the table grows. The predicate is written again in ``plans.search.INDEX_PARTS``:
the planner uses a partial index only for a query that states its predicate.

SQLite: nothing.
"""

from django.db import migrations

PARTS = [
    "CREATE INDEX nodesearch_bigrams_first ON plans_nodesearch "
    "USING gin (plans_bigrams(search_text)) WHERE (node_id / 1024) % 8 = 0",
    "CREATE INDEX nodesearch_bigrams_rest ON plans_nodesearch "
    "USING gin (plans_bigrams(search_text)) WHERE (node_id / 1024) % 8 <> 0",
    "DROP INDEX nodesearch_bigrams",
]
WHOLE = [
    "CREATE INDEX nodesearch_bigrams ON plans_nodesearch USING gin (plans_bigrams(search_text))",
    "DROP INDEX nodesearch_bigrams_first",
    "DROP INDEX nodesearch_bigrams_rest",
]


# params=None: the statements are sent as written (their % is not a placeholder).


def in_parts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PARTS:
            schema_editor.execute(statement, params=None)


def whole(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in WHOLE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_plan_change_notices")]

    operations = [migrations.RunPython(in_parts, whole)]
