"""On PostgreSQL: ``plans_bigrams`` in linear time, and declared at what it costs.

0008's function took ``substr(t, i, 2)`` for each position ``i``; on multibyte text each
``substr`` walks the string from its start, so a text cost time in the square of its length:
2.6 ms for a sample plan's node (190 characters on average), 0.33 ms for a node of the
national set (56). Three regular-expression passes (characters, pairs from the first and from
the second character) give the same keys in one walk each: 0.2 ms a sample node (8× less),
0.17 ms a national one. The keys are the same set for every text (compared on all sample texts
and on one node and KPI in a hundred of the national set), so the GIN indexes over the
function stay valid as they are.

``COST 1000`` (2.5 planner units a call) had the planner scan ``plans_nodesearch`` on the
sample plans and compute every text's pairs, 「環境」 589 ms where the index answers in 0.5 ms.
``COST 10000`` (25 units, about what a 200-character text now costs) makes the index the
cheaper plan; it stays low enough that a search's plan (about 1,000 rows) is not compiled by
JIT (``jit_above_cost`` 100,000: with ``COST 100000`` each search query spent 40 ms in JIT).
"""

from django.db import migrations

LINEAR = """
CREATE OR REPLACE FUNCTION plans_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL UNSAFE COST 10000
AS $$
    SELECT ARRAY(SELECT m[1] FROM regexp_matches(t, '.', 'g') AS m)
        || ARRAY(SELECT m[1] FROM regexp_matches(t, '..', 'g') AS m)
        || ARRAY(SELECT m[1] FROM regexp_matches(substr(t, 2), '..', 'g') AS m)
$$
"""
QUADRATIC = """
CREATE OR REPLACE FUNCTION plans_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL UNSAFE COST 1000
AS $$
    SELECT ARRAY(
        SELECT substr(t, i, 2) FROM generate_series(1, char_length(t)) AS i
        UNION ALL
        SELECT substr(t, i, 1) FROM generate_series(1, char_length(t)) AS i
    )
$$
"""


def linear(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LINEAR)


def quadratic(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(QUADRATIC)


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_bigrams_serial")]

    operations = [migrations.RunPython(linear, quadratic)]
