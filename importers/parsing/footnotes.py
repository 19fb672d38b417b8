"""Footnotes: a ``※`` note printed after a node's text defines the word marked in that text.

    将来像2 …
    [基本目標 22] 「健幸*づくり」の推進
    市民一人ひとりの…
    ※「健康」と「幸福」の二つの意味が込められた言葉     → glossary: 健幸 = 「健康」と…

``notes_to_glossary``: in each node, the n-th note paragraph (``※``, ``[※]``, ``[*]``, ``*`` at
its start) defines the n-th marked word of the node (title first, then its sections); the
marked word is one run of katakana, of kanji, or of Latin letters and digits before the mark.
The note leaves the body, the mark stays, written ``※`` everywhere in the node (each rewrite
reported), so that the portal can link it to the glossary. A note with no mark to pair with
stays in the body as printed, with a warning; a node without notes is left as printed.
"""

from __future__ import annotations

import re

from importers.parsing.model import GlossaryTerm, Line, ParsedNode, ParsedPlan, Report
from importers.parsing.text import join_wide_spaces, strip_markup

NOTE = re.compile(r"^(?:※|\[※\]|\[\*\]|\*)\s*(\S.*)$", re.DOTALL)
# A footnote mark directly after a word: 健幸*, シビックプライド^{*}, コンパクトシティ[※].
MARK = re.compile(r"(?<=[^\s「『(（])(?:\^\{\*\}|\[※\]|\[\*\]|※|\*)")
# The term before a mark: one run of katakana, of kanji, or of Latin letters and digits.
TERM = re.compile(r"(?:[ァ-ヴー・]+|[一-龯々]+|[A-Za-z0-9]+)$")


def notes_to_glossary(plan: ParsedPlan, lines: list[Line], report: Report) -> None:
    """Every node's ``※`` notes become the plan's glossary terms (see the module docstring);
    ``lines`` are the text the plan was read from, for the line of each note."""
    for node in plan.walk():
        if any(_notes(section.body) for section in node.sections):
            plan.glossary.extend(_node_terms(node, lines, report))


def drop_unlinked_marks(plan: ParsedPlan, report: Report) -> None:
    """``marks_without_glossary_leave_names``: in a plan that defines none of its marked words
    (no ※ notes, no 用語解説) a mark links to nothing: node titles, KPI names and reference
    titles lose it (緑川版ネウボラ※プラン → 緑川版ネウボラプラン), each change reported; body
    text keeps its marks as printed."""
    for node in plan.walk():
        node.title = _without_marks(node.title, node.source, node.line, report)
        for kpi in node.indicators:
            kpi.name = _without_marks(kpi.name, kpi.source, kpi.line, report)
        for ref in node.crossrefs:
            ref.target_title = _without_marks(ref.target_title, node.source, ref.line, report)


def _without_marks(text: str, source: str, line: int, report: Report) -> str:
    bare = MARK.sub("", text)
    if bare != text:
        report.add("normalization", f"用語解説のない注記の印を名前から除きました: {text}",
                   source=source, line=line, original=text, replacement=bare)  # fmt: skip
    return bare


def glossary_section_terms(lines: list[Line], source: str, report: Report) -> list[GlossaryTerm]:
    """``glossary_section_to_terms``: a 用語解説 section's ``term: definition`` lines are the
    plan's glossary terms (a line without a colon continues the definition before it); a
    reading in brackets after the term (QOL (キュー・オー・エル)) starts its definition."""
    terms: list[GlossaryTerm] = []
    for line in lines:
        text = join_wide_spaces(strip_markup(line.text))
        term, colon, definition = text.partition(":")
        if colon and term.strip():
            terms.append(_glossary_term(term, definition, source, line.number))
        elif text and terms:
            terms[-1].definition += text
        elif text:
            report.add("warning", f"用語解説の行に「用語: 説明」の形がありません: {text[:40]}",
                       source=source, line=line.number)  # fmt: skip
    return terms


def _glossary_term(term: str, definition: str, source: str, line: int) -> GlossaryTerm:
    term = term.strip()
    reading = re.fullmatch(r"(.+?)\s*\(([^)]*)\)", term)
    if reading:
        term = reading.group(1).strip()
        definition = f"({reading.group(2)}) {definition.strip()}"
    return GlossaryTerm(term=term, definition=definition.strip(), source=source, line=line)


def marked_terms(texts: list[str]) -> list[str]:
    """The words carrying a footnote mark, in reading order ("" when no word precedes one)."""
    terms = []
    for text in texts:
        for mark in MARK.finditer(text):
            term = TERM.search(text[: mark.start()])
            terms.append(term.group(0) if term else "")
    return terms


def _notes(body: str) -> list[str]:
    return [paragraph for paragraph in body.split("\n\n") if NOTE.match(paragraph)]


def _node_terms(node: ParsedNode, lines: list[Line], report: Report) -> list[GlossaryTerm]:
    texts = [node.title] + [
        paragraph
        for section in node.sections
        for paragraph in section.body.split("\n\n")
        if not NOTE.match(paragraph)
    ]
    terms = marked_terms(texts)
    glossary: list[GlossaryTerm] = []
    for section in node.sections:
        kept = []
        for paragraph in section.body.split("\n\n"):
            note = NOTE.match(paragraph)
            if note and len(glossary) < len(terms) and terms[len(glossary)]:
                term = terms[len(glossary)]
                line = _line_of(paragraph, lines, section.line)
                glossary.append(GlossaryTerm(term, note.group(1), node.source, line))
                report.add("structure", f"※の注記が「{term}」を説明（用語解説へ）",
                           source=node.source, line=line)  # fmt: skip
                continue
            if note:
                report.add("warning", f"本文に※印のない注記: "
                           f"{note.group(1)[:40]}", source=node.source,
                           line=_line_of(paragraph, lines, section.line))  # fmt: skip
            kept.append(paragraph)
        section.body = _unify_marks("\n\n".join(kept), node, section.line, report)
    node.sections = [section for section in node.sections if section.body]
    node.title = _unify_marks(node.title, node, node.line, report)
    return glossary


def _unify_marks(text: str, node: ParsedNode, line: int, report: Report) -> str:
    """Every footnote mark written as ※, each rewrite reported."""
    for mark in MARK.finditer(text):
        if mark.group(0) != "※":
            report.add("normalization", f"注記の印 {mark.group(0)} を ※ に統一",
                       source=node.source, line=line, original=mark.group(0),
                       replacement="※")  # fmt: skip
    return MARK.sub("※", text)


def _line_of(paragraph: str, lines: list[Line], start: int) -> int:
    """The line a note paragraph starts on: the first at or after ``start`` that begins it."""
    head = paragraph[:8]
    for line in lines:
        if line.number >= start and line.text.strip().startswith(head):
            return line.number
    return start
