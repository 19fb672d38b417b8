"""Staff of a municipality get a role: the editors table becomes the Membership model.

Also: a text section may have no heading (the samples have such texts; the admin refused them).

The rows of the plain many-to-many table stay where they are (each becomes an editor); only
the role column and a named unique constraint are added to it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_plan_period_may_be_open"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="plans.municipality",
                                verbose_name="自治体",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="職員",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "職員の役割",
                        "verbose_name_plural": "職員の役割",
                        "db_table": "plans_municipality_editors",
                    },
                ),
                migrations.AlterField(
                    model_name="municipality",
                    name="editors",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="municipalities",
                        through="plans.Membership",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="職員",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("editor", "編集者"),
                    ("publisher", "公開担当者"),
                    ("admin", "自治体管理者"),
                ],
                default="editor",
                max_length=10,
                verbose_name="役割",
            ),
        ),
        migrations.AlterField(
            model_name="nodesection",
            name="heading",
            field=models.CharField(blank=True, max_length=100, verbose_name="見出し"),
        ),
        migrations.AlterField(
            model_name="historicalnodesection",
            name="heading",
            field=models.CharField(blank=True, max_length=100, verbose_name="見出し"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("municipality", "user"), name="plans_membership_one_role_per_city"
            ),
        ),
    ]
