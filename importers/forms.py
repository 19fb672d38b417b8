"""The staff upload of plan files: choose a municipality you edit, give the files.

Between the preview and "apply" the files stay on the server (``uploads.UploadStore``: a plan
PDF is 5–30 MB, too large to travel back inside the form). The form carries a signed payload
naming the municipality and each file's token, so that what is applied is exactly what was
previewed, nobody can swap it on the way, and applying twice imports once.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from plans.models import Municipality

from .uploads import UploadGone, UploadStore

MB = 1024 * 1024
# A plan PDF made from Word or InDesign runs to 5–30 MB; 40 MB leaves room and stays well below
# the reader's own limit (importers.parsing.formats.limits: 100 MB).
DEFAULT_PLAN_UPLOAD_MAX_BYTES = 40 * MB
MAX_FILES = 5
PAYLOAD_SALT = "importers.upload"
PAYLOAD_MAX_AGE = 3600  # seconds between the preview and "apply"
PLAN_UPLOADS = UploadStore(salt="importers.upload.file", kind="plans", max_age=PAYLOAD_MAX_AGE)

FILE_TOO_LARGE = _(
    "%(name)s は %(size).1f MB です。1ファイル %(limit).0f MB まで取り込めます。"
    "PDFを章ごとに分けるなどして、小さいファイルにしてから選んでください。"
)
TOO_MANY_FILES = _("一度に取り込めるファイルは %(limit)s 個までです。")
FILES_HELP = _("PDF、HTML、Word、Excel、CSV、テキスト。1つの計画を複数ファイルに分けて選べます。")
PREVIEW_EXPIRED = _(
    "プレビューの有効期限が切れたか、内容が不正です。もう一度アップロードしてください。"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PlanUploadForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.none(), label=_("自治体"))
    files = MultipleFileField(
        label=_("計画のファイル"),
        help_text=FILES_HELP,
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean_files(self) -> list[tuple[str, bytes]]:
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                TOO_MANY_FILES, code="too_many_files", params={"limit": MAX_FILES}
            )
        limit = plan_upload_max_bytes()
        for upload in files:
            if upload.size > limit:  # refused before it is read
                raise forms.ValidationError(
                    FILE_TOO_LARGE,
                    code="file_too_large",
                    params={"name": upload.name, "size": upload.size / MB, "limit": limit / MB},
                )
        return [(upload.name, upload.read()) for upload in files]


def plan_upload_max_bytes() -> int:
    """``PLAN_UPLOAD_MAX_BYTES`` per file (default 40 MB)."""
    return getattr(settings, "PLAN_UPLOAD_MAX_BYTES", DEFAULT_PLAN_UPLOAD_MAX_BYTES)


def signed_payload(municipality_id: int, files: list[tuple[str, bytes]]) -> str:
    """Keep the files on the server; the payload names them by token, signed."""
    kept = [[name, PLAN_UPLOADS.keep(data)] for name, data in files]
    payload = {"municipality": municipality_id, "files": kept}
    return signing.dumps(payload, salt=PAYLOAD_SALT)


def read_payload(payload: str) -> tuple[int, list[tuple[str, str]]]:
    """The municipality id and the (name, token) of each file of a preview;
    ``signing.BadSignature`` if tampered or old."""
    data = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    return int(data["municipality"]), [(name, token) for name, token in data["files"]]


def take_files(kept: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """The files of a preview, taken from the store (a second "apply" finds them gone:
    ``UploadGone``, and the others are discarded too)."""
    try:
        return [(name, PLAN_UPLOADS.take(token)) for name, token in kept]
    except UploadGone:
        discard_files(kept)
        raise


def discard_files(kept: list[tuple[str, str]]) -> None:
    for _name, token in kept:
        PLAN_UPLOADS.discard(token)
