"""HTML front end: a saved web page (or a page's file) → blocks.

    blocks = html_blocks(data, "page.html", report, limits)

* The character set is the page's own: a byte-order mark, else ``<meta charset>`` or
  ``<meta http-equiv="Content-Type" content="…; charset=…">`` in the first 4 KB, else UTF-8,
  else (when the bytes are not UTF-8) Shift_JIS, reported. Shift_JIS is read as Windows-31J
  (cp932), as browsers do, so that ① and ～ survive.
* ``h1``–``h6`` become headings with that depth; ``p``, ``li`` (``- `` in front, in ordered
  lists too: an item is a list item, not a numbered heading), ``blockquote``, ``pre``,
  ``caption`` and text loose in a ``div`` become paragraphs; a ``<br>`` starts a new
  paragraph. After an element that a browser sets apart with space (``p``, headings, lists,
  tables …) comes a break (an empty paragraph), as a blank line would in a text file; lines
  split only by ``<br>`` or ``div`` have none between them.
* ``table`` becomes a table: ``rowspan``/``colspan`` expanded (the cell's text repeated in every
  grid cell it spans), nested tables flattened into their cell; a ``dl`` becomes a two-column
  table of terms and descriptions.
* Navigation, the page's header and footer (not those of an ``article``/``section``), ``aside``,
  scripts, styles, forms, hidden elements and skip links are dropped.

Whitespace is collapsed as a browser does; a line break in the source between two Japanese
characters is no space at all (CSS Text: segment breaks between wide characters vanish).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from importers.parsing.blocks import Block, BlockKind
from importers.parsing.errors import ParseError
from importers.parsing.formats.limits import Limits
from importers.parsing.model import Report

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_ENCODINGS = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "windows-31j": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932", "cp932": "cp932",
    "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "iso-2022-jp": "iso2022_jp",
    "utf-8": "utf-8", "utf8": "utf-8",
}  # fmt: skip

DROPPED = frozenset(
    "nav aside script style noscript template form button select textarea iframe svg canvas "
    "object embed map audio video head".split()
)
DROPPED_ROLES = frozenset(["navigation", "banner", "contentinfo", "complementary", "search"])
SECTIONING = frozenset(["article", "section", "main"])
HEADINGS = {f"h{n}": n for n in range(1, 7)}
PARAGRAPHS = frozenset("p li dt dd blockquote pre caption figcaption address summary".split())
BLOCKS = (
    PARAGRAPHS
    | frozenset(
        "div ul ol dl table tr td th thead tbody tfoot section article main body figure details "
        "center hr".split()
    )
    | frozenset(HEADINGS)
)

_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SEGMENT_BREAK = re.compile(f"(?<=[{_WIDE}])[ \t\r]*\n\\s*(?=[{_WIDE}])")
_SPACE = re.compile(r"[ \t\r\n\f]+")


def html_blocks(data: bytes, source: str, report: Report, limits: Limits) -> list[Block]:
    text = decode_html(data, source, report)
    try:
        root = lxml.html.document_fromstring(_without_xml_declaration(text))
    except (etree.ParserError, ValueError) as error:
        raise ParseError(
            source, 0, "an HTML page", f"markup that cannot be read ({error})"
        ) from None
    walker = _Walker(source)
    walker.walk(root.find("body") if root.find("body") is not None else root)
    return walker.finish()


# --- character set ---------------------------------------------------------------------------


def decode_html(data: bytes, source: str, report: Report) -> str:
    """The page's text in the character set it declares (see the module docstring)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        label = declared.group(1).decode("ascii").lower()
        encoding = _ENCODINGS.get(label, label)
        try:
            return data.decode(encoding)
        except LookupError:
            raise ParseError(
                source, 0, "an HTML page in a known character set", f"charset={label}"
            ) from None
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise ParseError(
                source, line, f"text in {label}, as the page declares", "bytes that are not"
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        raise ParseError(
            source, 0, "an HTML page in UTF-8 or in the character set it declares", "neither"
        ) from None
    report.add(
        "normalization", "no character set declared; the page was read as Shift_JIS", source=source
    )
    return text


def _without_xml_declaration(text: str) -> str:
    return re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)


# --- walking the tree ------------------------------------------------------------------------


def _dropped(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in DROPPED or element.get("hidden") is not None:
        return True
    if element.get("role", "").lower() in DROPPED_ROLES:
        return True
    if "skip" in f"{element.get('class', '')} {element.get('id', '')}".lower():
        return True  # "skip to content" links
    if "display:none" in element.get("style", "").replace(" ", "").lower():
        return True
    if tag in ("header", "footer"):
        return not any(parent.tag in SECTIONING for parent in element.iterancestors())
    return False


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", _SEGMENT_BREAK.sub("", text)).strip()


# Elements a browser sets apart with vertical space (their default margins): after one of them
# the walker emits a break (an empty paragraph), as a blank line would in a text file.
SPACED = frozenset("p h1 h2 h3 h4 h5 h6 ul ol dl table blockquote pre figure hr".split())


class _Walker:
    """Collects inline text into paragraphs and emits blocks in document order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.blocks: list[Block] = []
        self.inline: list[str] = []
        self.prefix = ""
        self.line = 1  # source line of the element being read
        self.start = 0  # source line where the pending inline text began

    def walk(self, element: etree._Element) -> None:
        for child in element:
            if isinstance(child.tag, str) and not _dropped(child):
                self.line = child.sourceline or self.line
                self._element(child)
            self._text(child.tail)

    def _element(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == "br":
            self.flush()
        elif tag in HEADINGS:
            self.flush()
            text = _collapse(_inline_text(element))
            if text:
                self._emit(Block(BlockKind.HEADING, text=text, depth=HEADINGS[tag]))
        elif tag == "table":
            self.flush()
            self._table(element)
        elif tag == "dl":
            self.flush()
            self._definition_list(element)
        elif tag in ("ul", "ol"):
            self.flush()
            self._list(element)
        elif tag in BLOCKS:
            self.flush()
            self._text(element.text)
            self.walk(element)
            self.flush()
        else:  # inline: span, a, strong, em, font, img …
            self._text(element.text)
            self.walk(element)
        if tag in SPACED:
            self.flush()
            self._break()

    def _text(self, text: str | None) -> None:
        if text:
            if not self.inline or not "".join(self.inline).strip():
                # where the text's first character is: lines after the element's own
                self.start = self.line + text[: len(text) - len(text.lstrip())].count("\n")
            self.inline.append(text)

    def flush(self) -> None:
        text = _collapse("".join(self.inline))
        self.inline = []
        if text:
            self._emit(Block(BlockKind.PARAGRAPH, text=self.prefix + text), self.start)
            self.prefix = ""

    def _break(self) -> None:
        if self.blocks and (self.blocks[-1].text or self.blocks[-1].rows):
            self._emit(Block(BlockKind.PARAGRAPH), self.blocks[-1].line)

    def _emit(self, block: Block, line: int = 0) -> None:
        self.blocks.append(
            Block(block.kind, block.text, block.rows, block.depth, self.source, line or self.line)
        )

    def finish(self) -> list[Block]:
        self.flush()
        while self.blocks and not (self.blocks[-1].text or self.blocks[-1].rows):
            self.blocks.pop()
        return self.blocks

    def _list(self, element: etree._Element) -> None:
        for item in element:
            if not isinstance(item.tag, str) or _dropped(item):
                continue
            self.line = item.sourceline or self.line
            if item.tag != "li":
                self._element(item)
                continue
            self.prefix = "- "
            self._text(item.text)
            self.walk(item)
            self.flush()

    def _table(self, element: etree._Element) -> None:
        caption = element.find("caption")
        if caption is not None:
            text = _collapse(_inline_text(caption))
            if text:
                self._emit(Block(BlockKind.PARAGRAPH, text=text))
        rows = table_rows(element)
        if rows:
            self._emit(Block(BlockKind.TABLE, rows=rows))

    def _definition_list(self, element: etree._Element) -> None:
        rows: list[list[str]] = []
        for child in element.iter("dt", "dd"):
            text = _collapse(_inline_text(child))
            if child.tag == "dt" or not rows:
                rows.append([text])
            else:
                rows[-1].append(text)
        width = max((len(row) for row in rows), default=0)
        if rows:
            table = tuple(tuple(row + [""] * (width - len(row))) for row in rows)
            self._emit(Block(BlockKind.TABLE, rows=table))


def _inline_text(element: etree._Element) -> str:
    """All the text under ``element`` except dropped parts; block children and ``<br>`` are
    separated by a space."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and not _dropped(child):
                if child.tag in BLOCKS or child.tag == "br":
                    parts.append(" ")
                visit(child)
                if child.tag in BLOCKS:
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    visit(element)
    return "".join(parts)


def table_rows(table: etree._Element) -> tuple[tuple[str, ...], ...]:
    """The table's rows with ``rowspan``/``colspan`` expanded; empty rows dropped."""
    grid: dict[tuple[int, int], str] = {}
    row_index = 0
    for row in _own_rows(table):
        column = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th") or _dropped(cell):
                continue
            while (row_index, column) in grid:
                column += 1
            text = _collapse(_inline_text(cell))
            for r in range(row_index, row_index + _span(cell, "rowspan", 500)):
                for c in range(column, column + _span(cell, "colspan", 100)):
                    grid[(r, c)] = text
            column += _span(cell, "colspan", 100)
        row_index += 1
    if not grid:
        return ()
    width = max(c for _, c in grid) + 1
    height = max(r for r, _ in grid) + 1
    rows = [tuple(grid.get((r, c), "") for c in range(width)) for r in range(height)]
    return tuple(row for row in rows if any(row))


def _own_rows(table: etree._Element):
    """The table's own rows (through thead/tbody/tfoot), not those of nested tables."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if row.tag == "tr")


def _span(cell: etree._Element, name: str, cap: int) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), cap))
    except ValueError:
        return 1
