"""Parse and load the five sample texts (four plans) and every excerpt of the reader's corpus
(``tests/importers/corpus``, each a plan of its own municipality) into a fresh SQLite database;
print timings.

    .venv/bin/python bench/import_samples.py

Target: under 2 s for parsing and loading all the samples. Migrations are timed apart: they are
setup, not import.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["SQLITE_PATH"] = str(database)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate (setup, not counted)   {time.perf_counter() - started:6.3f} s")
    run_imports()
    run_corpus()
    database.unlink()


def run_imports() -> None:
    from importers.parsing import parse_files
    from importers.selectors import sample_catalog
    from importers.services import plan_import
    from plans.tenancy import SYSTEM

    total_parse = total_load = 0.0
    print(f"{'plan':<22} {'files':>5} {'nodes':>6} {'KPIs':>5} {'parse':>8} {'load':>8}")
    for entry in sample_catalog():
        files = [(path.name, path.read_bytes()) for path in entry.paths()]
        started = time.perf_counter()
        parsed = parse_files(files, prefer=entry.prefer)
        parsed_at = time.perf_counter()
        result = plan_import(
            actor=SYSTEM, parsed=parsed, municipality=entry.municipality, plan=entry.plan
        )
        loaded_at = time.perf_counter()
        total_parse += parsed_at - started
        total_load += loaded_at - parsed_at
        name = f"{entry.municipality.slug}/{entry.plan.slug}"
        parse, load = parsed_at - started, loaded_at - parsed_at
        print(
            f"{name:<22} {len(files):>5} {result.counts['nodes']:>6} "
            f"{result.counts['indicators']:>5} {parse:>7.3f}s {load:>7.3f}s"
        )
    total = total_parse + total_load
    print(f"{'total':<22} {'':>5} {'':>6} {'':>5} {total_parse:>7.3f}s {total_load:>7.3f}s")
    print(
        f"parse + load, all samples: {total:.3f} s (target < 2 s: {'ok' if total < 2 else 'SLOW'})"
    )


def run_corpus() -> None:
    """Each corpus excerpt into a municipality of its own (parse, then load as a new plan)."""
    from importers.parsing import parse_file
    from importers.services import MunicipalityInfo, PlanInfo, plan_import
    from plans.tenancy import SYSTEM

    corpus = sorted((ROOT / "tests" / "importers" / "corpus").glob("*.txt"))
    total_parse = total_load = 0.0
    print(f"\n{'corpus excerpt':<28} {'nodes':>6} {'KPIs':>5} {'parse':>8} {'load':>8}")
    for number, path in enumerate(corpus, start=1):
        started = time.perf_counter()
        parsed = parse_file(path.read_bytes(), path.name)
        parsed_at = time.perf_counter()
        town = MunicipalityInfo(
            name=f"コーパス{number}町", slug=f"corpus-{number}", prefecture="東京都"
        )
        result = plan_import(
            actor=SYSTEM, parsed=parsed, municipality=town, plan=PlanInfo(slug="bench")
        )
        loaded_at = time.perf_counter()
        total_parse += parsed_at - started
        total_load += loaded_at - parsed_at
        print(
            f"{path.stem:<28} {result.counts['nodes']:>6} {result.counts['indicators']:>5} "
            f"{parsed_at - started:>7.3f}s {loaded_at - parsed_at:>7.3f}s"
        )
    print(f"{'total':<28} {'':>6} {'':>5} {total_parse:>7.3f}s {total_load:>7.3f}s")


if __name__ == "__main__":
    main()
