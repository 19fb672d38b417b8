"""The national table of municipalities: find a city by its name, with its code, reading and slug.

    record = find_municipality("音威子府村")      # 北海道, 014702, おといねっぷむら
    record.slug                                  # "otoineppu"
    find_municipality("府中市")                   # MunicipalityAmbiguous: 東京都 or 広島県?
    find_municipality("府中市", prefecture="広島県")

The table is ``data/municipalities.csv`` (see ``data/README.md``). Pure Python: nothing here
touches the database; ``selectors.import_target_for`` decides whether the city exists already.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "municipalities.csv"

PREFECTURES = {
    "北海道": "hokkaido", "青森県": "aomori", "岩手県": "iwate", "宮城県": "miyagi",
    "秋田県": "akita", "山形県": "yamagata", "福島県": "fukushima", "茨城県": "ibaraki",
    "栃木県": "tochigi", "群馬県": "gunma", "埼玉県": "saitama", "千葉県": "chiba",
    "東京都": "tokyo", "神奈川県": "kanagawa", "新潟県": "niigata", "富山県": "toyama",
    "石川県": "ishikawa", "福井県": "fukui", "山梨県": "yamanashi", "長野県": "nagano",
    "岐阜県": "gifu", "静岡県": "shizuoka", "愛知県": "aichi", "三重県": "mie",
    "滋賀県": "shiga", "京都府": "kyoto", "大阪府": "osaka", "兵庫県": "hyogo",
    "奈良県": "nara", "和歌山県": "wakayama", "鳥取県": "tottori", "島根県": "shimane",
    "岡山県": "okayama", "広島県": "hiroshima", "山口県": "yamaguchi", "徳島県": "tokushima",
    "香川県": "kagawa", "愛媛県": "ehime", "高知県": "kochi", "福岡県": "fukuoka",
    "佐賀県": "saga", "長崎県": "nagasaki", "熊本県": "kumamoto", "大分県": "oita",
    "宮崎県": "miyazaki", "鹿児島県": "kagoshima", "沖縄県": "okinawa",
}  # fmt: skip

# The reading of each name suffix, to drop from the slug (小美玉市 おみたまし → omitama).
SUFFIX_READINGS = {"市": ("し",), "区": ("く",), "町": ("まち", "ちょう"), "村": ("むら", "そん")}


class MunicipalityNotFound(LookupError):
    """No municipality of that name."""


class MunicipalityAmbiguous(LookupError):
    """Several municipalities share the name: the prefecture decides."""

    def __init__(self, name: str, candidates: list[MunicipalityRecord]) -> None:
        self.name = name
        self.candidates = candidates
        prefectures = "、".join(record.prefecture for record in candidates)
        super().__init__(f"{name} is the name of {len(candidates)} municipalities ({prefectures})")


@dataclass(frozen=True)
class MunicipalityRecord:
    code: str  # 6 digits with the check digit
    prefecture: str
    name: str
    kana: str  # hiragana, suffix included

    @property
    def slug(self) -> str:
        """ASCII from the reading without the 市/町/村/区 suffix: おといねっぷむら → otoineppu."""
        return kana_to_romaji(reading_without_suffix(self.name, self.kana))

    @property
    def prefecture_slug(self) -> str:
        return PREFECTURES[self.prefecture]


@cache
def municipality_records() -> tuple[MunicipalityRecord, ...]:
    with TABLE.open(encoding="utf-8", newline="") as table:
        return tuple(MunicipalityRecord(**row) for row in csv.DictReader(table))


def find_municipality(name: str, prefecture: str = "") -> MunicipalityRecord:
    """The one municipality called ``name`` (松戸市 or 千葉県松戸市), in ``prefecture`` if given.

    Raises ``MunicipalityAmbiguous`` when the name alone names several (府中市) and
    ``MunicipalityNotFound`` when it names none.
    """
    name = re.sub(r"\s+", "", name)
    prefecture = prefecture.strip()
    for known in PREFECTURES:
        if name.startswith(known) and len(name) > len(known):
            prefecture, name = prefecture or known, name[len(known) :]
    found = [record for record in municipality_records() if record.name == name]
    if prefecture:
        found = [record for record in found if record.prefecture in (prefecture, f"{prefecture}県")]
    if len(found) > 1:
        raise MunicipalityAmbiguous(name, found)
    if not found:
        raise MunicipalityNotFound(name)
    return found[0]


def check_digit(first_five: str) -> str:
    """The check digit of a 地方公共団体コード (JIS X 0402): weights 6..2, modulus 11."""
    weights = (6, 5, 4, 3, 2)
    total = sum(int(digit) * weight for digit, weight in zip(first_five, weights, strict=True))
    return str((11 - total % 11) % 10)


def reading_without_suffix(name: str, kana: str) -> str:
    for reading in SUFFIX_READINGS.get(name[-1:], ()):
        if kana.endswith(reading) and len(kana) > len(reading):
            return kana[: -len(reading)]
    return kana


# --- romaji (Hepburn, without long-vowel marks) ---------------------------------------------

_DIGRAPHS = {
    "きゃ": "kya", "きゅ": "kyu", "きょ": "kyo", "しゃ": "sha", "しゅ": "shu", "しょ": "sho",
    "ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho", "にゃ": "nya", "にゅ": "nyu", "にょ": "nyo",
    "ひゃ": "hya", "ひゅ": "hyu", "ひょ": "hyo", "みゃ": "mya", "みゅ": "myu", "みょ": "myo",
    "りゃ": "rya", "りゅ": "ryu", "りょ": "ryo", "ぎゃ": "gya", "ぎゅ": "gyu", "ぎょ": "gyo",
    "じゃ": "ja", "じゅ": "ju", "じょ": "jo", "びゃ": "bya", "びゅ": "byu", "びょ": "byo",
    "ぴゃ": "pya", "ぴゅ": "pyu", "ぴょ": "pyo", "ぢゃ": "ja", "ぢゅ": "ju", "ぢょ": "jo",
}  # fmt: skip
_KANA = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ"
        "らりるれろわをがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゐゑ",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he "
        "ho ma mi mu me mo ya yu yo ra ri ru re ro wa o ga gi gu ge go za ji zu ze zo da ji zu "
        "de do ba bi bu be bo pa pi pu pe po i e".split(),
        strict=True,
    )
)
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))


def kana_to_romaji(kana: str) -> str:
    """Hiragana as lower-case ASCII Hepburn; long vowels written once (ほんじょう → honjo)."""
    letters: list[str] = []
    index = 0
    while index < len(kana):
        pair, char = kana[index : index + 2], kana[index]
        if pair in _DIGRAPHS:
            letters.append(_DIGRAPHS[pair])
            index += 2
            continue
        if char == "ん":
            letters.append("n")
        elif char == "っ":
            letters.append("\0")  # doubles the next consonant
        elif char in _KANA:
            letters.append(_KANA[char])
        index += 1
    text = re.sub(r"\0(ch)", r"t\1", "".join(letters))
    text = re.sub(r"\0([a-z])", r"\1\1", text).replace("\0", "")
    for long, short in _LONG_VOWELS:
        text = text.replace(long, short)
    return text
