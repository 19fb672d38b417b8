"""Shared layout helpers."""

import pytest

from importers.parsing.model import Line
from importers.parsing.text import guess_municipality


@pytest.mark.parametrize(
    ("texts", "name"),
    [
        (["小美玉市の誕生から12年", "小美玉市の魅力を全国に発信"], "小美玉市"),
        (["北海道苫小牧市の市政方針"], "苫小牧市"),  # a prefecture before the name
        (["埼玉県本庄市"], "本庄市"),
        (["第2次緑川市総合計画", "緑川市のまちづくり"], "緑川市"),  # a word before the name
        (["本市は都市計画を市町村と進めます"], ""),  # not names of a municipality
    ],
)
def test_guess_municipality(texts, name):
    assert guess_municipality([Line(n, t) for n, t in enumerate(texts, 1)]) == name
