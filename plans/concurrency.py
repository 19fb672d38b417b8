"""No lost edits: a save made from a stale form saves nothing and says what changed since.

A form carries a signed *edit token*: the row's values as they were when the form was drawn.
On save, :func:`check_edit_token` re-reads the row (locked until the transaction ends) and
compares. If someone saved in between, it raises :class:`StaleEdit` listing each changed
field with the value the form was drawn from and the value saved since.

Two calls for any form or view::

    token = edit_token(indicator)            # put it in the form (hidden)
    check_edit_token(indicator, token)       # before saving; raises StaleEdit

:class:`EditTokenFormMixin` does both for a ``ModelForm`` (the admin's change forms and
inlines use it through :class:`plans.admin.TenantAdmin`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

SALT = "plans.concurrency.edit-token"
# Fields that change without anyone editing the row's content.
IGNORED_FIELDS = {"lft", "rght", "tree_id", "level", "search_text", "updated_at"}

STALE_EDIT = _(
    "この画面を開いた後に、他の人がこの内容を保存しました。あなたの変更は保存していません。"
    "下の表で変更点を確かめ、必要ならもう一度入力して保存してください。"
)
MISSING_TOKEN = _("フォームが古いか不完全です。画面を開き直してから保存してください。")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    seen: str
    now: str


class StaleEdit(ValidationError):
    """The row changed after the form was drawn; ``changes`` says how; ``token`` is current."""

    def __init__(self, changes: list[FieldChange], token: str):
        super().__init__(STALE_EDIT, code="stale_edit")
        self.changes = changes
        self.token = token


def row_values(instance: models.Model) -> dict[str, str]:
    """The row's own field values as text (what an edit can change)."""
    return {
        field.name: _text(field, instance)
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.name not in IGNORED_FIELDS
    }


def _text(field: models.Field, instance: models.Model) -> str:
    value = field.value_from_object(instance)
    if isinstance(value, Decimal):  # 64 typed, 64.0000 read back: the same number
        return format(value.normalize(), "f")
    return field.value_to_string(instance)


def edit_token(instance: models.Model) -> str:
    """A signed token of ``instance``'s values now, to send with the form."""
    return signing.dumps(row_values(instance), salt=SALT, compress=True)


def _current(instance: models.Model) -> models.Model:
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.get()


def check_edit_token(instance: models.Model, token: str | None) -> None:
    """Raise :class:`StaleEdit` if the saved row differs from the one the token was made from.

    Inside a transaction the row stays locked until it ends, so nobody saves in between.
    """
    try:
        seen = signing.loads(token or "", salt=SALT)
    except signing.BadSignature as error:
        raise ValidationError(MISSING_TOKEN, code="missing_edit_token") from error
    current = _current(instance)
    now = row_values(current)
    changes = [
        FieldChange(name, str(instance._meta.get_field(name).verbose_name), seen.get(name, ""), v)
        for name, v in now.items()
        if seen.get(name) != v
    ]
    if changes:
        raise StaleEdit(changes, edit_token(current))


def changes_table(changes: list[FieldChange]):
    """The changed fields side by side: as the form was opened, and as saved since (HTML)."""
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
        ((c.label, c.seen or "—", c.now or "—") for c in changes),
    )
    return format_html(
        "<table class='stale-edit'><caption>{}</caption><thead><tr><th scope='col'>{}</th>"
        "<th scope='col'>{}</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("開いた後に保存された変更"),
        _("項目"),
        _("画面を開いた時"),
        _("現在保存されている値"),
        rows,
    )


class EditTokenFormMixin(forms.BaseForm):
    """A ModelForm mixin: a hidden edit token, checked in ``clean()`` for existing rows.

    A stale form gets a form error with the changes table and a fresh token, so a second
    save, made after reading the changes, is a deliberate one.
    """

    edit_token_field = "edit_token"  # noqa: S105 (a field name, not a secret)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[self.edit_token_field] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=edit_token(self.instance)
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        try:
            check_edit_token(self.instance, cleaned.get(self.edit_token_field))
        except StaleEdit as stale:
            self._renew_token(stale.token)
            self.stale_changes = stale.changes
            raise ValidationError(
                format_html("{}{}", stale.message, changes_table(stale.changes)),
                code=stale.code,
            ) from None
        return cleaned

    @cached_property
    def changed_data(self) -> list[str]:
        # The token is no edit: an inline row left as it was stays unsaved and unchecked.
        return [name for name in super().changed_data if name != self.edit_token_field]

    def _renew_token(self, token: str) -> None:
        data = self.data.copy()
        data[self.add_prefix(self.edit_token_field)] = token
        self.data = data


class EditTokenModelForm(EditTokenFormMixin, forms.ModelForm):
    pass
