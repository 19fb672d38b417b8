"""One goal's chapter of per-policy blocks (e.g. the sample omitama_goal1.txt).

The chapter reads, in order::

    みんなの力で磨くまちづくり                 ← the 基本目標's title
    ■政策の基本方針 …                          ← a section of the 基本目標
    基本施策1 … 基本施策6 …                    ← list of its 基本施策
    ■基本施策が目指す SDGsのゴール             ← per 基本施策: "基本施策 N", title, aims
    ■現況と課題                                ← per 基本施策: "■基本施策N title", ①…, text
    基本施策 1 市民協働・コミュニティ活動の推進  ← then one block per 基本施策:
    ■ 基本方針 / ■ 主な成果指標 / ■ 個別施策 / 用語解説 / コラム

The 個別施策 come as plain lines, tab-separated cells or HTML <p> cells (already reduced to
lines by normalize): a 4-digit code, a title that may be broken across lines, then numbered
actions ①②… which may carry cross-listings "(2101 再掲)". The chapter never prints the
基本目標's number; the item codes give it (1101 → 基本目標 1, 基本施策 1).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from importers.parsing.errors import ParseError
from importers.parsing.model import (
    CrossRef,
    CrossRefKind,
    GlossaryTerm,
    Line,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Report,
    Section,
)
from importers.parsing.text import (
    circled_number,
    guess_municipality,
    join_title,
    join_wide_spaces,
    paragraphs,
    split_circled,
    strip_bullet,
    strip_markup,
)
from importers.parsing.values import parse_fiscal_year, parse_value
from importers.parsing.vocabulary import STRUCTURE_LEVELS

NAME = "policy_chapter"
LEVEL_NAMES = list(STRUCTURE_LEVELS[NAME])
ACTIONS_HEADING = "取組内容"

POLICY_LINE = re.compile(r"^(■)?\s*基本施策\s*(\d)\s*(.*)$")
SUBHEADING = re.compile(r"^■\s*(\S.*)$")
ITEM_START = re.compile(r"^(\d{4})(?:\s+(.*))?$")
RELISTED = re.compile(r"[(（]\s*(\d{4})\s*再掲\s*[)）]")
SDG_NUMBER = re.compile(r"(?:ゴール|SDGs?|Goal)\s*(\d{1,2})(?!\d)")
SENTENCE_END = ("。", "」", ")", "）")
GLOSSARY = "用語解説"
COLUMN = "コラム"
PRIORITY_LEGEND = "は重点施策"
POLICY_SECTIONS = ("基本方針", "主な成果指標", "成果指標", "個別施策")  # only a 基本施策 has these


def matches(lines: list[Line]) -> bool:
    """ "基本施策 N" blocks with ■ 成果指標 tables and ■ 個別施策 lists."""
    texts = [line.text.strip() for line in lines]
    policies = sum(1 for text in texts if POLICY_LINE.match(text))
    indicator_tables = any(SUBHEADING.match(text) and "成果指標" in text for text in texts)
    item_lists = any(re.fullmatch(r"■\s*個別施策", text) for text in texts)
    return policies >= 2 and indicator_tables and item_lists


@dataclass
class _Block:
    """Lines collected under one heading until the next boundary."""

    kind: str  # section | sdg | challenge | indicators | items | glossary | column
    node: ParsedNode
    heading: str
    line: int
    lines: list[Line] = field(default_factory=list)


def parse(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    reader = _DetailReader(source, report)
    for line in lines:
        reader.feed(line)
    goal = reader.finish()
    return ParsedPlan(
        municipality=guess_municipality(lines),
        title="",
        level_names=list(LEVEL_NAMES),
        nodes=[goal],
        glossary=reader.glossary,
        layout=NAME,
        sources=[source],
        report=report,
    )


class _DetailReader:
    def __init__(self, source: str, report: Report) -> None:
        self.source = source
        self.report = report
        self.goal: ParsedNode | None = None
        self.policies: dict[int, ParsedNode] = {}
        self.items: list[tuple[int, ParsedNode]] = []  # (基本施策 printed above it, item)
        self.glossary: list[GlossaryTerm] = []
        self.mode = "goal"  # goal → sdg → challenges → detail
        self.current: ParsedNode | None = None
        self.listed: ParsedNode | None = None  # the last 基本施策 read while in "goal" mode
        self.block: _Block | None = None

    # -- reading ---------------------------------------------------------------------------
    def feed(self, line: Line) -> None:
        text = strip_markup(line.text)
        if self.goal is None:
            if text:
                self.goal = ParsedNode(
                    title=join_title([text]), key="", level=0, source=self.source, line=line.number
                )
            return
        if policy := POLICY_LINE.match(text):
            self._policy_line(policy, line)
        elif heading := SUBHEADING.match(text):
            self._subheading(join_wide_spaces(heading.group(1)), line)
        elif text == GLOSSARY:
            self._start(_Block("glossary", self._node(), GLOSSARY, line.number))
        elif text == COLUMN:
            self._start(_Block("column", self._node(), COLUMN, line.number))
        elif self.block is not None:
            self.block.lines.append(line)
        elif text:
            self.report.add(
                "warning",
                f"text outside any heading ignored: {text[:40]}",
                source=self.source,
                line=line.number,
            )

    def _node(self) -> ParsedNode:
        assert self.goal is not None  # noqa: S101 - feed() sets it before any block
        return self.current or self.goal

    def _policy_line(self, match: re.Match[str], line: Line) -> None:
        number, title = int(match.group(2)), join_title([match.group(3)])
        self._flush()
        policy = self._policy(number, title, line)
        if match.group(1):  # "■基本施策N title" only appears under ■現況と課題
            self._start(_Block("challenge", policy, "現況と課題", line.number))
        elif self.mode == "sdg":
            self._start(_Block("sdg", policy, self.sdg_heading, line.number))
        elif self.mode in ("challenges", "detail"):
            self.mode, self.current = "detail", policy
        else:  # the list of 基本施策 — or a chapter that starts with the 基本施策 blocks
            self.listed = policy

    def _subheading(self, heading: str, line: Line) -> None:
        if self.mode == "goal" and self.listed and heading in POLICY_SECTIONS:
            self.mode, self.current = "detail", self.listed
        if "SDGs" in heading and self.mode == "goal":
            self._flush()
            self.mode, self.sdg_heading = "sdg", heading
        elif heading == "現況と課題" and self.mode in ("goal", "sdg"):
            self._flush()
            self.mode = "challenges"
        elif self.mode == "detail" and "成果指標" in heading:
            self._start(_Block("indicators", self._node(), heading, line.number))
        elif self.mode == "detail" and heading == "個別施策":
            self._start(_Block("items", self._node(), heading, line.number))
        else:
            self._start(_Block("section", self._node(), heading, line.number))

    def _policy(self, number: int, title: str, line: Line) -> ParsedNode:
        policy = self.policies.get(number)
        if policy is None:
            policy = ParsedNode(title=title, key="", level=1, source=self.source, line=line.number)
            self.policies[number] = policy
        elif title and policy.title and title != policy.title:
            self.report.add(
                "warning",
                f"基本施策{number} is titled {policy.title!r} and {title!r}; the first is kept",
                source=self.source,
                line=line.number,
            )
        policy.title = policy.title or title
        return policy

    def _start(self, block: _Block) -> None:
        self._flush()
        self.block = block

    def _flush(self) -> None:
        block, self.block = self.block, None
        if block is not None:
            getattr(self, f"_read_{block.kind}")(block)

    # -- blocks ----------------------------------------------------------------------------
    def _read_section(self, block: _Block) -> None:
        _add_section(block.node, block.heading, paragraphs(block.lines), block.line)

    def _read_sdg(self, block: _Block) -> None:
        lines = [line for line in block.lines if line.text.strip()]
        if lines and not lines[0].text.lstrip().startswith("-") and not block.node.title:
            block.node.title = join_title([lines[0].text])
        aims = [line for line in lines if line.text.lstrip().startswith("-")]
        block.node.sdg_goals.extend(
            int(number)
            for line in lines
            for number in SDG_NUMBER.findall(line.text)
            if 1 <= int(number) <= 17 and int(number) not in block.node.sdg_goals
        )
        _add_section(block.node, block.heading, paragraphs(aims), block.line)

    def _read_challenge(self, block: _Block) -> None:
        kept: list[Line] = []
        seen_text = False
        for line in block.lines:
            text = line.text.strip()
            if circled_number(text):
                seen_text = False
            elif text and seen_text and not text.endswith("。"):
                self.report.add(
                    "noise",
                    f"figure caption without its figure dropped: {text}",
                    source=self.source,
                    line=line.number,
                )
                continue
            elif text:
                seen_text = True
            kept.append(line)
        _add_section(block.node, block.heading, paragraphs(kept), block.line)

    def _read_column(self, block: _Block) -> None:
        kept = []
        for paragraph in _paragraph_lines(block.lines):
            if paragraph[0].text.strip().startswith("▲"):
                self.report.add(
                    "noise",
                    "figure credit without its figure dropped: "
                    + "".join(line.text.strip() for line in paragraph),
                    source=self.source,
                    line=paragraph[0].number,
                )
                continue
            kept.append(paragraph)
        title, text = kept[:1], kept[1:]  # a column starts with its own title line
        body = "\n\n".join(
            [paragraphs(p) for p in title] + _join_broken_paragraphs([paragraphs(p) for p in text])
        )
        _add_section(block.node, block.heading, body, block.line)

    def _read_glossary(self, block: _Block) -> None:
        for line in block.lines:
            text = join_wide_spaces(strip_markup(line.text))
            term, colon, definition = text.partition(":")
            if colon and term.strip():
                self.glossary.append(_glossary_term(term, definition, self.source, line.number))
            elif text and self.glossary:
                self.glossary[-1].definition += text
            elif text:
                self.report.add(
                    "warning",
                    f"用語解説 line without 'term: definition': {text}",
                    source=self.source,
                    line=line.number,
                )

    def _read_indicators(self, block: _Block) -> None:
        block.node.indicators.extend(_read_indicator_table(block.lines, self.source))

    def _read_items(self, block: _Block) -> None:
        policy_number = next(n for n, policy in self.policies.items() if policy is block.node)
        for item in _read_items(block.lines, self.source, self.report):
            self.items.append((policy_number, item))

    # -- assembling ------------------------------------------------------------------------
    def finish(self) -> ParsedNode:
        self._flush()
        if self.goal is None:
            raise ParseError(self.source, 0, "the title of a 基本目標", "an empty text")
        if not self.items:
            raise ParseError(self.source, 0, "個別施策 with 4-digit codes such as '1101 タイトル'")
        goal_code = Counter(item.code[0] for _, item in self.items).most_common(1)[0][0]
        self.goal.code = self.goal.key = goal_code
        for number, policy in self.policies.items():
            policy.code = policy.key = f"{goal_code}{number}"
        self.goal.children = [self.policies[number] for number in sorted(self.policies)]
        for printed_under, item in self.items:
            self._place(item, goal_code, printed_under)
        for policy in self.goal.children:
            policy.children.sort(key=lambda node: node.code)
            for index, indicator in enumerate(policy.indicators, 1):
                indicator.key = f"{policy.key}:{index}"
        return self.goal

    def _place(self, item: ParsedNode, goal_code: str, printed_under: int) -> None:
        """Put a 個別施策 under the 基本施策 its code names, warning when the text disagrees."""
        code_goal, code_policy = item.code[0], int(item.code[1])
        if code_goal != goal_code:
            self.report.add(
                "warning",
                f"個別施策 {item.code} belongs to 基本目標 {code_goal}, not "
                f"to this chapter's 基本目標 {goal_code}; skipped",
                source=self.source,
                line=item.line,
            )
            return
        if code_policy != printed_under:
            self.report.add(
                "warning",
                f"個別施策 {item.code} is printed under 基本施策"
                f"{printed_under} but its code places it in 基本施策{code_policy}",
                source=self.source,
                line=item.line,
            )
        parent = self.policies.get(code_policy)
        if parent is None:
            parent = self._policy(code_policy, "", Line(item.line, ""))
            parent.code = parent.key = f"{goal_code}{code_policy}"
            self.goal.children.append(parent)  # type: ignore[union-attr]
            self.goal.children.sort(key=lambda node: node.code)  # type: ignore[union-attr]
        if any(child.code == item.code for child in parent.children):
            self.report.add(
                "warning",
                f"個別施策 {item.code} is printed twice; the first is kept",
                source=self.source,
                line=item.line,
            )
            return
        parent.children.append(item)


def _add_section(node: ParsedNode, heading: str, body: str, line: int) -> None:
    """Append a section; text under the same heading printed twice continues the first one."""
    if not body:
        return
    for section in node.sections:
        if section.heading == heading:
            section.body += "\n\n" + body
            return
    node.sections.append(Section(heading=heading, body=body, line=line))


def _paragraph_lines(lines: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = [[]]
    for line in lines:
        if line.text.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _join_broken_paragraphs(texts: list[str]) -> list[str]:
    """A paragraph cut by a figure ends mid-sentence; the next paragraph continues it."""
    joined: list[str] = []
    for text in texts:
        if joined and not joined[-1].endswith(SENTENCE_END) and not text.startswith("参考"):
            joined[-1] += text
        else:
            joined.append(text)
    return joined


def _glossary_term(term: str, definition: str, source: str, line: int) -> GlossaryTerm:
    """ "QOL (キュー・オー・エル): …" → term "QOL", the reading kept before the definition."""
    term = term.strip()
    reading = re.fullmatch(r"(.+?)\s*\(([^)]*)\)", term)
    if reading:
        term = reading.group(1).strip()
        definition = f"({reading.group(2)}) {definition.strip()}"
    return GlossaryTerm(term=term, definition=definition.strip(), source=source, line=line)


@dataclass
class _Item:
    node: ParsedNode
    title_parts: list[str] = field(default_factory=list)
    actions: list[Line] = field(default_factory=list)  # one Line per numbered action


def _read_items(lines: list[Line], source: str, report: Report) -> list[ParsedNode]:
    """個別施策 from lines, tab cells or HTML cells: code, title (maybe broken), ①② actions."""
    items: list[_Item] = []
    for line in lines:
        text = strip_markup(line.text)
        if text.endswith(PRIORITY_LEGEND):
            if any("重点施策 mark" in issue.message for issue in report.issues):
                continue
            report.add(
                "warning",
                "the 重点施策 mark is an image missing from the text; "
                "no 個別施策 is marked as priority",
                source=source,
                line=line.number,
            )
            continue
        for cell in re.split(r"\t+", text):
            for piece in split_circled(strip_bullet(cell)):
                _read_item_piece(piece, line, items, source)
    return [_finish_item(item, report) for item in items]


def _read_item_piece(piece: str, line: Line, items: list[_Item], source: str) -> None:
    piece = strip_bullet(piece)
    if not piece:
        return
    if start := ITEM_START.match(piece):
        node = ParsedNode(
            title="",
            key=start.group(1),
            code=start.group(1),
            level=2,
            source=source,
            line=line.number,
        )
        items.append(_Item(node, [start.group(2) or ""]))
    elif not items:
        raise ParseError(source, line.number, "a 個別施策 code such as '1101' first", piece)
    elif circled_number(piece):
        items[-1].actions.append(Line(line.number, piece))
    elif items[-1].actions:
        last = items[-1].actions[-1]  # an action continued on the next line
        items[-1].actions[-1] = Line(last.number, last.text + piece)
    else:
        items[-1].title_parts.append(piece)


def _finish_item(item: _Item, report: Report) -> ParsedNode:
    node = item.node
    node.title = join_title(item.title_parts)
    if not node.title:
        report.add(
            "warning", f"個別施策 {node.code} has no title", source=node.source, line=node.line
        )
    actions = [Line(action.number, join_wide_spaces(action.text)) for action in item.actions]
    if actions:
        body = "\n".join(action.text for action in actions)
        node.sections.append(Section(ACTIONS_HEADING, body, actions[0].number))
    for action in actions:
        for code in RELISTED.findall(action.text):
            node.crossrefs.append(
                CrossRef(kind=CrossRefKind.RELISTED, target_code=code, line=action.number)
            )
    return node


def _read_indicator_table(lines: list[Line], source: str) -> list[ParsedIndicator]:
    """ "指標名<TAB>実績値（令和3年度）<TAB>将来値（令和9年度）" and one row per indicator."""
    rows = [line for line in lines if line.text.strip()]
    if not rows:
        return []
    header = _cells(rows[0].text)
    if len(header) < 3 or "指標" not in header[0]:
        raise ParseError(
            source,
            rows[0].number,
            "a header 指標名 / 実績値（年度） / 将来値（年度）",
            rows[0].text.strip(),
        )
    baseline_year, target_year = parse_fiscal_year(header[1]), parse_fiscal_year(header[2])
    indicators = []
    for row in rows[1:]:
        cells = _cells(row.text)
        if len(cells) != 3 or not all(cells):
            raise ParseError(
                source, row.number, "an indicator row: name, 実績値 and 将来値", row.text.strip()
            )
        name = join_wide_spaces(strip_markup(cells[0]))
        baseline, target = parse_value(cells[1]), parse_value(cells[2])
        indicators.append(
            ParsedIndicator(
                name=name,
                key="",  # numbered per 基本施策 once the chapter is read
                unit=target.unit or baseline.unit,
                baseline=baseline,
                baseline_year=baseline.fiscal_year or baseline_year,
                target=target,
                target_year=target.fiscal_year or target_year,
                comparator=target.comparator,
                cumulative="累計" in name,
                source=source,
                line=row.number,
            )
        )
    return indicators


def _cells(text: str) -> list[str]:
    """Tab-separated cells; a row whose tabs were lost still ends with its two values."""
    cells = [cell.strip() for cell in text.strip().split("\t")]
    if len(cells) < 3:
        cells = text.strip().rsplit(None, 2)
    return cells
