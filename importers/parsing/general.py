"""The general reader: lines of any plan → headings, tables and inline KPIs → a plan tree.

Steps, each a named capability of its own module:

1. line structure (``lines``): a page flattened onto one line is split again; a heading split
   over lines (level word, number, title) is joined; a code alone on a line joins its title;
   page numbers (glued or alone), boilerplate repeated on every page, photo captions (▲) and
   chart sources (出典) are skipped;
2. tables (``tables``): rows of cells from pipes, tabs, aligned or single spaces, or one cell
   a line;
3. headings (``headings``): numbering scheme, number, level word and code of each heading line;
   a list of contents (``contents``) names and orders the blocks printed after it;
4. the tree (``tree``): levels from the order in which schemes nest, corrected by codes;
   repeated headings continue their node; labels and bare numbers do not become nodes;
5. KPIs: from tables (``kpis``) and from inline statements (``inline``);
6. footnote marks (``footnotes``): ※ notes define the marked words; in a plan that defines none,
   names lose their marks.

Everything recognised, skipped or guessed is reported with its line (kind "structure",
"skipped" or "guess"), so that a person can check the result against the text.
"""

from __future__ import annotations

from importers.parsing.contents import Contents, read_contents
from importers.parsing.errors import ParseError
from importers.parsing.footnotes import drop_unlinked_marks, notes_to_glossary
from importers.parsing.headings import (
    framed_caption,
    level_label,
    read_heading,
    section_item_level,
    section_name,
    section_with_text,
)
from importers.parsing.inline import arrow_kpi, sentence_kpi
from importers.parsing.kpis import KpiRow, table_kpis
from importers.parsing.lines import repair_lines
from importers.parsing.model import Line, ParsedPlan, Report
from importers.parsing.tables import Table, find_tables
from importers.parsing.text import guess_municipality
from importers.parsing.topics import topic_title
from importers.parsing.tree import TreeBuilder, assign_keys

NAME = "reader"
# How a table's cells were found, as the report says it.
TABLE_KINDS = {
    "split_on_pipes": "| 区切り",
    "split_on_tabs": "タブ・空白の並び区切り",
    "split_on_kinds": "1字の空白区切り（列の種類がそろう）",
    "vertical_table": "縦に並んだ表（1行に1セル）",
}
ARROWS = ("▶", "▷", "→", "⇒", "➡", "►")
CUT_ROW = "指標の行の目標値（現状値の矢印 ▶ が指す値）。行が途中で切れています"
EXPECTED = (
    "番号の付いた見出し（第1章、1.、(1)、①、基本目標1、1-1、1101、【基本目標 2】）か、"
    "指標名・現状値・目標値のような見出し行をもつ指標の表"
)


def read_lines(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    """The plan in these normalized lines; ParseError when they hold neither headings nor KPIs."""
    repaired = repair_lines(lines, source, report)
    tree = TreeBuilder(source, report)
    elements = find_tables(repaired)
    tree.group_captions = group_captions(elements)
    contents = read_contents([element for element in elements if isinstance(element, Line)])
    for number, message in contents.warnings:
        report.add("warning", message, source=source, line=number)
    for element in elements:
        if isinstance(element, Table):
            _read_table(tree, element, source, report)
        elif not _read_listed(tree, contents, element):
            _read_line(tree, element)
    if not tree.roots:
        first = next((line for line in lines if line.text.strip()), None)
        raise ParseError(source, first.number if first else 1, EXPECTED,
                         first.text.strip()[:40] if first else "")  # fmt: skip
    plan = tree.finish()
    notes_to_glossary(plan, repaired, report)
    if not plan.glossary:
        drop_unlinked_marks(plan, report)
        assign_keys(plan.nodes)
    plan.municipality = guess_municipality(lines)
    plan.title = tree.plan_title
    plan.layout = NAME
    plan.sources = [source]
    plan.report = report
    return plan


def _read_listed(tree: TreeBuilder, contents: Contents, line: Line) -> bool:
    """A line of a list of contents (skipped: its blocks make the nodes) or the start of a
    listed block (its heading); True when the line is used up."""
    if line.number in contents.listed:
        tree.skip_listed(line, contents.listed[line.number])
        return True
    block = contents.blocks.get(line.number)
    if block is None:
        return False
    tree.add_listed(block, line)
    return block.printed


def _read_line(tree: TreeBuilder, line: Line) -> None:
    text = line.text.strip()
    if not text:
        tree.add_text(line)
        return
    kpi = arrow_kpi(text, line.number)
    if kpi is not None:
        tree.add_kpi(kpi, "文中の指標（矢印）")
        return
    if tree.read_reference(line):
        return
    if _read_section(tree, text, line):
        return
    name, word = section_name(text), "" if tree.in_box else level_label(text)
    if name:
        tree.open_section(name, line, items_level=section_item_level(text))
    heading = None if name or tree.in_box else read_heading(text)
    if heading is not None and tree.add_heading(heading, line):
        return
    if word:
        tree.name_next_level(word)
    if name or word:
        return
    kpi = sentence_kpi(text, line.number)
    if kpi is not None:
        tree.add_kpi(kpi, "文中の指標（文）")
    topic = topic_title(text)
    if topic and tree.current is not None:
        tree.open_topic(topic, line)
    tree.add_text(line)


def _read_section(tree: TreeBuilder, text: str, line: Line) -> bool:
    """A framed box's caption (its lines are its text, not headings) or a section name printed
    with its text on the same line; True when the line is used up."""
    framed = framed_caption(text)
    if framed:
        tree.open_section(framed, line, box=True)
        return True
    name, rest = section_with_text(text)
    if name:
        tree.open_section(name, line)
        tree.add_text(Line(line.number, rest))
    return bool(name)


def group_captions(elements: list[Line | Table]) -> set[int]:
    """``captions_restarting_numbers_group``: the lines of ■ captions printed right before a
    heading numbered 1 (■基本政策 / ◇1 …, later ■重点施策 / ◇1 …): each heads a group of the
    headings after it, even where a numbered heading is open (elsewhere a caption there is a
    section of that heading)."""
    lines = [element for element in elements if isinstance(element, Line) and element.text.strip()]
    found = set()
    for line, following in zip(lines, lines[1:], strict=False):
        caption, heading = read_heading(line.text), read_heading(following.text)
        if caption and caption.scheme == "■" and heading and heading.number in ("1", "①"):
            found.add(line.number)
    return found


def _read_table(tree: TreeBuilder, table: Table, source: str, report: Report) -> None:
    columns, kpis = table_kpis(table.rows, table.lines or [table.line] * len(table.rows))
    if columns is None:
        _read_text_table(tree, table)
        return
    report.add(
        "structure",
        f"指標の表（{TABLE_KINDS.get(table.how, table.how)}、{len(kpis)} 行）: "
        f"{columns.describe()}",
        source=source,
        line=table.line,
    )
    width = len(columns.header)
    for cells, number in zip(table.rows[columns.header_rows :], table.lines[columns.header_rows :],
                             strict=False):  # fmt: skip
        filled = len([cell for cell in cells if cell.strip()])
        if cells and cells[0].strip() and len(cells) < width and _points_past_its_end(cells):
            raise ParseError(source, number, CUT_ROW, " | ".join(cells))
        if cells and cells[0].strip() and 1 < filled < width and len(cells) < width:
            report.add("warning", f"指標の行のセルが {width} 列中 {len(cells)} 列しかありません。"
                       "欠けた値は空のままです", source=source, line=number)  # fmt: skip
    for kpi in kpis:
        _place_kpi(tree, kpi)


def _points_past_its_end(cells: list[str]) -> bool:
    """``arrow_without_its_value_is_an_error``: a row whose last cell ends with an arrow
    (82.31 % ▶▶) lost the value the arrow points to: the row was cut, and reading on would
    leave a KPI without its target (a row merely shorter than the header is only warned about)."""
    return cells[-1].strip().endswith(ARROWS)


def _read_text_table(tree: TreeBuilder, table: Table) -> None:
    """A table of no KPIs is text; ``coded_rows_are_items``: a row whose first cell is a coded
    title (1201 人権啓発活動の推進 | ①…) is that item's heading and its other cells the item's
    text, and a row whose first cell is empty continues the item before it."""
    for cells, number in zip(table.rows, table.lines or [table.line] * len(table.rows),
                             strict=False):  # fmt: skip
        heading = read_heading(cells[0]) if cells else None
        if (
            heading
            and heading.code
            and heading.title
            and tree.add_heading(heading, Line(number, cells[0]))
        ):
            cells = cells[1:]
        tree.add_text(Line(number, " ".join(cell for cell in cells if cell)))


def _place_kpi(tree: TreeBuilder, kpi: KpiRow) -> None:
    if kpi.code or kpi.section:
        tree.node_for_row(kpi.code, kpi.section, kpi.line)
    elif kpi.caption:
        tree.node_for_caption(kpi.caption, kpi.line)
    tree.add_kpi(kpi, "")
