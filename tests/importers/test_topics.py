"""A policy address through the general reader: ■ captions that restart the numbering group the
headings after them, 「〜につきましては」 paragraphs open topics, lines that each end a sentence
are paragraphs, 重点… titles mark priorities (sample tomakomai.txt, 市政方針 web page)."""

from pathlib import Path

import pytest

from importers.parsing import parse_file
from importers.parsing.model import ParsedPlan
from importers.parsing.topics import topic_title

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SOURCE = "tomakomai.txt"
PAGE_NOISE = ("文字サイズ", "MENU", "6/37", "アンケート", "〒", "赤坂", "広報紙", "皆さまへ")


def parse_text(text: str) -> ParsedPlan:
    return parse_file(text.encode("utf-8"), "address.txt")


def all_text(plan: ParsedPlan) -> str:
    """Every piece of text the outline carries."""
    parts = [plan.municipality, plan.title, *plan.level_names]
    for node in plan.walk():
        parts += [node.title, *(s.heading + "\n" + s.body for s in node.sections)]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_file((SAMPLES / SOURCE).read_bytes(), SOURCE)


@pytest.fixture(scope="module")
def topics(plan):
    return [node for node in plan.walk() if node.level == 2]


# --- the capabilities, on small examples ---------------------------------------------------


def test_topic_title_is_the_subject_before_nitsukimashitewa():
    assert topic_title("地域活動の促進につきましては、支援します。") == "地域活動の促進"
    assert topic_title("また、平和の推進につきましては、伝えます。") == "平和の推進"
    assert topic_title("この点につきまして、説明します。") == ""
    assert topic_title("長い、読点のある主語につきましては、進めます。") == ""


def test_topics_open_under_the_heading_and_following_paragraphs_continue_them():
    plan = parse_text(
        "1. 交通\n交通安全につきましては、進めます。\n\nまた、歩道を整えます。\n\n"
        "公共交通につきましては、守ります。\n"
    )
    [policy] = plan.nodes
    assert [(t.title, t.line) for t in policy.children] == [("交通安全", 2), ("公共交通", 6)]
    assert (
        policy.children[0].sections[0].body
        == "交通安全につきましては、進めます。\n\nまた、歩道を整えます。"
    )


def test_captions_restarting_the_numbering_group_the_headings_after_them():
    """Two ■ captions, each followed by a heading numbered 1: two groups, even though the
    second caption comes while a numbered heading is open; level words are not labels here."""
    plan = parse_text("■基本政策\n◇1 甲\n本文。\n◇2 乙\n本文。\n■重点施策\n◇1 丙\n本文。\n")
    outline = [(g.title, [p.title for p in g.children]) for g in plan.nodes]
    assert outline == [("基本政策", ["甲", "乙"]), ("重点施策", ["丙"])]


def test_a_caption_inside_a_heading_without_a_restart_stays_a_section():
    plan = parse_text("■まちづくり\n1. 甲\n本文。\n■課題の整理\n課題です。\n2. 乙\n")
    assert [(g.title, [p.title for p in g.children]) for g in plan.nodes] == [
        ("まちづくり", ["甲", "乙"])
    ]
    assert [s.heading for s in plan.nodes[0].children[0].sections] == ["", "課題の整理"]


def test_lines_that_each_end_a_sentence_are_paragraphs_but_wrapped_lines_join():
    """A web page's lines (each ends a sentence, one longer than a printed line) are paragraphs;
    short lines, or a line ending mid-sentence, are a PDF's wrapped passage and join."""
    long = (
        "この段落は、印刷したページの1行にはとても収まらない長さがあり、"
        "ウェブページから写したままの一続きの文章です。"
    )
    assert len(long) > 50
    plan = parse_text(
        f"1. 甲\n{long}\n二文目です。\n\n一文目です。\n二文目です。\n\n折り返された\n文です。\n"
    )
    assert plan.nodes[0].sections[0].body == (
        f"{long}\n\n二文目です。\n\n一文目です。二文目です。\n\n折り返された文です。"
    )


def test_a_node_titled_juten_is_a_priority_with_all_it_holds():
    plan = parse_text("1. 重点的な取組\n(1) 子育て\n2. 基本施策の推進\n(1) 道路\n")
    priority, basic = plan.nodes
    assert priority.is_priority and priority.children[0].is_priority
    assert not basic.is_priority and not basic.children[0].is_priority


# --- the sample ----------------------------------------------------------------------------


def test_the_sample_is_read_by_the_general_reader(plan):
    assert plan.layout == "reader"


def test_page_head_gives_municipality_and_title(plan):
    """北海道苫小牧市 → 苫小牧市; 市政方針(2) → 市政方針 (the part number dropped). The page
    names no level, so the levels are 階層1–3."""
    assert plan.municipality == "苫小牧市"
    assert plan.title == "市政方針"
    assert plan.level_names == ["階層1", "階層2", "階層3"]


def test_three_policies_in_two_groups(plan):
    """■基本政策 holds ◇1 and ◇2; ■重点施策 holds its own ◇1."""
    outline = [(g.title, [(p.title, p.line) for p in g.children]) for g in plan.nodes]
    assert outline == [
        ("基本政策", [("市民によるまちづくりの推進", 11), ("健全な行財政運営の推進", 17)]),
        ("重点施策", [("子育て世代に手厚いまちとまこまいの実現", 28)]),
    ]
    assert [g.key for g in plan.nodes] == ["n1", "n2"]
    assert plan.nodes[1].children[0].key == "n2.1"


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
    assert topics[5].key == "n1.2.2"


def test_mata_and_sarani_paragraphs_belong_to_the_topic_before_them(topics):
    """「また、」「さらに、」 paragraphs continue the topic above; they open no topic."""
    [section] = topics[5].sections
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
    assert section.line == 28  # the section opens with its heading


def test_no_page_noise_anywhere(plan):
    """Menus, page counters, survey links and the publisher's address are not in the outline."""
    assert not [noise for noise in PAGE_NOISE if noise in all_text(plan)]
