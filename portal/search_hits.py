"""What the search page shows of each match, read and prepared once per match.

The template loops over these and writes the markup (``<mark>`` around each marked part);
every text is folded once here (:mod:`portal.highlight`) instead of by a filter and an include
per text in the template, which took most of the page's time (issue 12).

A page's rows come from one compiled query per kind (:class:`plans.compiled.CompiledQuery`,
``values_list`` of the columns shown): nodes with their sections, KPIs with their node, each
with plan and municipality. Building the QuerySets with ``select_related`` and a prefetch and
their model instances on every request cost more than the rest of the page's reads.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from indicators.models import Indicator
from plans.compiled import CompiledQuery
from plans.models import Municipality, Plan, PlanNode

from .highlight import Parts, excerpt, excerpt_of, folded, highlighted, marked
from .kpi_selectors import indicator_url
from .rows import read_only
from .selectors import node_url

PLAN = ("plan_id", "plan__title", "plan__slug", "plan__level_names")
MUNICIPALITY = ("plan__municipality__name", "plan__municipality__slug")
NODE = ("id", "kind", "level", "code", "key", "title")


@dataclass
class NodeHit:
    """A node found: its link, where it stands, and its first section that matches. Each
    text shown comes with its parts (``*_parts``: none when nothing in it is marked)."""

    url: str
    level_label: str
    code: str
    code_parts: Parts
    title: str
    title_parts: Parts
    municipality: str
    plan_title: str
    parent_title: str  # "" for a top-level node
    # the first section that matches: its heading and the excerpt of its body
    section_heading: str | None = None  # None: no section matches
    section_heading_parts: Parts | None = None
    section_excerpt: str = ""
    section_excerpt_parts: Parts | None = None


@dataclass
class KpiHit:
    """A KPI found: its link, the node it belongs to, and its definition's excerpt."""

    url: str
    name: str
    name_parts: Parts
    municipality: str
    level_label: str
    node_code: str
    node_title: str
    definition: str | None  # the excerpt; None: the KPI has no definition
    definition_parts: Parts


def matching_section(sections: Iterable[tuple[str, str]], needle: str) -> dict:
    """The first (heading, body) whose text contains ``needle``: its heading and the excerpt
    of its body with their parts (``NodeHit``'s section fields; none: {}). Heading and body
    are each folded once."""
    for heading, body in sections:
        head, text = folded(heading), folded(" ".join(body.split()))
        found = needle in head.haystack or needle in text.haystack
        if not found and " " in needle:  # a match across the heading and the body
            found = needle in folded(f"{heading} {body}").haystack
        if found:
            shown, parts = excerpt_of(text, needle)
            return {
                "section_heading": heading,
                "section_heading_parts": marked(heading, head.spans(needle)),
                "section_excerpt": shown,
                "section_excerpt_parts": parts,
            }
    return {}


class _Plans:
    """The plans of a page's rows, each read once: its level names and its URL."""

    def __init__(self):
        self.plans: dict[int, tuple[Plan, str]] = {}

    def get(self, row: tuple) -> tuple[Plan, str]:
        """The plan and its URL from PLAN then MUNICIPALITY columns at the row's start."""
        found = self.plans.get(row[0])
        if found is None:
            municipality = read_only(Municipality, ("name", "slug"), row[4:6])
            plan = read_only(
                Plan, ("id", "title", "slug", "level_names"), row[:4], municipality=municipality
            )
            found = self.plans[row[0]] = (plan, plan.get_absolute_url())
        return found


class _PageRows:
    """The rows of a page's ids, read by one compiled statement per page size: ``build(ids)``
    is the queryset of ``ids``, given as placeholders ``id0``, ``id1``… (the page's ids, the
    rest 0: one statement whatever a page holds)."""

    def __init__(self, build):
        self.build = build
        self.compiled: dict[int, CompiledQuery] = {}

    def __call__(self, ids: list[int], size: int) -> list[tuple]:
        query = self.compiled.get(size)
        if query is None:
            names = [f"id{i}" for i in range(size)]
            query = CompiledQuery(lambda value: self.build([value(name) for name in names]))
            self.compiled[size] = query
        padded = [*ids, *[0] * (size - len(ids))]
        return query(**{f"id{i}": pk for i, pk in enumerate(padded)})


_node_rows = _PageRows(
    lambda ids: (
        PlanNode.objects.filter(pk__in=ids)
        .order_by("id", "sections__order", "sections__id")
        .values_list(
            *PLAN, *MUNICIPALITY, *NODE, "parent__title", "sections__heading", "sections__body"
        )
    )
)
_kpi_rows = _PageRows(
    lambda ids: (
        Indicator.objects.filter(pk__in=ids)
        .order_by("id")
        .values_list(
            *PLAN,
            *MUNICIPALITY,
            "id",
            "name",
            "definition",
            *(f"node__{name}" for name in NODE),
        )
    )
)


def node_hits(ids: list[int], needle: str, size: int) -> dict[int, NodeHit]:
    """The nodes ``ids`` (at most ``size``) as the page shows them, by id (one query)."""
    plans, sections, nodes = _Plans(), {}, {}
    for row in _node_rows(ids, size):
        node_id = row[6]
        if node_id not in nodes:
            nodes[node_id], sections[node_id] = row, []
        if row[-2] is not None:  # heading: NULL when the node has no section
            sections[node_id].append(row[-2:])
    hits = {}
    for node_id, row in nodes.items():
        plan, plan_url = plans.get(row)
        node = read_only(PlanNode, NODE, row[6:12], plan=plan)
        hits[node_id] = NodeHit(
            url=node_url(plan_url, node),
            level_label=node.level_label,
            code=node.code,
            code_parts=highlighted(node.code, needle),
            title=node.title,
            title_parts=highlighted(node.title, needle),
            municipality=plan.municipality.name,
            plan_title=plan.title,
            parent_title=row[12] or "",
            **matching_section(sections[node_id], needle),
        )
    return hits


def kpi_hits(ids: list[int], needle: str, size: int) -> dict[int, KpiHit]:
    """The KPIs ``ids`` (at most ``size``) as the page shows them, by id (one query)."""
    plans, hits = _Plans(), {}
    for row in _kpi_rows(ids, size):
        plan, plan_url = plans.get(row)
        indicator = read_only(Indicator, ("id",), row[6:7])
        node = read_only(PlanNode, NODE, row[9:15], plan=plan)
        definition, definition_parts = excerpt(row[8], needle) if row[8] else (None, [])
        hits[indicator.pk] = KpiHit(
            url=indicator_url(plan_url, indicator),
            name=row[7],
            name_parts=highlighted(row[7], needle),
            municipality=plan.municipality.name,
            level_label=node.level_label,
            node_code=node.code,
            node_title=node.title,
            definition=definition,
            definition_parts=definition_parts,
        )
    return hits
