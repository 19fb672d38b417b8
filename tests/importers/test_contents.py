"""contents: a list of contents names and orders the blocks printed after it."""

from importers.parsing import parse_file
from importers.parsing.contents import captions_a_list, read_contents
from importers.parsing.model import Line

# A chapter lists its 主要施策; block 2 lost its title line in the extraction, block 1 and 3
# print theirs (block 1 with a space the PDF put inside it).
CHAPTER = """第2章 ひとの分野

主要施策の一覧

1. 子育て支援 の充実
2. 学校教育の推進
3. 生涯学習の振興

子育て支援の充実

めざす姿
安心して子どもを産み育てられています。

めざす姿
学ぶ意欲が育っています。

生涯学習の振興

めざす姿
誰もが学び続けています。
"""


def parse(text: str):
    return parse_file(text.encode("utf-8"), "plan.txt")


def lines(text: str) -> list[Line]:
    return [Line(number, line) for number, line in enumerate(text.split("\n"), start=1)]


def test_listed_blocks_follow_their_list_each_block_a_node_of_the_listed_level():
    plan = parse(CHAPTER)
    [chapter] = plan.nodes
    assert [(n.code, n.title, n.line) for n in chapter.children] == [
        ("2-1", "子育て支援の充実", 9),
        ("2-2", "学校教育の推進", 14),
        ("2-3", "生涯学習の振興", 17),
    ]
    assert plan.level_names == ["分野", "施策"]
    bodies = [node.sections[0].body for node in chapter.children]
    assert bodies == ["安心して子どもを産み育てられています。", "学ぶ意欲が育っています。",
                      "誰もが学び続けています。"]  # fmt: skip


def test_title_recovered_from_list_is_reported_with_the_lists_line():
    plan = parse(CHAPTER)
    guesses = [i for i in plan.report.of_kind("guess") if "一覧" in i.message]
    assert [(i.line, i.message) for i in guesses] == [
        (14, "「学校教育の推進」の見出しが本文にありません。6 行目の一覧の見出しを補いました")
    ]


def test_the_lists_own_lines_make_no_nodes_and_are_reported():
    plan = parse(CHAPTER)
    skipped = [i.line for i in plan.report.of_kind("skipped") if "一覧の項目" in i.message]
    assert skipped == [3, 5, 6, 7]  # the caption and the items
    assert len(list(plan.walk())) == 4


def test_a_list_whose_blocks_never_follow_is_read_as_headings():
    """Without a repeated opening section there are no blocks: the items stay headings."""
    text = "主要施策の一覧\n1. 子育て支援\n2. 学校教育\n"
    assert read_contents(lines(text)).blocks == {}
    assert [node.title for node in parse(text).walk()] == ["子育て支援", "学校教育"]


def test_a_caption_repeated_in_every_chapter_is_not_a_running_header():
    assert captions_a_list("施策大項目と関連するSDGs", "1. 協働の推進")
    assert not captions_a_list("あおば町総合計画", "1. 協働の推進")
    assert not captions_a_list("施策大項目と関連するSDGs", "協働の推進を図ります。")
    other = "第3章 まちの分野\n\n主要施策の一覧\n\n1. 道路の整備\n2. 公園の整備\n\n"
    other += "道路の整備\n\nめざす姿\n安全に移動できます。\n\nめざす姿\n緑が多いまちです。\n"
    plan = parse(CHAPTER + "\n" + other)
    assert [len(root.children) for root in plan.nodes] == [3, 2]
    lines_of_blocks = [node.line for node in plan.nodes[1].children]
    assert lines_of_blocks == [29, 34]  # the blocks, not the list (lines 26, 27)


def test_list_printed_again_as_headings_after_a_chapter_heading_is_a_list_of_contents():
    text = "第1章 まち\n1. 道路\n2. 公園\n\n1. 道路の整備\n整備します。\n2. 公園の整備\n"
    plan = parse(text)
    assert [(n.title, n.line) for n in plan.walk()] == [
        ("まち", 1),
        ("道路の整備", 5),
        ("公園の整備", 7),
    ]
    once = "第1章 まち\n1. 道路\n2. 公園\n\n道路を整備します。\n"
    assert [n.title for n in parse(once).walk()] == ["まち", "道路", "公園"]


def test_blocks_beyond_the_list_and_listed_items_without_a_block_are_reported():
    """A block the list does not have makes no node of its own (reported); a listed item no
    block prints is reported with the list's line."""
    text = CHAPTER.replace("3. 生涯学習の振興\n", "")  # the third block is beyond the list
    plan = parse(text)
    assert [n.title for n in plan.nodes[0].children] == ["子育て支援の充実", "学校教育の推進"]
    beyond = [i.line for i in plan.report.of_kind("warning") if "3 件目のブロック" in i.message]
    assert beyond == [18]
    text = CHAPTER.replace("生涯学習の振興\n\nめざす姿\n誰もが学び続けています。\n", "")
    missing = [(i.line, i.message) for i in parse(text).report.of_kind("warning")]
    assert missing == [(7, "施策「生涯学習の振興」は一覧にありますが、本文にブロックがありません")]


def test_a_list_and_the_heading_printed_for_it_disagreeing_is_reported():
    text = "第1章 まち\n1. 道絡\n2. 公園\n\n1. 道路の整備\n整備します。\n2. 公園の整備\n"
    plan = parse(text)
    assert plan.nodes[0].children[0].title == "道路の整備"  # the heading is used
    [warning] = plan.report.of_kind("warning")
    assert (warning.line, warning.message) == (
        5,
        "一覧（2 行目）は「道絡」、見出しは「道路の整備」です。見出しを使いました",
    )
