"""Text folding for search: the same function folds stored text and the user's query.

Japanese has no spaces between words, so search is substring search over folded text (with a
trigram index on PostgreSQL). Folding makes 國 and 国, ｺﾄﾞﾓ and コドモ, ＡＢＣ and abc meet.
"""

import unicodedata

# Old and variant forms (旧字体・異体字) that NFKC leaves alone, folded to the standard form.
VARIANT_FORMS = str.maketrans(
    {
        "國": "国",
        "戰": "戦",
        "學": "学",
        "會": "会",
        "廣": "広",
        "澤": "沢",
        "邊": "辺",
        "邉": "辺",
        "齋": "斎",
        "齊": "斉",
        "濱": "浜",
        "髙": "高",
        "﨑": "崎",
        "圖": "図",
        "體": "体",
        "與": "与",
        "縣": "県",
        "區": "区",
        "發": "発",
        "來": "来",
        "變": "変",
        "樂": "楽",
        "營": "営",
        "傳": "伝",
        "兒": "児",
        "壽": "寿",
        "惠": "恵",
        "濟": "済",
        "處": "処",
        "當": "当",
        "预": "予",
        "ヶ": "ケ",
    }
)


def fold(text: str) -> str:
    """Fold text for matching: NFKC, variant kanji to standard, case-folded, spaces squeezed."""
    folded = unicodedata.normalize("NFKC", text).translate(VARIANT_FORMS).casefold()
    return " ".join(folded.split())


def search_text_for_node(node) -> str:
    """Everything a citizen may search a node by: code, title and the text of its sections."""
    parts = [node.code, node.title]
    if node.pk:
        parts += [f"{s.heading} {s.body}" for s in node.sections.all()]
    return fold(" ".join(part for part in parts if part))
