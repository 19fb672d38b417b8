"""The 苫小牧市 layout: ■ groups → ◇ policies → 「〜につきましては」 topics (sample 004)."""

from pathlib import Path

import pytest

from importers.parsing.errors import ParseError
from importers.parsing.model import Line, ParsedPlan, Report
from importers.parsing.normalize import decode, normalize
from importers.parsing.structures import topic_address

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SOURCE = "tomakomai.txt"
PAGE_NOISE = ("文字サイズ", "MENU", "6/37", "アンケート", "〒", "赤坂", "広報紙", "皆さまへ")


def sample_text() -> str:
    return (SAMPLES / SOURCE).read_text(encoding="utf-8")


def lines_of(text: str, report: Report | None = None) -> list[Line]:
    report = report if report is not None else Report()
    return normalize(decode(text.encode("utf-8"), SOURCE), SOURCE, report)


def parse_text(text: str) -> ParsedPlan:
    report = Report()
    return topic_address.parse(lines_of(text, report), SOURCE, report)


def all_text(plan: ParsedPlan) -> str:
    """Every piece of text the outline carries."""
    parts = [plan.municipality, plan.title, *plan.level_names]
    for node in plan.walk():
        parts += [node.title, *(s.heading + "\n" + s.body for s in node.sections)]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_text(sample_text())


@pytest.fixture(scope="module")
def topics(plan):
    return [node for node in plan.walk() if node.level == 2]


def test_matches_the_policy_address_sample_only():
    """Detection needs ◇N headings and 「〜につきましては」 paragraphs."""
    assert topic_address.matches(lines_of(sample_text()))
    for other in ("kiyose.txt", "honjo.txt", "omitama_outline.txt", "omitama_goal1.txt"):
        assert not topic_address.matches(lines_of((SAMPLES / other).read_text(encoding="utf-8")))


def test_page_head_gives_municipality_title_and_levels(plan):
    """北海道苫小牧市 → 苫小牧市; 市政方針(2) → 市政方針 (the page number dropped)."""
    assert plan.municipality == "苫小牧市"
    assert plan.title == "市政方針"
    assert plan.level_names == ["政策区分", "施策", "項目"]


def test_three_policies_in_two_groups(plan):
    """■基本政策 holds ◇1 and ◇2; ■重点施策 holds its own ◇1."""
    outline = [(g.title, [(p.title, p.line) for p in g.children]) for g in plan.nodes]
    assert outline == [
        ("基本政策", [("市民によるまちづくりの推進", 11), ("健全な行財政運営の推進", 17)]),
        ("重点施策", [("子育て世代に手厚いまちとまこまいの実現", 28)]),
    ]
    assert [g.key for g in plan.nodes] == ["group-1", "group-2"]
    assert plan.nodes[1].children[0].key == "group-2-policy-1"


def test_priority_group_and_its_nodes_are_priority(plan):
    """重点施策 and everything under it is_priority; 基本政策 is not."""
    basic, priority = plan.nodes
    assert priority.is_priority and all(n.is_priority for n in priority.children)
    assert not basic.is_priority and not any(n.is_priority for n in basic.children)


def test_eight_topics_titled_by_the_phrase_before_nitsukimashitewa(topics):
    """Each 「X につきましては、」 paragraph opens a topic titled X."""
    assert [(t.title, t.line) for t in topics] == [
        ("地域活動の促進", 12),
        ("市民自治の推進", 13),
        ("男女平等参画の推進", 14),
        ("平和の推進", 15),
        ("財政運営", 18),
        ("行政改革", 19),
        ("行政組織の活性化", 22),
        ("広域連携の推進", 25),
    ]
    assert topics[5].key == "group-1-policy-2-topic-2"


def test_mata_and_sarani_paragraphs_belong_to_the_topic_before_them(topics):
    """「また、」「さらに、」 paragraphs continue the topic above; they open no topic."""
    reform = topics[5]
    [section] = reform.sections
    paragraphs = section.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("行政改革につきましては")
    assert paragraphs[1].startswith("また、自治体情報システム")
    assert paragraphs[2].startswith("さらに、マイナンバーカード")
    assert len(topics[6].sections[0].body.split("\n\n")) == 3
    assert len(topics[0].sections[0].body.split("\n\n")) == 1


def test_policy_without_topics_keeps_its_paragraphs(plan):
    """重点施策 ◇1 has no につきましては paragraph: its eight paragraphs are its own section."""
    policy = plan.nodes[1].children[0]
    assert policy.children == []
    [section] = policy.sections
    paragraphs = section.body.split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("市政の最重要課題")
    assert paragraphs[-1].startswith("さらに、認定こども園")
    assert section.line == 29


def test_no_page_noise_anywhere(plan):
    """Menus, page counters, survey links and the publisher's address are not in the outline."""
    text = all_text(plan)
    assert not [noise for noise in PAGE_NOISE if noise in text]


def test_reader_drops_noise_that_survived_normalization():
    """Fed the raw page lines, the reader still drops what is not a sentence and reports it."""
    raw = [Line(n, text) for n, text in enumerate(sample_text().splitlines(), start=1)]
    report = Report()
    plan = topic_address.parse(raw, SOURCE, report)
    assert not [noise for noise in PAGE_NOISE if noise in all_text(plan)]
    assert [i.line for i in report.of_kind("noise")] == [38, 40, 42, 44]
    assert len([n for n in plan.walk() if n.level == 2]) == 8


def test_unconnected_paragraph_after_a_topic_is_attached_with_a_warning():
    """A paragraph that neither opens a topic nor starts with また/さらに is reported."""
    text = "■基本政策\n◇1 政策\n交通につきましては、進めます。\n別の話題を進めます。\n"
    plan = parse_text(text)
    [topic] = plan.nodes[0].children[0].children
    assert topic.sections[0].body == "交通につきましては、進めます。\n\n別の話題を進めます。"
    [warning] = plan.report.of_kind("warning")
    assert warning.line == 4


def test_policy_before_any_group_is_an_error():
    """◇ without a ■ group above it: error at the ◇ line."""
    with pytest.raises(ParseError) as error:
        parse_text("◇1 政策\n交通につきましては、進めます。\n")
    assert error.value.line == 1


def test_text_without_policies_is_an_error():
    """A page with no ◇ heading cannot be read by this layout."""
    with pytest.raises(ParseError):
        parse_text("■基本政策\n\n")


def test_paragraph_before_any_policy_is_an_error():
    """A sentence after a ■ group but before any ◇ has no node to belong to."""
    with pytest.raises(ParseError) as error:
        parse_text("■基本政策\n交通につきましては、進めます。\n◇1 政策\n")
    assert error.value.line == 2
