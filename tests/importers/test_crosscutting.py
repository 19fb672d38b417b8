"""crosscutting: a chapter of cross-cutting plans that refer to other chapters' nodes by code."""

import pytest

from importers.parsing import parse_file, parse_files
from importers.parsing.blocks import Block, BlockKind
from importers.parsing.crosscutting import reference, split_subtitle, subtitle_alone
from importers.parsing.model import CrossRefKind, NodeKind
from importers.parsing.reader import read_blocks

TEXT = """第3章 ひとの分野

1. 子育て支援

第9章 分野横断プラン

1. 子育てプラン
2. にぎわいプラン

分野横断の課題にプランで取り組みます。

1. 子育てプラン〜子どもが育つ〜

子どもを支えます。

▶ 妊娠から子育てまで

切れ目なく支えます。

施策大項目

3-1 子育て支援

3-2 学校教育の
推進

3-1 子育て支援

総合戦略における数値目標の設定項目

- 合計特殊出生率

2. にぎわいプラン
〜まちがにぎわう〜

駅前を整えます。

施策大項目

4-1 商業の振興

各プランの取組は毎年見直します。
"""


@pytest.fixture(scope="module")
def plan():
    return parse_file(TEXT.encode("utf-8"), "plan.txt")


def test_the_chapter_is_no_node_its_numbered_headings_are_cross_cutting_plans(plan):
    assert [(n.key, n.kind, n.level, n.title) for n in plan.nodes] == [
        ("3", NodeKind.POLICY, 0, "ひとの分野"),
        ("plan-link-1", NodeKind.CROSS_CUTTING, 0, "子育てプラン"),
        ("plan-link-2", NodeKind.CROSS_CUTTING, 0, "にぎわいプラン"),
    ]
    assert plan.level_names == ["分野", "階層2"]  # the plans name no level of the tree


def test_references_are_crossrefs_once_per_plan_with_wrapped_titles_joined(plan):
    first, second = plan.nodes[1:]
    assert [(r.kind, r.target_code, r.target_title, r.line) for r in first.crossrefs] == [
        (CrossRefKind.POLICY_LINK, "3-1", "子育て支援", 22),
        (CrossRefKind.POLICY_LINK, "3-2", "学校教育の推進", 24),
    ]
    assert [(r.target_code, r.target_title) for r in second.crossrefs] == [("4-1", "商業の振興")]


def test_plan_sections_subtitle_heads_the_introduction_references_listed_as_bullets(plan):
    first, second = plan.nodes[1:]
    assert [(s.heading, s.body) for s in first.sections] == [
        ("子どもが育つ", "子どもを支えます。"),
        ("妊娠から子育てまで", "切れ目なく支えます。\n\n施策大項目\n- 3-1 子育て支援\n"
         "- 3-2 学校教育の推進\n- 3-1 子育て支援"),
        ("総合戦略における数値目標の設定項目", "- 合計特殊出生率"),
    ]  # fmt: skip
    assert [(s.heading, s.body) for s in second.sections] == [
        ("まちがにぎわう", "駅前を整えます。\n\n施策大項目\n- 4-1 商業の振興")
    ]


def test_the_chapters_own_text_belongs_to_no_plan_and_is_reported(plan):
    skipped = {i.line: i.message for i in plan.report.of_kind("skipped")}
    assert "どのプランにも属さない" in skipped[10]  # the introduction
    assert "どのプランにも属さない" in skipped[42]  # the closing note after the last list
    assert "一覧の項目" in skipped[7] and "一覧の項目" in skipped[8]  # the list of plans
    bodies = "".join(s.body for node in plan.walk() for s in node.sections)
    assert "分野横断の課題" not in bodies and "毎年見直します" not in bodies


def test_helpers():
    assert split_subtitle("子育てプラン〜子どもが育つ〜") == ("子育てプラン", "子どもが育つ")
    assert split_subtitle("子育てプラン") == ("子育てプラン", "")
    assert subtitle_alone("〜まちがにぎわう〜") == "まちがにぎわう"
    assert subtitle_alone("まちがにぎわう") == ""
    assert reference("5-1 市民との協働による まちづくり") == ("5-1", "市民との協働によるまちづくり")
    assert reference("施策大項目") is None


def test_a_reference_naming_its_target_otherwise_is_reported():
    text = TEXT.replace("第3章 ひとの分野\n\n1. 子育て支援", "第3章 ひとの分野\n\n1. 子育ての支援")
    plan = parse_files([("plan.txt", text.encode("utf-8"))])
    warnings = [(i.line, i.message) for i in plan.report.of_kind("warning")]
    assert (
        22,
        "子育てプラン は 3-1「子育て支援」を参照していますが、3-1 は「子育ての支援」です",
    ) in (warnings)
    assert len([w for w in warnings if "参照していますが" in w[1]]) == 1  # once per plan


def test_a_line_after_a_blank_below_a_reference_does_not_continue_it():
    """A web page's paragraphs are numbered one after another, with a break between: the
    paragraph numbered right after a reference is not its wrapped title."""
    texts = ["第9章 政策連携プラン", "1. 子育てプラン", "施策大項目", "3-1 子育て支援",
             "各プランの取組は見直します。"]  # fmt: skip
    blocks = [
        block
        for number, text in enumerate(texts, start=1)
        for block in (
            Block(BlockKind.PARAGRAPH, text=text, source="p.html", line=number),
            Block(BlockKind.PARAGRAPH, text="", source="p.html", line=number),
        )
    ]
    plan = read_blocks(blocks)
    [ref] = plan.nodes[0].crossrefs
    assert (ref.target_code, ref.target_title) == ("3-1", "子育て支援")
