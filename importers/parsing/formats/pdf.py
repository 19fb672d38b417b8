"""PDF front end: the text layer's characters with their positions → blocks in reading order.

    blocks = pdf_blocks(data, "plan.pdf", report)

pypdfium2 (PDFium) gives every character and its box, and the page's paths (the rules of
tables). From them, page by page (``pdf_layout`` holds the geometry):

1. ruled tables: the grids the rules draw, cells filled with the characters inside them;
2. vertical writing (縦書き): stacked characters read top to bottom, columns right to left;
3. lines of the remaining characters, split into segments at wide gaps;
4. running headers and footers: lines near the top or bottom edge whose text (digits aside)
   recurs on other pages, and page numbers there, are dropped and reported;
5. two-column pages: a gutter that splits every line of a stretch is read left column first;
6. unruled tables: consecutive lines whose segments fall into the same columns;
7. paragraphs: wrapped lines joined (a line that ends short of the right edge, a larger gap, a
   bullet or number at the start, or a change of size starts a new one); lines set larger than
   the body text are headings, their depth ranked by size.

A PDF without a text layer (a scan), an encrypted or damaged PDF, or one over the page limit
gets a ``ParseError`` that says so.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from importers.parsing.blocks import Block, BlockKind
from importers.parsing.errors import ParseError
from importers.parsing.formats.limits import Limits, check_pages
from importers.parsing.formats.pdf_layout import (
    RULE_THICKNESS,
    Char,
    Line,
    Rules,
    Table,
    group_lines,
    join_texts,
    ruled_tables,
    vertical_runs,
)
from importers.parsing.model import Report

# Glyphs that PDF text layers map to the wrong code point (radicals are handled for every
# format by ``radicals``): U+2027 HYPHENATION POINT drawn for the katakana middle dot.
GLYPH_FIXES = {"\u2027": "・"}
_SPACES = frozenset(" \u3000\u00a0\t\r\n\x00")

BAND = 0.1  # the top and bottom tenth of a page hold running headers and footers
PAGE_NUMBER = re.compile(
    r"[-‐–—―(（]?\s*(?:p\.?|P\.?|ページ)?\s*\d{1,4}\s*(?:頁|ページ)?\s*[-‐–—―)）]?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[IVXLivxl]{1,6}"
)
LIST_MARK = re.compile(
    r"[①-⑳㉑-㊿❶-❿➀-➓⓪・●○◯■□◆◇▶▷►★☆※＊*\-–]|\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[.)．]\s"
    r"|第\d|[ア-ン][.．)]|[a-z][.)]\s"
)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[Table]
    vertical: list[list[Char]]


def pdf_blocks(data: bytes, source: str, report: Report, limits: Limits) -> list[Block]:
    """The document's blocks in reading order; ParseError for scans, encrypted or broken PDFs."""
    document = _open(data, source)
    try:
        check_pages(len(document), source, limits)
        pages = [_read_page(document, index, report, source) for index in range(len(document))]
    finally:
        document.close()
    _refuse_without_text(pages, data, source)
    _drop_running_lines(pages, report, source)
    return _LayoutReader(pages, source, report).blocks()


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if (
            getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD
            or "password" in str(error).lower()
        ):
            raise ParseError(
                source,
                0,
                "a PDF that opens without a password",
                "an encrypted PDF: save or export a copy without a password and upload that",
            ) from None
        raise ParseError(
            source, 0, "a readable PDF", f"a damaged PDF ({error}): export it again"
        ) from None


def _read_page(document: pdfium.PdfDocument, index: int, report: Report, source: str) -> Page:
    page = document[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = _page_chars(textpage, height)
        finally:
            textpage.close()
        rules, images = _page_rules(page, height)
    finally:
        page.close()
    tables, chars = ruled_tables(rules, chars)
    vertical, chars = vertical_runs(chars)
    if vertical:
        report.add(
            "warning",
            f"page {index + 1}: vertical writing (縦書き) read top to bottom, right to left",
            source=source,
        )
    if not chars and not tables and images:
        report.add(
            "warning", f"page {index + 1} has no text layer (a scanned image?)", source=source
        )
    return Page(index + 1, width, height, group_lines(chars), tables, vertical)


def _page_chars(textpage: pdfium.PdfTextPage, height: float) -> list[Char]:
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    chars: list[Char] = []
    pending_high = 0
    space = False
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            # PDFium puts a space where the advance widths leave a word gap
            space = space or code == 0x20
            continue
        if 0xD800 <= code < 0xDC00:
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = 0
        text = chr(code)
        if text in _SPACES or code < 0x20:
            space = True
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
        pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        size = pdfium_c.FPDFText_GetFontSize(raw, index) * scale
        chars.append(
            Char(
                GLYPH_FIXES.get(text, text),
                box.left,
                height - box.top,
                box.right,
                height - box.bottom,
                round(size, 1),
                space,
            )
        )
        space = False
    return chars


def _page_rules(page: pdfium.PdfPage, height: float) -> tuple[Rules, int]:
    """Thin paths as horizontal and vertical rules (stroked rectangles give four); images.
    The raw PDFium calls skip wrapping every text object of the page in a Python object."""
    rules = Rules()
    images = 0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in _page_objects(page.raw):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        x0, x1 = left.value, right.value
        y0, y1 = height - top.value, height - bottom.value
        width, tall = x1 - x0, y1 - y0
        if tall <= RULE_THICKNESS and width > RULE_THICKNESS:
            rules.horizontal.append(((y0 + y1) / 2, x0, x1))
        elif width <= RULE_THICKNESS and tall > RULE_THICKNESS:
            rules.vertical.append(((x0 + x1) / 2, y0, y1))
        elif width > RULE_THICKNESS and tall > RULE_THICKNESS:
            pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
            if stroke.value and not fill.value:
                rules.horizontal += [(y0, x0, x1), (y1, x0, x1)]
                rules.vertical += [(x0, y0, y1), (x1, y0, y1)]
    return rules, images


def _page_objects(raw_page, depth: int = 0):
    """The page's objects, and those of the form XObjects on it (nested up to 4 deep)."""
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        yield obj
        if depth < 4 and pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _form_objects(obj, depth + 1)


def _form_objects(form, depth: int):
    for index in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, index)
        yield obj
        if depth < 4 and pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _form_objects(obj, depth + 1)


def _refuse_without_text(pages: list[Page], data: bytes, source: str) -> None:
    if any(page.lines or page.tables or page.vertical for page in pages):
        return
    if b"/Image" in data or b"/DCTDecode" in data or b"/CCITTFax" in data:
        found = (
            f"{len(pages)} page(s) of images without a text layer (a scan): run OCR on it "
            "(or export the original document as PDF) and upload the result"
        )
    else:
        found = f"{len(pages)} page(s) without any text"
    raise ParseError(source, 0, "a PDF with a text layer", found)


# --- running headers and footers -------------------------------------------------------------


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.plain))


def _drop_running_lines(pages: list[Page], report: Report, source: str) -> None:
    """Lines in the top or bottom band that recur on other pages, and page numbers there."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_running_key(line) for line in page.lines if _in_band(line, page)})
    repeated = max(2, len(pages) // 4)
    dropped: Counter[str] = Counter()
    body = _body_size(pages)
    for page in pages:
        kept = []
        first = page.lines[0] if page.lines else None
        for line in page.lines:
            if _in_band(line, page) and (
                counts[_running_key(line)] >= repeated
                or PAGE_NUMBER.fullmatch(line.plain.strip())
                or (line is first and line.bottom < page.height * BAND and line.size < body * 0.9)
            ):
                page_number = PAGE_NUMBER.fullmatch(line.plain.strip())
                dropped["(page numbers)" if page_number else line.plain] += 1
                continue
            kept.append(line)
        page.lines = kept
    for text, count in sorted(dropped.items(), key=lambda item: -item[1])[:20]:
        report.add(
            "noise",
            f"dropped a running header, footer or page number on {count} page(s)",
            source=source,
            original=text,
        )


def _in_band(line: Line, page: Page) -> bool:
    return line.bottom < page.height * BAND or line.top > page.height * (1 - BAND)


# --- reading order, tables, paragraphs -------------------------------------------------------


@dataclass
class _Item:
    """Something placed on a page: a line of text, a table or a vertical column group."""

    top: float
    line: Line | None = None
    table: Table | None = None
    vertical: list[Char] | None = None


class _LayoutReader:
    """Turns the pages' lines, tables and vertical columns into blocks."""

    def __init__(self, pages: list[Page], source: str, report: Report) -> None:
        self.pages = pages
        self.source = source
        self.report = report
        self.body_size = _body_size(pages)
        self.heading_sizes = _heading_sizes(pages, self.body_size)
        self.right_margin = _right_margin(pages)
        self.out: list[Block] = []
        self.open_edges: dict[int, tuple[bool, bool]] = {}  # block index → (top, bottom) open
        self.line_number = 0
        self.paragraph: list[Line] = []  # the lines of the paragraph being read
        self.page = pages[0] if pages else None  # where that paragraph starts
        self.right_edge = 0.0  # where full lines end in the stretch being read
        self.last_page: Page | None = self.page  # where the last block was placed …
        self.bottom = 0.0  # … and where it ends

    def blocks(self) -> list[Block]:
        for page in self.pages:
            for column, in_columns in _reading_order(page):
                self._column(page, column, in_columns)
        self._flush()
        return _merge_split_tables(self.out, self.open_edges)

    def _column(self, page: Page, items: list[_Item], in_columns: bool) -> None:
        """One stretch of the page read top to bottom. A paragraph left open at the end of the
        previous page or column goes on when the stretch's first line continues it."""
        lines = [item.line for item in items if item.line is not None]
        right_edge = self.right_margin
        if in_columns:  # one of two columns: its own right edge
            right_edge = max((line.right for line in lines), default=page.width)
        opening = items[0].line if items else None
        if not (
            self.paragraph
            and opening is not None
            and self._continues(self.paragraph[-1], opening, self.right_edge, page_break=True)
        ):
            self._flush()
            self.last_page = None  # the next block starts a new column: a break before it
        self.right_edge = right_edge
        pending = list(items)
        while pending:
            item = pending.pop(0)
            if item.line is None:
                self._flush()
                self._figure(page, item)
                continue
            run = _table_run(item.line, pending)
            if run:
                self._flush()
                del pending[: len(run) - 1]
                self._place(page, run[0].top, run[-1].bottom, run[0].size)
                self._table(_unruled_rows(run), page)
            else:
                self._line(page, item.line, opening)

    def _figure(self, page: Page, item: _Item) -> None:
        """A ruled table or a column of vertical writing."""
        if item.table is not None:
            table = item.table
            self._place(page, table.top, table.bottom, self.body_size)
            self._table(table.rows, page, (table.open_top, table.open_bottom))
        elif item.vertical is not None:
            column = item.vertical
            self._place(page, column[0].top, column[-1].bottom, column[0].height)
            self._paragraph(join_texts(c.text for c in column), page, None)

    def _line(self, page: Page, line: Line, opening: Line | None) -> None:
        """A line of text: it continues the paragraph being read, or starts a new one."""
        if self.paragraph and not self._continues(
            self.paragraph[-1], line, self.right_edge, page_break=line is opening
        ):
            self._flush()
        if not self.paragraph:
            self.page = page
            self._place(page, line.top, line.bottom, line.size)
        self.paragraph.append(line)
        self.bottom = line.bottom

    def _place(self, page: Page, top: float, bottom: float, size: float) -> None:
        """A break (an empty paragraph, as a blank line in a text file) before a block set
        apart from the one above it by more than a line's spacing, or on a new page."""
        after_block = bool(self.out) and bool(self.out[-1].text or self.out[-1].rows)
        if after_block and (page is not self.last_page or top - self.bottom > 1.0 * size):
            self.out.append(
                Block(
                    BlockKind.PARAGRAPH, source=self.source, line=self.line_number, page=page.number
                )
            )
        self.last_page = page
        self.bottom = bottom

    def _continues(
        self, previous: Line, line: Line, right_edge: float, page_break: bool = False
    ) -> bool:
        size = previous.size
        return (
            self._depth(previous) == self._depth(line)
            and len(line.segments) == 1
            and len(previous.segments) == 1
            and (page_break or 0 <= line.top - previous.bottom < 0.9 * size)
            and _reaches_edge(previous, right_edge)
            and line.left <= previous.left + 2.5 * size
            and not LIST_MARK.match(line.plain)
        )

    def _depth(self, line: Line) -> int | None:
        size = round(line.size)
        return self.heading_sizes.get(size) if line.size >= self.body_size * 1.15 else None

    def _flush(self) -> None:
        if not self.paragraph:
            return
        text = join_texts(line.plain for line in self.paragraph)
        self._paragraph(text, self.page, self._depth(self.paragraph[0]), len(self.paragraph))
        self.paragraph = []

    def _paragraph(self, text: str, page: Page, depth: int | None, lines: int = 1) -> None:
        self.line_number += 1
        kind = BlockKind.PARAGRAPH if depth is None else BlockKind.HEADING
        self.out.append(
            Block(
                kind,
                text=text,
                depth=depth,
                source=self.source,
                line=self.line_number,
                page=page.number,
            )
        )
        self.line_number += lines - 1

    def _table(
        self, rows: list[list[str]], page: Page, open_edges: tuple[bool, bool] = (False, False)
    ) -> None:
        self.open_edges[len(self.out)] = open_edges
        self.line_number += 1
        self.out.append(
            Block(
                BlockKind.TABLE,
                rows=tuple(tuple(row) for row in rows),
                source=self.source,
                line=self.line_number,
                page=page.number,
            )
        )
        self.line_number += len(rows) - 1


_SENTENCE_END = ("。", "」", "』", ")", "）", ".", "!", "?", "！", "？")


def _reaches_edge(line: Line, right_edge: float) -> bool:
    """Whether a line was wrapped: it runs to the right edge, or nearly (a line breaks up to
    two characters early when the next character may not start a line) and stops mid-sentence."""
    short = right_edge - line.right
    if short <= 1.2 * line.size:
        return True
    return short <= 3 * line.size and not line.plain.rstrip().endswith(_SENTENCE_END)


def _body_size(pages: list[Page]) -> float:
    sizes: Counter[int] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size)] += len(line.plain)
    return float(sizes.most_common(1)[0][0]) if sizes else 10.0


def _right_margin(pages: list[Page]) -> float:
    """Where full lines of text end: the right edge most lines of the document reach."""
    edges = sorted(line.right for page in pages for line in page.lines)
    return edges[int(len(edges) * 0.9)] if edges else 0.0


def _heading_sizes(pages: list[Page], body: float) -> dict[int, int]:
    """Sizes larger than the body text, largest first: depth 1, 2, …"""
    sizes = {round(line.size) for page in pages for line in page.lines if line.size >= body * 1.15}
    return {size: depth for depth, size in enumerate(sorted(sizes, reverse=True), start=1)}


def _reading_order(page: Page) -> list[tuple[list[_Item], bool]]:
    """The page's items as stretches read in order, each with whether it is one of two columns
    (a two-column stretch becomes its left column, then its right one)."""
    items = [_Item(line.top, line=line) for line in page.lines]
    items += [_Item(table.top, table=table) for table in page.tables]
    items += [_Item(column[0].top, vertical=column) for column in page.vertical]
    items.sort(key=lambda item: item.top)
    stretches: list[tuple[list[_Item], bool]] = []
    current: list[_Item] = []
    index = 0
    while index < len(items):
        gutter_run = _two_column_run(items, index, page)
        if gutter_run:
            gutter, end = gutter_run
            if current:
                stretches.append((current, False))
                current = []
            stretches.extend((column, True) for column in _split_columns(items[index:end], gutter))
            index = end
            continue
        current.append(items[index])
        index += 1
    if current:
        stretches.append((current, False))
    return stretches


def _two_column_run(items: list[_Item], start: int, page: Page) -> tuple[float, int] | None:
    """(gutter x, end index) when items[start:] begin a stretch of two columns of text: lines
    that each lie on one side of a gutter (or are split by it), both columns wide, running side
    by side (a line far below the other column's end is after the columns)."""
    end = start
    while (
        end < len(items)
        and items[end].line is not None
        and (len(items[end].line.segments) == 2 or _width(items[end].line) <= page.width * 0.5)
    ):
        end += 1
    for _ in range(3):
        spans = _columns_of([item.line for item in items[start:end]], every_line=True)
        if len(spans) != 2 or any(right - left < page.width * 0.28 for left, right in spans):
            return None
        gutter = (spans[0][1] + spans[1][0]) / 2
        cut = _after_columns(items[start:end], gutter)
        if cut is None:
            break
        end = start + cut
    sides = [segment.right <= gutter for item in items[start:end] for segment in item.line.segments]
    if sides.count(True) < 3 or sides.count(False) < 3:
        return None
    return gutter, end


def _width(line: Line) -> float:
    return line.right - line.left


def _after_columns(items: list[_Item], gutter: float) -> int | None:
    """Index of the first line that lies below the whole of the other column."""
    bottoms = {True: 0.0, False: 0.0}
    for item in items:
        for segment in item.line.segments:
            side = segment.right <= gutter
            bottoms[side] = max(bottoms[side], item.line.bottom)
    previous: dict[bool, float | None] = {True: None, False: None}
    for index, item in enumerate(items):
        line = item.line
        side = line.right <= gutter
        if len(line.segments) == 1:
            above = previous[side]
            wrapped = above is not None and line.top - above < 0.9 * line.size
            if line.top > bottoms[not side] + 1.5 * line.size and not wrapped:
                return index
        for segment in line.segments:
            previous[segment.right <= gutter] = line.bottom
    return None


def _split_columns(items: list[_Item], gutter: float) -> list[list[_Item]]:
    left: list[_Item] = []
    right: list[_Item] = []
    for item in items:
        line = item.line
        assert line is not None  # noqa: S101 - _two_column_run only takes lines
        for segment in line.segments:
            part = Line([segment], line.top, line.bottom, line.size)
            (left if segment.right <= gutter else right).append(_Item(line.top, line=part))
    return [column for column in (left, right) if column]


def _table_run(first: Line, following: list[_Item]) -> list[Line]:
    """``first`` and the lines after it when they form an unruled table (≥ 2 rows of ≥ 2
    cells whose segments fall into shared columns); [] otherwise."""
    if len(first.segments) < 2:
        return []
    run = [first]
    for item in following:
        line = item.line
        if line is None or line.top - run[-1].bottom > 1.2 * first.size:
            break
        if len(line.segments) < 2 and not _inside_one_column(line, run):
            break
        run.append(line)
    rows = [line for line in run if len(line.segments) >= 2]
    if len(rows) < 2 or len(_columns_of(rows)) < 2:
        return []
    return run


def _columns_of(lines: list[Line], every_line: bool = False) -> list[tuple[float, float]]:
    """Column spans: the union of overlapping segment spans of multi-segment lines (of every
    line with ``every_line``)."""
    spans: list[list[float]] = []
    for segment in sorted(
        (
            segment
            for line in lines
            if every_line or len(line.segments) >= 2
            for segment in line.segments
        ),
        key=lambda segment: segment.left,
    ):
        if spans and segment.left <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], segment.right)
        else:
            spans.append([segment.left, segment.right])
    return [(left, right) for left, right in spans]


def _inside_one_column(line: Line, run: list[Line]) -> bool:
    columns = _columns_of(run)
    return len(columns) >= 2 and any(
        left - 2 <= line.left and line.right <= right + 2 for left, right in columns
    )


def _unruled_rows(run: list[Line]) -> list[list[str]]:
    """The run's lines as rows of cells; a one-segment line continues the row above it."""
    columns = _columns_of(run)
    rows: list[list[str]] = []
    for line in run:
        cells = [""] * len(columns)
        for segment in line.segments:
            index = _column_index(columns, segment.left, segment.right)
            cells[index] = join_texts([cells[index], segment.text])
        if len(line.segments) == 1 and rows:
            rows[-1] = [join_texts([old, new]) for old, new in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


def _column_index(columns: list[tuple[float, float]], left: float, right: float) -> int:
    for index, (start, end) in enumerate(columns):
        if start - 2 <= left <= end + 2:
            return index
    centre = (left + right) / 2
    return min(range(len(columns)), key=lambda i: abs(sum(columns[i]) / 2 - centre))


def _merge_split_tables(
    blocks: list[Block], open_edges: dict[int, tuple[bool, bool]]
) -> list[Block]:
    """A table that runs over a page break is one table: the break between its parts goes, a
    header row repeated on the next page goes, and a row the page break cut (no rule under it on
    one page, none over it on the next) is joined again."""
    merged: list[Block] = []
    last_page = 0  # the page where the last table of ``merged`` ends
    cut = False  # whether that table ends in a row the page break cut
    for index, block in enumerate(blocks):
        top_open, bottom_open = open_edges.get(index, (False, False))
        if merged and not merged[-1].text and not merged[-1].rows and block.kind == BlockKind.TABLE:
            before = merged[-2] if len(merged) > 1 else None
            if before is not None and _continues_table(before, block, last_page):
                merged.pop()  # the break the page made
        previous = merged[-1] if merged else None
        if previous is not None and _continues_table(previous, block, last_page):
            rows = _joined_rows(previous.rows, block.rows, cut and top_open)
            merged[-1] = replace(previous, rows=rows)
        else:
            merged.append(block)
        if block.kind == BlockKind.TABLE:
            last_page, cut = block.page or 0, bottom_open
    return merged


def _continues_table(previous: Block, block: Block, last_page: int) -> bool:
    return (
        block.kind == previous.kind == BlockKind.TABLE
        and block.page == last_page + 1
        and bool(block.rows)
        and bool(previous.rows)
        and len(block.rows[0]) == len(previous.rows[0])
    )


def _joined_rows(first: tuple, second: tuple, row_cut: bool) -> tuple:
    if row_cut:
        split = tuple(join_texts([a, b]) for a, b in zip(first[-1], second[0], strict=True))
        return first[:-1] + (split,) + second[1:]
    return first + (second[1:] if second[0] == first[0] else second)
