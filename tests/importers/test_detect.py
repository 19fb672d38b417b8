"""Layout detection: the text alone chooses the reader; unknown texts go to the general one."""

from pathlib import Path

import pytest

from importers.parsing import parse_file
from importers.parsing.detect import LAYOUTS, detect_layout, layout_by_name, layout_names
from importers.parsing.model import Report
from importers.parsing.normalize import decode, normalize

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"


def lines_of(name: str):
    data = (SAMPLES / name).read_bytes()
    return normalize(decode(data, name), name, Report())


@pytest.mark.parametrize(
    ("sample", "layout"),
    [
        ("omitama_outline.txt", "omitama_outline"),
        ("omitama_goal1.txt", "omitama_detail"),
        ("kiyose.txt", "kiyose"),
        ("honjo.txt", "honjo"),
        ("tomakomai.txt", "tomakomai"),
    ],
)
def test_each_sample_is_read_by_its_own_layout(sample, layout):
    """Every sample is recognised by its specific reader, not the generic fallback."""
    assert detect_layout(lines_of(sample)).NAME == layout


@pytest.mark.parametrize("sample", ["omitama_outline.txt", "kiyose.txt", "tomakomai.txt"])
def test_detection_ignores_the_file_name(sample):
    """The same text under another name is read by the same layout."""
    data = (SAMPLES / sample).read_bytes()
    assert parse_file(data, "upload.txt").layout == parse_file(data, sample).layout


def test_only_the_sample_layouts_are_registered():
    """The registry holds the five sample layouts; every other text goes to the general reader."""
    assert layout_names() == [
        "omitama_outline",
        "omitama_detail",
        "kiyose",
        "honjo",
        "tomakomai",
    ]
    assert LAYOUTS[0] is layout_by_name("omitama_outline")


def test_unknown_text_goes_to_the_general_reader():
    """A plan in an unseen layout, with numbered headings, is read by the general reader."""
    text = "第1章 まちづくり\n\n1. 安全なまち\n\n(1) 防災の推進\n\n防災訓練を実施します。\n"
    lines = normalize(text, "other.txt", Report())
    assert detect_layout(lines) is None
    assert parse_file(text.encode("utf-8"), "other.txt").layout == "reader"


def test_a_single_omitama_marker_does_not_claim_a_text():
    """One 4-digit line or one 基本施策 heading is not enough for the 小美玉市 layouts."""
    text = "基本施策1 市民協働\n\n1101 環境づくり\n"
    lines = normalize(text, "other.txt", Report())
    assert detect_layout(lines) is None
