"""Every service asks the same tenancy question: a write made for a person takes that person
as ``actor`` and asks :mod:`plans.tenancy`; a service below tenancy is named here with the
reason. Checked on the two sample cities (``clerk_a`` edits 小美玉市 only)."""

import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from importers import services as import_services
from importers.parsing.model import ParsedPlan
from importers.selectors import sample_catalog
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue
from plans import services as plan_services
from plans.concurrency import row_values
from plans.models import PlanNode

# Writes with no actor, and why (their callers: the text import, after it asked for the plan
# as a whole; management commands, the sample loader and benchmarks, acting as the portal).
BELOW_TENANCY = {
    plan_services: {
        "municipality_create", "plan_create", "plan_update", "node_create",
        "nodes_bulk_create", "node_sections_replace", "crossrefs_bulk_create",
        "crossrefs_replace", "glossary_terms_bulk_create", "glossary_term_create",
        "glossary_term_update",
    },
    indicator_services: {"indicators_bulk_create", "plan_touch"},
}  # fmt: skip
# Public functions of the service modules that write nothing.
READS = {
    plan_services: {"node_move_check", "node_insert_check"},
    indicator_services: {
        "value_text", "raw_texts_follow", "value_stamp", "typed_value_text", "yearly_changes",
    },
}  # fmt: skip


@pytest.mark.parametrize("module", [plan_services, indicator_services], ids=lambda m: m.__name__)
def test_every_write_service_takes_an_actor_or_says_why_not(module):
    """A service added later fails here until it takes ``actor`` or is listed with a reason."""
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or function.__module__ != module.__name__:
            continue
        if name in READS[module] or name in BELOW_TENANCY[module]:
            continue
        actor = inspect.signature(function).parameters.get("actor")
        assert actor is not None, f"{module.__name__}.{name} writes without asking tenancy"
        assert actor.kind is inspect.Parameter.KEYWORD_ONLY and actor.default is actor.empty


def theirs(model, cities):
    return model.objects.filter(**{model.tenancy_path: cities[1]}).order_by("pk").first()


def ours(model, cities):
    return model.objects.filter(**{model.tenancy_path: cities[0]}).order_by("pk").first()


def refused_and_unchanged(obj, write) -> None:
    before = row_values(obj)
    with pytest.raises(PermissionDenied):
        write()
    assert row_values(type(obj).objects.get(pk=obj.pk)) == before


def test_node_services_refuse_another_citys_nodes(cities, clerk_a):
    node = theirs(PlanNode, cities)
    sibling = PlanNode.objects.filter(plan=node.plan, level=node.level).exclude(pk=node.pk)[0]
    refused_and_unchanged(
        node, lambda: plan_services.node_update(actor=clerk_a, node=node, title="乗っ取り")
    )
    refused_and_unchanged(
        node,
        lambda: plan_services.node_move(actor=clerk_a, node=node, target=sibling, position="right"),
    )
    refused_and_unchanged(node, lambda: plan_services.node_delete(actor=clerk_a, node=node))
    new = PlanNode(plan=node.plan, parent=node, title="乗っ取り", key="x1")
    with pytest.raises(PermissionDenied):
        plan_services.node_insert(actor=clerk_a, node=new)
    assert not PlanNode.objects.filter(title="乗っ取り").exists()


def test_kpi_services_refuse_another_citys_kpis(cities, clerk_a):
    kpi = theirs(Indicator, cities)
    refused_and_unchanged(
        kpi,
        lambda: indicator_services.indicator_update(
            actor=clerk_a, indicator=kpi, target_value=Decimal(1)
        ),
    )
    with pytest.raises(PermissionDenied):
        indicator_services.indicator_create(
            actor=clerk_a, plan=kpi.plan, node=kpi.node, key="x1", name="乗っ取り"
        )
    value = theirs(IndicatorValue, cities)
    refused_and_unchanged(
        value,
        lambda: indicator_services.indicator_value_set(
            actor=clerk_a, indicator=value.indicator, fiscal_year=value.fiscal_year, value=1
        ),
    )
    entry = indicator_services.YearlyEntry(value.indicator_id, Decimal(1))
    refused_and_unchanged(
        value,
        lambda: indicator_services.yearly_values_save(
            actor=clerk_a, plan=kpi.plan, fiscal_year=value.fiscal_year, entries=[entry]
        ),
    )


def test_the_same_services_serve_ones_own_city(cities, clerk_a):
    node, kpi = ours(PlanNode, cities), ours(Indicator, cities)
    plan_services.node_update(actor=clerk_a, node=node, title="自分の市の項目")
    indicator_services.indicator_update(actor=clerk_a, indicator=kpi, target_value=Decimal(7))
    indicator_services.indicator_value_set(
        actor=clerk_a, indicator=kpi, fiscal_year=kpi.plan.first_fiscal_year, value=Decimal(3)
    )
    assert PlanNode.objects.get(pk=node.pk).title == "自分の市の項目"
    assert Indicator.objects.get(pk=kpi.pk).target_value == Decimal(7)
    assert kpi.values.get(fiscal_year=kpi.plan.first_fiscal_year).value == Decimal(3)


def test_the_text_import_asks_for_the_plan_as_a_whole(cities, clerk_a):
    """本庄市's plan imported by 小美玉市's editor: refused before anything is written."""
    entry = next(e for e in sample_catalog() if e.municipality.slug == cities[1].slug)
    before = PlanNode.objects.filter(plan__municipality=cities[1]).count()
    with pytest.raises(PermissionDenied):
        import_services.plan_import(
            actor=clerk_a,
            parsed=ParsedPlan("本庄市", "乗っ取り", ["章"], []),
            municipality=entry.municipality,
            plan=entry.plan,
        )
    assert PlanNode.objects.filter(plan__municipality=cities[1]).count() == before
