"""Structure detection: the text alone chooses a whole-document structure, named for what it
recognises; every other text (kiyose.txt among them) goes to the general reader."""

from pathlib import Path

import pytest

from importers.parsing import parse_file
from importers.parsing.detect import (
    STRUCTURES,
    detect_structure,
    structure_by_name,
    structure_names,
)
from importers.parsing.model import Report
from importers.parsing.normalize import decode, normalize

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "importers" / "samples"
SAMPLE_CITIES = ("honjo", "kiyose", "omitama", "tomakomai", "本庄", "清瀬", "小美玉", "苫小牧")


def lines_of(name: str):
    data = (SAMPLES / name).read_bytes()
    return normalize(decode(data, name), name, Report())


@pytest.mark.parametrize(
    ("sample", "structure"),
    [
        ("omitama_outline.txt", None),
        ("omitama_goal1.txt", "policy_chapter"),
        ("kiyose.txt", None),
        ("honjo.txt", None),
        ("tomakomai.txt", None),
    ],
)
def test_each_sample_is_claimed_by_the_structure_it_prints(sample, structure):
    """A sample goes to the structure its text shows, or (None) to the general reader."""
    found = detect_structure(lines_of(sample))
    assert (found.NAME if found else None) == structure


@pytest.mark.parametrize(
    "sample", ["omitama_outline.txt", "kiyose.txt", "tomakomai.txt", "honjo.txt"]
)
def test_detection_ignores_the_file_name(sample):
    """The same text under another name is read by the same reader."""
    data = (SAMPLES / sample).read_bytes()
    assert parse_file(data, "upload.txt").layout == parse_file(data, sample).layout


def test_the_structures_are_registered_by_what_they_recognise():
    """One whole-document structure left; every other text goes to the general reader."""
    assert structure_names() == ["policy_chapter"]
    assert STRUCTURES[0] is structure_by_name("policy_chapter")


def test_no_file_function_or_class_under_parsing_is_named_after_a_sample_city():
    """Issue 9: capabilities, not samples — file names and def/class names name no sample city."""
    parsing = ROOT / "importers" / "parsing"
    offenders = []
    for path in parsing.rglob("*.py"):
        if any(city in path.stem.lower() for city in SAMPLE_CITIES):
            offenders.append(str(path))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.split()
            if words[:1] in (["def"], ["class"]) and any(
                city in words[1].lower() for city in SAMPLE_CITIES
            ):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []


def test_unknown_text_goes_to_the_general_reader():
    """A plan in an unseen layout, with numbered headings, is read by the general reader."""
    text = "第1章 まちづくり\n\n1. 安全なまち\n\n(1) 防災の推進\n\n防災訓練を実施します。\n"
    lines = normalize(text, "other.txt", Report())
    assert detect_structure(lines) is None
    assert parse_file(text.encode("utf-8"), "other.txt").layout == "reader"


def test_a_single_code_marker_does_not_claim_a_text():
    """One 4-digit line or one 基本施策 heading is not enough for the coded structures."""
    text = "基本施策1 市民協働\n\n1101 環境づくり\n"
    lines = normalize(text, "other.txt", Report())
    assert detect_structure(lines) is None
