"""Uploaded spreadsheets between the preview and the confirm step of an admin import.

django-import-export keeps the file in a temporary storage and names it in a hidden field of
the confirm form. Its own storage trusts that name: a forged one read, then deleted, any file
of the temporary folder, and confirming twice failed on the missing file (500).

Here the file is kept by ``importers.uploads.UploadStore`` (the store the plan upload uses
too): a folder of its own, a random name, and only a signed token of that name in the form,
so a forged or altered token reads nothing. A second confirm finds the file gone and says so.
Uploads larger than ``IMPORT_MAX_UPLOAD_BYTES`` are refused before they are read: the largest
accepted file imports well inside the worker timeout.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from import_export.tmp_storages import BaseStorage

from importers.uploads import UPLOAD_GONE, UploadGone, UploadStore, upload_folder

__all__ = ["UPLOAD_GONE", "UPLOAD_TOO_LARGE", "SignedUploadStorage", "UploadGone",
           "max_upload_bytes", "upload_folder"]  # fmt: skip

# 2 MB: a city's KPI sheet is a few hundred KB; at the measured ~3 s per MB (50 MB CSV: 146 s)
# the largest accepted file imports in well under gunicorn's 30 s timeout.
DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
STORE = UploadStore(salt="exports.uploads")

UPLOAD_TOO_LARGE = _(
    "ファイルが大きすぎます（%(size).1f MB）。上限は %(limit).1f MB です。"
    "年度や表ごとに分けて取り込んでください。"
)


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class SignedUploadStorage(BaseStorage):
    """A temporary storage whose ``name`` is a signed token of ``STORE``, never a path."""

    def __init__(self, **kwargs):
        self.token = kwargs.pop("name", None)
        super().__init__(**kwargs)
        self.name = self.token

    def save(self, data) -> None:
        raw = data if isinstance(data, bytes) else data.encode(self.encoding or "utf-8")
        self.token = self.name = STORE.keep(raw)

    def read(self):
        data = STORE.read(self.token or "")
        return data if "b" in self.read_mode else data.decode(self.encoding or "utf-8")

    def remove(self) -> None:
        if self.token:
            STORE.discard(self.token)
