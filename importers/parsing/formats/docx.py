"""Word front end (.docx, python-docx): paragraphs and tables of the body, in order → blocks.

    blocks = docx_blocks(data, "plan.docx", report, limits)

* A paragraph is a heading when its style is a heading style (``Heading 1``…, ``見出し 1``…)
  or it (or its style) has an outline level; the level gives the depth.
* Automatic numbering is written out as Word shows it (``第1章``, ``1-2``, ``(3)``, ``①``,
  ``ア``) in front of the text, since Word keeps it out of the text: a heading's number or code
  is what places it. Items of a list (numbered or bulleted paragraphs that are no heading)
  start with ``- ``, as ``<li>`` does in HTML: ``- ① 創業塾の開催``.
* Tables become tables; merged cells are repeated in every grid cell they span.
* Line breaks inside a paragraph start a new paragraph; tabs become spaces. Paragraphs and
  tables are separated by breaks (empty paragraphs), except the items of one list. Headers, footers,
  footnotes and text boxes are not part of the body and are not read.

The file is checked as a ZIP (size, ZIP bomb) before python-docx opens it; a damaged file gets
a ``ParseError``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from importers.parsing.blocks import Block, BlockKind
from importers.parsing.errors import ParseError
from importers.parsing.formats.limits import Limits, open_zip
from importers.parsing.model import Report

WHAT = "a Word document (.docx)"
_HEADING_STYLE = re.compile(r"(?:heading|見出し)\s*(\d)", re.IGNORECASE)


def docx_blocks(data: bytes, source: str, report: Report, limits: Limits) -> list[Block]:
    open_zip(data, source, limits, WHAT)
    try:
        document = docx.Document(_stream(data))
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        zipfile.BadZipFile,
        etree.LxmlError,
    ) as error:
        raise ParseError(
            source, 0, WHAT, f"a damaged Word file ({type(error).__name__}: {error})"
        ) from None
    reader = _Reader(document, source)
    try:
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                reader.paragraph(item)
            elif isinstance(item, Table):
                reader.table(item)
    except (KeyError, ValueError, etree.LxmlError) as error:
        raise ParseError(source, len(reader.blocks), WHAT, f"a damaged part ({error})") from None
    return reader.blocks


def _stream(data: bytes):
    import io

    return io.BytesIO(data)


@dataclass
class _Reader:
    document: Document
    source: str
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.numbering = Numbering.of(self.document)
        self.listed = False

    def paragraph(self, paragraph: Paragraph) -> None:
        properties = _paragraph_properties(paragraph)
        label = self.numbering.label(*properties.numbering) if properties.numbering else ""
        pieces = [piece.replace("\t", " ").strip() for piece in paragraph.text.split("\n")]
        pieces = [piece for piece in pieces if piece]
        if not pieces:
            return
        if label == "- ":
            pieces[0] = f"- {pieces[0]}"
        elif label and properties.depth is None:  # an item of a numbered list
            pieces[0] = f"- {label} {pieces[0]}"
        elif label:
            pieces[0] = f"{label} {pieces[0]}"
        listed = properties.numbering is not None and properties.depth is None
        if not (listed and self.listed):
            self._break()
        self.listed = listed
        depth = properties.depth
        for index, piece in enumerate(pieces):
            kind = BlockKind.HEADING if depth is not None and index == 0 else BlockKind.PARAGRAPH
            self._emit(Block(kind, text=piece, depth=depth if kind == BlockKind.HEADING else None))

    def table(self, table: Table) -> None:
        rows = []
        for row in table.rows:
            cells = [_cell_text(cell) for cell in row.cells]
            cells = [""] * row.grid_cols_before + cells + [""] * row.grid_cols_after
            if any(cells):
                rows.append(tuple(cells))
        width = max((len(row) for row in rows), default=0)
        rows = [row + ("",) * (width - len(row)) for row in rows]
        if rows:
            self._break()
            self.listed = False
            self._emit(Block(BlockKind.TABLE, rows=tuple(rows)))

    def _break(self) -> None:
        """Paragraphs and tables are set apart as blank lines set apart a text file's; items of
        one numbered or bulleted list follow each other without a break."""
        if self.blocks and (self.blocks[-1].text or self.blocks[-1].rows):
            self.blocks.append(
                Block(BlockKind.PARAGRAPH, source=self.source, line=self.blocks[-1].line)
            )

    def _emit(self, block: Block) -> None:
        line = (self.blocks[-1].line + max(1, len(self.blocks[-1].rows))) if self.blocks else 1
        self.blocks.append(
            Block(block.kind, block.text, block.rows, block.depth, self.source, line, None)
        )


def _cell_text(cell) -> str:
    pieces = [p.text.replace("\t", " ").replace("\n", " ").strip() for p in cell.paragraphs]
    for inner in cell.tables:
        pieces += [" ".join(c.text.strip() for c in row.cells) for row in inner.rows]
    return " ".join(piece for piece in pieces if piece)


# --- styles and outline levels ---------------------------------------------------------------


@dataclass(frozen=True)
class _Properties:
    depth: int | None
    numbering: tuple[str, int] | None  # (numId, ilvl)


def _paragraph_properties(paragraph: Paragraph) -> _Properties:
    """Depth (from a heading style or an outline level) and numbering, following the style
    chain (``basedOn``) where the paragraph itself says nothing."""
    depth = None
    numbering = None
    chain = [paragraph._p.pPr]  # noqa: SLF001 - python-docx has no public pPr reader
    style = paragraph.style
    while style is not None:
        match = _HEADING_STYLE.fullmatch((style.name or "").strip())
        if match and depth is None:
            depth = int(match.group(1))
        chain.append(style.element.pPr)
        style = style.base_style
    for ppr in chain:
        if ppr is None:
            continue
        outline = ppr.find(qn("w:outlineLvl"))
        if depth is None and outline is not None:
            level = int(outline.get(qn("w:val"), "9"))
            depth = level + 1 if level < 9 else None
        num_pr = ppr.find(qn("w:numPr"))
        if numbering is None and num_pr is not None:
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            if num_id is not None and num_id.get(qn("w:val")) not in (None, "0"):
                level = int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
                numbering = (num_id.get(qn("w:val")), level)
    return _Properties(depth, numbering)


# --- automatic numbering ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class Numbering:
    """Word's list numbering, counted as Word counts it, rendered as Word shows it."""

    levels: dict[str, dict[int, _Level]]  # numId → ilvl → level
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return cls({})
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.findall(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in node.findall(qn("w:lvl"))
            }
        levels: dict[str, dict[int, _Level]] = {}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            base = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}))
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and ilvl in base:
                    level = base[ilvl]
                    base[ilvl] = _Level(level.fmt, level.text, int(start.get(qn("w:val"), "1")))
            levels[num.get(qn("w:numId"))] = base
        return cls(levels)

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        if level.fmt == "bullet":
            return "- "
        counters = self.counters.setdefault(
            num_id, [levels[i].start - 1 if i in levels else 0 for i in range(9)]
        )
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = levels[deeper].start - 1 if deeper in levels else 0
        return re.sub(
            r"%([1-9])",
            lambda m: _format(counters[int(m.group(1)) - 1], levels.get(int(m.group(1)) - 1)),
            level.text,
        )


def _level(node) -> _Level:
    def value(name: str, default: str) -> str:
        child = node.find(qn(name))
        return child.get(qn("w:val"), default) if child is not None else default

    return _Level(value("w:numFmt", "decimal"), value("w:lvlText", ""), int(value("w:start", "1")))


_KANJI_DIGITS = "〇一二三四五六七八九"
_AIUEO = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_IROHA = (
    "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
)


def _format(number: int, level: _Level | None) -> str:
    fmt = level.fmt if level else "decimal"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalEnclosedCircle" and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter") and number >= 1:
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("japaneseCounting", "ideographDigital", "japaneseDigitalTenThousand"):
        return _kanji_number(number)
    if fmt in ("aiueo", "aiueoFullWidth") and 1 <= number <= len(_AIUEO):
        return _AIUEO[number - 1]
    if fmt in ("iroha", "irohaFullWidth") and 1 <= number <= len(_IROHA):
        return _IROHA[number - 1]
    return str(number)


def _roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out += letters
            number -= value
    return out


def _kanji_number(number: int) -> str:
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else _KANJI_DIGITS[tens]) + "十" if tens else ""
    return text + (_KANJI_DIGITS[ones] if ones else "")
