"""Geometry of a PDF page: characters with positions → lines, cells, tables, paragraphs.

Pure functions on plain data (``Char``: a character and its box in top-down page coordinates),
so that each rule can be tested on a few characters placed by hand:

* ``group_lines``: characters whose boxes overlap vertically by at least half form a line; a
  horizontal gap wider than ``CELL_GAP`` character heights splits it into segments (the cells of
  an unruled table, or the two columns of a page);
* ``ruled_tables``: horizontal and vertical rules that meet form a grid; each grid cell takes
  the characters whose centre lies in it, and a cell without a rule between it and its
  neighbour is merged with it (the merged text is repeated in every grid cell it spans);
* ``vertical_runs``: characters stacked top to bottom with no neighbour to their side are
  vertical writing (縦書き), read column by column from right to left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CELL_GAP = 1.2  # a gap of this many character heights splits a line into segments
RULE_THICKNESS = 2.5  # a path at most this thick (points) is a rule
SNAP = 2.0  # rules and grid lines this close (points) are the same


@dataclass(slots=True)
class Char:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float = 0.0  # font size in points (0: unknown, the box height stands in)
    space_before: bool = False  # the text layer has a space character right before this one

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


@dataclass(slots=True)
class Segment:
    text: str
    left: float
    right: float


@dataclass(slots=True)
class Line:
    """A line of text on a page; ``segments`` are its runs separated by wide gaps."""

    segments: list[Segment]
    top: float
    bottom: float
    size: float  # median character height

    @property
    def left(self) -> float:
        return self.segments[0].left

    @property
    def right(self) -> float:
        return self.segments[-1].right

    @property
    def text(self) -> str:
        return "\t".join(segment.text for segment in self.segments)

    @property
    def plain(self) -> str:
        return join_texts(segment.text for segment in self.segments)


@dataclass
class Rules:
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)  # y, x0, x1
    vertical: list[tuple[float, float, float]] = field(default_factory=list)  # x, y0, y1


@dataclass
class Table:
    rows: list[list[str]]
    top: float
    bottom: float
    left: float
    right: float
    open_top: bool = False  # no rule along the top: the page break cut the table there
    open_bottom: bool = False


# --- text ------------------------------------------------------------------------------------

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def join_texts(pieces) -> str:
    """Pieces of one text (wrapped lines, segments) joined: a space only after a Latin word or
    number followed by Latin text (Japanese wraps anywhere, Latin only at spaces)."""
    text = ""
    previous = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if text and _ASCII_WORD.match(text[-1]) and _spaced(previous, piece):
            text += " "
        text += piece
        previous = piece
    return text


_CODE = re.compile(r"[A-Za-z]?\d+(?:[-.]\d+)*")


def _spaced(line: str, following: str) -> bool:
    """Whether a wrap between ``line`` and ``following`` stood for a space: Latin text wraps at
    spaces only ("85.00 / %" was "85.00 %"), and a code alone on its line was set apart from the
    title after it ("1201 / 人権…" was "1201 人権…"; "1,900 / 人" stays "1,900人")."""
    return following[0].isascii() or bool(_CODE.fullmatch(line))


def _chars_text(chars: list[Char], size: float) -> str:
    """Characters of one segment in order, with a space where the text layer has one or the
    gap is half a character wide (a glyph box is narrower than its advance: a smaller gap
    is no space)."""
    out = []
    previous = None
    for char in chars:
        gap = char.left - previous.right if previous is not None else 0.0
        # between half-width characters the boxes end where their advances do: a space's
        # width is a space (PDFium misses some); elsewhere (・ is drawn narrower than its
        # advance) only half a character is
        narrow = previous is not None and previous.text.isascii() and char.text.isascii()
        if previous is not None and (char.space_before or gap > (0.15 if narrow else 0.5) * size):
            out.append(" ")
        out.append(char.text)
        previous = char
    return "".join(out)


# --- lines -----------------------------------------------------------------------------------


def group_lines(chars: list[Char]) -> list[Line]:
    """The characters as lines, top to bottom, each split into segments at wide gaps."""
    rows: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.top, c.left)):
        row = rows[-1] if rows else None
        if row is not None and _overlaps(row[0], char):
            row.append(char)
        else:
            rows.append([char])
    return [_line(row) for row in rows]


def _overlaps(first: Char, char: Char) -> bool:
    overlap = min(first.bottom, char.bottom) - max(first.top, char.top)
    return overlap >= 0.5 * min(first.height, char.height, 1e9) and overlap > 0


def _line(chars: list[Char]) -> Line:
    chars.sort(key=lambda c: c.left)
    sizes = sorted(c.size or c.height for c in chars)
    size = max(sizes[len(sizes) // 2], 1.0)
    segments: list[Segment] = []
    run: list[Char] = [chars[0]]
    for char in chars[1:]:
        if char.left - run[-1].right > CELL_GAP * size:
            segments.append(Segment(_chars_text(run, size), run[0].left, run[-1].right))
            run = []
        run.append(char)
    segments.append(Segment(_chars_text(run, size), run[0].left, run[-1].right))
    return Line(
        segments=segments,
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        size=size,
    )


# --- ruled tables ----------------------------------------------------------------------------


def ruled_tables(rules: Rules, chars: list[Char]) -> tuple[list[Table], list[Char]]:
    """The grids the rules draw, filled with the characters inside them; and the other chars."""
    tables: list[Table] = []
    remaining = chars
    for horizontal, vertical in _rule_groups(rules):
        xs = _snap(sorted(x for x, _, _ in vertical))
        # where a page break cut the table, its vertical rules run past the last horizontal one
        drawn = [y for y, _, _ in horizontal]
        ends = [min(y0 for _, y0, _ in vertical), max(y1 for _, _, y1 in vertical)]
        ys = _snap(sorted(drawn + ends))
        if len(xs) < 3 or len(ys) < 2:
            continue  # a frame around text, or a single rule: not a table
        inside, remaining = _split_inside(remaining, xs[0], ys[0], xs[-1], ys[-1])
        rows = _grid_rows(xs, ys, horizontal, vertical, inside)
        if rows:
            open_top = min(drawn) - ys[0] > SNAP
            open_bottom = ys[-1] - max(drawn) > SNAP
            tables.append(Table(rows, ys[0], ys[-1], xs[0], xs[-1], open_top, open_bottom))
        else:
            remaining = remaining + inside
    return tables, remaining


def _rule_groups(rules: Rules):
    """Sets of horizontal and vertical rules that touch one another (one table each)."""
    items = [("h", rule) for rule in _merge(rules.horizontal)] + [
        ("v", rule) for rule in _merge(rules.vertical)
    ]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (kind_i, rule_i) in enumerate(items):
        if kind_i != "h":
            continue
        y, x0, x1 = rule_i
        for j, (kind_j, rule_j) in enumerate(items):
            if kind_j == "v":
                x, y0, y1 = rule_j
                if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                    parent[find(i)] = find(j)
    groups: dict[int, tuple[list, list]] = {}
    for i, (kind, rule) in enumerate(items):
        group = groups.setdefault(find(i), ([], []))
        group[0 if kind == "h" else 1].append(rule)
    return [group for group in groups.values() if group[0] and group[1]]


def _merge(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear rules that touch become one (a border drawn cell by cell)."""
    merged: list[list[float]] = []
    for at, start, end in sorted(rules):
        last = merged[-1] if merged else None
        if last and abs(last[0] - at) <= SNAP and start <= last[2] + SNAP:
            last[2] = max(last[2], end)
        else:
            merged.append([at, start, end])
    return [(at, start, end) for at, start, end in merged]


def _snap(values: list[float]) -> list[float]:
    snapped: list[float] = []
    for value in values:
        if not snapped or value - snapped[-1] > SNAP:
            snapped.append(value)
    return snapped


def _split_inside(chars, left, top, right, bottom):
    inside, outside = [], []
    for char in chars:
        x, y = char.centre
        (inside if left <= x <= right and top <= y <= bottom else outside).append(char)
    return inside, outside


def _grid_rows(xs, ys, horizontal, vertical, chars) -> list[list[str]]:
    """Cell texts row by row; a merged cell's text in every grid cell it spans."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}
    for r in range(n_rows):
        for c in range(n_cols):
            y_mid, x_mid = (ys[r] + ys[r + 1]) / 2, (xs[c] + xs[c + 1]) / 2
            if c and not _has_rule(vertical, xs[c], y_mid):
                owner[(r, c)] = owner[(r, c - 1)]
            elif r and not _has_rule(horizontal, ys[r], x_mid):
                owner[(r, c)] = owner[(r - 1, c)]
    cell_chars: dict[tuple[int, int], list[Char]] = {}
    for char in chars:
        x, y = char.centre
        r = _index(ys, y)
        c = _index(xs, x)
        if r is not None and c is not None:
            cell_chars.setdefault(owner[(r, c)], []).append(char)
    texts = {key: _cell_text(value) for key, value in cell_chars.items()}
    rows = [[texts.get(owner[(r, c)], "") for c in range(n_cols)] for r in range(n_rows)]
    return [row for row in rows if any(row)]


def _has_rule(rules, at: float, across: float) -> bool:
    return any(abs(a - at) <= SNAP and s - SNAP <= across <= e + SNAP for a, s, e in rules)


def _index(edges: list[float], value: float) -> int | None:
    for i in range(len(edges) - 1):
        if edges[i] <= value <= edges[i + 1]:
            return i
    return None


def _cell_text(chars: list[Char]) -> str:
    return join_texts(line.plain for line in group_lines(chars))


# --- vertical writing ------------------------------------------------------------------------


def vertical_runs(chars: list[Char]) -> tuple[list[list[Char]], list[Char]]:
    """Columns of vertical writing (top to bottom, right to left) and the other characters.

    A character belongs to a column when another character sits right below or above it
    (overlapping it horizontally) and none sits beside it on the same line.
    """
    if len(chars) < 3 or not _stacks_in_stream_order(chars):
        return [], chars
    buckets: dict[tuple[int, int], list[Char]] = {}
    cell = max(sorted(c.height for c in chars)[len(chars) // 2], 4.0)
    for char in chars:
        buckets.setdefault((int(char.left // cell), int(char.top // cell)), []).append(char)

    def near(char: Char):
        bx, by = int(char.left // cell), int(char.top // cell)
        for dx in (-2, -1, 0, 1, 2):
            for dy in (-2, -1, 0, 1, 2):
                yield from buckets.get((bx + dx, by + dy), ())

    vertical = []
    for char in chars:
        size = max(char.height, char.right - char.left, 1.0)
        x, y = char.centre
        stacked = beside = False
        for other in near(char):
            if other is char:
                continue
            dx, dy = abs(other.centre[0] - x), abs(other.centre[1] - y)
            if dx < 0.3 * size and 0.5 * size < dy < 1.6 * size:
                stacked = True
            elif dy < 0.5 * size and 0.3 * size < dx < 1.6 * size:
                beside = True
                break
        if stacked and not beside:
            vertical.append(char)
    if len(vertical) < 3:
        return [], chars
    columns = _columns(vertical)
    marked = {id(char) for column in columns for char in column}
    return columns, [char for char in chars if id(char) not in marked]


def _stacks_in_stream_order(chars: list[Char]) -> bool:
    """Whether at least three characters are followed, in the order the page draws them, by a
    character right below them: a quick test that spares horizontal pages the full search."""
    stacked = 0
    for char, following in zip(chars, chars[1:], strict=False):
        size = char.height
        if (
            abs(following.left - char.left) < 0.3 * size
            and 0.5 * size < following.top - char.top < 1.6 * size
        ):
            stacked += 1
            if stacked >= 3:
                return True
    return False


def _columns(chars: list[Char]) -> list[list[Char]]:
    """Vertical characters as columns, ordered right to left, each top to bottom."""
    columns: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (-c.right, c.top)):
        for column in columns:
            head = column[0]
            overlap = min(head.right, char.right) - max(head.left, char.left)
            if overlap > 0.3 * (head.right - head.left):
                column.append(char)
                break
        else:
            columns.append([char])
    for column in columns:
        column.sort(key=lambda c: c.top)
    columns.sort(key=lambda column: (column[0].top // 50, -column[0].right))
    return [column for column in columns if len(column) >= 2]
