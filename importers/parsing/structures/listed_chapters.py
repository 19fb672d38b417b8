"""第N章 chapters whose blocks follow the chapter's own list: 分野 → 施策大項目 → 施策中項目.

The sample honjo.txt (後期基本計画, 第5章 … 第7章, with a 政策連携プラン chapter) prints it.

The text is a PDF extraction. Each 分野 chapter ("第5章 市民生活分野" → code "5") opens with a
slogan, speech-bubble captions and the numbered list 「施策大項目と関連するSDGs」; then one
block per 施策大項目 (code "5-1"): its title line (often lost in the extraction), めざす姿, the
成果指標 table, the chart area 数値で見る状況, 現況と課題 with the 施策に係る市民満足度 box,
取組内容(施策中項目) ("1. 名称" → code "5-1-1", its bullets as body) and 協働による取組.
Blocks are found by their めざす姿 heading and follow the list's order; a printed title anchors
its block to the list, a missing title is recovered from the list and reported.

Choices made for content that has no heading of its own (all reported where content is lost):
- the chapter slogan becomes the section "めざすまちの姿", the speech bubbles (each joined back
  into one sentence) the section "市民の声";
- 数値で見る状況 is an image area: 出典 and ▲ photo captions are dropped as "noise", a note
  explaining a chart is a warning, a framed "- 見出し -" box is kept as a section;
- the survey item and percentage of 施策に係る市民満足度 form their own section; the 現況と課題
  bullets printed after the box stay in 現況と課題;
- 第7章's plans become CROSS_CUTTING roots (key "plan-link-N", no code, level 0; their label is
  ``CROSS_CUTTING_LABEL``, as ``PlanNode.level_label`` says for cross-cutting nodes). The plan's
  subtitle (〜…〜) heads its introduction, each ▶ measure is a section listing its 施策大項目,
  and every referenced 施策大項目 is a POLICY_LINK CrossRef (code + title, once per plan).
  References outside this file stay unresolved; the chapter's own prose is reported.
- Footnote marks (*, ※, [*]) are kept in body text but dropped from titles and KPI names: this
  file has no 用語解説 to link them to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers.parsing.errors import ParseError
from importers.parsing.model import (
    Comparator,
    CrossRef,
    CrossRefKind,
    Line,
    NodeKind,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Report,
    Section,
)
from importers.parsing.text import guess_municipality
from importers.parsing.values import parse_fiscal_year, parse_value, split_name_definition
from importers.parsing.vocabulary import STRUCTURE_LEVELS

NAME = "listed_chapters"
LEVEL_NAMES = list(STRUCTURE_LEVELS[NAME])
# Cross-cutting plans are roots (level 0) but are not 分野: their label is this one.


CHAPTER = re.compile(r"^第\s*(\d+)\s*章\s*(\S.*)$")
NUMBERED = re.compile(r"^(\d+)\s*\.\s*(\S.*)$")
REFERENCE = re.compile(r"^(\d+-\d+)\s*(\S.*)$")
FRAMED_HEADING = re.compile(r"^-\s*(\S.*?)\s*-$")  # "- 基本協定の概要 -"
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%$")
FOOTNOTE_MARKS = re.compile(r"\s*(?:\[\*\]|[*※]+)")
JAPANESE_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
TILDES = "～〜~"

MAJOR_LIST_HEADING = "施策大項目と関連するSDGs"
MEZASU = "めざす姿"
ISSUES = "現況と課題"
SATISFACTION = "施策に係る市民満足度"
CHARTS = "数値で見る状況"
ACTIONS = "取組内容"
COLLABORATION = "協働による取組"
VISION_SECTION = "めざすまちの姿"  # the chapter's slogan (not printed as a heading)
VOICES_SECTION = "市民の声"  # the chapter's speech bubbles (not printed as a heading)
LINK_CHAPTER = "政策連携プラン"
LINK_ACTIONS = "推進のための取組"
LINK_REFERENCES = "施策大項目"
LINK_TARGETS = "総合戦略における数値目標の設定項目"
KPI_ROW = "a 成果指標 row '指標名<TAB>現状値 ▶▶<TAB>目標値'"


@dataclass
class _Chapter:
    number: str
    title: str
    line: int
    lines: list[Line]  # the lines after the heading, stripped


@dataclass
class _Context:
    source: str
    report: Report
    years_reported: bool = False

    def warn(self, message: str, line: int) -> None:
        self.report.add("warning", message, source=self.source, line=line)

    def noise(self, text: str, line: int) -> None:
        self.report.add(
            "noise",
            f"caption without content dropped: {text}",
            source=self.source,
            line=line,
            original=text,
        )


@dataclass
class _Segment:
    """A heading line and the lines up to the next heading of a 施策大項目 block."""

    kind: str
    heading: Line
    lines: list[Line] = field(default_factory=list)


# --------------------------------------------------------------------------- detection


def matches(lines: list[Line]) -> bool:
    """Chapters 第N章 with what ``parse`` needs: a 施策大項目 list or a 政策連携プラン chapter."""
    chapters = [CHAPTER.match(line.text.strip()) for line in lines]
    titles = [found.group(2) for found in chapters if found]
    has_major_list = any(line.text.strip() == MAJOR_LIST_HEADING for line in lines)
    return bool(titles) and (has_major_list or any(LINK_CHAPTER in title for title in titles))


# --------------------------------------------------------------------------- entry point


def parse(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    ctx = _Context(source, report)
    chapters = _split_chapters(lines, source)
    fields: list[ParsedNode] = []
    links: list[ParsedNode] = []
    for chapter in chapters:
        if LINK_CHAPTER in chapter.title:
            links.extend(_parse_link_chapter(chapter, ctx))
        else:
            fields.append(_parse_field_chapter(chapter, ctx))
    _check_references(fields, links, ctx)
    return ParsedPlan(
        municipality=guess_municipality(lines),
        title="",
        level_names=list(LEVEL_NAMES),
        nodes=fields + links,
        layout=NAME,
        sources=[source],
        report=report,
    )


def _split_chapters(lines: list[Line], source: str) -> list[_Chapter]:
    chapters: list[_Chapter] = []
    for line in lines:
        text = line.text.strip()
        found = CHAPTER.match(text)
        if found:
            title = _compact(found.group(2))
            chapters.append(_Chapter(found.group(1), title, line.number, []))
        elif chapters:
            chapters[-1].lines.append(Line(line.number, text))
        elif text:
            raise ParseError(source, line.number, "a chapter heading '第N章 …分野'", text)
    if not chapters:
        raise ParseError(source, lines[-1].number if lines else 0, "a chapter heading '第N章 …'")
    return chapters


# --------------------------------------------------------------------------- text helpers


def _compact(text: str) -> str:
    """Remove the spaces the PDF extraction left between Japanese words of a title."""
    return re.sub(r"\s+", "", text)


def _clean_name(text: str) -> str:
    """A title or KPI name without dangling footnote marks (the file has no 用語解説)."""
    return JAPANESE_GAP.sub("", FOOTNOTE_MARKS.sub("", text)).strip()


def _join(left: str, right: str) -> str:
    """Join a line broken by the extraction: no space between Japanese text."""
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = [[]]
    for line in lines:
        if line.text:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _render(lines: list[Line]) -> str:
    """Plain body text: paragraphs separated by a blank line, bullets one per line.

    A line that follows another without a blank line and is not a bullet continues it
    (a line broken by the extraction); a bullet starts a new line, never a new paragraph.
    """
    items: list[tuple[bool, str]] = []
    previous_blank = True
    for line in lines:
        text = line.text
        if not text:
            previous_blank = True
            continue
        bullet = text.startswith("- ")
        if items and not bullet and not previous_blank:
            items[-1] = (items[-1][0], _join(items[-1][1], text))
        else:
            items.append((bullet, text))
        previous_blank = False
    body = ""
    for index, (bullet, text) in enumerate(items):
        if index:
            body += "\n" if bullet else "\n\n"
        body += text
    return body


def _first_text(lines: list[Line]) -> Line | None:
    return next((line for line in lines if line.text), None)


# --------------------------------------------------------------------------- 分野 chapters


def _parse_field_chapter(chapter: _Chapter, ctx: _Context) -> ParsedNode:
    node = ParsedNode(
        title=chapter.title,
        key=chapter.number,
        code=chapter.number,
        level=0,
        source=ctx.source,
        line=chapter.line,
    )
    lines = chapter.lines
    list_at = next((i for i, line in enumerate(lines) if line.text == MAJOR_LIST_HEADING), None)
    if list_at is None:
        raise ParseError(ctx.source, chapter.line, f"the list 「{MAJOR_LIST_HEADING}」 of chapter")
    node.sections = _chapter_intro(lines[:list_at])
    listed, body_at = _read_numbered_list(lines, list_at + 1)
    if not listed:
        raise ParseError(ctx.source, lines[list_at].number, "numbered 施策大項目 '1. 名称'")
    ctx.warn(
        f"第{chapter.number}章: the SDG icons of 「{MAJOR_LIST_HEADING}」 are not in the text; "
        "sdg_goals left empty",
        lines[list_at].number,
    )
    for start, end, title_line, index in _major_blocks(lines, body_at, listed, ctx):
        number, title, list_line = listed[index]
        major = ParsedNode(
            title=title,
            key=f"{chapter.number}-{number}",
            code=f"{chapter.number}-{number}",
            level=1,
            source=ctx.source,
            line=title_line.number if title_line else lines[start].number,
        )
        if title_line is None:
            ctx.warn(
                f"title of 施策大項目 {major.code} missing before 「{MEZASU}」; recovered "
                f"「{title}」 from the chapter's list (line {list_line.number})",
                lines[start].number,
            )
        _parse_major_block(major, lines[start:end], ctx)
        node.children.append(major)
    return node


def _chapter_intro(lines: list[Line]) -> list[Section]:
    """The slogan (first paragraph) and the speech-bubble captions after it."""
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        return []
    slogan = paragraphs[0]
    sections = [Section(VISION_SECTION, _render(slogan), slogan[0].number)]
    if paragraphs[1:]:
        bubbles = "\n".join("- " + _render(bubble) for bubble in paragraphs[1:])
        sections.append(Section(VOICES_SECTION, bubbles, paragraphs[1][0].number))
    return sections


def _read_numbered_list(lines: list[Line], start: int) -> tuple[list[tuple[str, str, Line]], int]:
    """The run of '1. 名称' lines (blank lines between allowed); returns it and where it ends."""
    items: list[tuple[str, str, Line]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        found = NUMBERED.match(line.text)
        if line.text and not found:
            break
        if found:
            items.append((found.group(1), _clean_name(_compact(found.group(2))), line))
        index += 1
    return items, index


def _major_blocks(
    lines: list[Line], body_at: int, listed: list[tuple[str, str, Line]], ctx: _Context
) -> list[tuple[int, int, Line | None, int]]:
    """(start, end, title line or None, index in the list) of each 施策大項目 block.

    Blocks follow the list's order. A printed title anchors its block to that list entry
    (so a block missing from the text does not shift the others); a block without a title
    takes the next entry.
    """
    titles = [title for _, title, _ in listed]
    blocks: list[tuple[int, Line | None, int]] = []
    expected = 0
    for start in (i for i in range(body_at, len(lines)) if lines[i].text == MEZASU):
        before = start - 1
        while before >= body_at and not lines[before].text:
            before -= 1
        printed = _compact(lines[before].text) if before >= body_at else ""
        if printed in titles[expected:]:
            expected = titles.index(printed, expected)
            blocks.append((before, lines[before], expected))
        elif expected < len(listed):
            blocks.append((start, None, expected))
        else:
            raise ParseError(
                ctx.source, lines[start].number, f"at most {len(listed)} 施策大項目 as listed"
            )
        expected += 1
    found = {index for _, _, index in blocks}
    for index, (_, title, list_line) in enumerate(listed):
        if index not in found:
            ctx.warn(
                f"施策大項目 「{title}」 is listed but has no 「{MEZASU}」 block", list_line.number
            )
    ends = [start for start, _, _ in blocks[1:]] + [len(lines)] * bool(blocks)
    return [
        (start, end, title, index) for (start, title, index), end in zip(blocks, ends, strict=True)
    ]


# --------------------------------------------------------------------------- 施策大項目 blocks


def _segments(lines: list[Line]) -> list[_Segment]:
    """Split a block at its headings; the first segment starts at the title or めざす姿."""
    segments = [_Segment(_heading_kind(lines[0].text) or "start", lines[0])]
    for line in lines[1:]:
        kind = _heading_kind(line.text)
        if kind:
            segments.append(_Segment(kind, line))
        else:
            segments[-1].lines.append(line)
    return segments


def _heading_kind(text: str) -> str:
    if text == MEZASU:
        return "mezasu"
    if text.startswith("成果指標") and "現状値" in text:
        return "kpi"
    if text == CHARTS:
        return "charts"
    if text == ISSUES:
        return "issues"
    if text.startswith(SATISFACTION):
        return "satisfaction"
    if text.startswith(ACTIONS):
        return "actions"
    if text == COLLABORATION:
        return "collaboration"
    return ""


def _parse_major_block(major: ParsedNode, lines: list[Line], ctx: _Context) -> None:
    issues: Section | None = None
    for segment in _segments(lines):
        content = _drop_captions(segment.lines, ctx)
        if segment.kind == "start":
            _warn_unassigned(content, major, ctx)
        elif segment.kind in ("mezasu", "collaboration"):
            heading = segment.heading.text
            major.sections.append(Section(heading, _render(content), segment.heading.number))
        elif segment.kind == "issues":
            issues = Section(ISSUES, _render(content), segment.heading.number)
            major.sections.append(issues)
        elif segment.kind == "satisfaction":
            section, rest = _satisfaction(segment, ctx)
            major.sections.append(section)
            issues = _continue_issues(issues, rest, major, ctx)
        elif segment.kind == "kpi":
            major.indicators.extend(_indicators(major, segment, ctx))
        elif segment.kind == "charts":
            major.sections.extend(_chart_area(content, ctx))
        elif segment.kind == "actions":
            major.children.extend(_actions(major, content, ctx))


def _drop_captions(lines: list[Line], ctx: _Context) -> list[Line]:
    """Photo captions '▲ …' carry no content of their own: dropped and reported as noise."""
    kept = []
    for line in lines:
        if line.text.startswith("▲"):
            ctx.noise(line.text, line.number)
        else:
            kept.append(line)
    return kept


def _warn_unassigned(lines: list[Line], major: ParsedNode, ctx: _Context) -> None:
    for paragraph in _paragraphs(lines):
        ctx.warn(
            f"text under 施策大項目 {major.code} outside any section dropped: {_render(paragraph)}",
            paragraph[0].number,
        )


def _continue_issues(
    issues: Section | None, rest: list[Line], major: ParsedNode, ctx: _Context
) -> Section | None:
    """The 現況と課題 bullets printed after the 市民満足度 box belong to 現況と課題."""
    if not any(line.text for line in rest):
        return issues
    if issues is None:
        _warn_unassigned(rest, major, ctx)
        return None
    text = _render(rest)
    issues.body = f"{issues.body}\n{text}" if issues.body else text
    return issues


def _satisfaction(segment: _Segment, ctx: _Context) -> tuple[Section, list[Line]]:
    """The survey item and its percentage; returns the section and the lines after it."""
    pieces: list[str] = []
    remainder = segment.heading.text[len(SATISFACTION) :].strip()
    candidates = [Line(segment.heading.number, remainder), *segment.lines]
    for index, line in enumerate(candidates):
        text = line.text.replace("**", "").strip()
        if not text:
            continue
        if text.startswith("- "):
            break
        found = PERCENT.search(text)
        if found:
            item = _join("".join(pieces), text[: found.start()].strip()) if pieces else ""
            item = item or text[: found.start()].strip()
            body = f"{item} {found.group(1)}%"
            return Section(SATISFACTION, body, segment.heading.number), candidates[index + 1 :]
        pieces.append(text)
    ctx.warn(f"{SATISFACTION} without a percentage", segment.heading.number)
    rest = candidates[len(pieces) + 1 :]
    return Section(SATISFACTION, "".join(pieces), segment.heading.number), rest


# --------------------------------------------------------------------------- 成果指標


def _indicators(major: ParsedNode, segment: _Segment, ctx: _Context) -> list[ParsedIndicator]:
    """The rows under '成果指標<TAB>現状値<TAB>目標値', up to the first blank line."""
    years = _column_years(segment.heading, ctx)
    indicators: list[ParsedIndicator] = []
    rows = segment.lines
    index = 0
    while index < len(rows) and rows[index].text:
        indicators.append(_indicator(major, rows[index], years, ctx))
        index += 1
    if not indicators:
        raise ParseError(ctx.source, segment.heading.number + 1, KPI_ROW, "no row")
    _warn_unassigned(rows[index:], major, ctx)
    return indicators


def _column_years(header: Line, ctx: _Context) -> tuple[int | None, int | None]:
    """Fiscal years named in the 現状値/目標値 headers; a missing year is reported once."""
    cells = header.text.split("\t")
    if len(cells) != 3:
        raise ParseError(ctx.source, header.number, "the header '成果指標<TAB>現状値<TAB>目標値'")
    years = (parse_fiscal_year(cells[1]), parse_fiscal_year(cells[2]))
    if None in years and not ctx.years_reported:
        ctx.years_reported = True
        ctx.warn(
            f"the 成果指標 header '{header.text.replace(chr(9), ' | ')}' names no fiscal year: "
            "baseline and target "
            "years are left empty",
            header.number,
        )
    return years


def _indicator(
    major: ParsedNode, row: Line, years: tuple[int | None, int | None], ctx: _Context
) -> ParsedIndicator:
    cells = [cell.strip() for cell in row.text.split("\t")]
    if len(cells) != 3 or not all(cells):
        raise ParseError(ctx.source, row.number, KPI_ROW, row.text)
    raw_name, definition = split_name_definition(cells[0])
    name = _clean_name(raw_name)
    baseline, target = parse_value(cells[1]), parse_value(cells[2])
    for value in (baseline, target):
        if value.value is None and value.note:
            ctx.warn(
                f"成果指標 {name}: value without a number kept as text: {value.raw}", row.number
            )
    comparator = target.comparator
    if comparator == Comparator.NONE and baseline.comparator != Comparator.NONE:
        comparator = baseline.comparator
    return ParsedIndicator(
        name=name,
        key=f"{major.key}:{name}",
        definition=definition,
        unit=target.unit or baseline.unit,
        baseline=baseline,
        baseline_year=years[0],
        target=target,
        target_year=years[1],
        comparator=comparator,
        source=ctx.source,
        line=row.number,
    )


# --------------------------------------------------------------------------- 数値で見る状況


def _chart_area(lines: list[Line], ctx: _Context) -> list[Section]:
    """Charts are images: their captions are dropped; a framed '- 見出し -' box is kept.

    Source lines (出典) are noise; a footnote explaining a chart ('* …') is content that is
    lost with the chart, so it is reported as a warning.
    """
    sections: list[Section] = []
    for index, line in enumerate(lines):
        framed = FRAMED_HEADING.match(line.text)
        if framed:
            body = _render(lines[index + 1 :])
            sections.append(Section(framed.group(1), body, line.number))
            return sections
        if line.text.startswith("出典"):
            ctx.noise(line.text, line.number)
        elif line.text.startswith(("*", "※")):
            ctx.warn(f"note on a chart of {CHARTS} lost with the chart: {line.text}", line.number)
        elif line.text and not _is_caption_continuation(lines, index):
            ctx.warn(f"text in {CHARTS} dropped: {line.text}", line.number)
        elif line.text:
            ctx.noise(line.text, line.number)
    return sections


def _is_caption_continuation(lines: list[Line], index: int) -> bool:
    """A line directly below a 出典 caption (no blank line between) continues it."""
    while index > 0 and lines[index - 1].text:
        index -= 1
        if lines[index].text.startswith("出典"):
            return True
    return False


# --------------------------------------------------------------------------- 施策中項目


def _actions(major: ParsedNode, lines: list[Line], ctx: _Context) -> list[ParsedNode]:
    """'1. 名称' starts a 施策中項目; the bullets after it are its 取組内容."""
    children: list[ParsedNode] = []
    bodies: list[list[Line]] = []
    for line in lines:
        found = NUMBERED.match(line.text)
        if found:
            children.append(_action_node(major, found, line, len(children) + 1, ctx))
            bodies.append([])
        elif bodies:
            bodies[-1].append(line)
        elif line.text:
            _warn_unassigned([line], major, ctx)
    for child, body in zip(children, bodies, strict=True):
        child.sections.append(Section(ACTIONS, _render(body), child.line))
    return children


def _action_node(
    major: ParsedNode, found: re.Match[str], line: Line, expected: int, ctx: _Context
) -> ParsedNode:
    number = found.group(1)
    if int(number) != expected:
        ctx.warn(f"施策中項目 of {major.code} numbered {number}, expected {expected}", line.number)
    code = f"{major.code}-{number}"
    return ParsedNode(
        title=_clean_name(_compact(found.group(2))),
        key=code,
        code=code,
        level=2,
        source=ctx.source,
        line=line.number,
    )


# --------------------------------------------------------------------------- 政策連携プラン


def _parse_link_chapter(chapter: _Chapter, ctx: _Context) -> list[ParsedNode]:
    lines = chapter.lines
    first = next((i for i, line in enumerate(lines) if line.text), len(lines))
    listed, after_list = _read_numbered_list(lines, first)
    if not listed:
        raise ParseError(ctx.source, chapter.line, "the numbered list of 政策連携プラン")
    heads = _link_headings(lines, after_list, len(listed))
    if len(heads) != len(listed):
        where = lines[heads[-1]].number if heads else chapter.line
        raise ParseError(
            ctx.source, where, f"{len(listed)} plan headings '1. …プラン' as listed", ""
        )
    _warn_unattached(lines[after_list : heads[0]], "introduction of 第7章", ctx)
    plans = []
    ends = heads[1:] + [len(lines)]
    for index, (start, end) in enumerate(zip(heads, ends, strict=True)):
        plan = _link_plan(index + 1, lines[start:end], listed[index], ctx)
        plans.append(plan)
    return plans


def _link_headings(lines: list[Line], start: int, count: int) -> list[int]:
    """Indexes of the headings '1. …プラン', numbered 1, 2, … in order."""
    heads: list[int] = []
    for index in range(start, len(lines)):
        found = NUMBERED.match(lines[index].text)
        if found and int(found.group(1)) == len(heads) + 1 and "プラン" in found.group(2):
            heads.append(index)
            if len(heads) == count:
                break
    return heads


def _warn_unattached(lines: list[Line], what: str, ctx: _Context) -> None:
    paragraphs = _paragraphs(lines)
    if paragraphs:
        first, last = paragraphs[0][0].number, paragraphs[-1][-1].number
        ctx.warn(f"{what} (lines {first}–{last}) is not attached to any node", first)


def _split_subtitle(heading: str, following: Line | None) -> tuple[str, str, bool]:
    """'名称～副題～' or '名称' with '～副題～' on the next line: (name, subtitle, used next)."""
    for tilde in TILDES:
        if tilde in heading:
            name, _, subtitle = heading.partition(tilde)
            return name.strip(), subtitle.strip(TILDES + " "), False
    if following is not None and following.text[:1] in TILDES:
        return heading.strip(), following.text.strip(TILDES + " "), True
    return heading.strip(), "", False


def _link_plan(
    number: int, lines: list[Line], listed: tuple[str, str, Line], ctx: _Context
) -> ParsedNode:
    heading = lines[0]
    found = NUMBERED.match(heading.text)
    if found is None:  # _link_headings only returns numbered lines
        raise ParseError(ctx.source, heading.number, "a plan heading '1. …プラン'", heading.text)
    following = _first_text(lines[1:])
    name, subtitle, used_next = _split_subtitle(found.group(2), following)
    title = _clean_name(_compact(name))
    if title != listed[1]:
        ctx.warn(
            f"政策連携プラン {number}: the list (line {listed[2].number}) says 「{listed[1]}」, "
            f"the heading says 「{title}」; the heading is used",
            heading.number,
        )
    plan = ParsedNode(
        title=title,
        key=f"plan-link-{number}",
        level=0,
        kind=NodeKind.CROSS_CUTTING,
        source=ctx.source,
        line=heading.number,
    )
    body = lines[1:]
    if used_next and following is not None:
        body = [line for line in body if line.number != following.number]
    _link_plan_body(plan, subtitle, body, ctx)
    return plan


def _link_plan_body(plan: ParsedNode, subtitle: str, lines: list[Line], ctx: _Context) -> None:
    """Intro, then ▶ measures with their 施策大項目 references, then 数値目標 items."""
    current = Section(subtitle or "概要", "", lines[0].number if lines else plan.line)
    parts: list[Line] = []
    in_references = False
    sections: list[tuple[Section, list[Line]]] = [(current, parts)]
    for line in lines:
        text = line.text
        if text == LINK_ACTIONS:
            continue
        if text.startswith("▶"):
            parts = []
            in_references = False
            sections.append((Section(text.lstrip("▶ ").strip(), "", line.number), parts))
        elif text == LINK_TARGETS:
            parts = []
            in_references = False
            sections.append((Section(LINK_TARGETS, "", line.number), parts))
        elif text == LINK_REFERENCES and sections[-1][0].heading != LINK_TARGETS:
            in_references = True
            parts.extend([Line(line.number, ""), line])
        elif in_references and text:
            _reference_line(plan, line, parts, ctx)
        else:
            parts.append(line)
    _finish_link_sections(plan, sections, ctx)


def _reference_line(plan: ParsedNode, line: Line, parts: list[Line], ctx: _Context) -> None:
    """'2-1 名称' is a reference; a line right below it continues its title."""
    found = REFERENCE.match(line.text)
    if found:
        code, title = found.group(1), _clean_name(_compact(found.group(2)))
        parts.append(Line(line.number, f"- {code} {title}"))
        if all(ref.target_code != code for ref in plan.crossrefs):
            plan.crossrefs.append(CrossRef(CrossRefKind.POLICY_LINK, code, title, line.number))
        return
    previous = parts[-1] if parts else None
    if (
        previous is not None
        and previous.text.startswith("- ")
        and previous.number == line.number - 1
    ):
        continued = _clean_name(_compact(line.text))
        parts[-1] = Line(previous.number, previous.text + continued)
        code = previous.text[2:].split(" ", 1)[0]
        for ref in plan.crossrefs:
            if ref.target_code == code and ref.line == previous.number:
                ref.target_title += continued
        return
    ctx.warn(f"expected a 施策大項目 reference '2-1 名称' in {plan.title}", line.number)
    parts.append(line)


def _finish_link_sections(
    plan: ParsedNode, sections: list[tuple[Section, list[Line]]], ctx: _Context
) -> None:
    for section, parts in sections:
        if section.heading == LINK_TARGETS:
            parts = _targets_only(plan, parts, ctx)
        section.body = _render(parts)
        if section.body:
            plan.sections.append(section)


def _targets_only(plan: ParsedNode, parts: list[Line], ctx: _Context) -> list[Line]:
    """The 数値目標 items are bullets; a paragraph after them (the chapter's closing note after
    the last plan) is not the plan's and is reported."""
    paragraphs = _paragraphs(parts)
    kept = [line for p in paragraphs if p[0].text.startswith("- ") for line in p]
    tail = [line for p in paragraphs if not p[0].text.startswith("- ") for line in p]
    _warn_unattached(tail, f"text after the 数値目標 items of {plan.title}", ctx)
    return kept


def _check_references(fields: list[ParsedNode], links: list[ParsedNode], ctx: _Context) -> None:
    """A reference to a 施策大項目 of this file must name it as the 施策大項目 itself does."""
    titles = {major.code: major.title for field_node in fields for major in field_node.children}
    for plan in links:
        for ref in plan.crossrefs:
            title = titles.get(ref.target_code)
            if title is not None and title != ref.target_title:
                ctx.warn(
                    f"{plan.title} refers to {ref.target_code} 「{ref.target_title}」, "
                    f"but {ref.target_code} is 「{title}」",
                    ref.line,
                )
