"""The one reader: a document's blocks in, a ``ParsedPlan`` out.

    from importers.parsing.blocks import Block, BlockKind
    from importers.parsing.reader import read_blocks

    plan = read_blocks(blocks, source="plan.pdf")

Every front end (plain text, PDF, HTML, Word, spreadsheets) turns its format into a sequence of
``Block`` objects (``importers.parsing.blocks``) and hands them here. ``read_blocks`` is the
public entry point for them: its signature stays as it is; anything added later is an optional
keyword argument.

Block texts arrive normalized (``normalize.normalize_text``). An empty PARAGRAPH is a break (a
blank line of a text file); front ends whose blocks are whole paragraphs need not emit breaks.
The only exception raised is ``ParseError``; warnings and guesses go to ``plan.report``.
"""

from __future__ import annotations

from collections.abc import Iterable

from importers.parsing import general
from importers.parsing.blocks import Block, BlockKind
from importers.parsing.errors import ParseError
from importers.parsing.model import Line, ParsedPlan, Report
from importers.parsing.period import stated_period

__all__ = ["read_blocks"]


def read_blocks(
    blocks: Iterable[Block], *, source: str = "", report: Report | None = None
) -> ParsedPlan:
    """The plan one document's blocks describe; ``report`` collects what was changed or guessed.

    ``source`` names the document in the report and in errors (default: the first block's).
    Raises ``ParseError`` (source, line, what was expected) when no plan can be read.
    """
    blocks = list(blocks)
    source = source or next((block.source for block in blocks if block.source), "(blocks)")
    report = report if report is not None else Report()
    lines = block_lines(blocks)
    if not any(line.text.strip() for line in lines):
        raise ParseError(source, 0, "a plan text", "no text")
    plan = general.read_lines(lines, source, report)
    plan.layout = plan.layout or general.NAME
    plan.sources = plan.sources or [source]
    plan.report = report
    _take_period(plan, lines, source)
    return plan


def _take_period(plan: ParsedPlan, lines: list[Line], source: str) -> None:
    """The plan period the text states, reported with its line."""
    first, last, number = stated_period(lines)
    if first is None:
        return
    plan.first_fiscal_year, plan.last_fiscal_year = first, last
    shown = f"{first}年度〜{last}年度" if last else f"{first}年度から（終わりの記載なし）"
    plan.report.add("structure", f"計画期間 {shown}", source=source, line=number)


def block_lines(blocks: list[Block]) -> list[Line]:
    """The blocks as numbered text lines: a table row's cells joined by tabs."""
    lines: list[Line] = []
    for index, block in enumerate(blocks):
        number = block.line or (lines[-1].number + 1 if lines else index + 1)
        if block.kind == BlockKind.TABLE:
            lines.extend(Line(number + i, "\t".join(row)) for i, row in enumerate(block.rows))
        else:
            lines.extend(Line(number + i, text) for i, text in enumerate(block.text.split("\n")))
    return lines
