"""The glossary (用語解説) is part of the plan, so it moves to the plans app: copy, then drop."""

from django.db import migrations


def copy_terms_to_plans(apps, schema_editor):
    Old = apps.get_model("importers", "GlossaryTerm")
    New = apps.get_model("plans", "GlossaryTerm")
    New.objects.bulk_create(
        New(
            plan_id=term.plan_id,
            term=term.term,
            definition=term.definition,
            order=term.order,
            updated_at=term.updated_at,
        )
        for term in Old.objects.all()
    )


def copy_terms_back(apps, schema_editor):
    Old = apps.get_model("importers", "GlossaryTerm")
    New = apps.get_model("plans", "GlossaryTerm")
    Old.objects.bulk_create(
        Old(plan_id=t.plan_id, term=t.term, definition=t.definition, order=t.order)
        for t in New.objects.all()
    )
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0001_initial"),
        ("plans", "0004_glossaryterm"),
    ]

    operations = [
        migrations.RunPython(copy_terms_to_plans, copy_terms_back),
        migrations.RemoveConstraint(
            model_name="glossaryterm",
            name="glossaryterm_unique_per_plan",
        ),
        migrations.RemoveField(
            model_name="glossaryterm",
            name="plan",
        ),
        migrations.DeleteModel(
            name="HistoricalGlossaryTerm",
        ),
        migrations.DeleteModel(
            name="GlossaryTerm",
        ),
    ]
