"""Validation messages: constants so that tests and forms say exactly the same thing."""

from django.utils.translation import gettext_lazy as _

BASELINE_AFTER_TARGET = _("基準値の年度は目標値の年度以前にしてください。")
INDICATOR_KEY_TAKEN = _("この計画には同じキーの成果指標が既にあります。")
INDICATOR_PLAN_MISMATCH = _("成果指標の計画は、項目の計画と同じにしてください。")
VALUE_YEAR_TAKEN = _("この成果指標にはこの年度の実績値が既にあります。")
FISCAL_YEAR_RANGE = _("年度は1900年度から2200年度の間で入力してください。")
BAND_LABEL_TAKEN = _("この計画には同じ名前の評価が既にあります。")
BAND_MINIMUM_TAKEN = _("この計画には同じ下限の評価が既にあります。")
BAND_OPEN_TAKEN = _("下限のない評価（いちばん下の区分）は一つだけにしてください。")
INDICATOR_NOT_IN_PLAN = _("この計画の成果指標ではない指標が含まれています。")
STALE_VALUES = _(
    "表示した後に、ほかの人がこの年度の実績を変更しました。最新の値を確かめてから、もう一度保存してください。"
)
NOT_A_NUMBER = _(
    "数値で入力してください（例: 1,234.5、▲3）。設置済など文字の実績は「原文」に入力してください。"
)
NODE_NOT_IN_PLAN = _("選んだ項目は、この計画の項目ではありません。")
