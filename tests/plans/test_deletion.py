"""Deleting a subtree is set-based: a fixed number of queries whatever its size, with the
deletion history of every row (who deleted what) written in one insert per model."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.models import CrossReference, NodeSection, PlanNode
from plans.services import NodeSpec
from plans.tenancy import SYSTEM
from tests.plans.test_services import assert_tree_valid


def goal(g: int, policies: int, measures: int) -> NodeSpec:
    return NodeSpec(
        key=f"g{g}",
        code=f"{g}",
        title=f"基本目標{g}",
        sections=[("めざす姿", "だれもが暮らしやすいまち")],
        children=[
            NodeSpec(
                key=f"g{g}p{p}",
                code=f"{g}{p}",
                title=f"基本施策{g}{p}",
                sdg_goals=[3, 11],
                sections=[("現況と課題", "高齢化"), ("取組内容", "見守り")],
                children=[
                    NodeSpec(key=f"g{g}p{p}m{m}", code=f"{g}{p}0{m}", title=f"個別施策{m}")
                    for m in range(1, measures + 1)
                ],
            )
            for p in range(1, policies + 1)
        ],
    )


@pytest.fixture
def grown(plan):
    """Goal 1 small (1 policy × 1 measure), goals 2 and 3 larger (4 × 5), goal 4 untouched;
    a KPI with two yearly values per policy; references out of, into and inside the goals."""
    created = services.nodes_bulk_create(
        plan=plan, roots=[goal(1, 1, 1), goal(2, 4, 5), goal(3, 4, 5), goal(4, 1, 1)]
    )
    for key, node in created.items():
        if node.level == 1:
            kpi = Indicator.objects.create(
                plan=plan, node=node, key=f"{key}:1", name=f"{node.title}の満足度", unit="%"
            )
            for year in (2022, 2023):
                IndicatorValue.objects.create(indicator=kpi, fiscal_year=year, value=Decimal(27))
    for g in (1, 2, 3):
        for target, source in ((f"g{g}p1m1", "g4p1"), ("g4p1", f"g{g}p1m1")):
            CrossReference.objects.create(
                from_node=created[source],
                to_node=created[target],
                kind="relisted",
                target_code=created[target].code,
            )
        CrossReference.objects.create(
            from_node=created[f"g{g}p1"], to_node=created[f"g{g}p1m1"], kind="relisted"
        )
    return plan


def delete_queries(node) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        services.node_delete(actor=SYSTEM, node=node)
    return [q["sql"] for q in queries]


# The node's plan, SAVEPOINT, the plan's lock, the node re-read; SDG links deleted; per model a
# history INSERT … SELECT and a DELETE (sections, yearly values, KPIs, nodes); references out
# of the subtree deleted and into it cleared; the plan's version; RELEASE SAVEPOINT.
ROOT_DELETE_QUERIES = 17


def test_deleting_a_subtree_takes_the_same_queries_whatever_its_size(grown):
    small = delete_queries(PlanNode.objects.get(plan=grown, key="g1"))  # 3 nodes
    large = delete_queries(PlanNode.objects.get(plan=grown, key="g2"))  # 25 nodes
    assert len(small) == len(large) == ROOT_DELETE_QUERIES, "\n".join(large)
    # An inner subtree also closes the gap it leaves in its tree (one UPDATE more).
    inner_small = delete_queries(PlanNode.objects.get(plan=grown, key="g3p1"))  # 6 nodes
    inner_one = delete_queries(PlanNode.objects.get(plan=grown, key="g3p2m1"))  # 1 node
    assert len(inner_small) == len(inner_one) == ROOT_DELETE_QUERIES + 1
    keys = set(PlanNode.objects.filter(plan=grown).values_list("key", flat=True))
    assert len(keys) == 25 + 3 - 6 - 1
    assert not {key for key in keys if key.startswith(("g1", "g2", "g3p1", "g3p2m1"))}
    assert_tree_valid()


def test_a_deleted_subtree_leaves_its_history_and_the_rest_of_the_plan(grown, omitama_editor):
    clerk = omitama_editor
    deleted = PlanNode.objects.get(plan=grown, key="g2")
    kept_rows = {
        model: set(model.objects.exclude(pk__in=[]).values_list("pk", flat=True))
        for model in (PlanNode, NodeSection, Indicator, IndicatorValue)
    }
    subtree = {
        PlanNode: set(deleted.get_descendants(include_self=True).values_list("pk", flat=True)),
        NodeSection: set(
            NodeSection.objects.filter(node__key__startswith="g2").values_list("pk", flat=True)
        ),
        Indicator: set(
            Indicator.objects.filter(node__key__startswith="g2").values_list("pk", flat=True)
        ),
        IndicatorValue: set(
            IndicatorValue.objects.filter(indicator__node__key__startswith="g2").values_list(
                "pk", flat=True
            )
        ),
    }
    assert [len(rows) for rows in subtree.values()] == [25, 9, 4, 8]

    services.node_delete(actor=clerk, node=deleted)

    for model, rows in subtree.items():
        assert set(model.objects.values_list("pk", flat=True)) == kept_rows[model] - rows
        history = model.history.filter(history_type="-")
        assert set(history.values_list("id", flat=True)) == rows, model
        assert {h.history_user for h in history} == {clerk}
    title = PlanNode.history.filter(history_type="-", id=deleted.pk).get()
    assert (title.title, title.code, title.plan_id) == ("基本目標2", "2", grown.pk)
    value = IndicatorValue.history.filter(history_type="-").order_by("fiscal_year").first()
    assert (value.fiscal_year, value.value) == (2022, Decimal(27))
    # The deleted node's history reads as before: created, then deleted.
    assert list(
        PlanNode.history.filter(id=deleted.pk)
        .order_by("history_id")
        .values_list("history_type", flat=True)
    ) == ["-"]  # (built in bulk: no creation row)
    # References out of the subtree are gone, into it from elsewhere kept with their code.
    g4p1 = PlanNode.objects.get(plan=grown, key="g4p1")
    assert list(g4p1.outgoing_references.values_list("to_node__key", flat=True)) == [
        "g1p1m1",
        None,
        "g3p1m1",
    ]
    assert not CrossReference.objects.filter(from_node__key__startswith="g2").exists()
    assert_tree_valid()


def test_the_portal_s_own_deletes_record_nobody(grown):
    """Deleting as SYSTEM outside a request records nobody (as simple-history would)."""
    services.node_delete(actor=SYSTEM, node=PlanNode.objects.get(plan=grown, key="g1"))
    assert set(
        PlanNode.history.filter(history_type="-").values_list("history_user", flat=True)
    ) == {None}
