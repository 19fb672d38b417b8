"""Several files of one plan merged into one plan, by node key (the code where there is one).

Precedence: when two files give different values for the same thing (a node's title, a
section with the same heading, an indicator with the same key, a glossary definition), the
value of the file that ranks first wins and every disagreement is reported as a "conflict".
Files rank by:

1. ``prefer``: a source name (``outline.txt``, or a path ending in it); the file it
   names ranks first;
2. then the more detailed file first — the one with more sections, indicators, cross-references
   and glossary terms (the detailed chapter beats the outline);
3. then the order in which the files were given.

Each conflict is an Issue(kind="conflict") whose message names the code, both values with
their file:line and the file kept; ``original`` is the value not kept, ``replacement`` the
value kept, and ``source``/``line`` point at the value not kept. A value that only one file
has is simply taken. The merged tree keeps document order: nodes a
file adds are placed after the sibling that precedes them in that file.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from importers.parsing.errors import ParseError
from importers.parsing.model import GlossaryTerm, ParsedNode, ParsedPlan, Report
from importers.parsing.text import join_wide_spaces

# The name the reader gives a level whose headings print no level word (``tree``).
_UNNAMED = re.compile(r"階層\d+")


def detail_score(plan: ParsedPlan) -> int:
    """How much a file says beyond the bare outline."""
    per_node = sum(
        len(node.sections) + len(node.indicators) + len(node.crossrefs) for node in plan.walk()
    )
    return per_node + len(plan.glossary)


def rank_plans(plans: list[ParsedPlan], prefer: str | None = None) -> list[ParsedPlan]:
    """The plans in order of precedence, first wins (see the module docstring)."""
    if prefer and not any(_is_preferred(plan, prefer) for plan in plans):
        names = sorted({source for plan in plans for source in plan.sources})
        raise ParseError("--prefer", 0, f"one of {', '.join(names)}", prefer)
    return sorted(
        plans,
        key=lambda plan: (not (prefer and _is_preferred(plan, prefer)), -detail_score(plan)),
    )


def _is_preferred(plan: ParsedPlan, prefer: str) -> bool:
    return any(prefer in (source, source.rsplit("/", 1)[-1]) for source in plan.sources)


def merge_plans(plans: list[ParsedPlan], prefer: str | None = None) -> ParsedPlan:
    """One plan from several files of the same plan; conflicts go to the merged report."""
    if not plans:
        raise ParseError("(no files)", 0, "at least one plan file")
    ranked = rank_plans(plans, prefer)
    reason = f"--prefer {prefer}" if prefer else "the more detailed file"
    issues = [issue for plan in plans for issue in plan.report.issues]
    merger = _Merger(report=Report(issues), reason=reason)
    for plan in ranked:
        merger.merge_forest(merger.roots, plan.nodes, plan)
    _check_same_municipality(ranked, merger.report)
    merged = ParsedPlan(
        municipality=_first(plan.municipality for plan in ranked),
        title=_first(plan.title for plan in ranked),
        level_names=_level_names(ranked, merger.report),
        nodes=merger.roots,
        glossary=merger.merge_glossary(plans, ranked),
        layout="+".join(dict.fromkeys(plan.layout for plan in plans)),
        sources=[source for plan in plans for source in plan.sources],
        report=merger.report,
        first_fiscal_year=next((p.first_fiscal_year for p in ranked if p.first_fiscal_year), None),
        last_fiscal_year=next((p.last_fiscal_year for p in ranked if p.last_fiscal_year), None),
    )
    return merged


def _first(values) -> str:
    return next((value for value in values if value), "")


def _check_same_municipality(ranked: list[ParsedPlan], report: Report) -> None:
    names = {plan.municipality for plan in ranked if plan.municipality}
    if len(names) > 1:
        report.add(
            "warning",
            f"the files name different municipalities ({', '.join(sorted(names))}); "
            f"merged as one plan of {_first(plan.municipality for plan in ranked)}",
            source=ranked[0].sources[0] if ranked[0].sources else "",
        )


def _level_names(ranked: list[ParsedPlan], report: Report) -> list[str]:
    """The first file's level names; ``unnamed_level_takes_printed_name``: a level it names
    only by position (階層1, no level word printed) takes the name another file prints for it
    (a chapter of goal 1 never says 基本目標; the outline does)."""
    names = list(ranked[0].level_names)
    for plan in ranked[1:]:
        for depth, name in enumerate(plan.level_names[: len(names)]):
            if _UNNAMED.fullmatch(names[depth]) and not _UNNAMED.fullmatch(name):
                names[depth] = name
    for plan in ranked[1:]:
        if names and _printed_names_differ(names, plan.level_names):
            report.add(
                "warning",
                f"level names differ: {names} ({ranked[0].sources[0]}) and "
                f"{plan.level_names} ({plan.sources[0]}); using the first",
                source=plan.sources[0],
            )
    return names or _first_list(plan.level_names for plan in ranked)


def _printed_names_differ(names: list[str], others: list[str]) -> bool:
    """Two files name a level differently (a level either names only by position agrees)."""
    return any(
        name != other and not _UNNAMED.fullmatch(name) and not _UNNAMED.fullmatch(other)
        for name, other in zip(names, others, strict=False)
    )


def _first_list(values) -> list[str]:
    return next((value for value in values if value), [])


@dataclass
class _Merger:
    report: Report
    roots: list[ParsedNode] = field(default_factory=list)
    by_key: dict[str, tuple[ParsedNode, list[ParsedNode]]] = field(default_factory=dict)
    reason: str = ""

    def merge_forest(
        self, siblings: list[ParsedNode], nodes: list[ParsedNode], plan: ParsedPlan
    ) -> None:
        """Merge ``nodes`` (siblings in ``plan``) into the merged ``siblings`` list."""
        anchor = -1
        for node in nodes:
            found = self.by_key.get(node.key)
            if found is None:
                anchor += 1
                siblings.insert(anchor, self._adopt(node, siblings))
                continue
            existing, where = found
            if where is not siblings:
                self._conflict(existing, "parent", self._parent_code(where), "(elsewhere)", node)
            else:
                anchor = siblings.index(existing)
            self._merge_node(existing, node, plan)

    def _adopt(self, node: ParsedNode, siblings: list[ParsedNode]) -> ParsedNode:
        """A node only the current file has (so far): taken whole, children indexed."""
        children, node.children = node.children, []
        self.by_key[node.key] = (node, siblings)
        for child in children:
            node.children.append(self._adopt(child, node.children))
        return node

    def _parent_code(self, siblings: list[ParsedNode]) -> str:
        for node, _ in self.by_key.values():
            if node.children is siblings:
                return node.code or node.key
        return "(top level)"

    def _merge_node(self, existing: ParsedNode, node: ParsedNode, plan: ParsedPlan) -> None:
        if existing.title and node.title and not _same(existing.title, node.title):
            self._conflict(existing, "title", existing.title, node.title, node)
        elif not existing.title:
            existing.title = node.title
        existing.department = existing.department or node.department
        existing.is_priority = existing.is_priority or node.is_priority
        existing.sdg_goals.extend(g for g in node.sdg_goals if g not in existing.sdg_goals)
        self._merge_sections(existing, node)
        self._merge_indicators(existing, node)
        known = {(ref.kind, ref.target_code, ref.target_title) for ref in existing.crossrefs}
        existing.crossrefs.extend(
            ref
            for ref in node.crossrefs
            if (ref.kind, ref.target_code, ref.target_title) not in known
        )
        self.merge_forest(existing.children, node.children, plan)

    def _merge_sections(self, existing: ParsedNode, node: ParsedNode) -> None:
        for section in node.sections:
            same = next((s for s in existing.sections if s.heading == section.heading), None)
            if same is None:
                existing.sections.append(section)
            elif same.body != section.body:
                label = f"section {section.heading!r}" if section.heading else "untitled section"
                self._conflict(existing, label, same.body, section.body, node, section.line)

    def _merge_indicators(self, existing: ParsedNode, node: ParsedNode) -> None:
        for indicator in node.indicators:
            same = next((i for i in existing.indicators if i.key == indicator.key), None)
            if same is None:
                existing.indicators.append(indicator)
            elif _comparable(same) != _comparable(indicator):
                label = f"indicator {indicator.key}"
                self._conflict(existing, label, same.name, indicator.name, node, indicator.line)

    def _conflict(
        self,
        kept: ParsedNode,
        what: str,
        kept_value: str,
        other_value: str,
        other: ParsedNode,
        other_line: int = 0,
    ) -> None:
        """Report that ``other`` (a lower-ranked file) disagrees; the kept value stays."""
        line = other_line or other.line
        self.report.add(
            "conflict",
            f"{kept.code or kept.key}: {what} differs: {kept.source}:{kept.line} "
            f"「{kept_value}」 vs {other.source}:{line} 「{other_value}」; "
            f"kept {kept.source} ({self.reason})",
            source=other.source,
            line=line,
            original=other_value,
            replacement=kept_value,
        )

    def merge_glossary(
        self, plans: list[ParsedPlan], ranked: list[ParsedPlan]
    ) -> list[GlossaryTerm]:
        terms: dict[str, GlossaryTerm] = {}
        for plan in ranked:
            for term in plan.glossary:
                kept = terms.setdefault(term.term, term)
                if kept.definition != term.definition:
                    self.report.add(
                        "conflict",
                        f"用語解説 {term.term}: definition differs: {kept.source}:{kept.line} "
                        f"vs {term.source}:{term.line}; kept {kept.source} ({self.reason})",
                        source=term.source,
                        line=term.line,
                        original=term.definition,
                        replacement=kept.definition,
                    )
        in_document_order = [term for plan in plans for term in plan.glossary]
        return [term for term in in_document_order if terms[term.term] is term]


def _same(left: str, right: str) -> bool:
    return join_wide_spaces(left) == join_wide_spaces(right)


def _comparable(indicator) -> dict:
    values = asdict(indicator)
    for where in ("source", "line"):
        values.pop(where)
    return values
