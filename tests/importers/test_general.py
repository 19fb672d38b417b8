"""The general reader: numbered headings become levels, KPI tables become indicators."""

from decimal import Decimal
from pathlib import Path

import pytest

from importers.parsing import general
from importers.parsing.errors import ParseError
from importers.parsing.model import Comparator, Line, ParsedPlan, Report
from importers.parsing.normalize import decode, normalize

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SOURCE = "plan.txt"

NUMBERED_PLAN = """\
緑川市 第2次総合計画 基本計画

1. 安心して暮らせるまち

緑川市は人口が減っています。
そのため、次の施策を進めます。

(1) 子育て支援の充実

① 保育所の整備
待機児童をなくします。

② 相談体制の強化

(2) 高齢者福祉の推進

2. 活力あるまち

(1) 産業の振興
"""

KPI_PLAN = """\
1-1 子育て支援の充実

めざす姿

子どもが健やかに育っています。

指標名\t実績値（令和3年度）\t目標値（令和9年度）
待機児童数\t12人\t0人
保育所の定員 [認可保育所の定員の合計]\t1,200人\t1,400人以上
合計特殊出生率\t1.21\t—
"""


def parse_text(text: str) -> ParsedPlan:
    report = Report()
    lines = normalize(decode(text.encode("utf-8"), SOURCE), SOURCE, report)
    return general.read_lines(lines, SOURCE, report)


def outline(plan: ParsedPlan) -> list[str]:
    """The tree as indented "key title" lines."""
    return ["  " * node.level + f"{node.key} {node.title}" for node in plan.walk()]


def test_numbered_headings_become_levels_in_order_of_first_appearance():
    """1. / (1) / ① are three levels because they first appear in that order."""
    plan = parse_text(NUMBERED_PLAN)
    assert outline(plan) == [
        "n1 安心して暮らせるまち",
        "  n1.1 子育て支援の充実",
        "    n1.1.1 保育所の整備",
        "    n1.1.2 相談体制の強化",
        "  n1.2 高齢者福祉の推進",
        "n2 活力あるまち",
        "  n2.1 産業の振興",
    ]
    assert plan.level_names == ["階層1", "階層2", "階層3"]
    assert plan.title == "緑川市第2次総合計画基本計画"
    assert plan.municipality == "緑川市"


def test_first_style_seen_is_the_top_level():
    """When (1) comes before 1., (1) is level 0 and 1. nests under it."""
    plan = parse_text("(1) 上位\n\n1. 下位\n\n(2) 次の上位\n")
    assert outline(plan) == ["n1 上位", "  n1.1 下位", "n2 次の上位"]


def test_text_between_headings_is_the_section_body():
    """Lines after a heading are its body; a blank line separates paragraphs."""
    plan = parse_text(NUMBERED_PLAN)
    first = plan.nodes[0]
    [section] = first.sections
    assert section.heading == ""
    assert section.body == "緑川市は人口が減っています。そのため、次の施策を進めます。"
    nursery = first.children[0].children[0]
    assert nursery.sections[0].body == "待機児童をなくします。"
    assert first.children[0].children[1].sections == []


def test_named_section_headings_open_sections():
    """めざす姿 (and the other printed section names) head a section of the current node."""
    plan = parse_text(KPI_PLAN)
    [section] = plan.nodes[0].sections
    assert (section.heading, section.body) == ("めざす姿", "子どもが健やかに育っています。")


def test_codes_and_bracket_headings():
    """1-1 / 1-1-1 are codes (one level per depth); [基本目標 11] and 【】 name their level.

    The text after a bracket is the title; the bracketed word names the level.
    """
    plan = parse_text(
        "【将来像】 住みよいまち\n\n[基本目標 11] 子ども\n\n1-1 保育\n\n1-1-1 保育所\n\n"
        "【基本目標12】 学び\n\n◇1 学校\n"
    )
    assert outline(plan) == [
        "n1 住みよいまち",
        "  11 子ども",
        "    1-1 保育",
        "      1-1-1 保育所",
        "  12 学び",
        "    12.1 学校",
    ]
    # ◇ opens under the 基本目標 it follows: levels come from how schemes nest.
    assert plan.level_names == ["将来像", "基本目標", "階層3", "階層4"]


def test_level_words_with_numbers_name_the_levels():
    """基本目標1 / 基本施策1 / 4-digit codes: the level is named by its word; the codes under
    基本施策1 of 基本目標1 (1101 → 11 → 1) give both headings the codes they were printed
    without."""
    plan = parse_text("基本目標1 まち\n\n基本施策1 協働\n\n1101 人材育成\n1102 拠点\n")
    assert outline(plan) == [
        "1 まち",
        "  11 協働",
        "    1101 人材育成",
        "    1102 拠点",
    ]
    assert plan.level_names == ["基本目標", "基本施策", "階層3"]


def test_a_heading_printed_again_continues_its_node():
    """The second 1101 is the same 個別施策 printed again: no second node, reported."""
    text = "基本目標1 まち\n\n基本施策1 協働\n\n1101 人材育成\n\n1102 拠点\n\n1101 人材育成\n"
    plan = parse_text(text)
    assert [n.code for n in plan.walk()] == ["1", "11", "1101", "1102"]
    [skipped] = [i for i in plan.report.of_kind("skipped") if "再掲" in i.message]
    assert skipped.line == 9


def test_bare_numbers_that_nest_nowhere_are_not_headings():
    """1101 一 / 2023 二 nest under nothing: text, not nodes (a page of a report, a year)."""
    plan = parse_text("1. 福祉\n\n1101 一\n2023 二\n")
    assert outline(plan) == ["n1 福祉"]


def test_tab_separated_kpi_table_becomes_indicators():
    """A header naming 指標名 and 実績値/目標値 columns makes each row a KPI with 和暦 years."""
    plan = parse_text(KPI_PLAN)
    [wait, capacity, birth] = plan.nodes[0].indicators
    assert (wait.key, wait.name, wait.unit) == ("1-1:待機児童数", "待機児童数", "人")
    assert (wait.baseline.value, wait.baseline_year) == (Decimal("12"), 2021)
    assert (wait.target.value, wait.target_year) == (Decimal("0"), 2027)
    assert (capacity.name, capacity.definition) == ("保育所の定員", "認可保育所の定員の合計")
    assert capacity.comparator == Comparator.GTE
    assert capacity.target.value == Decimal("1400")
    assert birth.target.value is None and birth.target.raw == "—"
    assert wait.line == 8


def test_space_separated_kpi_table_and_other_year_forms():
    """Cells split on runs of spaces; H26 and 2027年度 in the header; ▲ is minus."""
    table = [
        "1-2 高齢者福祉の推進",
        "",
        "成果指標      基準値(H26)      将来値(2027年度)",
        "介護予防教室の参加者数      ▲229人      500人",
    ]
    lines = [Line(number, text) for number, text in enumerate(table, start=1)]
    plan = general.read_lines(lines, SOURCE, Report())
    [kpi] = plan.nodes[0].indicators
    assert kpi.name == "介護予防教室の参加者数"
    assert (kpi.baseline.value, kpi.baseline_year) == (Decimal("-229"), 2014)
    assert (kpi.target.value, kpi.target_year) == (Decimal("500"), 2027)


def test_truncated_kpi_row_is_a_warning_not_a_crash():
    """A row with fewer cells than the header keeps what it has and is reported."""
    plan = parse_text("1. 福祉\n\n指標名\t現状値\t目標値\n参加者数\t10人\n")
    [kpi] = plan.nodes[0].indicators
    assert kpi.baseline.value == Decimal("10")
    assert kpi.target.raw == ""
    [warning] = plan.report.of_kind("warning")
    assert warning.line == 4 and "3 列中 2 列" in warning.message


def test_table_without_indicator_column_is_plain_text():
    """A table must name an indicator column; 人口/年度 columns are body text."""
    plan = parse_text("1. 福祉\n\n年度\t人口\t目標値\n2020\t100\t120\n")
    assert plan.nodes[0].indicators == []
    assert "人口" in plan.nodes[0].sections[0].body


def test_footnote_marks_in_brackets_are_not_headings():
    """[※] / [*] at the start of a line mark a note, not a level."""
    plan = parse_text("1. 福祉\n\n[※] 用語の説明\n")
    assert outline(plan) == ["n1 福祉"]
    assert plan.nodes[0].sections[0].body == "[※] 用語の説明"


def test_sentences_are_not_headings():
    """A numbered line ending in 。 is a list item in the body, not a heading."""
    plan = parse_text("1. 福祉\n\n2. これは文章です。\n")
    assert outline(plan) == ["n1 福祉"]


def test_text_without_headings_is_an_error():
    """Nothing to hang the text on: ParseError naming the first line and what was expected."""
    with pytest.raises(ParseError) as error:
        parse_text("\n\nただの文章です。\n続きです。\n")
    assert error.value.line == 3
    assert "番号の付いた見出し" in error.value.expected
    assert error.value.source == SOURCE


def test_empty_lines_are_an_error():
    """No lines at all is not a plan either."""
    with pytest.raises(ParseError):
        general.read_lines([], SOURCE, Report())


def read_sample(name: str) -> ParsedPlan:
    report = Report()
    data = (SAMPLES / name).read_bytes()
    return general.read_lines(normalize(decode(data, name), name, report), name, report)


@pytest.mark.parametrize(
    "name",
    ["omitama_outline.txt", "omitama_goal1.txt", "kiyose.txt", "honjo.txt", "tomakomai.txt"],
)
def test_every_sample_is_readable_without_its_own_reader(name):
    """With the specific reader disabled the general one still builds a tree, never crashes."""
    plan = read_sample(name)
    nodes = list(plan.walk())
    assert nodes and all(node.title for node in nodes)
    assert len({node.key for node in nodes}) == len(nodes)
    assert all(node.level < len(plan.level_names) for node in nodes)


def test_samples_give_their_codes_and_kpis_generically():
    """Codes and KPI tables in the samples are found without a layout-specific reader."""
    kiyose = read_sample("kiyose.txt")
    assert [g.code for v in kiyose.nodes for g in v.children] == [
        "11", "12", "21", "22", "23", "31", "32", "33", "41", "42", "43", "44",
    ]  # fmt: skip
    assert kiyose.level_names == ["将来像", "基本目標"]
    goal1 = read_sample("omitama_goal1.txt")
    kpis = [kpi for node in goal1.walk() for kpi in node.indicators]
    assert len(kpis) == 21
    assert {(kpi.baseline_year, kpi.target_year) for kpi in kpis} == {(2021, 2027)}
    honjo = read_sample("honjo.txt")
    assert len([kpi for node in honjo.walk() for kpi in node.indicators]) == 27
    tomakomai = read_sample("tomakomai.txt")
    assert [(g.title, [p.title for p in g.children]) for g in tomakomai.nodes] == [
        ("基本政策", ["市民によるまちづくりの推進", "健全な行財政運営の推進"]),
        ("重点施策", ["子育て世代に手厚いまちとまこまいの実現"]),
    ]


def test_arrow_without_its_value_is_an_error():
    """A row whose arrow points past its last cell (10人 ▶▶) was cut: refused at its line."""
    with pytest.raises(ParseError) as caught:
        parse_text("1. 福祉\n\n指標名\t現状値\t目標値\n参加者数\t10人 ▶▶\n")
    assert caught.value.line == 4
    assert "目標値" in caught.value.expected and "参加者数" in caught.value.found
