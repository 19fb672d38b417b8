"""The words plans use for their levels, sections and KPI columns: data, not rules.

Every list here is what municipal plans print, gathered from many plans; the reader's
capabilities look words up here and never name a city. Add a word when a plan uses one that is
missing; the capability that reads it does not change.
"""

from __future__ import annotations

# Level words: what a plan calls a level of its tree (基本目標 1, 施策2-1, 【基本施策3】).
# Longer words first, so that 基本施策 is not read as 施策.
LEVEL_WORDS = (
    "将来像", "基本理念", "基本目標", "基本政策", "基本方針", "基本施策", "基本事業", "個別施策",
    "施策大項目", "施策中項目", "施策小項目", "重点施策", "重点プロジェクト", "重点戦略",
    "リーディングプロジェクト", "プロジェクト", "政策分野", "政策", "施策", "事業", "分野",
    "目標", "戦略", "方針", "取組", "柱",
)  # fmt: skip

# Level words that, printed alone, head a text section (基本方針1 is a level; ■ 基本方針 is the
# policy's statement), so they name no level there.
TEXT_SECTION_WORDS = ("基本方針",)

# A node titled with one of these (■重点施策, 重点プロジェクト) is a priority, and so is all
# that it holds.
PRIORITY_WORDS = ("重点",)

# Chapter-like words after 第N (第3章, 第2節, 第1部, 第2編).
PART_WORDS = "章節部編款項"

# Headings whose title names a part of the document rather than a node of the plan's tree
# (第1編 基本計画, 3 基本目標, 第1部 基本施策): they are labels, not nodes.
DOCUMENT_PARTS = (
    "基本構想", "基本計画", "前期基本計画", "後期基本計画", "実施計画", "総合計画", "総合戦略",
    "施策の体系", "計画の体系", "体系図", "施策の展開", "分野別計画", "分野別施策", "目次",
)  # fmt: skip

# Section headings inside a node (they open a text section, never a node).
SECTION_NAMES = (
    "めざす姿", "目指す姿", "めざすまちの姿", "目指すまちの姿", "基本方針", "政策の基本方針",
    "施策の方針", "施策の方向", "施策の方向性", "施策の目的", "目的", "現況と課題", "現状と課題",
    "現状", "課題", "取組内容", "主な取組", "主な取組内容", "具体的な取組", "協働による取組",
    "市民の役割", "行政の役割", "成果指標", "主な成果指標", "数値目標", "重要業績評価指標",
    "施策に係る市民満足度", "市民満足度", "関連する個別計画", "関連計画", "担当課", "担当部局",
    "用語解説", "コラム", "個別施策", "施策の内容", "主な事業", "評価", "今後の方向性",
    "数値目標の設定項目", "総合戦略における数値目標の設定項目",
)  # fmt: skip

# The section a node's numbered actions (①… ②… printed as its only text) are: what it does.
ACTIONS_SECTION = "取組内容"

# The sections of a chapter's opening (``opening``): the slogan it states and the voices it
# quotes in speech bubbles; plans print no heading for them.
VISION_SECTION = "めざすまちの姿"
VOICES_SECTION = "市民の声"

# A section named with one of these is a survey box (施策に係る市民満足度: an item and its
# percentage) inside the section it interrupts (``survey``).
SURVEY_WORDS = ("満足度",)

# Sections that define the words of the text: their terms go to the plan's glossary.
GLOSSARY_SECTIONS = ("用語解説", "用語の解説", "用語集")

# KPI table columns, by what a header cell contains.
NAME_WORDS = ("指標名", "成果指標", "数値目標", "KPI", "指標項目", "評価指標", "目標指標", "指標")
BASELINE_WORDS = ("現状値", "基準値", "当初値", "当初", "計画策定時", "策定時", "基準年", "現状")
ACTUAL_WORDS = ("実績値", "実績")
TARGET_WORDS = ("目標値", "将来値", "最終目標", "目標", "将来")
INTERIM_WORDS = ("中間目標", "中間値", "中間")
UNIT_WORDS = ("単位",)
CODE_WORDS = ("施策番号", "施策コード", "番号", "コード", "No", "NO", "№")
SECTION_COLUMN_WORDS = ("施策名", "基本施策", "施策", "政策", "分野", "基本目標", "事業名")
ROW_TYPE_WORDS = ("区分", "種別", "項目")  # a column whose cells say 目標値 / 実績値
DEFINITION_WORDS = ("指標の説明", "説明", "定義", "算出方法", "備考")

# Words of a cross-cutting chapter (its numbered headings are cross-cutting plans).
CROSS_CUTTING_WORDS = ("政策連携プラン", "分野横断", "横断的", "連携プロジェクト")
