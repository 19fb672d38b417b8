"""On PostgreSQL: a bigram index on node texts, for words of two characters (plans.search).

The trigram index of 0003 cannot serve a two-character query (福祉, 防災): such a search read
every node. ``plans_bigrams(text)`` returns a text's characters and character pairs; a GIN
index over it answers "rows holding every pair of the query", and ``LIKE`` then checks the
order. The trigram index goes: the bigram index serves every length, and each index costs
every tree write. ``COST 1000`` tells the planner the function is dear, so it reads the index
rather than compute the function row by row in a scan.

SQLite: nothing (search there is ``LIKE`` over the folded text).
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION plans_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
AS $$
    SELECT ARRAY(
        SELECT substr(t, i, 2) FROM generate_series(1, char_length(t)) AS i
        UNION ALL
        SELECT substr(t, i, 1) FROM generate_series(1, char_length(t)) AS i
    )
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        "CREATE INDEX plannode_search_bigrams ON plans_plannode "
        "USING gin (plans_bigrams(search_text))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS plannode_search_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS plannode_search_trgm "
        "ON plans_plannode USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX plannode_search_bigrams")
    schema_editor.execute("DROP FUNCTION plans_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_membership_roles")]

    operations = [migrations.RunPython(create, drop)]
