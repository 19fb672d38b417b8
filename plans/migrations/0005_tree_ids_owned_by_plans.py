"""Tree ids owned by plans: a sequence hands them out, and no two trees share one.

No row moves: every top-level item already is its own tree with its own id. On PostgreSQL
this adds

* the sequence new tree ids come from (``plans.trees``), started past every id in use and
  past the ids the sample fixtures number by hand;
* a unique (tree_id, lft) constraint, checked at commit (mptt shifts ``lft`` row by row
  inside a transaction): two trees given one id, or nodes of two plans in one tree, cannot
  be committed.

SQLite needs neither: one writer at a time takes ``MAX(tree_id) + 1``.
"""

from django.db import migrations

SEQUENCE = "plans_plannode_tree_id_seq"
FIRST_SEQUENCE_TREE_ID = 1_000_000  # plans.trees.FIRST_SEQUENCE_TREE_ID when this was written
CONSTRAINT = "plannode_unique_lft_per_tree"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE {SEQUENCE} AS integer")
    schema_editor.execute(
        "SELECT setval(%s, GREATEST(MAX(tree_id) + 1, %s), false) FROM plans_plannode",
        [SEQUENCE, FIRST_SEQUENCE_TREE_ID],
    )
    schema_editor.execute(
        f"ALTER TABLE plans_plannode ADD CONSTRAINT {CONSTRAINT} UNIQUE (tree_id, lft) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE plans_plannode DROP CONSTRAINT {CONSTRAINT}")
    schema_editor.execute(f"DROP SEQUENCE {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_glossaryterm")]

    operations = [migrations.RunPython(create, drop)]
