"""Read the cells of KPI tables: values with their unit, comparator and note, fiscal years.

A cell keeps its raw text; the number is a ``Decimal`` exactly as printed ("82.31" stays
82.31, "100.0点" is ``Decimal("100.0")`` with unit 点), the unit and the comparator are kept
apart from it, and nothing is scaled ("285,000千円" is 285000 with unit 千円). These functions
never raise: a cell they cannot read becomes a ``Value`` without a number whose note holds
the text, and the layout decides whether that is an error.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from .model import Comparator, Value

# "—", "―", "-", "なし": the cell has no value (never zero).
NO_VALUE = frozenset({"", "—", "―", "─", "-", "‐", "ー", "−", "–", "なし", "無し", "…", "***"})

# Comparators written after the number ("88.0以下", "1,400人以上") or alone ("維持").
# 未満 and 超 are strict; the model only knows ≤ and ≥, so the word is also kept in the note.
SUFFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("以上", Comparator.GTE),
    ("以下", Comparator.LTE),
    ("以内", Comparator.LTE),
    ("未満", Comparator.LTE),
    ("超", Comparator.GTE),
    ("を維持", Comparator.STAY),
    ("維持", Comparator.STAY),
)
PREFIX_COMPARATORS = {"≧": Comparator.GTE, "≥": Comparator.GTE, "≦": Comparator.LTE,
                      "≤": Comparator.LTE, ">": Comparator.GTE, "<": Comparator.LTE}  # fmt: skip
STRICT_COMPARATORS = frozenset({"未満", "超", ">", "<"})

# 和暦: the 西暦 year of 元年 minus one.
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}

_ARROWS = "▶▷►➡→⇒"
_EDGE_ARROWS = re.compile(f"^[{_ARROWS}\\s]+|[{_ARROWS}\\s]+$")
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?|\.\d+")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ERA_YEAR = re.compile(
    r"(令和|平成|昭和)\s*(元|\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*年)?"
    r"|(?<![A-Za-z])([RHS])\.?\s*(元|\d{1,2})(?![\d.,%])"
    r"|(?<![\d,.])((?:19|20)\d{2})(?:\s*年|(?=\s*[)\]]))"
)
_WHOLE_YEAR = re.compile(r"[(\[]?\s*(?:19|20)\d{2}\s*[)\]]?")
_YEAR_PREFIX = re.compile(
    r"^((?:令和|平成|昭和|[RHS])\s*(?:元|\d{1,2})|(?:19|20)\d{2})\s*(?:年度?)?\s*:"
)
_TRAILING_BRACKET = re.compile(r"\(([^()]*)\)$")
_FOOTNOTE_MARK = re.compile(r"[*※]+$")
_FOOTNOTE_GROUP = re.compile(r"\*+|※\d*|\d{1,2}|注\d*")


def parse_value(raw: str) -> Value:
    """The meaning of one KPI cell; ``raw`` is kept without surrounding spaces and arrows."""
    raw = _EDGE_ARROWS.sub("", raw or "")
    text = _fold(raw)
    if text in NO_VALUE:
        return Value(raw=raw)
    value = Value(raw=raw)
    notes: list[str] = []
    text = _take_year_prefix(text, value)
    text = _take_brackets(text, value, notes)
    text = _FOOTNOTE_MARK.sub("", text).strip()
    text = _take_comparator(text, value, notes)
    if text.startswith("約"):
        notes.insert(0, "約")
        text = text[1:].strip()
    _take_number(text, value, notes)
    value.note = " ".join(note for note in notes if note)
    return value


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.replace("～", "〜"))
    return re.sub(r"\s+", " ", text.replace("\u2212", "-").replace("\u2010", "-")).strip()


def _take_year_prefix(text: str, value: Value) -> str:
    """``H27:74.3%``: the year the value belongs to, written before it."""
    match = _YEAR_PREFIX.match(text)
    if not match:
        return text
    value.fiscal_year = parse_fiscal_year(match.group(1) + "年")
    return text[match.end() :].strip()


def _take_brackets(text: str, value: Value, notes: list[str]) -> str:
    """``70.7%(2012年度)`` names the year; ``0 人(移動均衡)`` carries a note."""
    while match := _TRAILING_BRACKET.search(text):
        inner = match.group(1).strip()
        year = parse_fiscal_year(inner)
        if year is not None and _is_only_a_year(inner) and value.fiscal_year is None:
            value.fiscal_year = year
        else:
            notes.insert(0, inner)
        text = text[: match.start()].strip()
    return text


def _is_only_a_year(text: str) -> bool:
    rest = _ERA_YEAR.sub("", text)
    return not re.sub(r"[年度末時点現在\s]", "", rest)


def _take_comparator(text: str, value: Value, notes: list[str]) -> str:
    if text[:1] in PREFIX_COMPARATORS:
        value.comparator = PREFIX_COMPARATORS[text[0]]
        if text[0] in STRICT_COMPARATORS:
            notes.append(text[0])
        text = text[1:].strip()
    for word, comparator in SUFFIX_COMPARATORS:
        if text.endswith(word):
            value.comparator = comparator
            if word in STRICT_COMPARATORS:
                notes.append(word)
            return text[: -len(word)].strip()
    return text


def _take_number(text: str, value: Value, notes: list[str]) -> None:
    """``▲229人`` → −229 人; a cell without a number keeps its words in the note."""
    written = text
    sign = ""
    if text[:1] and text[0] in "▲△-+":
        sign = "" if text[0] == "+" else "-"
        text = text[1:].strip()
    match = _NUMBER.match(text)
    if not match:
        if written:
            notes.insert(0, written)
        return
    unit = text[match.end() :].strip()
    if len(unit) > 10 or re.search(r"(?<![A-Za-z])\d", unit):
        notes.insert(0, unit)  # not a unit: "10 → 20", a sentence …
        unit = ""
    value.value = Decimal(sign + match.group().replace(",", ""))
    value.unit = unit


# --- fiscal years ----------------------------------------------------------------------------


def parse_fiscal_year(text: str) -> int | None:
    """The first fiscal year named in ``text`` as a 西暦 integer, or None.

    "実績値（令和3年度）" → 2021, "令和元年度" → 2019, "平成31年度" → 2019, "H26" → 2014,
    "2027年度" → 2027, "(2027)" → 2027. Inside other text a four-digit number is a year only
    when 年 follows it or brackets close after it ("3,942,178回" names no year).
    """
    folded = _fold(text or "")
    if _WHOLE_YEAR.fullmatch(folded):
        return int(re.sub(r"\D", "", folded))
    for match in _ERA_YEAR.finditer(folded):
        era, number, letter, letter_number, western = match.groups()
        if western:
            return int(western)
        offset = ERAS[era or letter]
        year = _era_number(number or letter_number)
        if year:
            return offset + year
    return None


def _era_number(text: str) -> int:
    """元 → 1, "31" → 31, 漢数字 "三十一" → 31; 0 when it is not a year number."""
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        tens, ones = "", text
    total = (_KANJI_DIGITS.get(tens, 0) if tens else (1 if "十" in text else 0)) * 10
    return total + sum(_KANJI_DIGITS.get(c, 0) for c in ones)


# --- KPI names -------------------------------------------------------------------------------


def split_name_definition(text: str) -> tuple[str, str]:
    """``"自治会の加入率 [全世帯のうち…割合]"`` → (name, definition).

    The definition is the last bracketed group that is not a footnote mark; footnote marks
    ("[*]", "[※]") stay in the name, without the spaces around them. A bracket left open by
    a truncated line still gives its text as the definition.
    """
    folded = _fold(text or "")
    groups = _bracket_groups(folded)
    definition_group = next(
        (g for g in reversed(groups) if not _FOOTNOTE_GROUP.fullmatch(folded[g[0] + 1 : g[1]])),
        None,
    )
    if definition_group is None:
        return _tidy_name(folded), ""
    start, end = definition_group
    definition = folded[start + 1 : end].strip()
    name = folded[:start] + " " + folded[end + 1 :]
    return _tidy_name(name), definition


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """(index of "[", index of its "]") for each top-level group; an open one ends the text."""
    groups: list[tuple[int, int]] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "[":
            if depth == 0:
                start = index
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index))
    if depth:
        groups.append((start, len(text)))
    return groups


# A space between two characters of Japanese words (kana, kanji, 「」): a line break in the cell;
# a space before a mark (数 ※) or next to Latin letters is the text's own.
_JAPANESE = "\u3040-\u30ff\u4e00-\u9fff々「」『』"
_NAME_BREAK = re.compile(rf"(?<=[{_JAPANESE}])\s+(?=[{_JAPANESE}])")


def _tidy_name(name: str) -> str:
    """Footnote marks close to their word; ``name_joined_across_breaks``: a space between two
    Japanese characters is where the name wrapped in its cell (実行委員会 数 → 実行委員会数)."""
    name = re.sub(r"\s*(\[(?:\*+|※\d*)\])\s*", r"\1", name)
    return _NAME_BREAK.sub("", re.sub(r"\s+", " ", name)).strip()
