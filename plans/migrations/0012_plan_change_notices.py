"""On PostgreSQL: every statement that writes ``plans_plan`` notifies the channel
``plans_versions`` when its transaction commits.

A plan's version is its row's ``updated_at``, and the site's version is read from the same
table, so any change to a version is a write to this table, however it is made (a service, the
admin, a restore, SQL by hand). Workers listen on their connection and read versions again
after a notice (``plans.versions``); until then a kept page costs them no query. Notices with
the same payload in one transaction are sent once.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION plans_plan_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('plans_versions', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER plans_plan_notify_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_plan
    FOR EACH STATEMENT EXECUTE FUNCTION plans_plan_notify_change();
"""
DROP = """
DROP TRIGGER plans_plan_notify_change ON plans_plan;
DROP FUNCTION plans_plan_notify_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("plans", "0011_bigrams_linear")]

    operations = [migrations.RunPython(create, drop)]
