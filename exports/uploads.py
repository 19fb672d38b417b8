"""Uploaded spreadsheets between the preview and the confirm step of an admin import.

django-import-export keeps the file in a temporary storage and names it in a hidden field of
the confirm form. Its own storage trusts that name: a forged one read, then deleted, any file
of the temporary folder, and confirming twice failed on the missing file (500).

Here the file lives in a folder of its own under a random name, and the form carries only a
signed token of that name: a forged or altered token reads nothing. A second confirm finds
the file gone and says so. Uploads larger than ``IMPORT_MAX_UPLOAD_BYTES`` are refused before
they are read: the largest accepted file imports well inside the worker timeout.
"""

import os
import re
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from import_export.tmp_storages import BaseStorage

SALT = "exports.uploads"
# 2 MB: a city's KPI sheet is a few hundred KB; at the measured ~3 s per MB (50 MB CSV: 146 s)
# the largest accepted file imports in well under gunicorn's 30 s timeout.
DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
FILE_NAME = re.compile(r"^[0-9a-f]{32}$")

UPLOAD_GONE = _(
    "この取り込みは既に確定したか、期限が切れています。"
    "データは変更していません。もう一度ファイルを選んでください。"
)
UPLOAD_TOO_LARGE = _(
    "ファイルが大きすぎます（%(size).1f MB）。上限は %(limit).1f MB です。"
    "年度や表ごとに分けて取り込んでください。"
)


class UploadGone(ValueError):
    """The confirm step names no file we kept (confirmed already, expired, or forged)."""


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def upload_folder() -> Path:
    configured = getattr(settings, "IMPORT_UPLOAD_DIR", None)
    folder = Path(configured or Path(tempfile.gettempdir()) / "portal-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class SignedUploadStorage(BaseStorage):
    """A temporary storage whose ``name`` is a signed token, never a path."""

    def __init__(self, **kwargs):
        token = kwargs.pop("name", None)
        super().__init__(**kwargs)
        self.file_name = None
        if token:
            try:
                self.file_name = signing.loads(token, salt=SALT)
            except signing.BadSignature:
                self.file_name = None
            if not isinstance(self.file_name, str) or not FILE_NAME.match(self.file_name):
                self.file_name = None
        self.name = token

    def save(self, data) -> None:
        self.file_name = uuid.uuid4().hex
        self.name = signing.dumps(self.file_name, salt=SALT)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(self._path(), mode, encoding=None if mode == "wb" else self.encoding) as file:
            file.write(data)

    def read(self):
        if self.file_name is None or not self._path().exists():
            raise UploadGone(str(UPLOAD_GONE))
        encoding = None if "b" in self.read_mode else self.encoding
        with open(self._path(), self.read_mode, encoding=encoding) as file:
            return file.read()

    def remove(self) -> None:
        if self.file_name is not None:
            with_path = self._path()
            if with_path.exists():
                os.remove(with_path)

    def _path(self) -> Path:
        return upload_folder() / self.file_name
