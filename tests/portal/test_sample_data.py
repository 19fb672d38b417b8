"""The sample plans that portal, indicator and security tests load: inserting the rows of the
first load again gives exactly what ``loaddata`` gives."""

import json

import pytest
from django.core import serializers
from django.db import transaction

from tests.portal.sample_data import _tables, load_sample_plans

pytestmark = pytest.mark.django_db


def stored() -> dict[str, list]:
    """Every row of the fixtures' tables as natural-keyed JSON (ids left out: loaddata's
    depend on the database's sequences)."""
    return {
        model._meta.label: json.loads(
            serializers.serialize(
                "json",
                model._base_manager.order_by("pk"),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
        for model in _tables()
        if not model._meta.auto_created
    }


def loaded(how) -> dict[str, list]:
    with transaction.atomic():
        how()
        rows = stored()
        transaction.set_rollback(True)
    return rows


def test_a_second_load_inserts_what_loaddata_wrote():
    from django.core.management import call_command

    by_loaddata = loaded(lambda: call_command("loaddata", "omitama", "honjo", verbosity=0))
    for _ in range(2):  # the first load in this process, if not already done; then a re-insert
        again = loaded(lambda: load_sample_plans(("omitama", "honjo")))
        assert again == by_loaddata
    assert len(by_loaddata["plans.PlanNode"]) == 95 + 67
    assert {row["fields"]["updated_at"] for row in by_loaddata["plans.PlanNode"]} == {
        "2024-03-31T15:00:00Z"
    }
