"""Back up one municipality, several, or all: plan trees, KPIs, values, glossary, history.

manage.py backup -o backup.json                 # every municipality
manage.py backup omitama honjo -o two.json      # these municipalities (by slug)
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.backup import BackupError, backup_json


class Command(BaseCommand):
    help = "自治体のデータ（計画、項目、成果指標、実績、用語解説、履歴）をJSONに書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="自治体のスラッグ（省略時はすべて）")
        parser.add_argument("-o", "--output", required=True, help="書き出すファイル")

    def handle(self, *args, slugs, output, **options):
        try:
            text = backup_json(slugs or None)
        except BackupError as error:
            raise CommandError(str(error)) from error
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"{output} に書き出しました。")
