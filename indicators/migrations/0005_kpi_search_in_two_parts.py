"""On PostgreSQL: the bigram index of KPI texts in two parts, as node texts (plans 0013).

The first part holds one run of 1,024 KPI ids in eight (``(id / 1024) % 8 = 0``), the rest
the other seven; search asks the first, then the rest, under one ``LIMIT``: 福祉 (59,829 KPIs
of 253,931 in the national set) reads about 7,500 index entries instead of 59,829. The
predicate is written again in ``plans.search.INDEX_PARTS``. SQLite: nothing.
"""

from django.db import migrations

TEXT = "plans_bigrams(lower(name || ' ' || definition))"
PARTS = [
    f"CREATE INDEX indicator_search_bigrams_first ON indicators_indicator "
    f"USING gin ({TEXT}) WHERE (id / 1024) % 8 = 0",
    f"CREATE INDEX indicator_search_bigrams_rest ON indicators_indicator "
    f"USING gin ({TEXT}) WHERE (id / 1024) % 8 <> 0",
    "DROP INDEX indicator_search_bigrams",
]
WHOLE = [
    f"CREATE INDEX indicator_search_bigrams ON indicators_indicator USING gin ({TEXT})",
    "DROP INDEX indicator_search_bigrams_first",
    "DROP INDEX indicator_search_bigrams_rest",
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
    dependencies = [
        ("indicators", "0004_kpi_search_text_statistics"),
        ("plans", "0013_node_search_in_two_parts"),
    ]

    operations = [migrations.RunPython(in_parts, whole)]
