"""On PostgreSQL: pg_trgm and a trigram index on the folded search text (substring search).

On SQLite nothing happens; search there scans ``search_text`` with LIKE, fine at plan sizes.
"""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS plannode_search_trgm "
        "ON plans_plannode USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS plannode_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_sdg_goals")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
