"""``manage.py export_plan PLAN --format outline-json``: a plan from the database as a document.

PLAN is ``municipality/plan`` (``omitama/2023``) or a plan slug with ``--municipality``
(name or slug; the plan slug alone is enough when only one municipality has it).

* ``outline-json`` (default): the outline document of docs/outline-json.md, built from the
  database, with the municipality's and the plan's metadata; to stdout or ``-o FILE``.
* ``xlsx``: an Excel workbook written by ``exports.workbook.write_plan_workbook`` to ``-o FILE``.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.workbook import write_plan_workbook
from importers.outline import plan_outline_dict
from importers.selectors import plan_for_slug
from plans.models import Plan

FORMATS = ("outline-json", "xlsx")


class Command(BaseCommand):
    help = "Export a plan from the database (outline JSON or Excel)."

    def add_arguments(self, parser):
        parser.add_argument(
            "plan", metavar="PLAN", help="omitama/2023, or 2023 with --municipality"
        )
        parser.add_argument("--municipality", help="name or slug of the plan's municipality")
        parser.add_argument("--format", choices=FORMATS, default="outline-json")
        parser.add_argument("-o", "--output", help="file to write (required for xlsx)")

    def handle(self, *args, **options):
        try:
            plan = plan_for_slug(options["plan"], options["municipality"])
        except Plan.DoesNotExist as error:
            raise CommandError(f"no plan {options['plan']!r}") from error
        except Plan.MultipleObjectsReturned as error:
            raise CommandError(
                f"several municipalities have a plan {options['plan']!r}: "
                "write municipality/plan or give --municipality"
            ) from error
        if options["format"] == "xlsx":
            self._xlsx(plan, options["output"])
            return
        text = json.dumps(plan_outline_dict(plan), ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _xlsx(self, plan: Plan, output: str | None) -> None:
        if not output:
            raise CommandError("--format xlsx needs -o FILE")
        write_plan_workbook(plan, output)
