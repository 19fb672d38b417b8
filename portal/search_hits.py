"""What the search page shows of each match, prepared once per match.

The template loops over these and writes the markup (``<mark>`` around each marked part);
every text is folded once here (:mod:`portal.highlight`) instead of by a filter and an include
per text in the template, which took most of the page's time (issue 12).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .highlight import Parts, excerpt, excerpt_of, folded, highlighted, marked


@dataclass
class NodeHit:
    """A node found: its link, where it stands, and its first section that matches."""

    url: str
    level_label: str
    code: Parts
    title: Parts
    municipality: str
    plan_title: str
    parent_title: str  # "" for a top-level node
    # the first section that matches: its heading and the excerpt of its body, marked
    section_heading: Parts | None = None  # None: no section matches
    section_excerpt: Parts | None = None


@dataclass
class KpiHit:
    """A KPI found: its link, the node it belongs to, and its definition's excerpt."""

    url: str
    name: Parts
    municipality: str
    level_label: str
    node_code: str
    node_title: str
    definition: Parts | None  # None: the KPI has no definition


def matching_section(sections: Iterable[tuple[str, str]], needle: str) -> dict:
    """The first (heading, body) whose text contains ``needle``: its heading marked and the
    excerpt of its body marked (``NodeHit``'s section fields; none: {}). Heading and body
    are each folded once."""
    for heading, body in sections:
        head, text = folded(heading), folded(" ".join(body.split()))
        found = needle in head.haystack or needle in text.haystack
        if not found and " " in needle:  # a match across the heading and the body
            found = needle in folded(f"{heading} {body}").haystack
        if found:
            return {
                "section_heading": marked(heading, head.spans(needle)),
                "section_excerpt": excerpt_of(text, needle),
            }
    return {}


def node_hit(node, url: str, needle: str) -> NodeHit:
    """``node`` (with its plan, municipality, parent and sections read) as the page shows it."""
    sections = ((section.heading, section.body) for section in node.sections.all())
    return NodeHit(
        url=url,
        level_label=node.level_label,
        code=highlighted(node.code, needle),
        title=highlighted(node.title, needle),
        municipality=node.plan.municipality.name,
        plan_title=node.plan.title,
        parent_title=node.parent.title if node.parent_id else "",
        **matching_section(sections, needle),
    )


def kpi_hit(indicator, url: str, needle: str) -> KpiHit:
    """``indicator`` (with its plan, municipality and node read) as the page shows it."""
    node = indicator.node
    return KpiHit(
        url=url,
        name=highlighted(indicator.name, needle),
        municipality=indicator.plan.municipality.name,
        level_label=node.level_label,
        node_code=node.code,
        node_title=node.title,
        definition=excerpt(indicator.definition, needle) if indicator.definition else None,
    )
