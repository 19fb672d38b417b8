"""Selectors build URLs and trees in memory exactly as the models and mptt would."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q

from indicators.models import Indicator, IndicatorValue
from plans import services
from plans.models import CrossReference, Plan, PlanNode
from portal import kpi_selectors, selectors
from portal.kpi_selectors import indicator_url
from portal.rows import JSONRows
from portal.selectors import NODE_FIELDS

pytestmark = pytest.mark.usefixtures("samples")


def outline(nodes, depth=0):
    lines = []
    for node in nodes:
        lines.append("  " * depth + str(node))
        lines += outline(node.get_children(), depth + 1)
    return lines


@pytest.mark.parametrize("slug", ["omitama", "honjo", "kiyose", "tomakomai"])
def test_plan_tree_matches_mptt_and_node_urls_match_reverse(slug):
    """The in-memory tree is mptt's tree; each precomputed URL is get_absolute_url()."""
    plan = Plan.objects.get(municipality__slug=slug)
    tree = selectors.plan_tree(plan)
    expected = PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft").get_cached_trees()
    assert outline(tree.roots) == outline(expected)

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.tree_children)

    nodes = list(walk(tree.roots))
    assert len(nodes) == PlanNode.objects.filter(plan=plan).count()
    for node in nodes:
        assert node.url == node.get_absolute_url()


def test_node_url_quotes_keys_like_reverse():
    """A node without a code is addressed by its key, quoted exactly as reverse() quotes it."""
    plan = Plan.objects.get(municipality__slug="omitama")
    node = services.node_create(plan=plan, title="横断", key="連携:プラン 1")
    assert selectors.node_url(plan.get_absolute_url(), node) == node.get_absolute_url()


def test_indicator_url_matches_reverse():
    for kpi in Indicator.objects.select_related("plan__municipality"):
        assert indicator_url(kpi.plan.get_absolute_url(), kpi) == kpi.get_absolute_url()


def node_fields(node) -> tuple:
    """What a page shows of a node, with the types it has (is_priority a bool, not 0/1)."""
    return tuple((name, getattr(node, name), type(getattr(node, name))) for name in NODE_FIELDS)


def test_public_plan_and_node_read_the_same_values_as_the_orm():
    """The hand-written reads give what QuerySets give: level names as a list, aware times,
    sections in order, SDGs, ancestors and children with their counts, references with the
    nodes at both ends; for every node of every published plan."""
    for plan in Plan.objects.published().select_related("municipality"):
        read = selectors.public_plan(plan.municipality.slug, plan.slug)
        assert (read.pk, read.title, read.level_names, read.updated_at) == (
            plan.pk,
            plan.title,
            plan.level_names,
            plan.updated_at,
        )
        assert read.url == plan.get_absolute_url()
        nodes = PlanNode.objects.filter(plan=plan).prefetch_related("sections", "sdg_goals")
        for node in nodes.annotate(kpis=Count("indicators")):
            ref = node.code or node.key
            page = selectors.node_page(plan.municipality.slug, plan.slug, ref)
            got = page.node
            assert (got.pk, got.title, got.department, got.updated_at, got.level_label) == (
                node.pk,
                node.title,
                node.department,
                node.updated_at,
                node.level_label,
            )
            assert node_fields(got) == node_fields(node)
            sections = sorted(node.sections.all(), key=lambda s: (s.order, s.pk))
            assert [(s.heading, s.body) for s in got.section_list] == [
                (s.heading, s.body) for s in sections
            ]
            assert [g.number for g in got.goals] == sorted(g.number for g in node.sdg_goals.all())
            assert [node_fields(a) for a in page.ancestors] == [
                node_fields(a) for a in node.get_ancestors()
            ]
            children = node.get_children().annotate(kpis=Count("indicators"))
            assert [
                (*node_fields(c), c.indicator_count, c.descendant_total) for c in page.children
            ] == [(*node_fields(c), c.kpis, c.get_descendant_count()) for c in children]
            references = CrossReference.objects.filter(Q(from_node=node) | Q(to_node=node))
            expected = sorted(references, key=lambda r: (r.from_node_id, r.order, r.pk))
            assert [
                (r.pk, r.kind, node_fields(r.from_node), r.to_node and node_fields(r.to_node))
                for r in [*page.outgoing, *page.incoming]
            ] == [
                (r.pk, r.kind, node_fields(r.from_node), r.to_node and node_fields(r.to_node))
                for r in [
                    *(r for r in expected if r.from_node_id == node.pk),
                    *(r for r in expected if r.to_node_id == node.pk),
                ]
            ]


def test_kpi_values_read_as_decimals_like_the_orm():
    """Baseline, target and yearly values come back as the ORM's Decimals on every backend."""
    kpi = Indicator.objects.get(plan__municipality__slug="omitama", name="まちづくり組織認定団体数")
    IndicatorValue.objects.create(indicator=kpi, fiscal_year=2022, value="66.5", raw_text="66.5")
    kpi.refresh_from_db()
    status = kpi_selectors.public_indicator(kpi.plan, kpi.pk)
    read = status.indicator
    assert (read.baseline_value, read.target_value) == (kpi.baseline_value, kpi.target_value)
    assert [v.value for v in status.values] == [v.value for v in kpi.values.all()]
    assert all(type(v) is Decimal for v in (read.baseline_value, status.values[0].value))
    assert status.updated_at == max(kpi.updated_at, kpi.values.get().updated_at)


def test_json_rows_refuse_values_json_would_change():
    """A time would come back as text in a JSON column: JSONRows says so instead."""
    with pytest.raises(TypeError, match="updated_at"):
        JSONRows(PlanNode.objects.all(), ("id", "updated_at"))
