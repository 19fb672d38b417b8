"""The 清瀬市 layout: 将来像 → 基本目標 with paragraphs and ※ notes (sample 002)."""

from pathlib import Path

import pytest

from importers.parsing.errors import ParseError
from importers.parsing.layouts import kiyose
from importers.parsing.model import ParsedPlan, Report
from importers.parsing.normalize import decode, normalize

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SOURCE = "kiyose.txt"


def lines_of(text: str, report: Report | None = None):
    report = report if report is not None else Report()
    return normalize(decode(text.encode("utf-8"), SOURCE), SOURCE, report)


def parse_text(text: str) -> ParsedPlan:
    report = Report()
    return kiyose.parse(lines_of(text, report), SOURCE, report)


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_text((SAMPLES / SOURCE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nodes(plan):
    return {node.key: node for node in plan.walk()}


def test_matches_the_kiyose_sample_only():
    """Detection needs 将来像N headings and bracketed 基本目標 codes; other samples lack them."""
    assert kiyose.matches(lines_of((SAMPLES / SOURCE).read_text(encoding="utf-8")))
    for other in ("tomakomai.txt", "honjo.txt", "omitama_outline.txt", "omitama_goal1.txt"):
        assert not kiyose.matches(lines_of((SAMPLES / other).read_text(encoding="utf-8"))), other


def test_level_names_and_four_visions(plan):
    """The plan is 将来像 → 基本目標; the four 将来像 carry codes 1..4 and their printed titles."""
    assert plan.level_names == ["将来像", "基本目標"]
    assert plan.municipality == "清瀬市"
    assert [(n.code, n.key, n.level) for n in plan.nodes] == [
        ("1", "1", 0),
        ("2", "2", 0),
        ("3", "3", 0),
        ("4", "4", 0),
    ]
    assert plan.nodes[0].title == "「子どもも大人も学びあい育ちあう」きよせ"
    assert plan.nodes[2].title == "「安全・安心・快適に暮らせる」きよせ"
    assert plan.nodes[0].line == 5


def test_twelve_goals_with_two_digit_codes_under_their_vision(plan):
    """Each 基本目標 code's first digit names its 将来像."""
    outline = {vision.code: [goal.code for goal in vision.children] for vision in plan.nodes}
    assert outline == {
        "1": ["11", "12"],
        "2": ["21", "22", "23"],
        "3": ["31", "32", "33"],
        "4": ["41", "42", "43", "44"],
    }
    assert all(goal.level == 1 for vision in plan.nodes for goal in vision.children)


def test_both_bracket_styles_are_goal_headings(nodes):
    """[基本目標 11] (square, with a space) and 【基本目標31】 (lenticular) are both headings."""
    assert nodes["11"].title == "子どもの成長を支える社会の構築"
    assert nodes["11"].line == 7
    assert nodes["31"].title == "住みよいまちづくりの推進"
    assert nodes["31"].line == 53
    assert nodes["44"].title == "健全な行財政の運営"


def test_paragraphs_become_the_goal_section(nodes):
    """The explanatory paragraphs are one section, paragraphs separated by a blank line."""
    [section] = nodes["12"].sections
    paragraphs = section.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("学校教育や子どもたちへの地域支援")
    assert paragraphs[2].startswith("また、学校と地域の連携・協働")
    assert section.line == 15
    assert len(nodes["22"].sections[0].body.split("\n\n")) == 4


def test_notes_become_glossary_terms_linked_by_their_mark(plan):
    """※ lines define the word carrying the n-th footnote mark (*, ^{*}, [※]) of the goal."""
    assert [(term.term, term.line) for term in plan.glossary] == [
        ("健幸", 41),
        ("シビックプライド", 95),
        ("コンパクトシティ", 97),
    ]
    assert plan.glossary[0].definition == "「健康」と「幸福」の二つの意味が込められた言葉"
    assert plan.glossary[1].definition == "住民が自分の住む地域に対して持つ誇りや愛着"


def test_footnote_marks_stay_as_references_and_notes_leave_the_body(nodes):
    """Marks are written ※ after their term; the ※ definitions are not part of the body."""
    assert nodes["22"].title == "「健幸※づくり」の推進"
    body = nodes["42"].sections[0].body
    assert "シビックプライド※の醸成" in body
    assert "コンパクトシティ※であること" in body
    assert "誇りや愛着" not in body
    assert "二つの意味" not in nodes["22"].sections[0].body


def test_mark_rewrites_are_reported(plan):
    """Writing a mark as ※ changes the text, so each rewrite is a normalization issue."""
    rewrites = [
        (i.line, i.original) for i in plan.report.of_kind("normalization") if i.replacement == "※"
    ]
    assert rewrites == [(31, "*"), (89, "*"), (91, "[※]")]


def test_no_indicators(plan):
    """The 清瀬市 基本計画 text prints no KPIs."""
    assert not [i for node in plan.walk() for i in node.indicators]


def test_code_decides_the_parent_and_a_misplaced_goal_is_reported():
    """A 基本目標 12 printed under 将来像2 goes under 将来像1 (its code says so), with a warning."""
    plan = parse_text("将来像1 一\n\n[基本目標 11] 甲\n\n将来像2 二\n\n[基本目標 12] 乙\n")
    assert [g.code for g in plan.nodes[0].children] == ["11", "12"]
    assert plan.nodes[1].children == []
    [warning] = plan.report.of_kind("warning")
    assert "基本目標12" in warning.message and warning.line == 7


def test_a_vision_printed_twice_is_an_error():
    """Two 将来像1 headings make the placement by code ambiguous."""
    with pytest.raises(ParseError, match="将来像1 only once"):
        parse_text("将来像1 一\n\n将来像1 再び\n")


def test_goal_before_its_vision_is_an_error():
    """A 基本目標 whose 将来像 has not been printed cannot be placed: error with its line."""
    with pytest.raises(ParseError) as error:
        parse_text("将来像1 一\n\n[基本目標 31] 迷子\n")
    assert error.value.line == 3
    assert "将来像3" in error.value.expected


def test_text_without_visions_is_an_error():
    """No 将来像 heading at all: the text is not this layout."""
    with pytest.raises(ParseError):
        parse_text("基本目標\n\nただの文章です。\n")


def test_note_without_a_mark_stays_in_the_body_with_a_warning():
    """A ※ note that no footnote mark refers to is kept as text and reported."""
    plan = parse_text("将来像1 一\n\n[基本目標 11] 甲\n\n本文です。\n\n※どこにも印がない説明\n")
    assert not plan.glossary
    assert "※どこにも印がない説明" in plan.nodes[0].children[0].sections[0].body
    assert plan.report.of_kind("warning")[0].line == 7
