"""Golden tests: each sample plan parses to exactly its committed, reviewed outline JSON.

The expected files in ``tests/importers/golden/`` are ``outline_json(parse_files(...))`` of the
sample texts, reviewed line by line against the source text. When the parser changes on purpose:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/importers/test_golden.py

rewrites the files that differ and fails; review ``git diff tests/importers/golden/``, commit,
and run again without it. In CI (``CI`` set) the run refuses ``UPDATE_GOLDEN`` altogether.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from importers.outline import outline_dict, outline_json
from importers.parsing import parse_files
from tests.golden import assert_matches_golden

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "importers" / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"

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
    expected = json.loads((GOLDEN / f"{golden}.json").read_text(encoding="utf-8"))
    assert outline_dict(plan) == expected


@pytest.mark.parametrize(("golden", "samples"), CASES, ids=[case[0] for case in CASES])
def test_golden_file_is_written_as_the_export_writes_it(golden, samples):
    """The golden file is byte-for-byte the export text: Japanese unescaped, 2-space indent
    (so a change shows up in review as exactly the lines that changed)."""
    assert_matches_golden(GOLDEN / f"{golden}.json", outline_json(parse_samples(samples)))


# --- The update switch: never in CI, and a rewrite never passes ------------------------------


def test_update_golden_in_ci_fails_the_run_and_writes_nothing():
    """``CI=1 UPDATE_GOLDEN=1 pytest …`` exits with an error before any test runs."""
    before = {path.name: path.read_bytes() for path in GOLDEN.iterdir()}
    result = subprocess.run(  # noqa: S603 - our own interpreter and test module
        [
            *(sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider"),
            f"{__file__}::test_golden_file_is_written_as_the_export_writes_it",
        ],
        cwd=ROOT,
        env={**os.environ, "CI": "1", "UPDATE_GOLDEN": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "UPDATE_GOLDEN is refused in CI" in result.stderr
    assert {path.name: path.read_bytes() for path in GOLDEN.iterdir()} == before


def test_update_golden_rewrites_a_differing_file_and_still_fails(tmp_path, monkeypatch, settings):
    """Outside CI the switch rewrites the file, and the test fails saying to review the diff."""
    settings.CI = False
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    golden = tmp_path / "plan.json"
    golden.write_text('{\n  "title": "旧"\n}\n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="rewrote .*review `git diff"):
        assert_matches_golden(golden, '{\n  "title": "新"\n}\n')
    assert golden.read_text(encoding="utf-8") == '{\n  "title": "新"\n}\n'
    assert_matches_golden(golden, '{\n  "title": "新"\n}\n')  # unchanged: passes


def test_a_differing_golden_file_fails_with_the_changed_lines(tmp_path, monkeypatch, settings):
    """Without the switch a difference fails showing exactly the changed lines; nothing written."""
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "plan.json"
    golden.write_text('{\n  "code": "1",\n  "title": "旧"\n}\n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_matches_golden(golden, '{\n  "code": "1",\n  "title": "新"\n}\n')
    assert '-  "title": "旧"\n+  "title": "新"' in str(failure.value)
    assert golden.read_text(encoding="utf-8") == '{\n  "code": "1",\n  "title": "旧"\n}\n'
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        assert_matches_golden(tmp_path / "absent.json", "{}\n")
