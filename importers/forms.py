"""The staff upload of plan files: choose a municipality you edit, give the files.

The files travel from the preview to "apply" inside the form, signed (``django.core.signing``)
so that what is applied is exactly what was previewed and nobody can swap it on the way.
"""

from __future__ import annotations

import base64

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from plans.models import Municipality

MAX_FILE_BYTES = 1_000_000  # a plan text of several hundred pages is well under 1 MB
MAX_FILES = 5
PAYLOAD_SALT = "importers.upload"
PAYLOAD_MAX_AGE = 3600  # seconds between the preview and "apply"

FILE_TOO_LARGE = _("%(name)s は %(size)s バイトです。1ファイル %(limit)s バイトまでです。")
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
        for upload in files:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    FILE_TOO_LARGE,
                    code="file_too_large",
                    params={"name": upload.name, "size": upload.size, "limit": MAX_FILE_BYTES},
                )
        return [(upload.name, upload.read()) for upload in files]


def signed_payload(municipality_id: int, files: list[tuple[str, bytes]]) -> str:
    encoded = [[name, base64.b64encode(data).decode("ascii")] for name, data in files]
    payload = {"municipality": municipality_id, "files": encoded}
    return signing.dumps(payload, salt=PAYLOAD_SALT, compress=True)


def read_payload(token: str) -> tuple[int, list[tuple[str, bytes]]]:
    """The municipality id and files of a preview; ``signing.BadSignature`` if tampered or old."""
    payload = signing.loads(token, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    files = [(name, base64.b64decode(data)) for name, data in payload["files"]]
    return int(payload["municipality"]), files
