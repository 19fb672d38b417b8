"""Pure parsing of plan texts: bytes in, a ``ParsedPlan`` (plain dataclasses) out.

    plan = parse_files([("outline.txt", data0), ("chapter1.pdf", data1)])

Each file's format is recognised from its content (``formats.detect_format``); PDF, HTML, Word,
Excel and CSV documents are turned into blocks by their front ends (``formats``). A text file
is decoded (UTF-8 only), normalized (every change reported), turned into blocks
(``blocks.text_blocks``: the plain-text front end) and read by the one reader
(``reader.read_blocks``, which front ends for other formats call too); when several files make
up one plan they are merged by node key with conflicts reported (``merge.merge_plans``). The
only exception raised is ``ParseError``. Nothing here imports Django or the rest of the project.
"""

from __future__ import annotations

from importers.parsing.blocks import text_blocks
from importers.parsing.errors import ParseError
from importers.parsing.formats import Format, detect_format, document_blocks
from importers.parsing.merge import merge_plans
from importers.parsing.model import ParsedPlan, Report
from importers.parsing.normalize import decode, normalize
from importers.parsing.reader import read_blocks

__all__ = ["ParseError", "ParsedPlan", "parse_file", "parse_files", "read_blocks"]


def parse_file(data: bytes, source: str) -> ParsedPlan:
    """One file read by the one reader; warnings and changes in ``plan.report``. Its format
    (text, PDF, HTML, Word, Excel, CSV) is recognised from its content (``formats``)."""
    report = Report()
    kind = detect_format(data, source)
    if kind is Format.TEXT:
        lines = normalize(decode(data, source), source, report, join_spaces=False)
        blocks = text_blocks(lines, source)
    else:
        blocks = document_blocks(data, source, report, kind=kind)
    return read_blocks(blocks, source=source, report=report)


def parse_files(files: list[tuple[str, bytes]], prefer: str | None = None) -> ParsedPlan:
    """Several files of one plan, each parsed, then merged by code.

    ``files`` are (source name, bytes) pairs. ``prefer`` names the source or layout whose values
    win conflicts; by default the more detailed file wins. Every conflict is reported.
    """
    if not files:
        raise ParseError("(no files)", 0, "at least one plan file")
    plans = [parse_file(data, source) for source, data in files]
    plan = merge_plans(plans, prefer=prefer)
    _report_unresolved(plan)
    _report_misnamed(plan)
    return plan


def _report_misnamed(plan: ParsedPlan) -> None:
    """A cross-reference naming its target otherwise than the target's own title is reported
    (the code decides; the title may be a misprint or an older name)."""
    titles = {node.code: node.title for node in plan.walk() if node.code}
    for node in plan.walk():
        for ref in node.crossrefs:
            title = titles.get(ref.target_code)
            if title is not None and ref.target_title and ref.target_title != title:
                plan.report.add(
                    "warning",
                    f"{node.title} は {ref.target_code}「{ref.target_title}」を参照していますが、"
                    f"{ref.target_code} は「{title}」です",
                    source=node.source,
                    line=ref.line,
                )


def _report_unresolved(plan: ParsedPlan) -> None:
    """Cross-references to codes that no node of the plan carries stay, and are reported."""
    codes = {node.code for node in plan.walk() if node.code}
    reported = {(issue.source, issue.line) for issue in plan.report.of_kind("unresolved_reference")}
    for node in plan.walk():
        for ref in node.crossrefs:
            where = (node.source, ref.line)
            if ref.target_code and ref.target_code not in codes and where not in reported:
                plan.report.add(
                    "unresolved_reference",
                    f"{node.code or node.key} refers to {ref.target_code} "
                    f"{ref.target_title}".rstrip()
                    + ", which is not in the plan",
                    source=node.source,
                    line=ref.line,
                )
