"""Mutation check (``make mutation``): mutmut on the parsers, progress, tenancy and CSV modules.

Each group runs in its own throw-away copy of the checkout (under ``build/mutation/<group>``,
ignored by git): mutmut copies the code to mutate into ``mutants/``, runs the group's tests once
to learn which test reaches which function, then runs, for each mutant, the tests that reach
it. A group stops after its time budget (the first, counting run of its tests included: on a
busy machine that alone can take minutes); mutants not reached are reported as not checked.
The summary (killed / survived / not checked, every survivor with its diff) is printed and
written to ``build/mutation/summary.txt``.

    make mutation                      # every group
    make mutation GROUPS="csv tenancy" # some groups
    MUTATION_BUDGET=600 make mutation  # seconds per group (default: each group's own)

It is not part of ``make test``: the budgets add up to several minutes per group, and survivors
are a list to read (is the mutant equivalent? is a test missing?), not a pass/fail.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "mutation"
# What the tests need next to the code (settings, templates, fixtures, samples, translations).
ALSO_COPY = ["config", "templates", "static", "fixtures", "locale", "docs", "manage.py"]
APPS = ["plans", "indicators", "importers", "exports", "portal"]


@dataclass(frozen=True)
class Group:
    name: str
    mutate: tuple[str, ...]  # files (globs) to mutate
    tests: tuple[str, ...]  # the tests that guard them
    budget: int  # seconds for the whole group: the counting test run, then the mutants


GROUPS = [
    Group(
        "csv",
        ("exports/spreadsheets.py",),
        (
            "tests/exports/test_spreadsheets.py",
            "tests/exports/test_admin.py",
            "tests/security/test_findings_exports.py",
        ),
        300,
    ),
    Group(
        "tenancy",
        ("plans/tenancy.py", "plans/querysets.py", "plans/admin.py", "exports/views.py"),
        (
            "tests/plans/test_tenancy.py",
            "tests/security/test_tenancy_matrix.py",
            "tests/security/test_findings_tenancy.py",
            "tests/plans/test_admin.py",
            "tests/plans/test_admin_history_tenancy.py",
            "tests/indicators/test_admin.py",
            "tests/exports/test_admin.py",
            "tests/exports/test_views.py",
        ),
        900,
    ),
    Group(
        "progress",
        ("indicators/progress.py",),
        (
            "tests/indicators/test_progress.py",
            "tests/portal/test_kpi_verdicts.py",
            "tests/exports/test_workbook.py",
        ),
        600,
    ),
    Group(
        "parsers",
        ("importers/parsing/values.py", "importers/parsing/period.py"),
        (
            "tests/importers/test_values.py",
            "tests/importers/test_period.py",
            "tests/importers/test_golden.py",
        ),
        600,
    ),
]


def mutmut_config(group: Group) -> str:
    """The [tool.mutmut] table of a group's copy."""

    def toml_list(items) -> str:
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    return (
        "\n[tool.mutmut]\n"
        f"source_paths = {toml_list(APPS)}\n"
        f"only_mutate = {toml_list(group.mutate)}\n"
        f"also_copy = {toml_list([*ALSO_COPY, 'tests'])}\n"
        f"tests_dir = {toml_list(group.tests)}\n"
        # One process, no browser, stop at the first failure: a killed mutant needs one.
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-m", '
        '"not browser", "-x", "-q"]\n'
    )


def prepare(group: Group) -> Path:
    """A fresh copy of the committed files (plus what is uncommitted) for the group."""
    where = BUILD / group.name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    files = subprocess.run(  # noqa: S603 - our own git
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = where / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    pyproject = where / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + mutmut_config(group))
    return where


def run_group(group: Group, budget: int) -> str:
    where = prepare(group)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("DATABASE_URL", None)  # SQLite: the copy's own test database
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    started = time.monotonic()
    try:
        subprocess.run(  # noqa: S603 - our own tool
            [mutmut, "run", "--max-children", "2"],
            cwd=where,
            env=env,
            timeout=budget,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stopped = ""
    except subprocess.TimeoutExpired:
        stopped = f" (stopped after its budget of {budget} s)"
    elapsed = time.monotonic() - started
    results = subprocess.run(  # noqa: S603 - our own tool
        [mutmut, "results", "--all", "true"], cwd=where, env=env, capture_output=True, text=True
    ).stdout
    return summarize(group, where, results, elapsed, stopped, mutmut, env)


def summarize(group, where, results, elapsed, stopped, mutmut, env) -> str:
    statuses: dict[str, list[str]] = {}
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses.setdefault(status, []).append(name)
    counts = ", ".join(f"{status} {len(names)}" for status, names in sorted(statuses.items()))
    lines = [
        f"== {group.name}: {', '.join(group.mutate)} — {elapsed:.0f} s{stopped}",
        f"   tests: {' '.join(group.tests)}",
        f"   mutants: {counts or 'none run'}",
    ]
    for name in statuses.get("survived", []):
        diff = subprocess.run(  # noqa: S603 - our own tool
            [mutmut, "show", name], cwd=where, env=env, capture_output=True, text=True
        ).stdout
        changed = [d for d in diff.splitlines() if d[:1] in "+-" and d[:3] not in ("+++", "---")]
        lines.append(f"   survived {name}: {' | '.join(c.strip() for c in changed)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"default: {[g.name for g in GROUPS]}")
    arguments = parser.parse_args()
    chosen = [g for g in GROUPS if not arguments.groups or g.name in arguments.groups]
    budget = os.environ.get("MUTATION_BUDGET")
    report = []
    for group in chosen:
        sys.stdout.write(f"mutation: {group.name} …\n")
        sys.stdout.flush()
        summary = run_group(group, int(budget) if budget else group.budget)
        sys.stdout.write(summary + "\n")
        sys.stdout.flush()
        report.append(summary)
    (BUILD / "summary.txt").write_text("\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
