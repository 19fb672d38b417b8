"""Topics from 「〜につきましては」: a paragraph that opens with its subject names a node.

    ◇1 市民によるまちづくりの推進
    地域活動の促進につきましては、…            → topic 「地域活動の促進」 under ◇1
    また、… / さらに、…                        → continues the topic before it
    市民自治の推進につきましては、…            → the next topic

A policy address (市政方針, 施政方針) prints its items this way instead of as headings. The
subject is the phrase before につきましては (after a connective such as また、), at most 40
characters and without 、 or 。; the paragraph is the topic's text.
"""

from __future__ import annotations

import re

CONNECTIVE = r"(?:また|さらに|さらには|加えて|なお|次に)、"
TOPIC = re.compile(rf"^(?:{CONNECTIVE})?(?P<title>[^、。「」]{{1,40}}?)につきましては、")


def topic_title(text: str) -> str:
    """The subject a paragraph opens with 「〜につきましては、」, or ""."""
    match = TOPIC.match(text.strip())
    return match.group("title").strip() if match else ""
