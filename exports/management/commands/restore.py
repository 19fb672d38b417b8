"""Restore a backup written by ``manage.py backup``: its municipalities are replaced.

manage.py restore backup.json
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.backup import restore_document


class Command(BaseCommand):
    help = "backup の書き出したファイルから、その自治体のデータを置き換えて復元します。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup が書き出したファイル")

    def handle(self, *args, path, **options):
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
            report = restore_document(document)
        except (OSError, ValueError) as error:  # BackupError and bad JSON are ValueErrors
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"復元しました: {', '.join(report.municipalities)}")
        for label, count in sorted(report.rows.items()):
            self.stdout.write(f"  {label}: {count}")
        if report.created_users:
            names = ", ".join(report.created_users)
            self.stdout.write(f"無効なアカウントとして作成した職員: {names}")
