"""The national table of municipalities: complete, codes valid, names found, slugs in ASCII."""

from collections import Counter

import pytest

from importers.municipalities import (
    MunicipalityAmbiguous,
    MunicipalityNotFound,
    check_digit,
    find_municipality,
    kana_to_romaji,
    municipality_records,
)


def test_the_table_has_every_municipality_once():
    """1,718 cities, towns and villages plus Tokyo's 23 special wards (総務省, since 2018)."""
    records = municipality_records()
    kinds = Counter("ward" if record.name.endswith("区") else record.name[-1] for record in records)
    assert kinds == {"市": 792, "町": 743, "村": 183, "ward": 23}
    assert len({record.code for record in records}) == 1741
    assert {r.prefecture for r in records if r.name.endswith("区")} == {"東京都"}


def test_every_code_carries_its_check_digit():
    """JIS X 0402: 6,5,4,3,2 times the digits, 11 minus the remainder, its last digit."""
    assert check_digit("01470") == "2"  # 音威子府村 014702: 0+5+16+21+0 = 42, 42 % 11 = 9
    assert all(record.code[5] == check_digit(record.code[:5]) for record in municipality_records())


def test_a_village_is_found_by_name_with_code_prefecture_reading_and_slug():
    record = find_municipality("音威子府村")
    assert (record.code, record.prefecture, record.kana) == ("014702", "北海道", "おといねっぷむら")
    assert record.slug == "otoineppu"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("小美玉市", "omitama"),  # おみたま し
        ("本庄市", "honjo"),  # ほんじょう: a long vowel written once (reading corrected by hand)
        ("松戸市", "matsudo"),
        ("北谷町", "chatan"),  # ちゃたん ちょう: 町 read ちょう
        ("東京都千代田区", "chiyoda"),
        ("大網白里市", "oamishirasato"),  # おお → o
        ("新冠町", "niikappu"),  # っぷ doubles the p
    ],
)
def test_slugs_are_ascii_romaji_of_the_reading_without_the_suffix(name, slug):
    assert find_municipality(name).slug == slug


def test_a_shared_name_needs_the_prefecture():
    """府中市 is a city of 東京都 and of 広島県: the error names both; the prefecture decides."""
    with pytest.raises(MunicipalityAmbiguous) as caught:
        find_municipality("府中市")
    assert [r.prefecture for r in caught.value.candidates] == ["東京都", "広島県"]
    assert find_municipality("府中市", prefecture="広島県").code == "342084"
    assert find_municipality("広島県府中市").code == "342084"
    assert find_municipality("府中町").prefecture == "広島県"  # a different name: no question


def test_an_unknown_name_is_refused():
    with pytest.raises(MunicipalityNotFound):
        find_municipality("どこか市")


def test_romaji_of_digraphs_and_small_tsu():
    assert kana_to_romaji("きょうと") == "kyoto"
    assert kana_to_romaji("はっちょう") == "hatcho"
    assert kana_to_romaji("しんじゅく") == "shinjuku"
