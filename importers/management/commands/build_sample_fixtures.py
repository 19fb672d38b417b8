"""``manage.py build_sample_fixtures``: regenerate fixtures/<municipality>.json from the samples.

Imports every plan of importers/samples/catalog.json (parsed by the current parsers) inside a
transaction that is rolled back, and writes one natural-key fixture per plan with tree fields
numbered for the whole set. Run it after the parsers change, against a migrated database that
does not hold the sample plans (an empty SQLite file is enough):

    SQLITE_PATH=/tmp/build.sqlite3 python manage.py migrate
    SQLITE_PATH=/tmp/build.sqlite3 python manage.py build_sample_fixtures

The build is deterministic (no build time in the files): rebuilding changes no line unless what
the samples import to has changed, so ``git diff fixtures/`` is exactly the change to review.
Fixtures change only that way: with ``CI`` set the command refuses to write; ``--check``
(allowed anywhere) writes nothing and fails if a committed fixture is out of date.
"""

import difflib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importers.parsing import ParseError
from importers.services import ImportFailed, sample_fixtures_build

REFUSED_IN_CI = (
    "build_sample_fixtures rewrites the committed fixtures and is refused in CI (CI is set): "
    "rebuild on your machine, review `git diff fixtures/` and commit it; use --check here."
)
DIFF_LINES = 40


class Command(BaseCommand):
    help = "Rebuild the committed sample fixtures (fixtures/*.json) from importers/samples."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=None, help="default: the first of settings.FIXTURE_DIRS"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail, showing the changed lines, if a fixture is out of date",
        )

    def handle(self, *args, **options):
        directory = Path(options["output_dir"] or settings.FIXTURE_DIRS[0])
        if settings.CI and not options["check"]:
            raise CommandError(REFUSED_IN_CI)
        try:
            texts = sample_fixtures_build()
        except (ParseError, ImportFailed) as error:
            raise CommandError(str(error)) from error
        if options["check"]:
            self.check_committed(directory, texts)
            return
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            path = directory / name
            if path.exists() and path.read_text(encoding="utf-8") == text:
                self.stdout.write(f"unchanged {path}")
                continue
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path} ({text.count(chr(10))} lines)")

    def check_committed(self, directory: Path, texts: dict[str, str]) -> None:
        stale = []
        for name, text in texts.items():
            path = directory / name
            committed = path.read_text(encoding="utf-8") if path.exists() else ""
            if committed != text:
                stale.append(name)
                diff = difflib.unified_diff(
                    committed.splitlines(), text.splitlines(), str(path), "rebuilt", lineterm=""
                )
                self.stdout.write("\n".join(list(diff)[:DIFF_LINES]))
        if stale:
            raise CommandError(f"out of date: {', '.join(stale)} (run build_sample_fixtures)")
        self.stdout.write(f"up to date: {', '.join(texts)}")
