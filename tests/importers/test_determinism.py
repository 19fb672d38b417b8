"""The same text gives the same report, whatever Python's hash seed: reports are diffed and
re-imports compare them, so they must not vary between runs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
from pathlib import Path
from importers.parsing import parse_files
samples = Path("importers/samples")
for files in (["omitama_outline.txt", "omitama_goal1.txt"], ["honjo.txt"], ["tomakomai.txt"]):
    plan = parse_files([(name, (samples / name).read_bytes()) for name in files])
    for issue in plan.report.issues:
        print(issue.kind, issue.source, issue.line, issue.message, issue.original)
"""


def report_with_hash_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_report_does_not_depend_on_the_hash_seed():
    first = report_with_hash_seed("1")
    assert first.count("\n") > 50
    assert report_with_hash_seed("2") == first
    assert report_with_hash_seed("3") == first
