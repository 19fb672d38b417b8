"""``manage.py build_sample_fixtures``: regenerate fixtures/<municipality>.json from the samples.

Imports every plan of importers/samples/catalog.json (parsed by the current parsers) inside a
transaction that is rolled back, and writes one natural-key fixture per plan with tree fields
numbered for the whole set. Run it after the parsers change, against a migrated database that
does not hold the sample plans (an empty SQLite file is enough):

    SQLITE_PATH=/tmp/build.sqlite3 python manage.py migrate
    SQLITE_PATH=/tmp/build.sqlite3 python manage.py build_sample_fixtures
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importers.parsing import ParseError
from importers.services import ImportFailed, sample_fixtures_build


class Command(BaseCommand):
    help = "Rebuild the committed sample fixtures (fixtures/*.json) from importers/samples."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=None, help="default: the first of settings.FIXTURE_DIRS"
        )

    def handle(self, *args, **options):
        directory = Path(options["output_dir"] or settings.FIXTURE_DIRS[0])
        try:
            texts = sample_fixtures_build()
        except (ParseError, ImportFailed) as error:
            raise CommandError(str(error)) from error
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (directory / name).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {directory / name} ({text.count(chr(10))} lines)")
