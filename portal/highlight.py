"""Where a search's words occur in plan text, for the search page to mark them.

A text is folded once (:func:`folded`: NFKC, variant forms, case, spaces squeezed, as
:func:`plans.search.fold` folds the query) and remembers where each folded character came
from, so a match in the folded text marks the original characters (國際 for 国際, ｶﾞｲﾄﾞ for
ガイド). The match, the excerpt around the first match and the marked parts of the excerpt all
come from that one fold: a search page marks its words in a hundred texts and folding each
of them three times, as separate filters did, was most of the page's time (issue 12).

Pure functions: text in, parts out ({"plain": …, "mark": …}: the text before a match and the
match), none when nothing is marked. The template writes the markup, and the text itself when
there are no parts (no loop then: a ``{% for %}`` costs four times a variable):
``{% for part in parts %}{{ part.plain }}{% if part.mark %}<mark>{{ part.mark }}</mark>
{% endif %}{% empty %}{{ text }}{% endfor %}``.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from plans.search import VARIANT_FORMS, fold

EXCERPT_LENGTH = 120
ELLIPSIS = "…"

# Characters that fold together with the one before (see _clusters), which a fold of the
# whole text at once cannot map back: combining marks, half-width (semi-)voiced marks,
# Hangul jamo.
_COMBINING = re.compile(
    "[\u0300-\u036f\u1100-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\u3099\u309a\ufe20-\ufe2f\uff9e\uff9f]"
)
# str.translate looks up every character in VARIANT_FORMS; a search for one is much faster,
# and plan text rarely holds any.
_VARIANT_FORM = re.compile("[" + "".join(map(chr, VARIANT_FORMS)) + "]")
_WHITESPACE_RUN = re.compile(r"\s+")
# A space other than " " (a line break, 　): fold() makes it " ", squeezing runs. (Two
# searches: one for "\s\s|[^\S ]" tries both at every character, twice as long.)
_OTHER_SPACE = re.compile(r"[^\S ]")
_SPACE_RUN = re.compile(r"\s\s")

# Plan text uses a few thousand distinct characters: fold each once per process.
_fold_cluster = functools.lru_cache(maxsize=8192)(fold)

Parts = list[dict[str, str]]


@dataclass(frozen=True)
class Folded:
    """A text and its fold; ``origin[i]`` is the index in ``text`` that folded character
    ``i`` came from (one more entry: the end), or None when it is ``i`` itself."""

    text: str
    haystack: str
    origin: list[int] | None

    def spans(self, needle: str, start: int = 0, end: int | None = None) -> list[tuple]:
        """(start, end) in ``text`` of each match of the folded ``needle``, left to right,
        not overlapping; with ``start``/``end`` (identity folds only) within that range."""
        if not needle:
            return []
        haystack, origin = self.haystack, self.origin
        end = len(haystack) if end is None else end
        found, at = [], haystack.find(needle, start, end)
        while at != -1:
            stop = at + len(needle)
            found.append((at, stop) if origin is None else (origin[at], origin[stop]))
            at = haystack.find(needle, stop, end)
        return found


def _clusters(text: str):
    """Characters with the marks that combine with them (ｶﾞ folds as one, like ガ)."""
    cluster = ""
    for char in text:
        if cluster and (unicodedata.combining(char) or char in "\uff9e\uff9f"):
            cluster += char
            continue
        if cluster:
            yield cluster
        cluster = char
    if cluster:
        yield cluster


def folded(text: str) -> Folded:
    """``text`` folded for matching, squeezing each run of spaces to one as fold() does.

    Nearly all plan text folds a character to one character: then the whole text is folded
    at once, and where no run of spaces was squeezed a folded index is the text's own.
    """
    if not _COMBINING.search(text):
        whole = unicodedata.normalize("NFKC", text)
        if _VARIANT_FORM.search(whole):
            whole = whole.translate(VARIANT_FORMS)
        whole = whole.casefold()
        if len(whole) == len(text):
            return _squeezed(text, whole)
    return _folded_by_cluster(text)


def _squeezed(text: str, whole: str) -> Folded:
    """The fold of ``text`` (``whole``: one folded character per character) with each run
    of spaces squeezed to one."""
    if "  " not in whole and not _OTHER_SPACE.search(whole):
        return Folded(text, whole, None)
    if not _SPACE_RUN.search(whole):  # single spaces, each made " " in its place
        return Folded(text, _WHITESPACE_RUN.sub(" ", whole), None)
    pieces, origin, last = [], [], 0
    for run in _WHITESPACE_RUN.finditer(whole):
        pieces += [whole[last : run.start()], " "]
        origin += range(last, run.start() + 1)
        last = run.end()
    pieces.append(whole[last:])
    origin += range(last, len(text) + 1)
    return Folded(text, "".join(pieces), origin)


def _folded_by_cluster(text: str) -> Folded:
    """The fold of ``text`` a cluster at a time: a character that folds to several (㈱,
    ß) or that combines with the one before (ｶﾞ)."""
    chars: list[str] = []
    origin: list[int] = []
    position = 0
    for cluster in _clusters(text):
        piece = " " if cluster.isspace() else _fold_cluster(cluster)
        if piece == " " and chars and chars[-1] == " ":
            piece = ""  # fold() squeezes runs of spaces
        chars.extend(piece)
        origin.extend([position] * len(piece))
        position += len(cluster)
    origin.append(position)
    return Folded(text, "".join(chars), origin)


def marked(text: str, spans: list[tuple]) -> Parts:
    """``text`` as parts: the text before each span and the span, then the rest unmarked;
    none without a span (the text is shown as it is)."""
    parts, last = [], 0
    for start, end in spans:
        parts.append({"plain": text[last:start], "mark": text[start:end]})
        last = end
    if parts and last < len(text):
        parts.append({"plain": text[last:], "mark": ""})
    return parts


def highlighted(text: str, needle: str) -> Parts:
    """``text`` with the matches of the folded ``needle`` marked."""
    return marked(text, folded(text).spans(needle)) if text else []


def excerpt(text: str, needle: str) -> tuple[str, Parts]:
    """About EXCERPT_LENGTH characters of ``text`` (spaces squeezed) around its first match
    of ``needle``, "…" where text was cut off, and its parts with the matches inside marked."""
    return excerpt_of(folded(" ".join((text or "").split())), needle)


def excerpt_of(text: Folded, needle: str) -> tuple[str, Parts]:
    """:func:`excerpt` of a text already folded (its spaces squeezed: " ".join(split()))."""
    first = text.spans(needle)[:1]
    start = max(first[0][0] - EXCERPT_LENGTH // 3, 0) if first else 0
    end = min(start + EXCERPT_LENGTH, len(text.text))
    window = text.text[start:end]
    if text.origin is None:  # folded indexes are the text's: the matches inside the window
        spans = [(at - start, stop - start) for at, stop in text.spans(needle, start, end)]
    else:  # they are not: fold the window alone
        spans = folded(window).spans(needle)
    before = ELLIPSIS if start else ""
    after = ELLIPSIS if end < len(text.text) else ""
    parts = marked(window, spans)
    if parts:
        parts[0]["plain"] = before + parts[0]["plain"]
        if after:
            parts.append({"plain": after, "mark": ""})
    return before + window + after, parts
