"""Selectors build URLs and trees in memory exactly as the models and mptt would."""

import pytest

from indicators.models import Indicator
from indicators.selectors import indicator_url
from plans import selectors, services
from plans.models import Plan, PlanNode

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
