"""Golden tests: each sample plan parses to exactly its committed, reviewed outline JSON.

The expected files in ``tests/importers/golden/`` are ``outline_dict(parse_files(...))`` of the
sample texts, reviewed line by line against the source text. When the parser changes on purpose,
regenerate them and review the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/importers/test_golden.py

(off by default: without ``UPDATE_GOLDEN=1`` the test only compares.)
"""

import json
import os
from pathlib import Path

import pytest

from importers.parsing import parse_files
from importers.parsing.outline import outline_dict, outline_json

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# One line per sample: (golden file name, sample files parsed together as one plan).
CASES = [
    ("omitama", ["omitama_outline.txt", "omitama_goal1.txt"]),
    ("honjo", ["honjo.txt"]),
    ("kiyose", ["kiyose.txt"]),
    ("tomakomai", ["tomakomai.txt"]),
]


def parse_samples(names: list[str]):
    return parse_files([(name, (SAMPLES / name).read_bytes()) for name in names])


@pytest.mark.parametrize(("golden", "samples"), CASES, ids=[case[0] for case in CASES])
def test_sample_parses_to_its_golden_outline(golden, samples):
    """The outline of the parsed sample equals the committed golden JSON, key for key."""
    plan = parse_samples(samples)
    path = GOLDEN / f"{golden}.json"
    if UPDATE:
        path.write_text(outline_json(plan), encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert outline_dict(plan) == expected


@pytest.mark.parametrize(("golden", "samples"), CASES, ids=[case[0] for case in CASES])
def test_golden_file_is_written_as_the_export_writes_it(golden, samples):
    """The golden file is byte-for-byte the export text: Japanese unescaped, 2-space indent."""
    text = (GOLDEN / f"{golden}.json").read_text(encoding="utf-8")
    assert text == outline_json(parse_samples(samples))
