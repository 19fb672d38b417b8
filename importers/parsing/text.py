"""Small text helpers shared by the layout readers (stdlib only)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from importers.parsing.model import Line

CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_SPACE_BETWEEN_WIDE = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+(?=[^\x00-\x7f])")
_BEFORE_CIRCLED = re.compile(rf"\s*(?=[{CIRCLED_NUMBERS}])")
_MARKDOWN_HEADING = re.compile(r"^#+\s*")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MUNICIPALITY = re.compile(r"[\u4e00-\u9fff]{2,7}[市町村]")
_PREFECTURE = re.compile(r"^(北海道|東京都|京都府|大阪府|[\u4e00-\u9fff]{2,3}県)")
_NOT_MUNICIPALITY = ("本市", "本町", "本村", "都市", "市町村", "町村")


def join_wide_spaces(text: str) -> str:
    """Drop spaces between two non-ASCII characters: a line-break artifact in Japanese text.

    Spaces next to ASCII words ("Net Promoter Score", "基本施策 1") are kept.
    """
    return _SPACE_BETWEEN_WIDE.sub("", text)


def join_title(parts: Iterable[str]) -> str:
    """A title broken across lines or cells, joined back into one line."""
    return join_wide_spaces("".join(part.strip() for part in parts)).strip()


def strip_markup(text: str) -> str:
    """Markdown left over from the PDF extraction: heading hashes and **bold** marks."""
    text = _MARKDOWN_HEADING.sub("", text.strip())
    return _BOLD.sub(r"\1", text).strip()


def circled_number(text: str) -> int | None:
    """1 for "①…", None when the text does not start with a circled number."""
    position = CIRCLED_NUMBERS.find(text[:1]) if text else -1
    return position + 1 if position >= 0 else None


def split_circled(text: str) -> list[str]:
    """Split "①… ②…" into ["①…", "②…"]; text before the first number comes first."""
    pieces = [piece.strip() for piece in _BEFORE_CIRCLED.split(text)]
    return [piece for piece in pieces if piece]


def strip_bullet(text: str) -> str:
    """ "- text" → "text" (the bullet of a list item)."""
    text = text.strip()
    if text.startswith(("- ", "・", "•")) or text == "-":
        return text[1:].strip()
    return text


def is_bullet(text: str) -> bool:
    return text.lstrip().startswith(("- ", "・", "•"))


def paragraphs(lines: Iterable[Line]) -> str:
    """Lines as a section body: blank lines separate paragraphs, bullets stay "- " lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        text = strip_markup(line.text)
        if not text:
            if blocks[-1]:
                blocks.append([])
            continue
        if is_bullet(text):
            blocks[-1].append("- " + strip_bullet(text))
        elif blocks[-1] and not blocks[-1][-1].startswith("- "):
            blocks[-1][-1] += text  # a paragraph broken across lines
        else:
            blocks[-1].append(text)
    return "\n\n".join("\n".join(block) for block in blocks if block)


def guess_municipality(lines: Iterable[Line]) -> str:
    """The city the text keeps naming ("緑川市の魅力…" → 緑川市), or "" if none.

    Kanji run together, so a match may carry a word before the name (北海道緑川市, 第2次緑川市):
    every ending of a match counts as a candidate, and the most frequent wins, the longest on a tie.
    """
    names: Counter[str] = Counter()
    for line in lines:
        for match in _MUNICIPALITY.findall(line.text):
            match = _PREFECTURE.sub("", match) if len(_PREFECTURE.sub("", match)) >= 3 else match
            names.update(
                match[start:]
                for start in range(len(match) - 2)
                if not match[start:].endswith(_NOT_MUNICIPALITY)
            )
    if not names:
        return ""
    return max(names, key=lambda name: (names[name], len(name)))


def first_text_line(lines: list[Line], start: int = 0) -> int | None:
    """Index of the first non-blank line at or after ``start``."""
    for index in range(start, len(lines)):
        if lines[index].text.strip():
            return index
    return None
