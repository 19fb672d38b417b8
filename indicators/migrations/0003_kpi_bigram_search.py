"""On PostgreSQL: the bigram index of plans 0008 on KPI names and definitions.

KPIs were searched with ``UPPER(name) LIKE``, which no index serves (100-170 ms on every
search at national size). The text is indexed as search reads it: lowercase name and
definition (``plans.search.KpiText``). SQLite: nothing.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX indicator_search_bigrams ON indicators_indicator "
            "USING gin (plans_bigrams(lower(name || ' ' || definition)))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX indicator_search_bigrams")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_kpi_settings_grade_bands_value_source"),
        ("plans", "0008_bigram_search"),
    ]

    operations = [migrations.RunPython(create, drop)]
