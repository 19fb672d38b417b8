"""On PostgreSQL: node texts searched from a table of their own, which tree writes never touch.

0008 put the bigram index on ``plans_plannode`` itself. Every tree write updates ``lft``,
``rght`` or ``tree_id`` of many rows; such an update can never be HOT (those columns are
indexed), so each row also recomputed ``plans_bigrams(search_text)`` and wrote its pairs into
the GIN index: moving the top-level items of a 591-node plan took 350 ms instead of 40 ms.

Now ``plans_nodesearch`` holds (node id, folded text) with the bigram index, and triggers on
``plans_plannode`` keep it: a new node, a changed ``search_text`` (``save()``,
``refresh_search_text()``, the bulk path, ``loaddata``) and a delete; a TRUNCATE (the test
runner's flush) empties it. Tree writes change neither the text nor the table.

SQLite: nothing (search there reads ``plans_plannode.search_text`` with ``LIKE``).
"""

from django.db import migrations

CREATE = [
    "CREATE TABLE plans_nodesearch (node_id integer PRIMARY KEY, search_text text NOT NULL)",
    "INSERT INTO plans_nodesearch SELECT id, search_text FROM plans_plannode",
    "CREATE INDEX nodesearch_bigrams ON plans_nodesearch USING gin (plans_bigrams(search_text))",
    "DROP INDEX plannode_search_bigrams",
    """
    CREATE FUNCTION plans_nodesearch_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM plans_nodesearch WHERE node_id = OLD.id;
        ELSE
            INSERT INTO plans_nodesearch (node_id, search_text) VALUES (NEW.id, NEW.search_text)
            ON CONFLICT (node_id) DO UPDATE SET search_text = EXCLUDED.search_text
            WHERE plans_nodesearch.search_text IS DISTINCT FROM EXCLUDED.search_text;
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER plannode_search_follows AFTER INSERT OR DELETE OR UPDATE OF search_text "
    "ON plans_plannode FOR EACH ROW EXECUTE FUNCTION plans_nodesearch_follow()",
    """
    CREATE FUNCTION plans_nodesearch_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE plans_nodesearch;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER plannode_search_emptied AFTER TRUNCATE ON plans_plannode "
    "FOR EACH STATEMENT EXECUTE FUNCTION plans_nodesearch_empty()",
]
DROP = [
    "DROP TRIGGER plannode_search_emptied ON plans_plannode",
    "DROP FUNCTION plans_nodesearch_empty()",
    "DROP TRIGGER plannode_search_follows ON plans_plannode",
    "DROP FUNCTION plans_nodesearch_follow()",
    "CREATE INDEX plannode_search_bigrams ON plans_plannode USING gin (plans_bigrams(search_text))",
    "DROP TABLE plans_nodesearch",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_bigram_search")]

    operations = [migrations.RunPython(create, drop)]
