"""Uploaded files kept on the server between a preview and its confirm step.

A preview and its confirm are two requests. The file does not travel back inside the form (a
plan PDF of 5–30 MB would not fit in a form field, and the browser would send it twice): it is
kept in a folder of its own under a random name, and the form carries only a signed token of
that name. A forged or altered token names nothing; a name is 32 hex digits, so no token can
point outside the folder. Confirming takes the file (an atomic rename), so a second confirm,
even at the same moment, finds it gone and changes nothing. Files left behind by a preview
nobody confirmed are removed once they are older than ``max_age``.

Used by the plan upload (``importers.admin``) and, through ``exports.uploads``, by the
spreadsheet imports of django-import-export.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

FILE_NAME_LENGTH = 32  # uuid4().hex
CLAIMED = ".taken"

UPLOAD_GONE = _(
    "この取り込みは既に確定したか、期限が切れています。"
    "データは変更していません。もう一度ファイルを選んでください。"
)


class UploadGone(ValueError):
    """The confirm step names no file we kept (confirmed already, expired, or forged)."""


def upload_folder(kind: str = "") -> Path:
    """``IMPORT_UPLOAD_DIR`` (default: portal-imports in the temporary folder), or a folder of
    its own below it for one kind of upload."""
    configured = getattr(settings, "IMPORT_UPLOAD_DIR", None)
    folder = Path(configured or Path(tempfile.gettempdir()) / "portal-imports")
    if kind:
        folder = folder / kind
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class UploadStore:
    """Files of one kind of upload, named to the browser only by signed tokens."""

    salt: str
    kind: str = ""
    max_age: int | None = None  # seconds a kept file lives; None: until it is taken

    def keep(self, data: bytes) -> str:
        """Keep ``data``; the token that names it."""
        self.sweep()
        name = uuid.uuid4().hex
        path = self.folder() / name
        with open(path, "xb") as file:
            file.write(data)
        return signing.dumps(name, salt=self.salt)

    def read(self, token: str) -> bytes:
        """The file a token names; ``UploadGone`` when it names none (taken, expired, forged)."""
        path = self._path(token)
        try:
            return path.read_bytes()
        except OSError:
            raise UploadGone(str(UPLOAD_GONE)) from None

    def take(self, token: str) -> bytes:
        """The file a token names, removed in the same step: of two confirms sent at once, one
        gets the file and the other ``UploadGone``."""
        path = self._path(token)
        taken = path.with_name(path.name + CLAIMED + uuid.uuid4().hex)
        try:
            os.rename(path, taken)
        except OSError:
            raise UploadGone(str(UPLOAD_GONE)) from None
        try:
            return taken.read_bytes()
        finally:
            taken.unlink(missing_ok=True)

    def discard(self, token: str) -> None:
        try:
            self._path(token).unlink(missing_ok=True)
        except UploadGone:
            pass

    def sweep(self) -> None:
        """Remove files older than ``max_age`` (previews nobody confirmed)."""
        if self.max_age is None:
            return
        oldest = time.time() - self.max_age
        for path in self.folder().iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < oldest:
                    path.unlink(missing_ok=True)
            except OSError:
                continue  # taken or removed by another request meanwhile

    def folder(self) -> Path:
        return upload_folder(self.kind)

    def _path(self, token: str) -> Path:
        try:
            name = signing.loads(token, salt=self.salt, max_age=self.max_age)
        except signing.BadSignature:
            raise UploadGone(str(UPLOAD_GONE)) from None
        if not isinstance(name, str) or len(name) != FILE_NAME_LENGTH or not _is_hex(name):
            raise UploadGone(str(UPLOAD_GONE))
        return self.folder() / name


def _is_hex(name: str) -> bool:
    return all(char in "0123456789abcdef" for char in name)
