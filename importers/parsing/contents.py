"""Lists of contents: a numbered list printed before the blocks it lists.

``listed_blocks_follow_their_list``: a caption naming a level (「施策大項目と関連するSDGs」,
「主要施策の一覧」) followed by a run of items numbered 1., 2., … lists the blocks that come
after it, up to the next chapter. Each block is a node of that level, in the list's order:

* a block starts where the section that opens every block (its first section after the list,
  e.g. めざす姿) is printed again; the line before it, when it is one of the list's titles
  (its spaces moved by the extraction), is the block's title line;
* a block whose title line the extraction lost takes the next title of the list, and the report
  says so with the list's line (``title_recovered_from_list``);
* the list's own lines (its caption and items) make no nodes: they are reported as skipped.

A list without a caption right after a chapter heading is a list of contents too when each of
its numbers is printed again, in order, as a heading further in the chapter
(``list_printed_again_as_headings``); those headings make the nodes.

Plain data in, plain data out: the tree (``tree``) places the headings found here as it places
any heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers.parsing.headings import Heading, read_heading, section_name
from importers.parsing.model import Line
from importers.parsing.vocabulary import LEVEL_WORDS

MIN_ITEMS = 2  # one numbered line after a caption is a heading, not a list
MAX_CAPTION = 30  # characters: a caption, not a sentence that happens to name a level


@dataclass(frozen=True)
class ListedBlock:
    """Where a listed block starts, and the heading the list gives it."""

    heading: Heading
    printed: bool  # its title line is printed here (else the list lends the title)
    listed_at: int  # the list's line for this item


@dataclass
class Contents:
    listed: dict[int, str] = field(default_factory=dict)  # list lines → their item's title
    blocks: dict[int, ListedBlock] = field(default_factory=dict)  # start line → block
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def read_contents(lines: list[Line]) -> Contents:
    """Every list of contents in ``lines`` and the blocks each one lists."""
    texts = [line for line in lines if line.text.strip()]
    contents = Contents()
    contents.listed = _repeated_lists(texts, contents.warnings)
    for index, line in enumerate(texts):
        word = _caption_level(line.text)
        if not word:
            continue
        items = _numbered_run(texts, index + 1)
        if len(items) < MIN_ITEMS:
            continue
        blocks = _blocks(_region(texts, index + 1 + len(items)), items, word, contents.warnings)
        if blocks:
            contents.blocks.update(blocks)
            contents.listed[line.number] = line.text.strip()  # the caption
            contents.listed.update((item.number, heading.title) for item, heading in items)
    return contents


def _repeated_lists(texts: list[Line], warnings: list[tuple[int, str]]) -> dict[int, str]:
    """``list_printed_again_as_headings``: the run of items 1., 2. … right after a chapter
    heading whose numbers are all printed again, in order, as the chapter's headings further
    on: a list of contents (its lines), not headings of their own."""
    listed: dict[int, str] = {}
    for index, line in enumerate(texts):
        heading = read_heading(line.text)
        if heading is None or not heading.scheme.startswith("part:"):
            continue
        items = _numbered_run(texts, index + 1)
        later = _region(texts, index + 1 + len(items))
        numbers = [h.number for h in map(read_heading, (line.text for line in later))
                   if h is not None and h.scheme == "1."]  # fmt: skip
        if len(items) >= MIN_ITEMS and _in_order(numbers, len(items)):
            listed.update((item.number, heading.title) for item, heading in items)
            warnings.extend(_disagreements(items, later))
    return listed


def _disagreements(items: list[tuple[Line, Heading]], later: list[Line]) -> list[tuple[int, str]]:
    """Where a list's title and the heading printed for it differ (an extraction's misread,
    埴 for 塙): the heading is used, and the report says so."""
    found = []
    for line in later:
        heading = read_heading(line.text)
        if heading is None or heading.scheme != "1." or not heading.number.isdigit():
            continue
        number = int(heading.number)
        if number > len(items) or any(found_line == line.number for found_line, _ in found):
            continue
        listed_line, listed = items[number - 1]
        title = _compact(re.split(r"[〜~]", heading.title)[0])
        if not title.startswith(_compact(listed.title)) and title != _compact(listed.title):
            found.append((line.number, f"一覧（{listed_line.number} 行目）は「{listed.title}」、"
                          f"見出しは「{title}」です。見出しを使いました"))  # fmt: skip
    return found


def _in_order(numbers: list[str], count: int) -> bool:
    """Whether 1 … ``count`` appear in ``numbers`` in that order (others may come between)."""
    wanted = 1
    for number in numbers:
        if number == str(wanted):
            wanted += 1
    return wanted > count


def captions_a_list(text: str, following: str) -> bool:
    """A line naming a level right before an item numbered 1. (施策大項目と関連するSDGs /
    1. …) captions a list of contents, even where every chapter prints it alike."""
    heading = read_heading(following)
    return bool(_caption_level(text)) and heading is not None and heading.scheme == "1."


def _caption_level(text: str) -> str:
    """The level word a list's caption names (施策大項目と関連するSDGs → 施策大項目), or ""."""
    text = text.strip()
    if len(text) > MAX_CAPTION or read_heading(text) is not None or section_name(text):
        return ""
    return next((word for word in LEVEL_WORDS if word in text), "")


def _numbered_run(texts: list[Line], start: int) -> list[tuple[Line, Heading]]:
    """The lines from ``start`` numbered 1., 2., 3. … in order (blank lines already gone)."""
    items: list[tuple[Line, Heading]] = []
    for line in texts[start:]:
        heading = read_heading(line.text)
        if heading is None or heading.scheme != "1." or heading.number != str(len(items) + 1):
            break
        items.append((line, heading))
    return items


def _region(texts: list[Line], start: int) -> list[Line]:
    """The lines after a list up to the next chapter heading (第N章): where its blocks are."""
    region = []
    for line in texts[start:]:
        heading = read_heading(line.text)
        if heading is not None and heading.scheme.startswith("part:"):
            break
        region.append(line)
    return region


def _blocks(
    region: list[Line],
    items: list[tuple[Line, Heading]],
    word: str,
    warnings: list[tuple[int, str]],
) -> dict[int, ListedBlock]:
    """Each block's start line: the title line before the opening section, or that section.
    A block beyond the list and a listed item without a block are reported."""
    opener = next((section_name(line.text) for line in region if section_name(line.text)), "")
    titles = [_compact(heading.title) for _, heading in items]
    blocks: dict[int, ListedBlock] = {}
    expected = 0
    for index, line in enumerate(region):
        if not opener or section_name(line.text) != opener:
            continue
        if expected >= len(items):
            warnings.append(
                (
                    line.number,
                    f"一覧にある{word}は {len(items)} 件ですが、"
                    f"「{opener}」で始まる{len(items) + 1} 件目のブロックがあります",
                )
            )
            continue
        before = _compact(region[index - 1].text) if index else ""
        if before in titles[expected:]:
            expected = titles.index(before, expected)
            start, printed = region[index - 1], True
        else:
            start, printed = line, False
        listed_line, listed = items[expected]
        heading = Heading(f"word:{word}", listed.number, "", listed.title, word)
        blocks[start.number] = ListedBlock(heading, printed, listed_line.number)
        expected += 1
    started = {block.listed_at for block in blocks.values()}
    warnings.extend(
        (line.number, f"{word}「{heading.title}」は一覧にありますが、本文にブロックがありません")
        for line, heading in items
        if blocks and line.number not in started
    )
    return blocks


def _compact(text: str) -> str:
    """A title without the spaces a PDF extraction put between its words."""
    return re.sub(r"\s+", "", text.strip())
