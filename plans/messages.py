"""Validation messages: constants so that tests and forms say exactly the same thing."""

from django.utils.translation import gettext_lazy as _

LOCAL_GOV_CODE_FORMAT = _("地方公共団体コードは6桁の数字で入力してください。")
LOCAL_GOV_CODE_TAKEN = _("この地方公共団体コードは既に登録されています。")
PLAN_PERIOD_ORDER = _("計画期間の開始年度は終了年度以前にしてください。")
PLAN_LEVEL_NAMES = _("階層名を1つ以上、空でない文字列で入力してください。")
PLAN_SLUG_TAKEN = _("この自治体には同じスラッグの計画が既にあります。")
NODE_CODE_TAKEN = _("この計画には同じコードの項目が既にあります。")
NODE_KEY_TAKEN = _("この計画には同じキーの項目が既にあります。")
NODE_PARENT_OTHER_PLAN = _("親項目は同じ計画の項目にしてください。")
NODE_LEVEL_UNNAMED = _("この階層の名前が計画に定義されていません。")
SDG_GOAL_RANGE = _("SDGsのゴール番号は1から17です。")
CROSSREF_TARGET = _("参照先の項目、またはそのコードか名称を入力してください。")
CROSSREF_OTHER_PLAN = _("参照先は同じ計画の項目にしてください。")
CROSSREF_SELF = _("項目が自分自身を参照することはできません。")
STAFF_UNKNOWN = _("このユーザー名の職員（管理画面を使える有効なアカウント）はいません。")
PUBLISH_REFUSED = _("計画の公開状態を変えられるのは、公開担当者と自治体管理者です。")
NODE_MOVE_CHANGES_LEVEL = _(
    "「%(title)s」は%(level)sです。移動すると%(new_level)sになるため移動できません。"
    "%(level)sは%(level)sの並びの中で移動してください。"
)
NODE_BEYOND_LEVELS = _(
    "この計画の階層は%(count)d段（%(names)s）までです。「%(parent)s」の下には項目を置けません。"
)
