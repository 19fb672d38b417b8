"""The opening of a chapter: its slogan and the voices quoted beside it, before any heading.

    第5章 市民生活分野
    市民だれもが活躍し、安全に生活できるまち       ← one line, no sentence: the slogan

    市民や学生同士が                                ← short lines set in a speech bubble,
    つながってまちづくりを                          ←   each bubble a sentence
    進めていけるといいな。

``chapter_opening_sections``: a chapter's text before anything else of it, when its first
paragraph is one line that ends no sentence, is the vision the chapter states (section
``VISION_SECTION``); the paragraphs after it, when every one is a sentence set in narrow lines
(a speech bubble), are the voices quoted there (section ``VOICES_SECTION``, one bullet each).
Text of any other shape is left as it is.
"""

from __future__ import annotations

from importers.parsing.model import Line
from importers.parsing.text import join_wide_spaces
from importers.parsing.vocabulary import VISION_SECTION, VOICES_SECTION

SLOGAN = 40  # characters: a slogan is one printed line
BUBBLE_LINE = 16  # characters: no line of a speech bubble is wider
SENTENCE_ENDS = ("。", "!", "?")  # NFKC folds ！ and ？


def opening_sections(lines: list[Line]) -> list[tuple[str, int, list[Line]]] | None:
    """(heading, line, lines) of the slogan and the voices, or None when the opening is not
    of that shape."""
    paragraphs = _paragraphs(lines)
    if not paragraphs or not _is_slogan(paragraphs[0]):
        return None
    slogan = paragraphs[0]
    sections = [(VISION_SECTION, slogan[0].number, slogan)]
    voices = paragraphs[1:]
    if voices and all(_is_bubble(voice) for voice in voices):
        bullets = [Line(voice[0].number, "- " + "".join(_text(line) for line in voice))
                   for voice in voices]  # fmt: skip
        sections.append((VOICES_SECTION, voices[0][0].number, bullets))
    elif voices:
        return None
    return sections


def _is_slogan(paragraph: list[Line]) -> bool:
    text = _text(paragraph[0])
    return len(paragraph) == 1 and len(text) <= SLOGAN and not text.endswith(SENTENCE_ENDS)


def _is_bubble(paragraph: list[Line]) -> bool:
    texts = [_text(line) for line in paragraph]
    return (
        len(texts) > 1
        and all(len(text) <= BUBBLE_LINE for text in texts)
        and texts[-1].endswith(SENTENCE_ENDS)
    )


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = [[]]
    for line in lines:
        if _text(line):
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _text(line: Line) -> str:
    return join_wide_spaces(line.text.strip())
