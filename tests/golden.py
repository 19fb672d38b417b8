"""Committed expected files (golden files and fixtures) compared line by line.

A difference fails with the changed lines, as review will show them. ``UPDATE_GOLDEN=1`` rewrites
a golden file that differs and still fails (review ``git diff``, commit, run again without it):
a rewrite never passes. In CI (``CI`` set) the whole test run refuses ``UPDATE_GOLDEN``
(``tests/conftest.py``).
"""

import difflib
import os
from pathlib import Path

import pytest
from django.conf import settings

UPDATE_VARIABLE = "UPDATE_GOLDEN"
DIFF_LINES = 60
REFUSED_IN_CI = (
    f"{UPDATE_VARIABLE} is refused in CI (CI is set): golden files change only as a reviewed "
    f"diff. Run `{UPDATE_VARIABLE}=1 .venv/bin/python -m pytest …` on your machine, review "
    "`git diff`, commit."
)


def update_requested() -> bool:
    return os.environ.get(UPDATE_VARIABLE, "").strip() not in ("", "0")


def changed_lines(path: Path, committed: str, produced: str) -> str:
    """The unified diff from the committed text to the produced one (the first lines)."""
    diff = difflib.unified_diff(
        committed.splitlines(), produced.splitlines(), f"{path} (committed)", "produced", n=1
    )
    lines = list(diff)
    more = f"\n… {len(lines) - DIFF_LINES} more diff lines" if len(lines) > DIFF_LINES else ""
    return "\n".join(line.rstrip("\n") for line in lines[:DIFF_LINES]) + more


def relative(path: Path) -> Path:
    return path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path


def assert_same_text(path: Path, produced: str, *, how_to_update: str) -> None:
    """Fail unless ``path`` holds exactly ``produced``; a missing file is a failure."""
    if not path.is_file():
        pytest.fail(f"{relative(path)} is missing. {how_to_update}", pytrace=False)
    committed = path.read_text(encoding="utf-8")
    if committed != produced:
        pytest.fail(
            f"{relative(path)} differs from what the code produces:\n"
            f"{changed_lines(relative(path), committed, produced)}\n"
            f"If the change is intended: {how_to_update}",
            pytrace=False,
        )


def assert_matches_golden(path: Path, produced: str) -> None:
    """Compare with the golden file; under ``UPDATE_GOLDEN=1`` rewrite it and fail."""
    if update_requested() and not (path.is_file() and path.read_text("utf-8") == produced):
        if settings.CI:
            pytest.fail(REFUSED_IN_CI, pytrace=False)
        path.write_text(produced, encoding="utf-8")
        pytest.fail(
            f"rewrote {relative(path)}: review `git diff {relative(path)}`, commit it, and run "
            f"again without {UPDATE_VARIABLE} (a rewrite never passes).",
            pytrace=False,
        )
    assert_same_text(
        path,
        produced,
        how_to_update=f"run the test with {UPDATE_VARIABLE}=1, review `git diff`, commit.",
    )
