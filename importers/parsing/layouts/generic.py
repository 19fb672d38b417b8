"""The fallback reader for plans of unseen layouts: numbered headings and KPI tables.

It is tried last and always matches. What it understands:

- **Headings** in any of these numbering styles: ``1.``, ``1)``, ``(1)``, ``①``, dotted codes
  ``1-1`` / ``1-1-3`` (one style per depth), codes of 3–7 digits ``1101``, ``◇1`` / ``◆``,
  brackets ``【…】`` / ``[基本目標 11]``, ``第N章`` and level words with a number
  (``基本施策1``, ``将来像2``). Decorations before them (``#``, ``■``, ``●``) are ignored.
  Each style is one level of the plan, in the order in which the styles first appear; a level
  is named by the word its headings carry (基本目標, 章) or else ``階層N``.
- **Section headings**: known names (めざす姿, 基本方針, 現況と課題, 取組内容 …) and short ``■…``
  lines open a section of the current node; other text is the body of the current section.
- **KPI tables**: a header whose cells (tab- or multi-space-separated) name an indicator column
  (指標名, 成果指標, KPI) and a baseline (現状値, 基準値, 実績値, 当初) or target (目標値, 将来値)
  column; each following row is a KPI of the current node. Years come from the header cells.

Codes (bracketed, dotted or 3–7 digits) become node codes and keys; other nodes get position
keys (``n1``, ``n1.2``). A text without any heading raises ParseError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ParseError
from ..model import Line, ParsedIndicator, ParsedNode, ParsedPlan, Report, Section
from ..values import parse_fiscal_year, parse_value, split_name_definition
from .common import circled_number, guess_municipality, is_bullet, paragraphs, strip_markup

NAME = "generic"
EXPECTED_HEADINGS = "numbered headings such as 1. / (1) / ① / 1-1 / ◇ / 【】 / [基本目標 11]"
MAX_TITLE = 60

LEVEL_WORDS = (
    "将来像|基本目標|基本政策|基本施策|基本事業|重点施策|重点プロジェクト|政策|施策|事業|分野|目標"
)
# (style, pattern) — the first that matches names the heading's style; see _heading().
HEADING_PATTERNS = [
    (
        "bracket",
        re.compile(
            r"^[\[【]\s*(?P<word>[^\]】\d]*?)\s*(?P<num>\d+(?:-\d+)*)?\s*[\]】]\s*(?P<title>.*)$"
        ),
    ),
    ("chapter", re.compile(r"^第\s*(?P<num>\d+)\s*(?P<word>[章節部編款])\s*(?P<title>.*)$")),
    ("word", re.compile(rf"^(?P<word>{LEVEL_WORDS})\s*(?P<num>\d+)(?![\d.,%])\s*(?P<title>.*)$")),
    (
        "dotted",
        re.compile(r"^(?P<num>\d{1,2}(?:[-‐−]\d{1,2})+)\.?(?:\s+|(?=[^\d\s.,%]))(?P<title>.*)$"),
    ),
    ("code", re.compile(r"^(?P<num>\d{3,7})(?:\s+(?P<title>[^\d\s].*))?$")),
    ("1.", re.compile(r"^(?P<num>\d{1,2})[.．]\s*(?P<title>[^\d\s.,%].*)$")),
    ("1)", re.compile(r"^(?P<num>\d{1,2})[)）]\s*(?P<title>\S.*)$")),
    ("(1)", re.compile(r"^[(（](?P<num>\d{1,2})[)）]\s*(?P<title>\S.*)$")),
    ("①", re.compile(r"^(?P<num>[①-⑳])\s*(?P<title>\S.*)$")),
    ("◇", re.compile(r"^(?P<word>[◇◆])\s*(?P<num>\d+)?\s*(?P<title>\S.*)$")),
]
DECORATION_RE = re.compile(r"^[■□●○▼▽◎]\s*")
SECTION_NAMES = (
    "めざす姿", "目指す姿", "基本方針", "政策の基本方針", "現況と課題", "現状と課題", "課題",
    "取組内容", "主な取組", "協働による取組", "施策の方向性", "成果指標", "主な成果指標",
    "施策に係る市民満足度", "用語解説", "個別施策",
)  # fmt: skip
CELL_SPLIT_RE = re.compile(r"\t+|\s{2,}")
NAME_COLUMN_WORDS = ("指標", "KPI")
BASELINE_WORDS = ("現状値", "基準値", "実績値", "当初", "現状")
TARGET_WORDS = ("目標値", "将来値", "目標")


@dataclass(frozen=True)
class Heading:
    style: str  # the numbering style, e.g. "1.", "(1)", "word:基本施策", "dotted:2"
    code: str  # an explicit code ("11", "1-2", "1101") or ""
    title: str
    level_word: str  # the name the heading gives its level ("基本目標", "章") or ""
    body: str = ""  # the rest of a tab-separated heading line


@dataclass
class _Table:
    """The KPI table being read: which column holds what."""

    name: int
    baseline: int | None
    target: int | None
    unit: int | None
    baseline_year: int | None
    target_year: int | None
    width: int


@dataclass
class _Reader:
    source: str
    report: Report
    roots: list[ParsedNode] = field(default_factory=list)
    stack: list[ParsedNode] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    level_words: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    sections: dict[int, list[tuple[str, int, list[Line]]]] = field(default_factory=dict)
    table: _Table | None = None
    untitled: ParsedNode | None = None  # a heading printed without a title (a bare code)

    @property
    def node(self) -> ParsedNode | None:
        return self.stack[-1] if self.stack else None


def matches(lines: list[Line]) -> bool:
    return True


def parse(lines: list[Line], source: str, report: Report) -> ParsedPlan:
    reader = _Reader(source=source, report=report)
    for line in lines:
        _read_line(reader, line)
    if not reader.roots:
        first = next((line for line in lines if line.text.strip()), None)
        raise ParseError(source, first.number if first else 1, expected=EXPECTED_HEADINGS,
                         found=first.text.strip()[:40] if first else "")  # fmt: skip
    _finish_sections(reader)
    return ParsedPlan(
        municipality=guess_municipality(lines),
        title=_plan_title(lines, reader.roots[0].line),
        level_names=[word or f"階層{i + 1}" for i, word in enumerate(reader.level_words)],
        nodes=reader.roots,
        layout=NAME,
        sources=[source],
        report=report,
    )


def _read_line(reader: _Reader, line: Line) -> None:
    text = strip_markup(line.text)
    if reader.table is not None:
        if _read_row(reader, text, line):
            return
        reader.table = None
    if not text:
        _add_text(reader, line)
        return
    if table := _table_header(text):
        reader.table = table
        if reader.node is None:
            reader.report.add("warning", "KPI table before any heading ignored",
                              source=reader.source, line=line.number)  # fmt: skip
        return
    if heading := _heading(text):
        _add_node(reader, heading, line)
    elif section := _section_heading(text):
        _open_section(reader, section, line)
    elif not _take_title(reader, text):
        _add_text(reader, line)


def _heading(text: str) -> Heading | None:
    """The heading a line is, if it is one: numbered, short and not a sentence."""
    if is_bullet(text):
        return None
    first, _, rest = text.partition("\t")
    first = DECORATION_RE.sub("", first.strip())
    for style, pattern in HEADING_PATTERNS:
        match = pattern.match(first)
        if match:
            return _make_heading(style, match, rest.strip())
    return None


def _make_heading(style: str, match: re.Match, rest: str) -> Heading | None:
    groups = match.groupdict()
    title = (groups.get("title") or "").strip()
    word = (groups.get("word") or "").strip()
    number = groups.get("num") or ""
    if len(title) > MAX_TITLE or title.endswith("。"):
        return None
    if style == "bracket":
        if not re.search(r"\w", word + number):
            return None  # [※] / [*]: a footnote mark, not a heading
        return Heading(f"bracket:{word}", number, title or word, word, rest)
    if style == "code" and not title and rest:
        return None  # a table row whose first cell is a number
    number = re.sub("[‐−]", "-", number)
    code = number if style in ("dotted", "code") else ""
    if style == "dotted":
        style = f"dotted:{number.count('-') + 1}"
    elif style == "code":
        style = f"code:{len(number)}"
    elif style == "word":
        style, title = f"word:{word}", title or f"{word}{number}"
    elif style == "chapter":
        style, title = f"chapter:{word}", title or f"第{number}{word}"
    elif style == "◇":
        style = f"◇:{word}"
    elif style == "①" and circled_number(number) is None:
        return None
    level_word = word if style.startswith(("word", "chapter")) else ""
    return Heading(style, code, title, level_word, rest)


def _add_node(reader: _Reader, heading: Heading, line: Line) -> None:
    if heading.style not in reader.styles:
        reader.styles.append(heading.style)
        reader.level_words.append(heading.level_word)
    level = reader.styles.index(heading.style)
    while reader.stack and reader.stack[-1].level >= level:
        reader.stack.pop()
    parent = reader.node
    siblings = parent.children if parent else reader.roots
    node = ParsedNode(title=heading.title, key="", level=level, source=reader.source,
                      line=line.number)  # fmt: skip
    node.code = _unique_code(reader, heading.code, line)
    node.key = node.code or _position_key(reader, parent, len(siblings) + 1)
    reader.keys.add(node.key)
    siblings.append(node)
    reader.stack.append(node)
    reader.untitled = node if not heading.title else None
    reader.sections[id(node)] = [("", line.number, [])]
    if heading.body:
        reader.sections[id(node)][-1][2].append(Line(line.number, heading.body))


def _unique_code(reader: _Reader, code: str, line: Line) -> str:
    if code and code in reader.codes:
        reader.report.add("warning", f"code {code} appears twice; the second is kept without it",
                          source=reader.source, line=line.number)  # fmt: skip
        return ""
    if code:
        reader.codes.add(code)
    return code


def _position_key(reader: _Reader, parent: ParsedNode | None, position: int) -> str:
    key = f"{parent.key}.{position}" if parent else f"n{position}"
    while key in reader.keys:
        key += "'"
    return key


def _section_heading(text: str) -> str | None:
    """A known section name (めざす姿, 基本方針 …) or a short ■ line; None otherwise."""
    bare = DECORATION_RE.sub("", text).strip()
    if any(bare.startswith(name) for name in SECTION_NAMES) and len(bare) <= 20:
        return bare
    if bare != text.strip() and bare and len(bare) <= 30 and not bare.endswith("。"):
        return bare
    return None


def _open_section(reader: _Reader, heading: str, line: Line) -> None:
    if reader.node is not None:
        reader.sections[id(reader.node)].append((heading, line.number, []))
        reader.untitled = None


def _take_title(reader: _Reader, text: str) -> bool:
    """Lines right after a bare code ("1101") are its title, as long as they look like one."""
    node = reader.untitled
    if node is None or any(ln.text.strip() for ln in reader.sections[id(node)][-1][2]):
        return False
    if len(node.title + text) > MAX_TITLE or text.endswith("。"):
        reader.untitled = None
        return False
    node.title += text.strip()
    return True


def _add_text(reader: _Reader, line: Line) -> None:
    if not line.text.strip() and reader.untitled is not None and reader.untitled.title:
        reader.untitled = None  # a blank line ends a title broken across lines
    if reader.node is not None:
        reader.sections[id(reader.node)][-1][2].append(line)


def _finish_sections(reader: _Reader) -> None:
    for node in _walk(reader.roots):
        for heading, number, lines in reader.sections.get(id(node), []):
            body = paragraphs(lines)
            if body:
                node.sections.append(Section(heading=heading, body=body, line=number))
        if not node.title:
            node.title = node.code
            reader.report.add("warning", "heading without a title", source=reader.source,
                              line=node.line)  # fmt: skip


def _walk(nodes: list[ParsedNode]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in CELL_SPLIT_RE.split(text.strip()) if cell.strip()]


def _table_header(text: str) -> _Table | None:
    """A KPI table header: an indicator column and a baseline or a target column."""
    cells = _cells(text)
    if len(cells) < 2:
        return None
    name = _column(cells, NAME_COLUMN_WORDS)
    baseline = _column(cells, BASELINE_WORDS)
    target = _column(cells, TARGET_WORDS, exclude=("中間",), last=True)
    if name is None or (baseline is None and target is None) or name in (baseline, target):
        return None
    return _Table(
        name=name,
        baseline=baseline,
        target=target,
        unit=_column(cells, ("単位",)),
        baseline_year=parse_fiscal_year(cells[baseline]) if baseline is not None else None,
        target_year=parse_fiscal_year(cells[target]) if target is not None else None,
        width=len(cells),
    )


def _column(cells, words, exclude=(), last=False) -> int | None:
    found = [
        index
        for index, cell in enumerate(cells)
        if any(word in cell for word in words) and not any(word in cell for word in exclude)
    ]
    if not found:
        return None
    return found[-1] if last else found[0]


def _read_row(reader: _Reader, text: str, line: Line) -> bool:
    """One KPI row of the current table; False when the line is not a row (the table ended)."""
    table = reader.table
    cells = _cells(text)
    if len(cells) < 2 or (_heading(text) is not None and "\t" not in text):
        return False
    if len(cells) < table.width:
        reader.report.add("warning", f"KPI row has {len(cells)} of {table.width} cells; "
                          "the missing values are left empty", source=reader.source,
                          line=line.number)  # fmt: skip
    node = reader.node
    if node is None:
        return True
    node.indicators.append(_indicator(reader, table, cells, node, line))
    return True


def _indicator(reader, table: _Table, cells, node: ParsedNode, line: Line) -> ParsedIndicator:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    name, definition = split_name_definition(cell(table.name))
    baseline = parse_value(cell(table.baseline))
    target = parse_value(cell(table.target))
    return ParsedIndicator(
        name=name,
        key=f"{node.key}:{len(node.indicators) + 1}",
        definition=definition,
        unit=cell(table.unit) or target.unit or baseline.unit,
        baseline=baseline,
        baseline_year=baseline.fiscal_year or table.baseline_year,
        target=target,
        target_year=target.fiscal_year or table.target_year,
        comparator=target.comparator,
        cumulative="累計" in name,
        source=reader.source,
        line=line.number,
    )


def _plan_title(lines: list[Line], first_heading: int) -> str:
    """A short line naming a 計画 or 方針 before the first heading, if the text has one."""
    for line in lines:
        if line.number >= first_heading:
            break
        text = strip_markup(line.text)
        if ("計画" in text or "方針" in text) and len(text) <= 40 and not text.endswith("。"):
            return DECORATION_RE.sub("", text)
    return ""
