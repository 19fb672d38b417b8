"""清瀬市 基本計画: 将来像 → 基本目標.

The text is a sequence of

    将来像1 「子どもも大人も学びあい育ちあう」 きよせ
    [基本目標 11] 子どもの成長を支える社会の構築      (or 【基本目標31】 …)
    <explanatory paragraphs>
    ※<definition of a term marked in the paragraphs above>

Levels: ``["将来像", "基本目標"]``. A 将来像 has the code "1".."4"; a 基本目標 a two-digit
code whose first digit names its 将来像 — the code decides the parent, and a 基本目標 printed
under another 将来像 is reported as a warning. The paragraphs become one section without a
heading (the text prints none). A ``※`` note becomes a GlossaryTerm: the term is the word
just before the n-th footnote mark (``*``, ``^{*}``, ``[※]``, ``[*]``, ``※``) of the 基本目標
(title first, then paragraphs); the mark stays in the title and body, written ``※``, so that it
can link to the glossary. No KPIs are printed in this layout.

The municipality is the city the text names ("…清瀬市の特色"); the text names no plan title, so
the title is left to the importer.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..model import GlossaryTerm, Line, ParsedNode, ParsedPlan, Report, Section
from .common import guess_municipality

NAME = "kiyose"
LEVEL_NAMES = ["将来像", "基本目標"]
MUNICIPALITY = "清瀬市"  # the city whose plan prints this layout, when the text names none

VISION_RE = re.compile(r"^将来像\s*(\d+)\s*(.+)$")
GOAL_RE = re.compile(r"^[\[【]\s*基本目標\s*(\d{2})\s*[\]】]\s*(.+)$")
CHAPTER_RE = re.compile(r"^\d+\s*基本目標$")
NOTE_RE = re.compile(r"^(?:※|\[※\]|\[\*\]|\*)\s*(.+)$")
# A footnote mark directly after a word: 健幸*, シビックプライド^{*}, コンパクトシティ[※].
MARK_RE = re.compile(r"(?<=[^\s「『(（])(?:\^\{\*\}|\[※\]|\[\*\]|※|\*)")
# The term before a mark: one run of katakana, of kanji, or of Latin letters and digits.
TERM_RE = re.compile(r"(?:[ァ-ヴー・]+|[一-龯々]+|[A-Za-z0-9]+)$")
SPACE_BY_BRACKET_RE = re.compile(r"\s*([「」『』])\s*")


def matches(lines: list[Line]) -> bool:
    """A 将来像 heading and a bracketed 基本目標 code."""
    texts = [line.text for line in lines]
    return any(VISION_RE.match(t) for t in texts) and any(GOAL_RE.match(t) for t in texts)


def parse(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    visions: dict[str, ParsedNode] = {}
    current_vision: ParsedNode | None = None
    block: list[Line] = []  # the lines after the last heading
    owner: ParsedNode | None = None  # the node that owns ``block``
    printed_title = ""  # the owner's title as printed, footnote marks included
    glossary: list[GlossaryTerm] = []

    for line in lines:
        text = line.text.strip()
        vision = VISION_RE.match(text)
        goal = GOAL_RE.match(text)
        if not (vision or goal):
            if owner is not None:
                block.append(line)
            elif text and not CHAPTER_RE.match(text):
                report.add(
                    "warning",
                    f"text before the first 将来像 ignored: {text}",
                    source=source,
                    line=line.number,
                )
            continue
        if owner is not None:
            _attach_block(owner, printed_title, block, source, report, glossary)
        block = []
        printed_title = (vision or goal).group(2)
        if vision:
            current_vision = _vision_node(vision, line, source, report, visions)
            owner = current_vision
        else:
            owner = _goal_node(goal, line, source, report, visions, current_vision)
    if owner is not None:
        _attach_block(owner, printed_title, block, source, report, glossary)
    if not visions:
        raise ParseError(source, 1, expected="将来像N headings followed by [基本目標 NN] headings")
    return ParsedPlan(
        municipality=guess_municipality(lines) or MUNICIPALITY,
        title="",
        level_names=list(LEVEL_NAMES),
        nodes=list(visions.values()),
        glossary=glossary,
        layout=NAME,
        sources=[source],
        report=report,
    )


def _vision_node(match, line, source, report, visions) -> ParsedNode:
    code = match.group(1)
    if code in visions:
        raise ParseError(source, line.number, expected=f"将来像{code} only once", found=line.text)
    node = ParsedNode(
        title=_clean_title(match.group(2), line, source, report),
        key=code,
        level=0,
        code=code,
        source=source,
        line=line.number,
    )
    visions[code] = node
    return node


def _goal_node(match, line, source, report, visions, current_vision) -> ParsedNode:
    """A 基本目標 goes under the 将来像 its code names (11 → 将来像1)."""
    code = match.group(1)
    parent = visions.get(code[0])
    if parent is None:
        raise ParseError(
            source, line.number, expected=f"将来像{code[0]} before 基本目標{code}", found=line.text
        )
    if parent is not current_vision:
        printed = current_vision.code if current_vision else "none"
        report.add(
            "warning",
            f"基本目標{code} is printed under 将来像{printed}; placed under "
            f"将来像{parent.code} by its code",
            source=source,
            line=line.number,
        )
    if any(child.code == code for child in parent.children):
        report.add("warning", f"基本目標{code} appears twice", source=source, line=line.number)
    node = ParsedNode(
        title=_clean_title(match.group(2), line, source, report),
        key=code,
        level=1,
        code=code,
        source=source,
        line=line.number,
    )
    parent.children.append(node)
    return node


def _clean_title(text: str, line: Line, source: str, report: Report) -> str:
    """Footnote marks as ※; no spaces the PDF left around 「」."""
    return SPACE_BY_BRACKET_RE.sub(r"\1", _unify_marks(text, line.number, source, report)).strip()


def _unify_marks(text: str, number: int, source: str, report: Report) -> str:
    """Every footnote mark written as ※, each change reported."""
    for mark in MARK_RE.finditer(text):
        if mark.group(0) != "※":
            report.add(
                "normalization",
                f"footnote mark {mark.group(0)} written as ※",
                source=source,
                line=number,
                original=mark.group(0),
                replacement="※",
            )
    return MARK_RE.sub("※", text)


def _attach_block(node, printed_title, block, source, report, glossary) -> None:
    """Paragraphs become the node's section; ※ notes become glossary terms."""
    paragraphs: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    for number, text in _paragraphs(block):
        note = NOTE_RE.match(text)
        (notes if note else paragraphs).append((number, note.group(1) if note else text))
    marked_terms = _marked_terms([printed_title] + [text for _, text in paragraphs])
    for index, (number, definition) in enumerate(notes):
        if index >= len(marked_terms):
            report.add(
                "warning",
                f"※ note without a footnote mark in its text: {definition}",
                source=source,
                line=number,
            )
            paragraphs.append((number, "※" + definition))
            continue
        glossary.append(
            GlossaryTerm(
                term=marked_terms[index], definition=definition, source=source, line=number
            )
        )
    if len(marked_terms) > len(notes):
        report.add(
            "warning",
            f"footnote marks without a ※ note: {marked_terms[len(notes) :]}",
            source=source,
            line=node.line,
        )
    if paragraphs:
        body = "\n\n".join(_unify_marks(text, n, source, report) for n, text in paragraphs)
        node.sections.append(Section(heading="", body=body, line=paragraphs[0][0]))


def _marked_terms(texts: list[str]) -> list[str]:
    """The words carrying a footnote mark, in reading order."""
    terms = []
    for text in texts:
        for mark in MARK_RE.finditer(text):
            term = TERM_RE.search(text[: mark.start()])
            terms.append(term.group(0) if term else "")
    return terms


def _paragraphs(block: list[Line]) -> list[tuple[int, str]]:
    """Runs of non-blank lines joined into paragraphs, with the line of their first line."""
    paragraphs: list[tuple[int, str]] = []
    current: list[Line] = []
    for line in [*block, Line(0, "")]:
        if line.text.strip():
            current.append(line)
        elif current:
            paragraphs.append((current[0].number, "".join(ln.text.strip() for ln in current)))
            current = []
    return paragraphs
