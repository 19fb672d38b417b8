"""Codes decide the parent: an outline of coded items (sample 000) and one goal's chapter (001),
both read through the public entry point (``parse_file``) by the general reader."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.parsing import parse_file, parse_files
from importers.parsing.errors import ParseError
from importers.parsing.model import CrossRefKind, ParsedPlan

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
OUTLINE = "omitama_outline.txt"
DETAIL = "omitama_goal1.txt"


def sample_text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def parse_detail(text: str) -> ParsedPlan:
    return parse_file(text.encode("utf-8"), DETAIL)


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def nodes_by_key(plan: ParsedPlan) -> dict:
    return {node.key: node for node in plan.walk()}


def guesses(plan: ParsedPlan) -> list[str]:
    return [issue.message for issue in plan.report.of_kind("guess")]


@pytest.fixture(scope="module")
def outline() -> ParsedPlan:
    return parse_file((SAMPLES / OUTLINE).read_bytes(), OUTLINE)


@pytest.fixture(scope="module")
def detail() -> ParsedPlan:
    return parse_detail(sample_text(DETAIL))


# --- the outline (000) ----------------------------------------------------------------------


def test_outline_has_3_goals_16_policies_76_items(outline):
    """000 gives 3 基本目標, 16 基本施策 and 76 個別施策; the general reader names a level by the
    level word its headings print (基本施策), else 階層N (merged with 001, the plan takes 001's)."""
    levels = [node.level for node in outline.walk()]
    assert (levels.count(0), levels.count(1), levels.count(2)) == (3, 16, 76)
    assert outline.layout == "reader"
    assert outline.level_names[1] == "基本施策"
    assert outline.municipality == "小美玉市"
    assert outline.title == "基本計画"


def test_every_item_sits_under_the_policy_and_goal_its_code_names(outline):
    """Codes decide the parent: 1101 → 基本施策 11 → 基本目標 1, whatever the text order."""
    nodes = nodes_by_key(outline)
    for goal in outline.nodes:
        for policy in goal.children:
            assert policy.key == policy.code and policy.code[0] == goal.code
            assert all(item.code[:2] == policy.code for item in policy.children)
    assert [child.code for child in nodes["12"].children] == [f"120{n}" for n in range(1, 6)]


def test_items_printed_in_goal_3s_section_are_placed_in_goal_1_by_code(outline):
    """1201–1205 follow the heading of 基本目標 3 in the text but belong to 基本目標 1."""
    nodes = nodes_by_key(outline)
    goal_1_policies = [policy.code for policy in outline.nodes[0].children]
    assert goal_1_policies == ["11", "12", "13", "14", "15", "16"]
    assert nodes["12"].title == "人権の尊重・男女共同参画社会の推進"
    assert (
        "「人権の尊重・男女共同参画社会の推進」はコード 12 に従って 1 の下に置きました"
        in guesses(outline)
    )


def test_spurious_heading_is_ignored_and_reported(outline):
    """3305–3307 under 「基本施策4 地域学習の充実」 belong to 基本施策 33."""
    nodes = nodes_by_key(outline)
    assert [child.code for child in nodes["33"].children] == [f"330{n}" for n in range(1, 8)]
    assert nodes["33"].title == "地域福祉・社会保障の充実"
    assert nodes["34"].title == "高齢者福祉の充実"
    assert all(node.title != "地域学習の充実" for node in outline.walk())
    assert any(
        "見出し「地域学習の充実」の下の 3305 はコード 33" in issue.message
        for issue in outline.report.of_kind("skipped")
    )


def test_heading_number_disagreeing_with_codes_is_reported(outline):
    """「基本施策1 校舎教育の充実」 holds 2201–2207: its title is used for 22 (a guess)."""
    assert nodes_by_key(outline)["22"].title == "校舎教育の充実"
    assert "「校舎教育の充実」にコード 22 を付けました（下のコード 2201 から）" in guesses(outline)


def test_variant_characters_in_titles_are_normalized(outline):
    """國/戰/预 come out as 国/戦/予 (normalize reports each change)."""
    nodes = nodes_by_key(outline)
    assert nodes["1305"].title == "国際交流・国際化の推進"
    assert nodes["15"].title == "戦略的な定住・人口対策の推進"
    assert nodes["3103"].title == "予防事業の推進"


def test_goal_bullets_become_an_untitled_section(outline):
    """The bullets printed under a goal heading are its text, kept as "- " lines."""
    goal_2 = outline.nodes[1]
    assert goal_2.title == "人を育てる学びの場づくり"
    assert [section.heading for section in goal_2.sections] == [""]
    assert goal_2.sections[0].body.count("\n- ") == 4


def test_outline_without_goal_headings_is_a_parse_error():
    """Items without any 基本目標/基本施策 heading cannot be placed: ParseError with the line."""
    with pytest.raises(ParseError) as error:
        parse_file("1101 市民協働推進\n1102 人材育成\n".encode(), OUTLINE)
    assert error.value.line == 1
    assert "番号の付いた見出し" in error.value.expected


# --- the detailed chapter (001) -------------------------------------------------------------


def test_detail_reads_goal_1_from_the_item_codes(detail):
    """001 never prints the goal's number: the codes 1101… make it 基本目標 1."""
    [goal] = detail.nodes
    assert (goal.code, goal.title) == ("1", "みんなの力で磨くまちづくり")
    assert [policy.code for policy in goal.children] == ["11", "12", "13", "14", "15", "16"]
    assert goal.sections[0].heading == "政策の基本方針"
    assert goal.sections[0].body.count("\n\n") == 1  # two paragraphs


def test_detail_has_21_indicators_from_fy2021_to_fy2027(detail):
    """Six tables, 3+2+5+3+4+4 rows; the header gives 実績値 令和3年度 and 将来値 令和9年度."""
    counts = [len(policy.indicators) for policy in detail.nodes[0].children]
    assert counts == [3, 2, 5, 3, 4, 4]
    indicators = [ind for policy in detail.nodes[0].children for ind in policy.indicators]
    assert {(ind.baseline_year, ind.target_year) for ind in indicators} == {(2021, 2027)}
    assert [ind.key for ind in detail.nodes[0].children[0].indicators] == [
        "11:まちづくり組織認定団体数",
        "11:まちづくり組織ウェブサイト立ち上げ数",
        "11:市民と行政が協働で運営する実行委員会数",
    ]


def test_indicator_values_keep_units_comparators_and_no_value(detail):
    """3,942,178回, 88.0以下, — and (累計) read as printed."""
    indicators = {ind.name: ind for node in detail.walk() for ind in node.indicators}
    views = indicators["ホームページ閲覧回数"]
    assert (str(views.baseline.value), views.unit) == ("3942178", "回")
    ratio = indicators["経常収支比率"]
    assert (str(ratio.target.value), str(ratio.comparator)) == ("88.0", "lte")
    nps = indicators["シティプロモーション活動における参画・参加者の推奨・参加・感謝の修正NPS*"]
    assert nps.baseline.value is None and nps.baseline.raw == "—"
    assert indicators["「移住促進住宅取得助成事業」申請者数(累計)"].cumulative


def test_indicator_names_broken_by_a_space_are_joined(detail):
    """「市民と行政が協働で運営する 実行委員会数」 is one name."""
    names = [ind.name for ind in detail.nodes[0].children[0].indicators]
    assert "市民と行政が協働で運営する実行委員会数" in names


def test_truncated_indicator_row_is_reported_with_its_line_and_keeps_no_target():
    """A KPI row that lost its target cell is a warning with the file and line (a row merely
    shorter than its header); the KPI keeps its baseline and gets no target, never a guessed one."""
    text = replace_line(sample_text(DETAIL), 181, "まちづくり組織ウェブサイト立ち上げ数\t8件")
    plan = parse_detail(text)
    [short] = [issue for issue in plan.report.of_kind("warning") if issue.line == 181]
    assert short.source == DETAIL and "3 列中 2 列" in short.message
    [kpi] = [ind for ind in nodes_by_key(plan)["11"].indicators if ind.line == 181]
    assert (kpi.name, kpi.baseline.raw, kpi.target.raw) == (
        "まちづくり組織ウェブサイト立ち上げ数",
        "8件",
        "",
    )


def test_titles_broken_across_lines_or_spaces_are_joined(detail):
    """1101 spans three lines; 1301, 1403, 1405 have spaces inside words."""
    nodes = nodes_by_key(detail)
    assert nodes["1101"].title == "市民協働推進のための環境づくり"
    assert nodes["1301"].title == "マイナンバーカードの普及・利用促進"
    assert nodes["1403"].title == "ファシリティマネジメントの推進"
    assert nodes["1405"].title == "定員管理と人事評価"
    assert nodes["1407"].title == "広域行政の推進"


def test_html_cells_give_items_and_numbered_actions(detail):
    """<p> cells (1102), <p style=…> (1501) and a <ul> without <li> (1601) give ① ② ③ actions."""
    nodes = nodes_by_key(detail)
    for code, count in (("1102", 3), ("1501", 4), ("1601", 3), ("1406", 5)):
        [section] = nodes[code].sections
        assert section.heading == "取組内容"
        actions = section.body.split("\n")
        assert [action[0] for action in actions] == list("①②③④⑤"[:count])
    assert nodes["1102"].title == "まちづくり活動に携わる人材育成"


def test_actions_continued_after_a_blank_line_stay_with_their_item(detail):
    """1302's ④ and 1402's ⑤⑥ follow a blank line but still belong to them."""
    nodes = nodes_by_key(detail)
    assert nodes["1302"].sections[0].body.split("\n")[-1].startswith("④安心して")
    assert len(nodes["1402"].sections[0].body.split("\n")) == 6


def test_relisted_measures_become_cross_references(detail):
    """(2101 再掲) … (5501 再掲) on 1503's actions are RELISTED cross-references."""
    refs = nodes_by_key(detail)["1503"].crossrefs
    assert [ref.target_code for ref in refs] == ["2101", "3306", "4204", "4401", "4601", "5501"]
    assert {ref.kind for ref in refs} == {CrossRefKind.RELISTED}
    assert all(ref.line == 358 for ref in refs)


def test_policy_sections_sdg_aims_challenges_and_policy(detail):
    """Each 基本施策 carries its SDG aims, 現況と課題 and 基本方針 in printed order."""
    policy_13 = nodes_by_key(detail)["13"]
    headings = [section.heading for section in policy_13.sections]
    assert headings == ["基本施策が目指す SDGsのゴール", "現況と課題", "基本方針"]
    challenges = policy_13.sections[1].body
    assert challenges.startswith("③行政のデジタル化") and "\n\n④DXの推進" in challenges
    assert policy_13.sdg_goals == []  # the goal icons are images; no numbers in the text


def test_figure_captions_are_dropped_and_reported(detail):
    """Captions of figures missing from the text do not end up in 現況と課題."""
    body = nodes_by_key(detail)["14"].sections[1].body
    assert "財政指標の比較" not in body
    noise = [
        i for i in detail.report.of_kind("noise") if i.message.startswith("図のない図の見出し")
    ]
    assert [issue.line for issue in noise] == [119, 127, 138, 167]


def test_glossary_terms_keep_their_marks_in_the_text(detail):
    """用語解説 gives 10 terms; the * marks stay in the text that uses them."""
    terms = [term.term for term in detail.glossary]
    assert terms[:3] == ["QOL", "小美玉市情報セキュリティ基本方針", "ファシリティマネジメント"]
    assert len(terms) == 10
    policy_14 = nodes_by_key(detail)["14"]
    assert "ファシリティマネジメント*の視点" in policy_14.sections[2].body


def test_item_code_contradicting_its_block_is_placed_by_code_and_reported():
    """A 12xx code printed in 基本施策3's block (line 256) goes to 基本施策 12, reported as a
    guess at its line."""
    text = sample_text(DETAIL).replace("1302 DXの推進", "1206 DXの推進")
    plan = parse_detail(text)
    nodes = nodes_by_key(plan)
    assert "1206" in [child.code for child in nodes["12"].children]
    assert "1206" not in [child.code for child in nodes["13"].children]
    placed = [(i.line, i.message) for i in plan.report.of_kind("guess") if "1206" in i.message]
    assert placed == [(256, "1206 はコードに従って 12 の下に置きました")]


def test_detail_without_item_codes_is_read_without_inventing_codes():
    """Without any 4-digit code the chapter's 基本目標 is unknown: its 基本施策 is read with its
    基本方針, and no node gets a code the text does not give."""
    text = "みんなの力で磨くまちづくり\n\n基本施策 1 市民協働\n\n■ 基本方針\n\n- 推進します。\n"
    plan = parse_detail(text)
    assert [(node.code, node.title) for node in plan.walk()] == [("", "市民協働")]
    assert [(s.heading, s.body) for s in plan.nodes[0].sections] == [("基本方針", "- 推進します。")]


def test_chapter_starting_with_policy_blocks_is_still_read():
    """Without the goal-wide sections, "基本施策 N" blocks still get their 基本方針 and KPIs
    (the goal's title alone over them, with no section of its own, is not read as a node)."""
    lines = sample_text(DETAIL).split("\n")
    plan = parse_detail("\n".join(lines[:4] + lines[168:]))
    policies = plan.nodes
    assert [len(policy.indicators) for policy in policies] == [3, 2, 5, 3, 4, 4]
    assert all(policy.sections[0].heading == "基本方針" for policy in policies)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_omitama_text_gives_a_plan_or_a_parse_error(data):
    """Lines deleted, cut, duplicated or swapped: a plan or ParseError, nothing else."""
    name = data.draw(st.sampled_from([OUTLINE, DETAIL]))
    lines = sample_text(name).split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "cut", "duplicate", "swap"]))
        if action == "delete":
            del lines[index]
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
        elif action == "duplicate":
            lines.insert(index, lines[data.draw(st.integers(0, len(lines) - 1))])
        else:
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    try:
        mutated = (name, "\n".join(lines).encode("utf-8"))
        plan = parse_files([(OUTLINE, (SAMPLES / OUTLINE).read_bytes()), mutated])
    except ParseError:
        return
    assert all(node.key for node in plan.walk())
