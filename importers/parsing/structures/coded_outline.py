"""An outline whose item codes decide the parent: 基本目標 → 基本施策 → 個別施策 (1101 → 11 → 1).

The text looks like::

    ### 1) みんなの力で磨くまちづくり        ← 基本目標 (goal) and its bullets
    #### 基本施策1 市民協働・コミュニティ活動の推進
    個別施策
    1101 市民協働推進のための環境づくり    ← 個別施策: code + title

The PDF extraction scrambled the order of the 基本施策 blocks, so a block's position (and
even its printed number) is not reliable. The 4-digit codes are: 1101 = goal 1, 基本施策 1,
item 01. Every 個別施策 is placed by its code; a 基本施策 heading lends its title to the
基本施策 its items belong to, and headings whose goal or number disagree with those codes are
reported as warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers.parsing.errors import ParseError
from importers.parsing.model import Line, ParsedNode, ParsedPlan, Report, Section
from importers.parsing.text import (
    guess_municipality,
    join_title,
    paragraphs,
    strip_markup,
)
from importers.parsing.vocabulary import STRUCTURE_LEVELS

NAME = "coded_outline"
LEVEL_NAMES = list(STRUCTURE_LEVELS[NAME])

GOAL_HEADING = re.compile(r"^#*\s*(\d+)\s*\)\s*(\S.*)$")
POLICY_HEADING = re.compile(r"^#*\s*基本施策\s*(\d+)\s*(.*)$")
ITEM = re.compile(r"^(\d)(\d)(\d{2})(?:\s+(.*))?$")
PLAN_TITLE = re.compile(r"^#+\s*[◆◇■]?\s*(\S*計画)\s*$")
LABELS = {"基本目標", "個別施策"}


def matches(lines: list[Line]) -> bool:
    """Goal headings "N) …", "基本施策N" headings and many bare 4-digit item codes."""
    texts = [line.text.strip() for line in lines]
    goals = sum(1 for text in texts if GOAL_HEADING.match(text))
    policies = sum(1 for text in texts if POLICY_HEADING.match(text))
    items = sum(1 for text in texts if ITEM.match(text))
    has_tables = any(text.startswith("■") for text in texts)
    return goals >= 1 and policies >= 2 and items >= 5 and not has_tables


@dataclass
class _Heading:
    """A printed 基本施策 heading and the item codes printed under it."""

    number: int
    title: str
    line: int
    goal: str  # the goal whose section the heading sits in ("" before any goal)
    items: list[ParsedNode] = field(default_factory=list)


def parse(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    reader = _OutlineReader(source, report)
    for line in lines:
        reader.feed(line)
    goals = reader.build()
    return ParsedPlan(
        municipality=guess_municipality(lines),
        title=reader.plan_title,
        level_names=list(LEVEL_NAMES),
        nodes=goals,
        layout=NAME,
        sources=[source],
        report=report,
    )


class _OutlineReader:
    def __init__(self, source: str, report: Report) -> None:
        self.source = source
        self.report = report
        self.plan_title = ""
        self.goals: dict[str, ParsedNode] = {}
        self.goal_text: dict[str, list[Line]] = {}
        self.headings: list[_Heading] = []
        self.current_goal = ""

    def feed(self, line: Line) -> None:
        text = line.text.strip()
        if title := PLAN_TITLE.match(text):
            self.plan_title = self.plan_title or title.group(1)
        elif goal := GOAL_HEADING.match(text):
            self._start_goal(goal.group(1), strip_markup(goal.group(2)), line)
        elif policy := POLICY_HEADING.match(text):
            heading = _Heading(
                int(policy.group(1)), join_title([policy.group(2)]), line.number, self.current_goal
            )
            self.headings.append(heading)
        elif item := ITEM.match(text):
            self._add_item(item, line)
        elif text in LABELS or not text:
            return
        elif self.current_goal and not self.headings_in_goal():
            self.goal_text[self.current_goal].append(line)
        else:
            self.report.add(
                "warning",
                f"text outside any heading ignored: {text[:40]}",
                source=self.source,
                line=line.number,
            )

    def headings_in_goal(self) -> bool:
        return bool(self.headings) and self.headings[-1].goal == self.current_goal

    def _start_goal(self, code: str, title: str, line: Line) -> None:
        self.current_goal = code
        if code in self.goals:
            self.report.add(
                "warning",
                f"基本目標 {code} is printed twice; the first one is kept",
                source=self.source,
                line=line.number,
            )
            return
        self.goals[code] = ParsedNode(
            title=title, key=code, code=code, level=0, source=self.source, line=line.number
        )
        self.goal_text[code] = []

    def _add_item(self, match: re.Match[str], line: Line) -> None:
        code = match.group(0).split()[0]
        title = join_title([match.group(4) or ""])
        if not title:
            self.report.add(
                "warning", f"個別施策 {code} has no title", source=self.source, line=line.number
            )
        if not self.headings:
            raise ParseError(
                self.source,
                line.number,
                "a 基本施策 heading before 個別施策 codes",
                line.text.strip(),
            )
        node = ParsedNode(
            title=title, key=code, code=code, level=2, source=self.source, line=line.number
        )
        self.headings[-1].items.append(node)

    def build(self) -> list[ParsedNode]:
        if not self.goals:
            raise ParseError(self.source, 0, "基本目標 headings such as '1) タイトル'")
        for code, goal in self.goals.items():
            body = paragraphs(self.goal_text[code])
            if body:
                goal.sections.append(
                    Section(heading="", body=body, line=self.goal_text[code][0].number)
                )
        policies = _place_items(self.headings, self.goals, self.source, self.report)
        for policy_code in sorted(policies):
            goal = self.goals.get(policy_code[0]) or self._missing_goal(policy_code[0])
            goal.children.append(policies[policy_code])
        return [self.goals[code] for code in sorted(self.goals, key=int)]

    def _missing_goal(self, code: str) -> ParsedNode:
        self.report.add(
            "warning",
            f"codes {code}xxx name 基本目標 {code}, which has no heading",
            source=self.source,
        )
        self.goals[code] = ParsedNode(title="", key=code, code=code, level=0, source=self.source)
        self.goal_text[code] = []
        return self.goals[code]


def _place_items(
    headings: list[_Heading], goals: dict[str, ParsedNode], source: str, report: Report
) -> dict[str, ParsedNode]:
    """基本施策 nodes keyed by their 2-digit code, each holding its 個別施策 in code order."""
    policies: dict[str, ParsedNode] = {}
    candidates: dict[str, list[_Heading]] = {}
    for heading in headings:
        for code in dict.fromkeys(item.code[:2] for item in heading.items):
            candidates.setdefault(code, []).append(heading)
        for item in heading.items:
            policy = policies.setdefault(item.code[:2], _policy_node(item.code[:2], source))
            if item.code in {child.code for child in policy.children}:
                report.add(
                    "warning",
                    f"個別施策 {item.code} is printed twice; the first is kept",
                    source=source,
                    line=item.line,
                )
                continue
            policy.children.append(item)
        if not heading.items:
            report.add(
                "warning",
                f"基本施策{heading.number} {heading.title} has no 個別施策",
                source=source,
                line=heading.line,
            )
    for code, policy in policies.items():
        policy.children.sort(key=lambda node: node.code)
        _title_policy(policy, candidates[code], report)
    return policies


def _policy_node(code: str, source: str) -> ParsedNode:
    return ParsedNode(title="", key=code, code=code, level=1, source=source)


def _title_policy(policy: ParsedNode, headings: list[_Heading], report: Report) -> None:
    """Take the title from the heading whose printed number agrees with the code, else the first.

    Every heading whose goal section or number disagrees with the codes under it is reported.
    """
    goal, number = policy.code[0], int(policy.code[1])
    agreeing = [heading for heading in headings if heading.number == number]
    chosen = (agreeing or headings)[0]
    policy.title, policy.line = chosen.title, chosen.line
    for heading in headings:
        codes = [item.code for item in heading.items if item.code.startswith(policy.code)]
        span = f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0]
        where = {"source": policy.source, "line": heading.line}
        if heading.goal and heading.goal != goal:
            report.add(
                "warning",
                f"{span} are printed in 基本目標 {heading.goal}'s section but "
                f"their codes place them in 基本目標 {goal}",
                **where,
            )
        if heading.number != number and heading is chosen:
            report.add(
                "warning",
                f"heading 基本施策{heading.number} {heading.title} holds {span}: "
                f"its number disagrees with the codes; used as the title of "
                f"基本施策 {policy.code}",
                **where,
            )
        elif heading is not chosen:
            report.add(
                "warning",
                f"heading 基本施策{heading.number} {heading.title} holds {span}, "
                f"which belong to 基本施策 {policy.code} {chosen.title}; "
                f"the heading is ignored",
                **where,
            )
