"""Cross-cutting chapters: plans that refer to the nodes of other chapters by their codes.

A chapter titled with a cross-cutting word (政策連携プラン, 分野横断 …: ``vocabulary``) is no
node of the plan's tree. Its numbered headings are cross-cutting plans (roots of their own
kind), and in their text a level word printed alone (施策大項目) opens a list of references:

    ▶ 塙保己一の生き方に学ぶ          ← a section of the plan
    …
    施策大項目                        ← the references' caption
    2-1 確かな学力と自立する力の育成   ← a reference to 2-1, titled as printed
    5-1 市民との協働による            ← a title wrapped onto the next line
    まちづくりの推進

Pure helpers here; the tree (``tree``) keeps the state.
"""

from __future__ import annotations

import re

from importers.parsing.vocabulary import CROSS_CUTTING_WORDS

TILDES = "〜~"  # NFKC folds ～ to ~; the wave dash 〜 stays
_SUBTITLE = re.compile(
    rf"^(?P<title>[^{TILDES}]+?)\s*[{TILDES}](?P<subtitle>[^{TILDES}]+)[{TILDES}]$"
)
_SUBTITLE_ALONE = re.compile(rf"^[{TILDES}](?P<subtitle>[^{TILDES}]+)[{TILDES}]$")
_REFERENCE = re.compile(r"^(?P<code>\d{1,2}(?:-\d{1,2}){1,3})\s*(?P<title>\S.*)$")


def names_cross_cutting(title: str) -> bool:
    """``cross_cutting_chapter``: a chapter whose title names cross-cutting plans."""
    return any(word in title for word in CROSS_CUTTING_WORDS)


def split_subtitle(title: str) -> tuple[str, str]:
    """``subtitle_heads_introduction``: 「名称〜副題〜」 → (名称, 副題); (title, "") without."""
    found = _SUBTITLE.match(title.strip())
    if found is None:
        return title, ""
    return found.group("title").strip(), found.group("subtitle").strip()


def subtitle_alone(text: str) -> str:
    """The subtitle a line prints alone between tildes (〜副題〜), or ""."""
    found = _SUBTITLE_ALONE.match(text.strip())
    return found.group("subtitle").strip() if found else ""


def reference(text: str) -> tuple[str, str] | None:
    """A reference line 「2-1 名称」: (code, title without the extraction's spaces), or None."""
    found = _REFERENCE.match(text.strip())
    if found is None:
        return None
    return found.group("code"), compact(found.group("title"))


def compact(text: str) -> str:
    """A title without the spaces a PDF extraction put between its words."""
    return re.sub(r"\s+", "", text.strip())
