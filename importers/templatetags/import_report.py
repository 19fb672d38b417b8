"""Japanese words for an import's report and changes in the admin preview (``upload_preview``):
the kinds of issue the reader reports and the actions and things an import changes."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ISSUE_KINDS = {
    "structure": _("認識した構造"),
    "guess": _("推測"),
    "skipped": _("読み飛ばした行"),
    "warning": _("警告"),
    "noise": _("除いたページの部品"),
    "conflict": _("食い違い"),
    "unresolved_reference": _("見つからない参照先"),
    "normalization": _("文字の正規化"),
}
CHANGE_ACTIONS = {
    "create": _("追加"),
    "update": _("変更"),
    "conflict": _("食い違い"),
    "missing": _("ファイルにない"),
}
CHANGE_ENTITIES = {
    "municipality": _("自治体"),
    "plan": _("計画"),
    "node": _("項目"),
    "indicator": _("指標"),
    "crossrefs": _("参照"),
    "glossary": _("用語解説"),
}


@register.filter
def issue_kind(kind: str) -> str:
    """warning → 警告; a kind not listed is shown as it is."""
    return ISSUE_KINDS.get(kind, kind)


@register.filter
def change_action(action: str) -> str:
    return CHANGE_ACTIONS.get(action, action)


@register.filter
def change_entity(entity: str) -> str:
    return CHANGE_ENTITIES.get(entity, entity)
