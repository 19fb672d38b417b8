"""``manage.py import_plan FILE... --municipality NAME``: the files of one plan into the database.

    python manage.py import_plan importers/samples/omitama_outline.txt \
        importers/samples/omitama_goal1.txt --municipality 小美玉市 --dry-run
    python manage.py import_plan plan.txt --municipality 音威子府村

A municipality not yet in the database is taken from the national table (code, prefecture,
reading, slug); a name several municipalities share (府中市) needs ``--prefecture``. The plan's
period and slug come from the text; a text that states no period gives a draft plan with its
period open, and the report says so.

The files are parsed (``importers.parsing``) and loaded by ``importers.services.plan_import`` in
one transaction. A file that cannot be understood stops the command with its file, line and what
was expected; nothing is written then. The report (what changed, conflicts with staff edits,
warnings, normalizations, unresolved references) goes to stdout, and as JSON to ``--report``.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importers.parsing import ParseError, parse_files
from importers.selectors import import_target_for, plan_fixture_text, plan_for_slug
from importers.services import ImportFailed, plan_import
from plans import tenancy


def fiscal_year_period(text: str) -> tuple[int, int]:
    """ "2023-2027" → (2023, 2027)."""
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit()) or int(first) > int(last):
        raise ValueError(text)
    return int(first), int(last)


class Command(BaseCommand):
    help = "Import the files of one plan (parsed, merged, loaded in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="PDF, HTML, Word, Excel, CSV or UTF-8 text"
        )
        parser.add_argument(
            "--municipality",
            required=True,
            help="name (松戸市, 千葉県松戸市) or slug; a new municipality is found in the national "
            "table of municipalities (code, prefecture, reading, slug)",
        )
        parser.add_argument("--municipality-slug", help="slug of a municipality to create")
        parser.add_argument(
            "--prefecture", default="", help="for a name several municipalities share (府中市)"
        )
        parser.add_argument("--local-gov-code", default="", help="6-digit 地方公共団体コード")
        parser.add_argument(
            "--plan-slug",
            help="e.g. 2023 (default: the only plan, else the first year of the period the text "
            "states, else 'draft')",
        )
        parser.add_argument("--plan-title", default="", help="default: the title in the text")
        parser.add_argument(
            "--period", type=fiscal_year_period, help="fiscal years, e.g. 2023-2027"
        )
        parser.add_argument(
            "--publish", action="store_true", help="set the plan's status to published"
        )
        parser.add_argument("--prefer", help="source file whose values win conflicts between files")
        parser.add_argument(
            "--dry-run", action="store_true", help="write nothing, show what would change"
        )
        parser.add_argument(
            "--fixture-out", help="write the plan as a loaddata fixture to this path"
        )
        parser.add_argument("--report", help="write the report as JSON to this path")

    def handle(self, *args, **options):
        parsed = self._parse(options["files"], options["prefer"])
        try:
            municipality, plan = import_target_for(
                options["municipality"],
                parsed=parsed,
                municipality_slug=options["municipality_slug"],
                prefecture=options["prefecture"],
                local_gov_code=options["local_gov_code"],
                plan_slug=options["plan_slug"],
                plan_title=options["plan_title"],
                period=options["period"],
                status="published" if options["publish"] else None,
            )
            result = plan_import(
                actor=tenancy.SYSTEM,  # a command acts as the portal: no person to ask about
                parsed=parsed,
                municipality=municipality,
                plan=plan,
                dry_run=options["dry_run"],
            )
        except ImportFailed as error:
            raise CommandError(f"{error}; nothing was written") from error
        self.stdout.write(result.as_text(), ending="")
        if options["report"]:
            report = json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
            Path(options["report"]).write_text(report, encoding="utf-8")
        if options["fixture_out"] and not options["dry_run"]:
            fixture = plan_fixture_text(plan_for_slug(plan.slug, municipality.slug))
            Path(options["fixture_out"]).write_text(fixture, encoding="utf-8")

    def _parse(self, paths: list[str], prefer: str | None):
        files = []
        for path in map(Path, paths):
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(f"{path}: cannot read: {error.strerror}") from error
        try:
            return parse_files(files, prefer=prefer)
        except ParseError as error:
            raise CommandError(f"{error}; nothing was written") from error
