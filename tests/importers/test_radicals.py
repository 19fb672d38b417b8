"""Radical code points from PDF text layers become the standard kanji (parsing/radicals.py)."""

import unicodedata

import pytest

from importers.parsing.radicals import RADICALS, has_radicals, replace_radicals


def _is_ideograph(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def test_every_assigned_radical_code_point_is_mapped_to_an_ideograph():
    assigned = [
        chr(code)
        for code in [*range(0x2E80, 0x2EFF), *range(0x2F00, 0x2FE0)]
        if unicodedata.name(chr(code), "")
    ]
    assert len(assigned) == 115 + 214
    unmapped = [char for char in assigned if char not in RADICALS]
    assert unmapped == []
    not_ideographs = {c: RADICALS[c] for c in assigned if not _is_ideograph(RADICALS[c])}
    assert not_ideographs == {}


@pytest.mark.parametrize(
    ("pdf_text", "expected"),
    [
        ("市⺠協働", "市民協働"),  # CJK RADICAL CIVILIAN: NFKC leaves it alone
        ("基本⽬標", "基本目標"),  # KANGXI RADICAL EYE
        ("⼈⼝減少への対策", "人口減少への対策"),
        ("⻑期的な視点", "長期的な視点"),  # CJK RADICAL LONG ONE
        ("関⻄圏", "関西圏"),  # CJK RADICAL WEST TWO
        ("⻘少年の健全育成", "青少年の健全育成"),  # CJK RADICAL BLUE
        ("⻭科健診", "歯科健診"),  # CJK RADICAL J-SIMPLIFIED TOOTH
    ],
)
def test_radicals_in_text_become_ordinary_kanji(pdf_text, expected):
    assert replace_radicals(pdf_text) == expected


@pytest.mark.parametrize(
    ("radical", "nfkc_old_form", "standard"),
    [
        ("⼾", "戶", "戸"),  # 世帯・戸数
        ("⾭", "靑", "青"),
        ("⿈", "黃", "黄"),
        ("⿊", "黑", "黒"),
        ("⿑", "齊", "斉"),
        ("⿒", "齒", "歯"),
        ("⿆", "麥", "麦"),
        ("⿔", "龜", "亀"),
    ],
)
def test_kangxi_radicals_that_nfkc_maps_to_old_forms_get_the_standard_form(
    radical, nfkc_old_form, standard
):
    assert unicodedata.normalize("NFKC", radical) == nfkc_old_form
    assert replace_radicals(radical) == standard


def test_text_without_radicals_is_returned_unchanged():
    text = "龍ケ崎市の戸数は〜増加"
    assert not has_radicals(text)
    assert replace_radicals(text) is text
