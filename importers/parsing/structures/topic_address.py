"""A policy address (市政方針, often a web page): ■ group → ◇N policy → 「〜につきましては」 topic.

The page prints

    ■基本政策                                   group (level 0, "政策区分")
    ◇1 市民によるまちづくりの推進               policy (level 1, "施策")
    地域活動の促進につきましては、…            topic (level 2, "項目"), titled by the phrase
    また、… / さらに、…                         before につきましては; later paragraphs belong
                                                to the topic before them
    ■重点施策                                   a priority group: it and its nodes are is_priority
    ◇1 子育て世代に手厚いまち とまこまいの実現

Level names: ``["政策区分", "施策", "項目"]`` (the page itself names only the groups).
Paragraphs before a policy's first topic are the policy's own section. A topic's paragraphs
form one section without a heading (the page prints none).

◇ numbers restart in each group and topics are not numbered, so nodes have no code; their
keys are position slugs: ``group-2``, ``group-1-policy-2``, ``group-1-policy-2-topic-3``.

The municipality and title come from the page head (``北海道苫小牧市``, ``市政方針(2)``).
Page furniture that survives normalization (lines that are not sentences: menus, links,
addresses, page counters) is dropped here too and reported as noise.
"""

from __future__ import annotations

import re

from importers.parsing.errors import ParseError
from importers.parsing.model import Line, ParsedNode, ParsedPlan, Report, Section
from importers.parsing.vocabulary import STRUCTURE_LEVELS

NAME = "topic_address"
LEVEL_NAMES = list(STRUCTURE_LEVELS[NAME])

GROUP_RE = re.compile(r"^■\s*(\S.*)$")
POLICY_RE = re.compile(r"^◇\s*(\d+)\s*(\S.*)$")
CONNECTIVE = r"(?:また|さらに|さらには|加えて|なお|次に)、"
TOPIC_RE = re.compile(rf"^(?:{CONNECTIVE})?(?P<title>[^、。]{{1,40}}?)につきましては、")
CONTINUATION_RE = re.compile(rf"^(?:{CONNECTIVE}|これら|このほか|そのため|[0-9]+つ目)")
MUNICIPALITY_RE = re.compile(r"^(?:北海道|東京都|京都府|大阪府|\S{2,3}県)?(\S{1,5}[市町村])$")
TITLE_RE = re.compile(r"^(\S*(?:市政|施政|町政|村政)方針)\s*(?:\(\d+\))?$")
# A paragraph of the address is a sentence; page furniture is not.
SENTENCE_END_RE = re.compile(r"[。」』)]$")
NOISE_RE = re.compile(r"アンケート|〒|MENU|文字サイズ|広報紙|^\d+\s*/\s*\d+$")


def matches(lines: list[Line]) -> bool:
    """◇N policy headings and 「〜につきましては」 paragraphs."""
    texts = [line.text.strip() for line in lines]
    return any(POLICY_RE.match(t) for t in texts) and any(TOPIC_RE.match(t) for t in texts)


def parse(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    head, body = _split_head(lines)
    groups: list[ParsedNode] = []
    policy: ParsedNode | None = None
    for line in body:
        text = line.text.strip()
        if not text:
            continue
        if group := GROUP_RE.match(text):
            groups.append(_group_node(group.group(1), len(groups) + 1, line, source))
            policy = None
        elif match := POLICY_RE.match(text):
            policy = _policy_node(match, groups, line, source)
        elif NOISE_RE.search(text) or not SENTENCE_END_RE.search(text):
            report.add("noise", f"page text dropped: {text}", source=source, line=line.number)
        elif policy is None:
            raise ParseError(
                source, line.number, expected="◇N policy heading before the text", found=text
            )
        else:
            _add_paragraph(policy, text, line, source, report)
    if not any(group.children for group in groups):
        raise ParseError(source, len(lines), expected="■ group and ◇N policy headings")
    municipality, title = _page_head(head)
    return ParsedPlan(
        municipality=municipality,
        title=title,
        level_names=list(LEVEL_NAMES),
        nodes=groups,
        layout=NAME,
        sources=[source],
        report=report,
    )


def _split_head(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The page head (before the first ■ or ◇ heading) and the rest."""
    for index, line in enumerate(lines):
        text = line.text.strip()
        if GROUP_RE.match(text) or POLICY_RE.match(text):
            return lines[:index], lines[index:]
    return lines, []


def _page_head(head: list[Line]) -> tuple[str, str]:
    municipality = title = ""
    for line in head:
        text = line.text.strip()
        if not municipality and (match := MUNICIPALITY_RE.match(text)):
            municipality = match.group(1)
        if not title and (match := TITLE_RE.match(text)):
            title = match.group(1)
    return municipality, title


def _group_node(title: str, position: int, line: Line, source: str) -> ParsedNode:
    return ParsedNode(
        title=title,
        key=f"group-{position}",
        level=0,
        is_priority="重点" in title,
        source=source,
        line=line.number,
    )


def _policy_node(match: re.Match, groups: list[ParsedNode], line: Line, source: str):
    if not groups:
        raise ParseError(
            source,
            line.number,
            expected="a ■ group heading (■基本政策) before ◇",
            found=line.text.strip(),
        )
    group = groups[-1]
    node = ParsedNode(
        title=match.group(2).strip(),
        key=f"{group.key}-policy-{match.group(1)}",
        level=1,
        is_priority=group.is_priority,
        source=source,
        line=line.number,
    )
    if any(child.key == node.key for child in group.children):
        node.key = f"{group.key}-policy-{len(group.children) + 1}"
    group.children.append(node)
    return node


def _add_paragraph(policy: ParsedNode, text: str, line: Line, source: str, report: Report):
    """A につきましては paragraph opens a topic; any other continues the one before it."""
    if topic := TOPIC_RE.match(text):
        node = ParsedNode(
            title=topic.group("title").strip(),
            key=f"{policy.key}-topic-{len(policy.children) + 1}",
            level=2,
            is_priority=policy.is_priority,
            source=source,
            line=line.number,
        )
        policy.children.append(node)
        node.sections.append(Section(heading="", body=text, line=line.number))
        return
    owner = policy.children[-1] if policy.children else policy
    if owner is not policy and not CONTINUATION_RE.match(text):
        report.add(
            "warning",
            f"paragraph attached to the topic 「{owner.title}」 before it",
            source=source,
            line=line.number,
        )
    if owner.sections:
        owner.sections[-1].body += "\n\n" + text
    else:
        owner.sections.append(Section(heading="", body=text, line=line.number))
