"""tree: levels from how schemes nest, corrected by codes; repeats, labels and captions."""

from importers.parsing import parse_file
from importers.parsing.blocks import Block, BlockKind
from importers.parsing.model import CrossRefKind, Line
from importers.parsing.reader import read_blocks
from importers.parsing.tree import render_body


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
    assert any("コード 1 を" in issue.message for issue in plan.report.of_kind("guess"))


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


def kpi_outline(text: str) -> list[str]:
    plan = parse_file(text.encode("utf-8"), "plan.txt")
    return [
        "  " * node.level + f"{node.code or '-'} {node.title}"
        + "".join(f" [{kpi.name}]" for kpi in node.indicators)
        for node in plan.walk()
    ]  # fmt: skip


HEADER = "施策\t指標名\t現状値\t目標値\n"


def test_columns_name_nodes_rows_of_a_section_column_are_siblings_placed_by_their_codes():
    """1-2 after 1-1 in a 施策 column is its sibling, not its child: the code decides."""
    text = HEADER + "1-1 防災\t訓練参加者数\t10人\t20人\n1-2 防犯\t犯罪件数\t30件\t20件\n"
    text += "2-1 子育て\t待機児童数\t8人\t0人\n"
    assert kpi_outline(text) == [
        "1-1 防災 [訓練参加者数]",
        "1-2 防犯 [犯罪件数]",
        "2-1 子育て [待機児童数]",
    ]


def test_columns_name_nodes_a_bare_code_joins_its_heading_printed_before_or_after():
    """A row coded 1-1 under heading 1-1 is its KPI (not a child node 1-1); a row coded 1-2
    makes node 1-2, which the heading 1-2 printed after the table titles."""
    text = "1-1 防災\n本文です。\n" + HEADER + "1-1\t訓練参加者数\t10人\t20人\n"
    text += "1-2\t犯罪件数\t30件\t20件\n1-2 防犯\n本文です。\n"
    plan = parse_file(text.encode("utf-8"), "plan.txt")
    assert kpi_outline(text) == ["1-1 防災 [訓練参加者数]", "1-2 防犯 [犯罪件数]"]
    assert plan.nodes[1].sections[0].body == "本文です。"


def test_columns_name_nodes_codes_of_rows_nest_under_the_heading_their_code_extends():
    """Rows 1-1, 1-2 below 基本目標1 go under it (which takes the code 1); 2-1 under 基本目標2."""
    text = "基本目標1 安全なまち\n" + HEADER + "1-1 防災\t訓練参加者数\t10人\t20人\n"
    text += "1-2 防犯\t犯罪件数\t30件\t20件\n基本目標2 元気なまち\n" + HEADER
    text += "2-1 子育て\t待機児童数\t8人\t0人\n"
    assert kpi_outline(text) == [
        "1 安全なまち",
        "  1-1 防災 [訓練参加者数]",
        "  1-2 防犯 [犯罪件数]",
        "2 元気なまち",
        "  2-1 子育て [待機児童数]",
    ]


def test_columns_name_nodes_the_number_in_a_section_column_is_a_code_and_items_are_not():
    text = "政策\t指標名\t現状値\t目標値\n1 産業のまち\t創業件数\t10件\t20件\n"
    text += "1 産業のまち\t空き店舗数\t30店舗\t20店舗\n2 交流のまち\t観光客数\t100人\t200人\n"
    assert kpi_outline(text) == [
        "1 産業のまち [創業件数] [空き店舗数]",
        "2 交流のまち [観光客数]",
    ]
    text = HEADER + "①防災\t訓練参加者数\t10人\t20人\n②防犯\t犯罪件数\t30件\t20件\n"
    assert kpi_outline(text) == ["- 防災 [訓練参加者数]", "- 防犯 [犯罪件数]"]


def test_columns_name_nodes_titles_alone_are_siblings_under_the_open_heading():
    text = "第1章 安全\n施策名\t指標名\t現状値\t目標値\n防災\t訓練参加者数\t10人\t20人\n"
    text += "防犯\t犯罪件数\t30件\t20件\n防災\t避難所数\t5か所\t8か所\n"
    assert kpi_outline(text) == [
        "1 安全",
        "  - 防災 [訓練参加者数] [避難所数]",
        "  - 防犯 [犯罪件数]",
    ]


def test_kpis_numbered_from_1_in_each_table_stay_under_their_own_heading():
    """No. 1 of the second table does not go under a node 「1」 made by the first table."""
    text = "(1) 防災\nNo.\t指標名\t現状値\t目標値\n1\t訓練参加者数\t10人\t20人\n"
    text += "2\t避難所数\t5か所\t8か所\n(2) 防犯\nNo.\t指標名\t現状値\t目標値\n"
    text += "1\t犯罪件数\t30件\t20件\n"
    assert kpi_outline(text) == ["- 防災 [訓練参加者数] [避難所数]", "- 防犯 [犯罪件数]"]


# --- place by code over heading (the headings only lend titles) --------------------------------

SCRAMBLED = (
    "1) まち\n"
    "基本施策1 防災\n"
    "1101 訓練\n"
    "1102 避難所\n"
    "2) ひと\n"
    "3) くらし\n"
    "基本施策1 子育て\n"
    "2101 保育\n"
    "基本施策2 消防\n"
    "1201 消防団\n"
)


def test_codes_nest_alike_an_item_printed_under_another_goal_goes_where_its_code_says():
    """1101 sits under 11 under 1, so 2101 sits under 21 under 2: the heading it is printed under
    (基本施策1 子育て, printed in goal 3's section) is the node 21 and moves under 2; 1201's heading
    becomes 12 under 1. Each move is reported as a guess."""
    plan = parse_file(SCRAMBLED.encode(), "plan.txt")
    assert outline(SCRAMBLED) == [
        "1 まち",
        "  11 防災",
        "    1101 訓練",
        "    1102 避難所",
        "  12 消防",
        "    1201 消防団",
        "2 ひと",
        "  21 子育て",
        "    2101 保育",
        "- くらし",  # no code below needs its number
    ]
    guesses = [issue.message for issue in plan.report.of_kind("guess")]
    assert "「子育て」はコード 21 に従って 2 の下に置きました" in guesses
    assert "「消防」はコード 12 に従って 1 の下に置きました" in guesses


def test_a_heading_whose_items_belong_to_a_titled_code_is_no_node():
    """基本施策4 地域学習 holds 3305 only; 33 is titled by 基本施策3 already: 3305 goes to 33, the
    empty heading is dropped and reported; a heading that later holds items of its own stays."""
    text = (
        "3) くらし\n基本施策3 福祉\n3301 ケア\n基本施策4 地域学習\n3305 介護保険\n"
        "基本施策5 障がい\n3501 権利\n"
    )
    plan = parse_file(text.encode(), "plan.txt")
    assert outline(text) == [
        "3 くらし",
        "  33 福祉",
        "    3301 ケア",
        "    3305 介護保険",
        "  35 障がい",
        "    3501 権利",
    ]
    skipped = [issue.message for issue in plan.report.of_kind("skipped")]
    assert any("見出し「地域学習」の下の 3305 はコード 33「福祉」の項目です" in m for m in skipped)


def test_coded_siblings_are_in_code_order():
    """Blocks the extraction printed out of order (23 before 22) come out in code order; uncoded
    siblings keep the printed order."""
    text = "第2章 ひと\n学習(23)\n学校(22)\n"
    assert outline(text) == ["2 ひと", "  22 学校", "  23 学習"]
    assert outline("1. まち\n2. ひと\n(2) 学習\n(1) 学校\n")[2:] == ["  - 学習", "  - 学校"]


def test_a_number_shaped_like_the_codes_that_nests_nowhere_stays_text_with_a_warning():
    plan = parse_file("1) まち\n基本施策1 防災\n1101 訓練\n9102 避難所\n".encode(), "plan.txt")
    assert [node.code for node in plan.walk()] == ["1", "11", "1101"]
    warnings = [issue for issue in plan.report.of_kind("warning") if "9102" in issue.message]
    assert warnings and warnings[0].line == 4


def test_bullets_stay_one_list_in_a_passage_of_long_sentence_lines():
    """Sentence lines longer than a printed line are paragraphs, but a bullet list stays a list."""
    bullet = "- " + "まちづくりを進めます" * 6 + "。"
    plan = parse_file(f"1. まち\n{bullet}\n{bullet}\n".encode(), "plan.txt")
    assert plan.nodes[0].sections[0].body == f"{bullet}\n{bullet}"


def test_a_part_heading_naming_a_plan_before_any_node_titles_the_plan():
    plan = parse_file("## ◆基本計画\n\n1. まち\n".encode(), "plan.txt")
    assert plan.title == "基本計画"
    assert [node.title for node in plan.walk()] == ["まち"]


def test_a_level_word_printed_alone_names_the_level_of_the_heading_after_it():
    """``label_names_level``: 基本目標 over 「1) まち」 and ■ 個別施策 over 1101 name levels whose
    headings print no level word; printed on every goal, the label is not page furniture."""
    text = (
        "基本目標\n\n1) まち\n\n基本施策1 協働\n\n■ 個別施策\n1101 人材育成\n1102 拠点\n\n"
        "基本目標\n\n2) ひと\n\n基本施策1 学び\n\n■ 個別施策\n2101 学校\n"
    )
    plan = parse_file(text.encode(), "plan.txt")
    assert plan.level_names == ["基本目標", "基本施策", "個別施策"]
    assert outline(text)[:2] == ["1 まち", "  11 協働"]


def test_text_between_a_level_word_and_the_heading_ends_the_label():
    """基本方針 followed by its text is a section, not the name of the next level."""
    plan = parse_file("1) まち\n\n基本方針\n\n協働を進めます。\n\n(1) 協働\n".encode(), "plan.txt")
    assert plan.level_names == ["階層1", "階層2"]
    assert plan.nodes[0].sections[0].heading == "基本方針"


def test_section_names_level_of_its_items_they_nest_under_its_node():
    """取組内容(施策中項目): its numbered items are 施策中項目 under the heading holding the
    section, each with its text as a 取組内容 section; the next section is the heading's again."""
    text = "1. 防災の推進\n取組内容(施策中項目)\n1. 訓練\n- 訓練を行います。\n2. 備蓄\n"
    text += "- 備蓄を進めます。\n協働による取組\n- 自治会と取り組みます。\n"
    plan = parse_file(text.encode(), "plan.txt")
    assert outline(text) == ["- 防災の推進", "  - 訓練", "  - 備蓄"]
    assert plan.level_names == ["階層1", "施策中項目"]
    parent, first, second = plan.walk()
    assert [(s.heading, s.body) for s in first.sections] == [("取組内容", "- 訓練を行います。")]
    assert [(s.heading, s.body) for s in parent.sections] == [
        ("協働による取組", "- 自治会と取り組みます。")
    ]


def test_chapter_numbers_are_codes_and_items_under_a_chapter_extend_them():
    """第5章 is 5 (chapters are numbered through the document); its items 5-1, 5-1-1; a code
    printed by an item is kept."""
    text = "第5章 市民生活分野\n1. 協働\n(1) 自治会\n2. 人権(52)\n第6章 行財政分野\n1. 広報\n"
    assert outline(text) == [
        "5 市民生活分野",
        "  5-1 協働",
        "    5-1-1 自治会",
        "  52 人権",
        "6 行財政分野",
        "  6-1 広報",
    ]


def test_a_chapter_titled_with_a_level_word_names_its_level_by_it():
    plan = parse_file("第5章 市民生活分野\n1. 協働\n第6章 行財政分野\n".encode(), "plan.txt")
    assert plan.level_names == ["分野", "階層2"]
    plan = parse_file("第5章 市民生活\n1. 協働\n".encode(), "plan.txt")
    assert plan.level_names == ["章", "階層2"]


# One goal's chapter: its title, a goal-wide section, the list of its policies, then each
# section printed for every policy in turn (■現況と課題 / ■施策N …), then a block per policy.
CHAPTER = """にぎわいを生むまちづくり

■政策の基本方針

商店街と観光で人が集まるまちを目指します。

施策1 商業の振興

施策2 観光の推進

■現況と課題

■施策1 商業の振興

①空き店舗が増えている

中心街の空き店舗が目立ちます。

■施策2 観光の推進

②来訪者が減っている

来訪者はこの5年で減りました。

■施策2 観光の推進

③宿泊施設が少ない

宿泊先が足りません。

施策1 商業の振興

■ 基本方針

- 創業を支えます。

■ 個別施策
3101 空き店舗の活用
3102 創業の支援

施策2 観光の推進

■ 個別施策
3201 観光案内の充実
"""


def chapter_sections(code: str) -> list[tuple[str, str]]:
    plan = parse_file(CHAPTER.encode(), "chapter.txt")
    node = next(node for node in plan.walk() if node.code == code)
    return [(section.heading, section.body) for section in node.sections]


def test_a_title_line_over_sections_is_the_node_holding_the_headings_after_it():
    """``title_over_sections_is_a_node``: the chapter's first line, followed by a section
    before any heading, is a node; the policies nest under it. ``unnumbered_parent_code_from_
    below``: 3101 under 施策1 makes 施策1 31 and the chapter, printed without a number, 3."""
    assert outline(CHAPTER) == [
        "3 にぎわいを生むまちづくり",
        "  31 商業の振興",
        "    3101 空き店舗の活用",
        "    3102 創業の支援",
        "  32 観光の推進",
        "    3201 観光案内の充実",
    ]
    goal = ("政策の基本方針", "商店街と観光で人が集まるまちを目指します。")
    assert chapter_sections("3") == [goal]


def test_a_heading_printed_again_continues_its_node_in_the_section_open_there():
    """``section_spans_repeated_headings``: ■現況と課題 then ■施策1 … ■施策2 …: each policy's
    現況と課題; ``same_heading_continues_section``: 施策2 printed twice gives one section.
    ``circled_items_number_paragraphs``: ①②③ there number paragraphs, they are no nodes."""
    assert chapter_sections("31") == [
        ("現況と課題", "①空き店舗が増えている\n\n中心街の空き店舗が目立ちます。"),
        ("基本方針", "- 創業を支えます。"),
    ]
    assert chapter_sections("32") == [
        ("現況と課題", "②来訪者が減っている\n\n来訪者はこの5年で減りました。\n\n"
                       "③宿泊施設が少ない\n\n宿泊先が足りません。"),
    ]  # fmt: skip


def test_circled_items_are_nodes_where_the_text_made_them_nodes_before():
    """The same ① in a named section stays a heading where circled items are already nodes."""
    text = "1. まち\n\n① 防災\n\n■ 現況と課題\n\n② 防犯\n\n本文。\n"
    assert outline(text) == ["- まち", "  - 防災", "  - 防犯"]


# A policy's list of individual measures: coded rows of a table (code and title | actions, a
# row without a code continuing the one before), a code alone over its wrapped title, a column.
ITEMS = """基本目標3 にぎわい

施策1 商業の振興

■ 個別施策
3101 空き店舗の活用\t①改修を支えます。 ②出店者を募ります。
\t③家賃を助成します。

3102

創業の
支援

- ①相談窓口を開きます。
- ②融資を
紹介します。

コラム

商店街の歴史

施策2 観光の推進
"""


def items_sections(code: str) -> list[tuple[str, str, int]]:
    plan = parse_file(ITEMS.encode(), "items.txt")
    node = next(node for node in plan.walk() if node.code == code)
    return [(section.heading, section.body, section.line) for section in node.sections]


def test_coded_rows_of_a_table_are_items_and_their_cells_the_items_text():
    """``coded_rows_are_items``: 3101 … | ①… is the item 3101; the row without a code continues
    it. ``numbered_actions_are_what_a_node_does``: ①②③ alone are its 取組内容, one a line,
    from the line of the first; bullets go and an action continued on the next line is one."""
    assert outline(ITEMS) == [
        "3 にぎわい",
        "  31 商業の振興",
        "    3101 空き店舗の活用",
        "    3102 創業の支援",
        "  - 観光の推進",
    ]
    assert items_sections("3101") == [
        ("取組内容", "①改修を支えます。\n②出店者を募ります。\n③家賃を助成します。", 6)
    ]
    assert items_sections("3102") == [
        ("取組内容", "①相談窓口を開きます。\n②融資を紹介します。", 14)
    ]


def test_a_section_after_a_list_of_items_is_the_lists_holders_again():
    """■ 個別施策 lists the policy's items: the コラム after the last item is the policy's."""
    assert items_sections("31") == [("コラム", "商店街の歴史", 18)]


def test_numbered_text_that_is_not_only_actions_stays_text():
    plan = parse_file("1. まち\n\n①公園を整えます。\n\n人が集まる場所です。\n".encode(), "p.txt")
    assert [(s.heading, s.body) for s in plan.nodes[0].sections] == [
        ("", "①公園を整えます。\n\n人が集まる場所です。")
    ]


def test_framed_caption_opens_box_its_numbered_lines_are_its_text():
    text = "1. 大学との連携\n\n- 基本協定の概要 -\n\n1 目的\n\n地域の発展に寄与します。\n\n"
    text += "2 協力事項\n\n- (1)まちづくり\n- (2)人材育成\n\n現況と課題\n\n- 連携しています。\n"
    plan = parse_file(text.encode(), "plan.txt")
    assert outline(text) == ["- 大学との連携"]
    assert [(s.heading, s.body) for s in plan.nodes[0].sections] == [
        ("基本協定の概要", "1 目的\n\n地域の発展に寄与します。\n\n2 協力事項\n- (1)まちづくり\n"
         "- (2)人材育成"),
        ("現況と課題", "- 連携しています。"),
    ]  # fmt: skip


def test_list_continues_across_blank_lines():
    """Bullets separated by blank lines stay one list; a list follows its short caption on the
    next line; after a sentence a list is a paragraph of its own."""
    lines = [Line(1, "- 一つ目"), Line(2, ""), Line(3, "- 二つ目"), Line(4, ""),
             Line(5, "協力事項"), Line(6, ""), Line(7, "- 三つ目"), Line(8, ""),
             Line(9, "次の取組を進めます。"), Line(10, ""), Line(11, "- 四つ目")]  # fmt: skip
    assert render_body(lines) == (
        "- 一つ目\n- 二つ目\n\n協力事項\n- 三つ目\n\n次の取組を進めます。\n\n- 四つ目"
    )


FIGURES = """1. まち

■ 現況と課題

公園が古くなっています。

公園の数の推移

2. ひと

■ 現況と課題

子どもが減りました。

参考:人口統計

コラム

自治体では住民の記録を扱います。また、これまでの仕組みを

見直す取組が進んでいます。
"""


def test_a_caption_of_a_figure_the_text_lost_is_dropped_and_reported():
    """``figure_captions_are_noise``: 「公園の数の推移」 alone after the sentences, ending the
    passage, captioned a chart; 「参考:人口統計」 names a source and stays."""
    plan = parse_file(FIGURES.encode(), "p.txt")
    town, people = plan.nodes
    assert town.sections[0].body == "公園が古くなっています。"
    assert people.sections[0].body == "子どもが減りました。\n\n参考:人口統計"
    noise = [(i.line, i.original) for i in plan.report.of_kind("noise") if "図" in i.message]
    assert noise == [(7, "公園の数の推移")]


FIGURES_PAGE = """<!DOCTYPE html>
<html lang="ja"><body>
<h2>1. まち</h2>
<p>■ 現況と課題</p>
<p>公園が古くなっています。</p>
<p>公園の数の推移</p>
<h2>2. ひと</h2>
<p>■ 現況と課題</p>
<p>子どもが減りました。</p>
<p>参考:人口統計</p>
</body></html>
"""


def test_a_caption_in_a_block_of_its_own_is_dropped_whatever_its_line_number():
    """``figure_captions_are_noise`` on a web page: each <p> is a block and the break after it
    is numbered as the block it follows (no gap in the numbers), and still sets the caption
    apart; 「参考:人口統計」 stays."""
    plan = parse_file(FIGURES_PAGE.encode(), "p.html")
    town, people = plan.nodes
    assert town.sections[0].body == "公園が古くなっています。"
    assert people.sections[0].body == "子どもが減りました。\n\n参考:人口統計"
    noise = [(i.line, i.original) for i in plan.report.of_kind("noise") if "図" in i.message]
    assert noise == [(6, "公園の数の推移")]


def _paragraph(text: str, line: int) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text, source="p.pdf", line=line)


def test_the_last_printed_line_of_a_wrapped_paragraph_is_no_caption():
    """A PDF paragraph wrapped over lines 3–5 is one block numbered 3; 「(2101 再掲)」, wrapped
    onto line 6 and read as a block of its own with no break before it, ends the sentence's
    paragraph: it stays in the text and is a cross-reference, not a dropped caption."""
    blocks = [
        Block(BlockKind.HEADING, text="1. まち", depth=1, source="p.pdf", line=1),
        _paragraph("", 1),
        _paragraph("■ 取組内容", 2),
        _paragraph("", 2),
        _paragraph("公園を整え、子どもから高齢者までが安心して過ごせる場をつくります。", 3),
        _paragraph("(2101 再掲)", 6),
        _paragraph("", 6),
    ]
    plan = read_blocks(blocks)
    [town] = plan.nodes
    assert town.sections[0].body == (
        "公園を整え、子どもから高齢者までが安心して過ごせる場をつくります。(2101 再掲)"
    )
    assert [(r.kind, r.target_code, r.line) for r in town.crossrefs] == [
        (CrossRefKind.RELISTED, "2101", 6)
    ]
    assert not [i for i in plan.report.of_kind("noise") if "図" in i.message]


def test_a_paragraph_cut_mid_sentence_by_a_figure_continues_after_it():
    """``paragraph_cut_by_a_figure_continues``: …仕組みを / (figure) / 見直す… is one paragraph."""
    people = parse_file(FIGURES.encode(), "p.txt").nodes[1]
    assert people.sections[1].body == (
        "自治体では住民の記録を扱います。また、これまでの仕組みを見直す取組が進んでいます。"
    )
