"""Which lines are headings: their numbering scheme, number, level word, code and title.

``read_heading(text)`` recognises one line as a heading of the plan's tree, or returns None.
Schemes (each its own level until codes say otherwise):

* ``第N章`` / ``第N節`` / ``第N部`` … (N in digits, kanji or Roman numerals);
* a level word with a number: ``基本目標1``, ``施策 2-1``, ``施策①``, ``施策B3-1``, also in
  brackets ``[基本目標 11]`` / ``【基本目標31】``;
* Roman numerals ``I`` / ``II`` (NFKC folds Ⅰ Ⅱ to them), letter codes ``D4`` / ``B3-1``;
* dotted codes ``1-1`` / ``1-1-3`` (also glued to the title: ``3-1スポーツ``), digit codes
  ``1101`` / ``31101`` with or without a title;
* ``1.`` ``1)`` ``(1)`` ``()`` (the number lost in extraction) ``①`` ``ア`` ``(ア)``, and
  ``3 title`` / ``3title`` without a dot;
* a structural code after the title: ``title（3121）`` / ``title (2-1-3)``;
* decorated captions ``■ title`` / ``◆ title`` / ``◇1 title``.

A heading's title is short, is no sentence (no 。 at the end), and does not start with a unit
or a counter (``2022年度…`` and ``12件`` are values, not headings). Whether a recognised heading
becomes a node is the tree's decision (``tree``): a bare number must nest to be a code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from importers.parsing.vocabulary import (
    DOCUMENT_PARTS,
    LEVEL_WORDS,
    PART_WORDS,
    SECTION_NAMES,
    SURVEY_WORDS,
    TEXT_SECTION_WORDS,
)

MAX_TITLE = 60
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
KANA_ITEMS = "アイウエオカキクケコサシスセソタチツテト"
KANJI_NUMBERS = "〇一二三四五六七八九十"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
         "X": 10, "XI": 11, "XII": 12}  # fmt: skip

_WORDS = "|".join(LEVEL_WORDS)
_NUMBER = r"\d{1,3}(?:[-‐.・]\d{1,3}){0,3}|[A-Z]{1,2}\d{1,3}(?:-\d{1,3}){0,3}|[①-⑳]"
# A title must not start with what follows a number in a value or a date.
_UNIT_START = re.compile(
    r"^(?:年|か年|ヵ年|カ年|箇年|月|日|人|件|%|％|円|万|億|千|百|回|歳|才|か所|箇所|ヶ所|カ所|位|点"
    r"|倍|名|世帯|団体|校|園|台|戸|棟|km|m|t|g|kg|ha|時|分|秒|号|条|項|次|期|割|つ|社"
    r"|店|本|冊|頭|隻|匹|羽|枚|席|床|人目|番|丁目|線|便|:|/|\.|,|~|〜|-)"
)
_DECORATION = re.compile(r"^[■□●○◆◇▼▽◎★☆▶►▷◯]\s*")
_MARKDOWN = re.compile(r"^(#{1,6})\s*")
_FRAMED = re.compile(r"^-\s*(\S.*?)\s*-$")
MIN_GLUED_SECTION = 4

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第\s*(?P<num>\d{{1,2}}|[{KANJI_NUMBERS}]{{1,3}}|[IVX]{{1,4}})\s*"
                        rf"(?P<word>[{PART_WORDS}])\s*(?P<title>.*)$")),
    ("bracket", re.compile(rf"^[\[【]\s*(?P<word>{_WORDS})\s*(?P<num>{_NUMBER})?\s*[\]】]"
                           r"\s*(?P<title>.*)$")),
    ("word", re.compile(rf"^(?P<word>{_WORDS})\s*(?P<num>{_NUMBER})(?![\d.,%])\s*[.:．:：]?\s*"
                        r"(?P<title>.*)$")),
    ("roman", re.compile(r"^(?P<num>(?:XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I))(?:[.．、]\s*|\s+)"
                         r"(?P<title>[^\x00-\x7f].*)$")),
    ("letter", re.compile(r"^(?P<num>[A-Z]{1,2}\d{1,3}(?:-\d{1,3}){0,3})(?:\s+|(?=[^\x00-\x7f]))"
                          r"(?P<title>.*)$")),
    ("dotted", re.compile(r"^(?P<num>\d{1,2}(?:[-‐]\d{1,2}){1,3})[.．]?(?:\s+|(?=[^\d\s.,%]))"
                          r"(?P<title>.*)$")),
    ("dotted", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<title>[^\x00-\x7f].*)$")),
    ("digits", re.compile(r"^(?P<num>\d{3,7})(?:\s+(?P<title>\S.*))?$")),
    ("1.", re.compile(r"^(?P<num>\d{1,2})[.．](?!\d)\s*(?P<title>\S.*)$")),
    ("1)", re.compile(r"^(?P<num>\d{1,2})[)）]\s*(?P<title>\S.*)$")),
    ("(1)", re.compile(r"^[(（]\s*(?P<num>\d{1,2})?\s*[)）]\s*(?P<title>\S.*)$")),
    ("①", re.compile(r"^(?P<num>[①-⑳])\s*(?P<title>\S.*)$")),
    ("(ア)", re.compile(rf"^[(（](?P<num>[{KANA_ITEMS}])[)）]\s*(?P<title>\S.*)$")),
    ("ア", re.compile(rf"^(?P<num>[{KANA_ITEMS}])(?:[.．、]\s*|\s+)(?P<title>\S.*)$")),
    ("1 ", re.compile(r"^(?P<num>\d{1,2})(?:\s+|(?=[^\x00-\x7f]))(?P<title>[^\d\s].*)$")),
)  # fmt: skip
_CODE_AFTER_TITLE = re.compile(
    r"^(?P<title>[^\t]*[^\s(（])\s*[(（]\s*(?P<num>\d{2,7}|\d{1,2}(?:-\d{1,2}){1,3}"
    r"|[A-Z]{1,2}\d{1,3}(?:-\d{1,3}){0,3})\s*[)）]$"
)


@dataclass(frozen=True)
class Heading:
    scheme: str  # the numbering scheme: "part:章", "word:基本目標", "dotted:2", "1.", "(1)" …
    number: str  # the printed number, normalized ("3", "2-1", "B3-1"; circled → "1"), or ""
    code: str  # a structural code the heading prints ("2-1", "1101", "B3"), or ""
    title: str
    level_word: str = ""  # the name the heading gives its level (基本目標, 章), or ""
    depth: int | None = None  # a depth the document states (markdown #, an HTML h2)
    decorated: bool = False  # printed after ■ ◆ ● …

    @property
    def level_key(self) -> str:
        """Headings with the same key are one level: the level word unites 基本目標1 and
        【基本目標2】; otherwise the scheme."""
        return f"word:{self.level_word}" if self.level_word else self.scheme


_SCHEME_SHAPES = {"part": "第N{}", "word": "{} N", "roman": "Ⅰ, Ⅱ …", "1.": "N.", "1)": "N)",
                  "(1)": "(N)", "①": "①", "(ア)": "(ア)", "ア": "ア", "1 ": "N（番号の後に空白）",
                  "■": "■ 見出し", "row": "表の行のコード",
                  "topic": "〜につきましては、"}  # fmt: skip


def describe_scheme(key: str) -> str:
    """A heading scheme as the report shows it: word:基本目標 → 「基本目標 N」, dotted:2 → 「N-N」
    (the shape of the number; never an error, an unknown key is shown as it is)."""
    kind, _, detail = key.partition(":")
    letter, count = detail.startswith("B"), detail.lstrip("B")
    shape = ("A" if letter else "") + "-".join(["N"] * int(count)) if count.isdigit() else detail
    if kind in ("dotted", "letter"):
        return f"「{shape}」"
    if kind == "after":
        return "「見出し（コード）」"
    if kind == "word" and len(detail) == 1 and detail in PART_WORDS:
        kind = "part"
    if kind == "digits":
        return f"「{detail}桁の番号」"
    if kind.startswith("#"):
        return "「# 見出し」"
    return "「" + _SCHEME_SHAPES.get(kind, kind).replace("{}", detail) + "」"


def read_heading(text: str, depth: int | None = None) -> Heading | None:
    """The heading ``text`` is, or None (a sentence, a value, a table row, a label)."""
    text = text.strip()
    first, tab, rest = text.partition("\t")
    if tab and "\t" not in rest and len(first) <= 8:
        text = f"{first} {rest}"  # 第1章<TAB>教育・文化: aligned by spaces in the extraction
    if not text or "\t" in text or text.startswith(("- ", "・", "•", "※", "*")):
        return None
    markdown = _MARKDOWN.match(text)
    if markdown:
        depth = depth or len(markdown.group(1))
        text = text[markdown.end() :]
    decoration = _DECORATION.match(text)
    bare = text[decoration.end() :] if decoration else text
    heading = _numbered(bare, depth, bool(decoration)) or _code_after_title(bare, depth)
    if heading is None and (decoration or depth) and _is_title(bare):
        scheme = f"#{depth}" if depth else "■"
        heading = Heading(scheme, "", "", bare, depth=depth, decorated=bool(decoration))
    return heading


def is_label(heading: Heading) -> bool:
    """A heading that names a level or a part of the document (3 基本目標, 第1編 基本計画,
    【成果指標】), not a node."""
    title = re.sub(r"[\s・]", "", heading.title)
    return (
        not title
        or title in LEVEL_WORDS
        or title in DOCUMENT_PARTS
        or any(title == name for name in SECTION_NAMES)
    )


def level_label(text: str) -> str:
    """``label_names_level``: the level word a line prints alone (基本目標, ■ 個別施策,
    【基本施策】), or "" — a label over the headings after it that names their level."""
    bare = re.sub(r"^[■□●○◆◇▼▽◎★☆▶►▷◯#\s]+", "", text.strip())
    bare = re.sub(r"^[【\[](.+)[】\]]$", r"\1", bare).strip()
    return bare if bare in LEVEL_WORDS and bare not in TEXT_SECTION_WORDS else ""


def framed_caption(text: str) -> str:
    """``framed_caption_opens_box``: the title of a box framed by dashes (「- 基本協定の概要 -」),
    or ""; a bullet 「- 項目」 is no frame."""
    found = _FRAMED.match(text.strip())
    return found.group(1) if found and _is_title(found.group(1)) else ""


def section_with_text(text: str) -> tuple[str, str]:
    """``section_name_with_its_text``: a section name printed with its text on one line
    (「施策に係る市民満足度 人権が尊重されている 23.1%」): (name, text), else ("", "").
    Only names of ``MIN_GLUED_SECTION`` characters or more: a shorter word followed by text
    (課題 …, 評価 …) is more often a sentence than a section."""
    name, space, rest = text.strip().partition(" ")
    if space and rest.strip() and len(name) >= MIN_GLUED_SECTION and section_name(name) == name:
        return name, rest.strip()
    return _survey_glued(text.strip())


def _survey_glued(text: str) -> tuple[str, str]:
    """A survey box's name glued to its item and percentage by an extraction that dropped the
    space (施策に係る市民満足度人権が尊重されている 23.1%)."""
    for name in SECTION_NAMES:
        rest = text[len(name) :].strip()
        if any(word in name for word in SURVEY_WORDS) and text.startswith(name) and rest:
            if re.search(r"\d+(?:\.\d+)?\s*%\**$", rest):
                return name, rest
    return "", ""


def section_name(text: str) -> str:
    """The section a line opens (現状と課題, 【主な取組】, ■成果指標), or ""."""
    bare = re.sub(r"^[■□●○◆◇▼▽◎★☆▶►▷◯#\s]+", "", text.strip())
    bracketed = re.fullmatch(r"[【\[〔<＜《](.{1,20})[】\]〕>＞》]", bare)
    if bracketed:
        return bracketed.group(1).strip()
    bare = re.sub(r"[(（][^)）]*[)）]$", "", bare).strip()
    if any(bare == name for name in SECTION_NAMES):
        return bare
    return ""


def section_item_level(text: str) -> str:
    """``section_names_level_of_its_items``: the level word a section heading names in brackets
    after its name (取組内容(施策中項目)), or is (■ 個別施策): the numbered items of that
    section are of that level. "" when it names none."""
    found = re.search(r"[(（]([^)）]+)[)）]$", text.strip())
    word = found.group(1).strip() if found else level_label(text)
    return word if section_name(text) and word in LEVEL_WORDS else ""


def _numbered(text: str, depth: int | None, decorated: bool) -> Heading | None:
    for scheme, pattern in PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        heading = _make(scheme, match, depth, decorated)
        if heading is not None:
            return heading
    return None


def _make(scheme: str, match: re.Match, depth: int | None, decorated: bool) -> Heading | None:
    groups = match.groupdict()
    title = (groups.get("title") or "").strip()
    number = _normalize_number(groups.get("num") or "")
    word = groups.get("word") or ""
    if title and not _is_title(title):
        return None
    glued = match.end("num") == match.start("title") if "num" in groups else False
    if scheme in ("1 ", "digits", "1.", "1)", "(1)") and title and _UNIT_START.match(title):
        if glued or len(title) <= 3:
            return None  # 2022年度…, 12件, 12 件: a value, not a heading
    if scheme == "(1)" and not number and not title:
        return None
    inner = _code_after_title(title, depth) if title else None
    code = ""
    if scheme in ("dotted", "letter", "digits"):
        code = number
        scheme = f"{scheme}:{_segments(number)}"
    elif scheme == "word" and re.search(r"[-A-Z]", number):
        code = number
    elif scheme == "bracket":
        scheme, code = "word", number if number and len(number) > 1 else ""
    if inner is not None:
        title, code = inner.title, code or inner.code
    if scheme == "word":
        return Heading(f"word:{word}", number, code, title, word, depth, decorated)
    if scheme == "part":
        return Heading(f"part:{word}", number, "", title, word, depth, decorated)
    return Heading(scheme, number, code, title, "", depth, decorated)


def _code_after_title(text: str, depth: int | None) -> Heading | None:
    """``安全な暮らし（311）``: the code printed after the title decides the level."""
    match = _CODE_AFTER_TITLE.match(text)
    if match is None or not _is_title(match.group("title")):
        return None
    code = match.group("num")
    if code.isdigit() and len(code) >= 4 and code.startswith(("19", "20")):
        return None  # a year in brackets
    return Heading(f"after:{_segments(code)}", code, code, match.group("title").strip(), "", depth)


def _segments(code: str) -> str:
    """The shape of a code, which is its level: 2-1 → 2, 1101 → 4, B3-1 → B2."""
    if "-" in code:
        return ("B" if code[0].isalpha() else "") + str(code.count("-") + 1)
    if code[:1].isalpha():
        return "B1"
    return str(len(code))


def _normalize_number(number: str) -> str:
    number = re.sub("[‐・]", "-", number.strip())
    if number in ROMAN:
        return str(ROMAN[number])
    if number and number in CIRCLED:
        return str(CIRCLED.index(number) + 1)
    if number and number in KANA_ITEMS:
        return str(KANA_ITEMS.index(number) + 1)
    if number and all(char in KANJI_NUMBERS for char in number):
        return str(_kanji_number(number))
    return number


def _kanji_number(text: str) -> int:
    digits = {char: index for index, char in enumerate("〇一二三四五六七八九")}
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return digits.get(text, 0)
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _is_title(text: str) -> bool:
    text = text.strip()
    return (
        0 < len(text) <= MAX_TITLE
        and not text.endswith(("。", "、"))
        and "\t" not in text
        and bool(re.search(r"[^\x00-\x7f]", text))
    )


# A code printed alone in a table cell: 1-1, 1101, B3-1.
_BARE_CODE = re.compile(r"\d{1,7}(?:[-‐・]\d{1,3}){0,3}|[A-Z]{1,2}\d{1,3}(?:-\d{1,3}){0,3}")
# Item numbers (①, (1), ア): they count rows, they are not codes.
_ITEM_SCHEMES = ("①", "(1)", "1)", "ア", "(ア)")


def row_heading(code: str, section: str) -> Heading:
    """The node a KPI table row names by its code and section cells (``columns_name_nodes``):
    「1-1」 alone, 「1-1 防災」, 「1 活力あるまち」, 「基本目標1 まち」 or a title. A number
    printed in a code or section column is the node's code (items ①, (1), ア are not); the
    scheme is the code's shape, as a heading printing that code would have it, so that the
    tree places the row's node as it places that heading."""
    code, text = _normalize_number(code.strip()) if code.strip() else "", section.strip()
    if text and _BARE_CODE.fullmatch(text):
        code, text = code or _normalize_number(text), ""
    heading = read_heading(text) if text else None
    if heading is not None and not is_label(heading):
        if heading.scheme not in _ITEM_SCHEMES and _BARE_CODE.fullmatch(heading.number):
            code = code or heading.code or heading.number
        return Heading(heading.scheme, heading.number, code, heading.title, heading.level_word)
    return Heading(_code_scheme(code) if code else "row", code, code, text)


def _code_scheme(code: str) -> str:
    """The scheme a heading printing only ``code`` has: 2-1 → dotted:2, 1101 → digits:4."""
    if "-" in code:
        return ("letter:" if code[0].isalpha() else "dotted:") + _segments(code)
    if code[:1].isalpha():
        return "letter:B1"
    return f"digits:{len(code)}" if len(code) >= 3 else "1 "
