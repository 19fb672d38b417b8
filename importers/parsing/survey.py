"""Survey boxes: a citizen-satisfaction figure printed in a box inside a node's text.

    現況と課題
    施策に係る市民満足度
    市の情報発信が充実し、         ← the survey item, wrapped
    まちづくりへの参加機会がある
    30.4%                          ← its percentage (sometimes **bold**, sometimes on the
    - 現況の説明 …                 ← item's line); after it the interrupted section goes on

``survey_box_returns_to_its_section``: the box (a section named with a survey word,
``vocabulary.SURVEY_WORDS``) holds the item and its percentage, shown as one line 「項目 30.4%」;
the text after the percentage belongs to the section the box interrupted (the tree routes it).
"""

from __future__ import annotations

import re

from importers.parsing.model import Line
from importers.parsing.vocabulary import SURVEY_WORDS

PERCENTAGE = re.compile(r"(\d+(?:\.\d+)?)\s*%$")


def is_survey(section: str) -> bool:
    return any(word in section for word in SURVEY_WORDS)


def ends_with_percentage(text: str) -> bool:
    return bool(PERCENTAGE.search(_plain(text)))


def survey_body(lines: list[Line]) -> str:
    """「項目 30.4%」: the item's lines joined, then its percentage; "" without a percentage."""
    text = "".join(_plain(line.text) for line in lines if line.text.strip())
    found = PERCENTAGE.search(text)
    if found is None:
        return ""
    return f"{text[: found.start()].strip()} {found.group(1)}%".strip()


def _plain(text: str) -> str:
    """The text without the emphasis marks (**23.1%**) the extraction kept."""
    return text.replace("**", "").strip()
