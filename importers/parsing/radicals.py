"""Radical code points in place of ordinary kanji, as PDF text layers produce them.

Fonts used by Word, Excel, InDesign and browsers often map the glyph of an ordinary kanji to a
code point of the Kangxi Radicals block (U+2F00–U+2FD5: ⽬ for 目, ⼒ for 力, ⾏ for 行) or of the
CJK Radicals Supplement (U+2E80–U+2EF3: ⺠ for 民, ⻑ for 長). The text then looks right and
matches nothing: a search for 市民 does not find 市⺠.

``RADICALS`` maps every assigned code point of both blocks to the standard Japanese kanji:

* Kangxi radicals: Unicode's compatibility mapping (what NFKC does), except where that mapping
  gives an old form (戶, 靑, 黃, 黑, 齊, 齒, 麥, 龜), which becomes the standard form (戸, 青, 黄,
  黒, 斉, 歯, 麦, 亀). 龍 stays: it is the form place names use (龍ケ崎市).
* CJK Radicals Supplement: NFKC maps only two of these; each is mapped to its equivalent unified
  ideograph (Unicode's EquivalentUnifiedIdeograph data), and the simplified Chinese and Japanese
  simplified forms to the standard Japanese kanji of the same character (⻅ → 見, ⻑ → 長,
  ⻭ → 歯). Forms that only occur as part of a character (⺅, ⺡, ⻌) map to the ideograph of that
  component (亻, 氵, 辶).
"""

from __future__ import annotations

import unicodedata

# Kangxi radicals whose NFKC form is an old (旧字体) form: the standard form instead.
_OLD_FORMS = {
    "戶": "戸", "靑": "青", "黃": "黄", "黑": "黒", "齊": "斉", "齒": "歯", "麥": "麦", "龜": "亀",
}  # fmt: skip

# CJK Radicals Supplement (U+2E80–U+2EF3; U+2E9A is unassigned), by code point order.
_SUPPLEMENT = {
    "⺀": "冫", "⺁": "厂", "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺅": "亻", "⺆": "冂", "⺇": "几",
    "⺈": "刀", "⺉": "刂", "⺊": "卜", "⺋": "㔾", "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尣",
    "⺐": "尢", "⺑": "𡯂", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺕": "彐", "⺖": "忄", "⺗": "㣺",
    "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺", "⺟": "母", "⺠": "民",
    "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭",
    "⺩": "王", "⺪": "疋", "⺫": "罒", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "糸",
    "⺱": "罓", "⺲": "罒", "⺳": "㓁", "⺴": "㓁", "⺵": "罒", "⺶": "羊", "⺷": "羊", "⺸": "羊",
    "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹",
    "⻁": "虎", "⻂": "衤", "⻃": "覀", "⻄": "西", "⻅": "見", "⻆": "角", "⻇": "角", "⻈": "言",
    "⻉": "貝", "⻊": "足", "⻋": "車", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "金",
    "⻑": "長", "⻒": "镸", "⻓": "長", "⻔": "門", "⻕": "阝", "⻖": "阝", "⻗": "雨", "⻘": "青",
    "⻙": "韋", "⻚": "頁", "⻛": "風", "⻜": "飛", "⻝": "食", "⻞": "食", "⻟": "飠", "⻠": "飠",
    "⻡": "首", "⻢": "馬", "⻣": "骨", "⻤": "鬼", "⻥": "魚", "⻦": "鳥", "⻧": "塩", "⻨": "麦",
    "⻩": "黄", "⻪": "黽", "⻫": "斉", "⻬": "斉", "⻭": "歯", "⻮": "歯", "⻯": "竜", "⻰": "竜",
    "⻱": "亀", "⻲": "亀", "⻳": "亀",
}  # fmt: skip


def _kangxi() -> dict[str, str]:
    table = {}
    for code in range(0x2F00, 0x2FD6):
        folded = unicodedata.normalize("NFKC", chr(code))
        table[chr(code)] = _OLD_FORMS.get(folded, folded)
    return table


RADICALS: dict[str, str] = _kangxi() | _SUPPLEMENT
_TABLE = str.maketrans(RADICALS)


def has_radicals(text: str) -> bool:
    return any("\u2e80" <= char <= "\u2fdf" for char in text)


def replace_radicals(text: str) -> str:
    """``text`` with every radical code point replaced by its standard kanji."""
    return text.translate(_TABLE) if has_radicals(text) else text
