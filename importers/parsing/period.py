"""The plan period a text states: 計画期間 令和5年度〜令和9年度, 2023-2027, 平成28年度から5年間.

``stated_period`` looks first at lines that name a period (計画期間, 期間, 計画年度), then at
the titles among the first lines (「第2次…総合計画 後期基本計画（2023〜2027）」): a sentence about
population years is no period.
A range counts when it runs forwards over at most 12 years; a start alone counts when a length
follows it (…から5年間) or when a 期間 line gives only the start (the end is then open).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from importers.parsing.model import Line
from importers.parsing.values import parse_fiscal_year

PERIOD_WORDS = ("計画期間", "期間", "計画年度", "目標年度")
HEAD_LINES = 40  # a cover or title page, where a period without 期間 may stand
MAX_YEARS = 12

_YEAR = (
    r"(?:(?:令和|平成|昭和)\s*(?:元|\d{1,2})|(?:19|20)\d{2})"
    r"\s*(?:\(\s*(?:19|20)\d{2}\s*\))?\s*年?度?"
)
_RANGE = re.compile(
    rf"(?P<first>{_YEAR})\s*(?:〜|~|-|–|―|ー|から|より)\s*(?P<last>{_YEAR})(?:\s*まで)?"
)
_START = re.compile(rf"(?P<first>{_YEAR})\s*(?:から|より|〜|~)")
_TITLE_WORDS = re.compile(r"計画|方針|ビジョン|構想|戦略")
_LENGTH = re.compile(r"(\d{1,2})\s*(?:か|ヵ|カ|ケ|箇)?\s*年間")


def stated_period(lines: Iterable[Line]) -> tuple[int | None, int | None, int]:
    """(first, last, line) of the period the text states; (None, None, 0) when it states none."""
    lines = list(lines)
    named = [line for line in lines if any(word in line.text for word in PERIOD_WORDS)]
    head = [line for line in lines[:HEAD_LINES] if _TITLE_WORDS.search(line.text)]
    for line in named + head:
        first, last = period_in(line.text, allow_open=line in named)
        if first is not None:
            return first, last, line.number
    return None, None, 0


def period_in(text: str, allow_open: bool = False) -> tuple[int | None, int | None]:
    """The period one line states: a forward range of at most 12 years, or a start (+ length)."""
    for match in _RANGE.finditer(text):
        first, last = _year(match["first"]), _year(match["last"])
        if first and last and 0 <= last - first < MAX_YEARS:
            return first, last
    start = _START.search(text)
    if start is not None and (first := _year(start["first"])):
        length = _LENGTH.search(text, start.end())
        if length is not None and 0 < int(length.group(1)) <= MAX_YEARS:
            return first, first + int(length.group(1)) - 1
        if allow_open:
            return first, None
    return None, None


def _year(text: str) -> int | None:
    """A fiscal year written 令和5年度, 令和5(2023)年度, 2023年度 or 2023."""
    year = parse_fiscal_year(text)
    return year if year and 1950 <= year <= 2100 else None
