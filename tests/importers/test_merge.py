"""Several files of one plan: 小美玉市's outline (000) and detailed chapter (001) merged by code."""

from pathlib import Path

import pytest

from importers.parsing import parse_file, parse_files
from importers.parsing.errors import ParseError
from importers.parsing.merge import detail_score, rank_plans

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
OUTLINE = "omitama_outline.txt"
DETAIL = "omitama_goal1.txt"
TITLE_CONFLICTS = {
    "1205": ("すべての人が活躍できる環境の整備", "男女がともに活躍できる環境の整備"),
    "1301": ("マイナンバーカードの普及・利用促進", "情報提供の充実"),
    "1302": ("DXの推進", "広聴の充実"),
    "1303": ("広聴の充実", "マイナンバーカードの利用促進"),
    "1304": ("情報提供の充実", "情報化の推進"),
    "1401": ("行財政改革の推進", "行政改革の推進"),
}


def sample(name: str) -> tuple[str, bytes]:
    return (name, (SAMPLES / name).read_bytes())


def nodes_by_key(plan) -> dict:
    return {node.key: node for node in plan.walk()}


@pytest.fixture(scope="module")
def merged():
    return parse_files([sample(OUTLINE), sample(DETAIL)])


def test_merged_plan_has_the_full_tree_and_goal_1s_details(merged):
    """3/16/76 nodes from 000; 21 indicators, actions and glossary from 001 on the same nodes."""
    levels = [node.level for node in merged.walk()]
    assert (levels.count(0), levels.count(1), levels.count(2)) == (3, 16, 76)
    indicators = {node.key: len(node.indicators) for node in merged.walk() if node.indicators}
    assert indicators == {"11": 3, "12": 2, "13": 5, "14": 3, "15": 4, "16": 4}
    assert len(merged.glossary) == 10
    assert merged.sources == [OUTLINE, DETAIL]
    assert (merged.municipality, merged.title) == ("小美玉市", "基本計画")


def test_nodes_only_one_file_has_are_kept_in_code_order(merged):
    """1104, 1105 and 1306 exist only in 000; they keep their place among 001's items."""
    nodes = nodes_by_key(merged)
    assert [child.code for child in nodes["11"].children] == [f"110{n}" for n in range(1, 6)]
    assert [child.code for child in nodes["13"].children] == [f"130{n}" for n in range(1, 7)]
    assert nodes["1306"].source == OUTLINE
    assert [goal.code for goal in merged.nodes] == ["1", "2", "3"]


def test_every_title_conflict_is_reported_with_both_values_and_sources(merged):
    """Exactly 1205, 1301–1304 and 1401 disagree; each is a conflict naming both files."""
    conflicts = merged.report.of_kind("conflict")
    assert [issue.message.split(":")[0] for issue in conflicts] == list(TITLE_CONFLICTS)
    for issue, (code, (detail_title, outline_title)) in zip(
        conflicts, TITLE_CONFLICTS.items(), strict=True
    ):
        assert issue.message.startswith(f"{code}: title differs")
        assert f"{DETAIL}:" in issue.message and f"{OUTLINE}:" in issue.message
        assert (issue.replacement, issue.original) == (detail_title, outline_title)
        assert issue.source == OUTLINE


def test_the_more_detailed_file_wins_by_default(merged):
    """001 says more than 000, so its titles are kept."""
    nodes = nodes_by_key(merged)
    for code, (detail_title, _) in TITLE_CONFLICTS.items():
        assert nodes[code].title == detail_title
        assert nodes[code].source == DETAIL
    assert all("the more detailed file" in i.message for i in merged.report.of_kind("conflict"))


def test_prefer_a_source_flips_the_precedence():
    """--prefer with 000's file keeps 000's titles; conflicts still reported. (Both files are
    read by the one reader, so a file is preferred by its name only.)"""
    prefer = OUTLINE
    plan = parse_files([sample(OUTLINE), sample(DETAIL)], prefer=prefer)
    nodes = nodes_by_key(plan)
    for code, (_, outline_title) in TITLE_CONFLICTS.items():
        assert nodes[code].title == outline_title
    conflicts = plan.report.of_kind("conflict")
    assert len(conflicts) == len(TITLE_CONFLICTS)
    assert all(issue.source == DETAIL and prefer in issue.message for issue in conflicts)
    assert len(nodes["13"].indicators) == 5  # details that do not conflict are still merged


def test_unknown_prefer_is_a_parse_error():
    """--prefer must name one of the files; the error lists them."""
    with pytest.raises(ParseError) as error:
        parse_files([sample(OUTLINE), sample(DETAIL)], prefer="kiyose.txt")
    assert "omitama_goal1.txt" in error.value.expected


def test_file_order_does_not_change_the_result(merged):
    """Giving 001 first yields the same tree, titles and conflicts."""
    reverse = parse_files([sample(DETAIL), sample(OUTLINE)])
    assert [(n.key, n.title) for n in reverse.walk()] == [(n.key, n.title) for n in merged.walk()]
    assert len(reverse.report.of_kind("conflict")) == len(TITLE_CONFLICTS)


def test_normalized_and_joined_titles_do_not_conflict(merged):
    """國際 vs 国際 (1305) and broken titles (1403, 1405) agree once normalized."""
    codes = {issue.message.split(":")[0] for issue in merged.report.of_kind("conflict")}
    assert not codes & {"1305", "1403", "1405", "15"}


def test_cross_references_resolve_across_files(merged):
    """1503 relists 2101 and 3306 (in 000) — resolved; 4204 … 5501 are not in the plan."""
    unresolved = merged.report.of_kind("unresolved_reference")
    assert [issue.message.split()[3].rstrip(",") for issue in unresolved] == [
        "4204",
        "4401",
        "4601",
        "5501",
    ]
    detail_only = parse_files([sample(DETAIL)])
    assert len(detail_only.report.of_kind("unresolved_reference")) == 6


def test_ranking_puts_the_detailed_chapter_first():
    """The detail score counts sections, indicators, cross-references and glossary terms."""
    outline, detail = parse_file(*reversed(sample(OUTLINE))), parse_file(*reversed(sample(DETAIL)))
    assert detail_score(detail) > detail_score(outline)
    assert rank_plans([outline, detail]) == [detail, outline]
    assert rank_plans([outline, detail], prefer=OUTLINE) == [outline, detail]


def test_no_files_is_a_parse_error():
    """parse_files([]) says that a file was expected."""
    with pytest.raises(ParseError):
        parse_files([])


def test_files_of_different_cities_are_reported():
    """Merging 小美玉市 with 清瀬市 warns that the files name different municipalities."""
    plan = parse_files([sample(OUTLINE), sample("kiyose.txt")])
    assert any("different municipalities" in i.message for i in plan.report.of_kind("warning"))


def test_a_level_one_file_names_only_by_position_takes_the_name_another_prints():
    """The detailed chapter prints no 基本目標 (階層1 there); the outline's name fills it, and
    positional names are no disagreement to warn about."""
    chapter = "1) まち\n\n基本施策1 協働\n\n■ 基本方針\n\n協働を進めます。\n\n1101 人材育成\n"
    outline_text = "基本目標\n\n1) まち\n\n基本施策1 協働\n\n1101 人材育成\n1102 拠点\n"
    files = [("outline.txt", outline_text.encode()), ("chapter.txt", chapter.encode())]
    plan = parse_files(files)
    assert plan.level_names == ["基本目標", "基本施策", "階層3"]
    assert not [i for i in plan.report.of_kind("warning") if "level names" in i.message]
