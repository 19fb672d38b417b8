"""One reader: every text, the samples among them, is read by the general reader's
capabilities; nothing under importers/parsing is named after, or written for, a sample city."""

from pathlib import Path

import pytest

from importers.parsing import parse_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "importers" / "samples"
SAMPLE_CITIES = ("honjo", "kiyose", "omitama", "tomakomai", "本庄", "清瀬", "小美玉", "苫小牧")
PARSING = ROOT / "importers" / "parsing"


@pytest.mark.parametrize(
    "sample",
    ["omitama_outline.txt", "omitama_goal1.txt", "kiyose.txt", "honjo.txt", "tomakomai.txt"],
)
def test_every_sample_is_read_by_the_one_reader_whatever_its_file_name(sample):
    """The same text under another name gives the same outline, read by the general reader."""
    data = (SAMPLES / sample).read_bytes()
    plan = parse_file(data, sample)
    assert plan.layout == "reader"
    renamed = parse_file(data, "upload.txt")
    assert [(n.key, n.title) for n in renamed.walk()] == [(n.key, n.title) for n in plan.walk()]


def test_there_is_no_whole_document_reader_beside_the_general_one():
    """Issue 9: no structure package and no detection of a layout to hand a text to."""
    assert not (PARSING / "structures").exists()
    assert not (PARSING / "detect.py").exists()


def test_no_file_function_or_class_under_parsing_is_named_after_a_sample_city():
    """Issue 9: capabilities, not samples — file names and def/class names name no sample city."""
    offenders = []
    for path in PARSING.rglob("*.py"):
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
    plan = parse_file(text.encode("utf-8"), "other.txt")
    assert plan.layout == "reader"
    assert [node.title for node in plan.walk()] == ["まちづくり", "安全なまち", "防災の推進"]
