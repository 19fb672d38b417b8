"""On PostgreSQL: searches through ``plans_bigrams`` run in one process, not with parallel workers.

For a common two-character word the planner chose a parallel bitmap scan; on two cores,
starting the workers cost more than the scan: the capped count of 防災 (1,001 of 50,000
candidates) took 121 ms with two workers and 38 ms without (EXPLAIN ANALYZE on the national
set). A query that calls a function marked ``PARALLEL UNSAFE`` is never parallel; the function
and its indexes are otherwise unchanged.
"""

from django.db import migrations


def serial(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION plans_bigrams(text) PARALLEL UNSAFE")


def parallel(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION plans_bigrams(text) PARALLEL SAFE")


class Migration(migrations.Migration):
    dependencies = [("plans", "0009_node_search_table")]

    operations = [migrations.RunPython(serial, parallel)]
