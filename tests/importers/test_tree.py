"""tree: levels from how schemes nest, corrected by codes; repeats, labels and captions."""

from importers.parsing import parse_file


def outline(text: str) -> list[str]:
    plan = parse_file(text.encode("utf-8"), "plan.txt")
    return ["  " * node.level + f"{node.code or '-'} {node.title}" for node in plan.walk()]


def test_nest_by_scheme_a_scheme_seen_again_closes_the_deeper_ones():
    assert outline("1. まち\n(1) 防災\n① 訓練\n(2) 防犯\n2. ひと\n(1) 子育て\n") == [
        "- まち",
        "  - 防災",
        "    - 訓練",
        "  - 防犯",
        "- ひと",
        "  - 子育て",
    ]


def test_code_decides_parent_over_the_printed_position():
    """消防 (12) printed after 第2章 goes under 第1章: 12 extends 1, which 第1章's number gives."""
    text = "第1章 安全\n防災(11)\n第2章 元気\n消防(12)\n商工(21)\n"
    assert outline(text) == ["1 安全", "  11 防災", "  12 消防", "2 元気", "  21 商工"]


def test_numbers_become_codes_when_codes_below_need_them():
    """施策 1-1 under 基本目標 1: the goal takes the code 1 (reported as a guess)."""
    plan = parse_file("基本目標 1 まち\n施策 1-1 防災\n".encode(), "plan.txt")
    assert [node.code for node in plan.walk()] == ["1", "1-1"]
    assert any("code 1" in issue.message for issue in plan.report.of_kind("guess"))


def test_letter_codes_nest():
    assert outline("施策B3 商工業\n施策B3-1 経営支援\n施策B4 観光\n") == [
        "B3 商工業",
        "  B3-1 経営支援",
        "B4 観光",
    ]


def test_labels_and_repeated_headings_are_not_new_nodes():
    text = "3 基本目標\n\n1. 協働\n\n本文。\n\n1. 協働\n\n続き。\n"
    plan = parse_file(text.encode(), "plan.txt")
    [node] = plan.nodes
    assert node.title == "協働" and node.sections[0].body == "本文。\n\n続き。"


def test_captions_group_kpis_only_where_no_numbered_heading_is_open():
    text = "■ 雇用\nKPI\t基準値\t目標値\n創業者数\t14人\t25人\n"
    assert outline(text) == ["- 雇用"]
    text = "1. 雇用\n■ 主な事業\n創業支援を行います。\n"
    plan = parse_file(text.encode(), "plan.txt")
    assert [s.heading for s in plan.nodes[0].sections] == ["主な事業"]


def test_levels_are_named_by_their_level_words():
    plan = parse_file("基本目標1 まち\n施策1-1 防災\n(1) 訓練\n".encode(), "plan.txt")
    assert plan.level_names == ["基本目標", "施策", "階層3"]
