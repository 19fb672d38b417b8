"""A QuerySet compiled once, run with each call's values (plans.compiled): placeholders in a
``RawSQL``'s params, and a list as one parameter (a PostgreSQL array)."""

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from plans import services
from plans.compiled import CompiledQuery
from plans.models import PlanNode


@pytest.fixture
def nodes(plan) -> list[PlanNode]:
    return [
        services.node_create(plan=plan, title=title, key=key)
        for title, key in [("防災", "bousai"), ("福祉", "fukushi"), ("環境", "kankyou")]
    ]


def test_a_placeholder_among_a_rawsqls_params_takes_each_calls_value(nodes):
    """``value()`` inside ``RawSQL(…, params)`` is the call's value, not the first call's."""
    titled = CompiledQuery(
        lambda value: PlanNode.objects.filter(
            pk__in=RawSQL("SELECT id FROM plans_plannode WHERE key = %s", (value("key"),))  # noqa: S611
        ).values_list("title")
    )
    assert titled(key="fukushi") == [("福祉",)]
    assert titled(key="kankyou") == [("環境",)]
    assert titled(key="none") == []


@pytest.mark.postgres
def test_a_list_is_one_parameter_of_one_prepared_statement(nodes):
    """Lists of one, two and no keys run the same statement, prepared once, ``$1::text[]``."""
    if connection.vendor != "postgresql":
        pytest.skip("arrays and prepared statements are PostgreSQL's")
    titles = CompiledQuery(
        lambda value: (
            PlanNode.objects.filter(
                pk__in=RawSQL(  # noqa: S611
                    "SELECT id FROM plans_plannode WHERE key = ANY(%s::text[])", (value("keys"),)
                )
            )
            .order_by("title")
            .values_list("title")
        )
    )
    assert titles(keys=["fukushi"]) == [("福祉",)]
    assert titles(keys=["bousai", "kankyou", "x"]) == [("環境",), ("防災",)]
    assert titles(keys=[]) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s", [titles.statement]
        )
        prepared = [row[0] for row in cursor.fetchall()]
    assert len(prepared) == 1
    assert "ANY($1::text[])" in prepared[0]
