"""survey: a satisfaction box inside a section holds an item and its percentage."""

from importers.parsing import parse_file
from importers.parsing.model import Line
from importers.parsing.survey import survey_body


def sections(text: str) -> list[tuple[str, str]]:
    plan = parse_file(text.encode("utf-8"), "plan.txt")
    return [(s.heading, s.body) for s in plan.nodes[0].sections]


def test_survey_box_returns_to_its_section():
    """The bullets after the percentage go on the 現況と課題 the box interrupted, which keeps
    its place before the box."""
    text = "1. 防災\n\n現況と課題\n\n- 災害が増えています。\n\n施策に係る市民満足度\n\n"
    text += "防災対策が整っている\n\n39.0%\n\n- 備蓄が必要です。\n\n協働による取組\n\n- 訓練\n"
    assert sections(text) == [
        ("現況と課題", "- 災害が増えています。\n- 備蓄が必要です。"),
        ("施策に係る市民満足度", "防災対策が整っている 39.0%"),
        ("協働による取組", "- 訓練"),
    ]


def test_a_survey_box_printed_right_after_its_section_heading():
    text = "1. 人権\n現況と課題\n施策に係る市民満足度 人権が尊重されている **23.1%**\n"
    text += "- 差別が残っています。\n"
    assert sections(text) == [
        ("現況と課題", "- 差別が残っています。"),
        ("施策に係る市民満足度", "人権が尊重されている 23.1%"),
    ]


def test_survey_body_joins_a_wrapped_item_and_its_percentage():
    lines = [Line(1, "市の情報発信が充実し、"), Line(2, "参加機会がある"), Line(3, ""),
             Line(4, "30.4%")]  # fmt: skip
    assert survey_body(lines) == "市の情報発信が充実し、参加機会がある 30.4%"
    assert survey_body([Line(1, "進んでいる 16.8%")]) == "進んでいる 16.8%"
    assert survey_body([Line(1, "調査中")]) == ""
