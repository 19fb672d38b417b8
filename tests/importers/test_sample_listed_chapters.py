"""The sample honjo.txt (分野 → 施策大項目 → 施策中項目, 成果指標, 政策連携プラン) through the
general reader: acceptance tests of its capabilities on a real plan (``contents``,
``crosscutting``, ``survey``, ``opening``, chapter codes, footnote marks, captions), each of
which has small tests of its own. These assertions guarded the sample's own structure reader
(listed_chapters), which the general reader replaced (issue 9)."""

from decimal import Decimal
from pathlib import Path

import pytest

from importers.parsing import parse_files
from importers.parsing.errors import ParseError
from importers.parsing.model import Comparator, CrossRefKind, NodeKind, ParsedPlan

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SOURCE = "honjo.txt"


def sample_text(name: str = SOURCE) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def parse_text(text: str) -> ParsedPlan:
    return parse_files([(SOURCE, text.encode("utf-8"))])


def replace_line(text: str, number: int, new: str | None) -> str:
    """The sample with line ``number`` (1-based) replaced, or blanked when ``new`` is None."""
    lines = text.split("\n")
    lines[number - 1] = "" if new is None else new
    return "\n".join(lines)


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_text(sample_text())


@pytest.fixture(scope="module")
def nodes(plan):
    return {node.key: node for node in plan.walk()}


def warnings(plan: ParsedPlan) -> list[str]:
    return [issue.message for issue in plan.report.of_kind("warning")]


# --------------------------------------------------------------------------- tree


def test_two_fields_are_the_only_policy_roots(plan):
    """The chapters 第5章 and 第6章 become the 分野 5 and 6; they are the only POLICY roots."""
    assert plan.level_names == ["分野", "施策大項目", "施策中項目"]
    assert plan.municipality == "本庄市"
    assert plan.layout == "reader"
    policy_roots = [node for node in plan.nodes if node.kind == NodeKind.POLICY]
    assert [(n.code, n.title, n.level, n.line) for n in policy_roots] == [
        ("5", "市民生活分野", 0, 5),
        ("6", "行財政経営分野", 0, 374),
    ]


def test_eleven_majors_with_their_49_minor_items(plan):
    """11 施策大項目 coded 5-1 … 6-5, each with its numbered 施策中項目 (49 in all)."""
    majors = [major for root in plan.nodes for major in root.children]
    counts = {major.code: len(major.children) for major in majors}
    assert counts == {
        "5-1": 4, "5-2": 5, "5-3": 6, "5-4": 4, "5-5": 2, "5-6": 3,
        "6-1": 3, "6-2": 8, "6-3": 4, "6-4": 4, "6-5": 6,
    }  # fmt: skip
    assert sum(counts.values()) == 49
    assert all(major.level == 1 and major.key == major.code for major in majors)
    for major in majors:
        codes = [(minor.code, minor.key, minor.level) for minor in major.children]
        assert codes == [
            (f"{major.code}-{n}", f"{major.code}-{n}", 2) for n in range(1, len(major.children) + 1)
        ]


def test_minor_items_carry_their_actions_as_body(nodes):
    """A 施策中項目 '1. 名称' gets the bullets under it as its 取組内容 section."""
    minor = nodes["5-3-4"]
    assert minor.title == "消防団活動と地域防災力の向上"
    assert minor.line == 214
    assert [s.heading for s in minor.sections] == ["取組内容"]
    body = minor.sections[0].body.split("\n")
    assert len(body) == 2
    assert body[0].startswith("- 消防団員の定年を延長することで")
    assert body[1].startswith("- 消防団が活動しやすい環境を整える")


def test_footnote_marks_are_not_part_of_titles(nodes):
    """'1. ICT*の利活用による…' is titled without the dangling footnote mark."""
    assert nodes["6-4-1"].title == "ICTの利活用による市民の利便性の向上"


# --------------------------------------------------------------------------- title recovery


def test_lost_titles_are_recovered_from_the_chapter_list_and_reported(plan, nodes):
    """5-2, 5-5, 5-6 and 6-4 have no title line: the chapter's list names them, in order."""
    recovered = {
        "5-2": ("人権を尊重する社会の実現", 114, 31),
        "5-5": ("交通安全対策の推進", 292, 43),
        "5-6": ("市民サービスの向上", 332, 47),
        "6-4": ("行政のデジタル化の推進", 624, 408),
    }
    issues = [i for i in plan.report.of_kind("guess") if "一覧の見出しを補いました" in i.message]
    assert len(issues) == len(recovered)
    for issue, (code, (title, line, list_line)) in zip(issues, recovered.items(), strict=True):
        assert nodes[code].title == title
        assert nodes[code].line == line == issue.line
        assert title in issue.message
        assert f"{list_line} 行目" in issue.message


def test_titles_printed_in_the_text_are_used_as_printed(nodes):
    """A title split by a space in the PDF ('自主性・自立性の高い 財政運営の確立') is joined."""
    assert (nodes["6-5"].title, nodes["6-5"].line) == ("自主性・自立性の高い財政運営の確立", 683)
    assert (nodes["6-1"].title, nodes["6-1"].line) == (
        "市政情報の提供の充実と市政に対する市民参加の推進",
        418,
    )


def test_a_title_lost_from_a_block_that_had_one_is_recovered_too():
    """Removing the title line of 5-3 makes the reader recover it from the list."""
    plan = parse_text(replace_line(sample_text(), 175, None))
    major = plan.nodes[0].children[2]
    assert (major.code, major.title, major.line) == ("5-3", "危機管理体制の強化", 177)
    guesses = [i.line for i in plan.report.of_kind("guess") if "危機管理体制の強化" in i.message]
    assert guesses == [177]


def test_more_blocks_than_listed_majors_is_reported():
    """A 施策大項目 list shorter than the blocks: the block beyond it is reported, no node is
    invented for it (false structure is worse than none)."""
    text = replace_line(sample_text(), 47, None)  # drop "6. 市民サービスの向上" from the list
    plan = parse_text(text)
    assert [major.code for major in plan.nodes[0].children][-1] == "5-5"
    beyond = [i.line for i in plan.report.of_kind("warning") if "6 件目のブロック" in i.message]
    assert beyond == [332]


def test_a_block_missing_from_the_text_does_not_shift_the_others():
    """Without the whole 5-3 block, 防犯対策の推進 is still 5-4 (its printed title anchors it)."""
    lines = sample_text().split("\n")
    plan = parse_text("\n".join(lines[:174] + lines[240:]))  # drop lines 175–240
    majors = {major.code: major.title for major in plan.nodes[0].children}
    assert list(majors) == ["5-1", "5-2", "5-4", "5-5", "5-6"]
    assert majors["5-4"] == "防犯対策の推進"
    missing = [i for i in plan.report.of_kind("warning") if "ブロックがありません" in i.message]
    assert [(i.line, "危機管理体制の強化" in i.message) for i in missing] == [(35, True)]


def test_a_chapter_without_blocks_keeps_its_list_as_its_items():
    """A 分野 whose 施策大項目 blocks are all missing: its list is all the text says of them,
    so the listed items are its 施策大項目."""
    lines = sample_text().split("\n")
    plan = parse_text("\n".join(lines[:50] + lines[372:753]))  # 第5章 without its blocks
    assert [node.code for node in plan.nodes] == ["5", "6"]
    assert [(n.code, n.line) for n in plan.nodes[0].children] == [
        ("5-1", 27), ("5-2", 31), ("5-3", 35), ("5-4", 39), ("5-5", 43), ("5-6", 47)
    ]  # fmt: skip


# --------------------------------------------------------------------------- 成果指標

# (node, name, definition, baseline value, target value, unit, comparator, target note)
KPIS = [
    ("5-1", "自治会の加入率", "全世帯のうち自治会に加入している世帯の割合",
     "82.31", "85.00", "%", "", ""),
    ("5-1", "NPO法人登録数", "県に登録された市内にあるNPO法人の数", "43", "50", "団体", "", ""),
    ("5-1", "市民提案型事業数", "市民活動団体等が企画・立案し、行政と協働で行う事業数",
     None, "2", "件", "", ""),
    ("5-2", "人権教育研修会への参加者数(年間)", "", "843", "1900", "人", "", ""),
    ("5-2", "審議会等における女性委員の割合",
     "法律・条例で設置されている附属機関の委員総数のうちの女性委員の占める割合",
     "23.3", "30.0", "%", "", ""),
    ("5-2", "国際交流事業への参加者数",
     "本庄市国際交流協会で行っている事業に参加している年間延べ人数", "545", "2000", "人", "", ""),
    ("5-3", "備蓄食料", "災害発生時に備えて蓄えておく食料", "48340", "60000", "食", "", ""),
    ("5-3", "自主防災組織率", "自主的に地域の防災活動を行う組織が各自治会に組織化されている割合",
     "95", "100", "%", "", ""),
    ("5-4", "刑法犯認知件数", "刑法に定められている窃盗などの犯罪行為による被害届件数(年間)",
     "475", "470", "件", "", ""),
    ("5-4", "全自治会の防犯ボランティア組織率",
     "自主的に防犯活動に取り組む組織が各自治会に組織化されている割合", "95", "100", "%", "", ""),
    ("5-5", "市内における交通人身事故発生件数(年間)", "", "184", "180", "件", "", ""),
    ("5-5", "上記のうち高齢者が関係した事故発生件数", "65歳以上の人が当事者となった件数(年間)",
     "36", "30", "件", "", ""),
    ("5-6", "証明書コンビニ交付サービスの交付数", "", "3602", "5500", "件", "", ""),
    ("5-6", "オンラインによる交付手続利用件数", "", "1", "520", "件", "", ""),
    ("6-1", "市ホームページへのアクセス数", "", "2927767", "3351000", "件", "", ""),
    ("6-1", "市ホームページ更新件数", "", "3826", "4545", "件", "", ""),
    ("6-1", "市民の意見を聴く場の実施回数", "対話集会・ワークショップ等",
     "105", "110", "回", "", ""),
    ("6-2", "職員提案制度件数(年間)", "", "5", "15", "件", "", ""),
    ("6-2", "高ストレスと判定される職員の割合", "厚生労働省の判定基準10%",
     "11.0", "10.0", "%", "", ""),
    ("6-3", "市内小学生が早稲田大学との人材育成連携事業に参加した割合(年間)", "",
     "19.6", "40.0", "%", "", ""),
    ("6-3", "早稲田大学との協働事業数", "", "33", "60", "事業", "", ""),
    ("6-4", "オンラインによる各種手続数", "", "43", "100", "手続", "", ""),
    ("6-4", "マイナンバーカードの交付率", "", "36.1", "100.0", "%", "", ""),
    ("6-5", "経常収支比率",
     "財政運営の弾力性を示す指標(比率が高いほど、財政運営の硬直化が進んでいることを表す)",
     "89.3", "92.7", "%", "lte", ""),
    ("6-5", "実質公債費比率",
     "公債費のうち交付税により措置されるものを除いた正味の公債費の占める割合",
     "3.7", "3.7", "%", "lte", ""),
    ("6-5", "将来負担比率", "標準的な収入に対して、一般会計等が抱える実質的な負債の占める割合",
     "0.0", "0.0", "%", "", ""),
    ("6-5", "20代・30代の転入超過人口", "転入人口-転出人口", "108", "0", "人", "", "移動均衡"),
]  # fmt: skip


def as_row(indicator, node_code):
    def number(value):
        return None if value.value is None else Decimal(value.value)

    return (
        node_code,
        indicator.name,
        indicator.definition,
        number(indicator.baseline),
        number(indicator.target),
        indicator.unit,
        str(indicator.comparator),
        indicator.target.note,
    )


def test_all_27_indicators_exact(plan):
    """Every 成果指標: name, [definition], baseline ▶▶ target, unit, 以内 and (note) exact."""
    rows = [as_row(indicator, node.code) for node in plan.walk() for indicator in node.indicators]
    expected = [
        (code, name, definition, None if base is None else Decimal(base), Decimal(target), unit,
         comparator, note)
        for code, name, definition, base, target, unit, comparator, note in KPIS
    ]  # fmt: skip
    assert rows == expected


def test_indicator_units_keys_and_lines(nodes):
    """Each value keeps its unit and raw text; keys are '<node key>:<name>'; lines point at rows."""
    first = nodes["5-1"].indicators[0]
    assert first.key == "5-1:自治会の加入率"
    assert (first.line, first.source) == (62, SOURCE)
    assert (first.baseline.unit, first.target.unit) == ("%", "%")
    assert "82.31" in first.baseline.raw and "85.00" in first.target.raw
    last = nodes["6-5"].indicators[-1]
    assert (last.key, last.line) == ("6-5:20代・30代の転入超過人口", 696)
    assert (last.target.value, last.target.unit, last.target.note) == (Decimal(0), "人", "移動均衡")


def test_a_dash_is_no_value_never_zero(nodes):
    """'— ▶▶ 2 件': the baseline has no value (None), not 0; its unit comes from the target."""
    indicator = nodes["5-1"].indicators[2]
    assert indicator.baseline.value is None
    assert indicator.baseline.raw.startswith("—")
    assert indicator.unit == "件"


def test_within_targets_compare_less_or_equal(nodes):
    """'92.7 %以内' is a ≤ target: the value and the indicator both say lte."""
    indicator = nodes["6-5"].indicators[0]
    assert indicator.target.comparator == Comparator.LTE
    assert indicator.comparator == Comparator.LTE
    assert nodes["6-5"].indicators[2].comparator == Comparator.NONE


def test_headers_without_years_leave_years_empty(plan):
    """'現状値 / 目標値' name no year: no year is invented; the report shows the columns read."""
    indicators = [indicator for node in plan.walk() for indicator in node.indicators]
    assert {(i.baseline_year, i.target_year) for i in indicators} == {(None, None)}
    tables = [i for i in plan.report.of_kind("structure") if i.message.startswith("指標の表")]
    assert tables[0].line == 61
    assert "現状値=「現状値」、目標値=「目標値」" in tables[0].message


def test_years_in_a_header_apply_to_its_table():
    """A header '現状値(令和3年度) / 目標値(令和9年度)' gives that table FY2021 → FY2027."""
    text = replace_line(sample_text(), 61, "成果指標\t現状値(令和3年度)\t目標値(令和9年度)")
    plan = parse_text(text)
    first, second = plan.nodes[0].children[0], plan.nodes[0].children[1]
    assert {(i.baseline_year, i.target_year) for i in first.indicators} == {(2021, 2027)}
    assert {(i.baseline_year, i.target_year) for i in second.indicators} == {(None, None)}


def test_a_truncated_indicator_row_is_an_error_with_its_line():
    """A 成果指標 row without its 目標値 cell (its arrow points at nothing) cannot be read:
    ParseError naming the line, what was expected and the row."""
    text = replace_line(
        sample_text(), 62, "自治会の加入率 [全世帯のうち自治会に加入している世帯の割合]\t82.31 % ▶▶"
    )
    with pytest.raises(ParseError) as error:
        parse_text(text)
    assert error.value.line == 62
    assert "目標値" in error.value.expected
    assert "自治会の加入率" in error.value.found


# --------------------------------------------------------------------------- sections


def test_major_sections_in_document_order(nodes):
    """めざす姿, 現況と課題, 施策に係る市民満足度 and 協働による取組 as printed."""
    assert [s.heading for s in nodes["5-1"].sections] == [
        "めざす姿",
        "現況と課題",
        "施策に係る市民満足度",
        "協働による取組",
    ]
    mezasu = nodes["5-1"].sections[0]
    assert mezasu.line == 55
    assert mezasu.body.count("\n- ") == 2
    assert [s.heading for s in nodes["5-6"].sections] == [
        "めざす姿",
        "現況と課題",
        "施策に係る市民満足度",
    ]


def test_issues_keep_the_bullets_printed_after_the_satisfaction_box(nodes):
    """現況と課題 gets its bullets although the 市民満足度 box sits between heading and text."""
    issues = nodes["5-2"].sections[1]
    assert issues.heading == "現況と課題"
    bullets = issues.body.split("\n")
    assert len(bullets) == 3
    assert all(bullet.startswith("- ") for bullet in bullets)
    assert bullets[1].startswith("- 固定的な性別役割分担意識は")


SATISFACTION = {
    "5-1": "ボランティア活動や自治会活動などの市民との協働によるまちづくりが進んでいる 30.6%",
    "5-2": "人権を尊重する社会が実現されている 23.1%",
    "5-3": "水害や地震などへの防災対策や消防・救急体制が整っている 39.0%",
    "5-4": "街路灯など防犯の面で安心である 34.4%",
    "5-5": "交通安全対策が充実している 32.1%",
    "5-6": "市の窓口サービスが向上している 42.8%",
    "6-1": "市の情報発信や情報公開が充実し、まちづくりへの市民参加機会がたくさんある 30.4%",
    "6-2": "効率的・効果的な行政経営が進んでいる 16.8%",
    "6-3": "早稲田大学とのまちづくりに関する連携事業によって先進的なまちづくりが進んでいる 27.1%",
    "6-4": "インターネットを利用した行政サービスが充実している 26.0%",
    "6-5": "財産や公共施設が適正に管理され健全な財政運営が行われている 22.1%",
}


def test_citizen_satisfaction_item_and_percentage(nodes):
    """The survey item (joined when broken over lines) and its percentage, bold marks gone."""
    found = {
        code: section.body
        for code in SATISFACTION
        for section in nodes[code].sections
        if section.heading == "施策に係る市民満足度"
    }
    assert found == SATISFACTION


def test_chapter_slogan_and_speech_bubbles(nodes):
    """The 分野 keeps its slogan and the bubbles, each bubble's broken lines joined."""
    sections = nodes["5"].sections
    assert [(s.heading, s.line) for s in sections] == [("めざすまちの姿", 7), ("市民の声", 9)]
    assert sections[0].body == "市民だれもが活躍し、安全に生活できるまち"
    assert (
        sections[1].body.split("\n")[0]
        == "- 市民や学生同士がつながってまちづくりを進めていけるといいな。"
    )
    assert len(sections[1].body.split("\n")) == 3


def test_chart_captions_are_skipped_and_lost_chart_notes_reported(plan, nodes):
    """数値で見る状況: 出典 and ▲ photo captions are noise; a chart's footnote is a warning."""
    bodies = "\n".join(s.body for node in plan.walk() for s in node.sections)
    assert "出典" not in bodies and "▲" not in bodies and "数値で見る状況" not in bodies
    noise = {issue.line for issue in plan.report.of_kind("noise")}
    assert {100, 104, 131, 305, 494, 495, 566, 702} <= noise  # 495: a note right below 出典


def test_a_framed_box_in_the_chart_area_is_kept_as_a_section(nodes):
    """'- 早稲田大学と本庄市との協働連携に関する基本協定の概要 -' is content: kept."""
    box = next(s for s in nodes["6-3"].sections if "基本協定の概要" in s.heading)
    assert box.heading == "早稲田大学と本庄市との協働連携に関する基本協定の概要"
    assert box.line == 568
    assert "- (6)その他本協定の目的に沿う事項" in box.body
    assert box.body.endswith("都度協議の上、協働・協力していきます。")


# --------------------------------------------------------------------------- 政策連携プラン

LINKS = {
    "plan-link-1": (
        "塙保己一プラン",
        ["2-1", "2-2", "2-4", "1-4", "1-5", "1-6", "1-7", "2-6", "4-2", "4-4",
         "5-6", "6-1", "6-4"],
    ),
    "plan-link-2": (
        "本庄版ネウボラプラン",
        ["1-1", "1-2", "1-4", "1-7", "2-4", "4-7", "2-1", "2-5", "3-1", "6-3"],
    ),
    "plan-link-3": (
        "まちなか再生にぎわいプラン",
        ["3-2", "3-4", "4-1", "3-6", "4-2", "4-3", "4-4", "4-7", "5-1"],
    ),
    "plan-link-4": (
        "本庄ブランド発信プラン",
        ["2-5", "3-1", "3-4", "5-1", "6-3", "6-5", "4-3", "4-4"],
    ),
    "plan-link-5": (
        "誰もが輝く、チャレンジ応援プラン",
        ["1-5", "3-1", "3-2", "3-3", "3-5", "5-1", "1-1", "1-6", "5-2"],
    ),
}  # fmt: skip


def test_five_cross_cutting_plans_with_their_references(plan):
    """第7章's plans are CROSS_CUTTING roots; each lists the 施策大項目 it links, once each."""
    links = [node for node in plan.nodes if node.kind == NodeKind.CROSS_CUTTING]
    found = {node.key: (node.title, [ref.target_code for ref in node.crossrefs]) for node in links}
    assert found == LINKS
    assert all(node.level == 0 and node.code == "" and not node.children for node in links)
    refs = [ref for node in links for ref in node.crossrefs]
    assert all(ref.kind == CrossRefKind.POLICY_LINK for ref in refs)


def test_references_keep_code_and_title_in_and_outside_this_file(nodes, plan):
    """References to chapters 1–4 keep their title; those into 5–6 name the node's title."""
    first = nodes["plan-link-1"].crossrefs[0]
    assert (first.target_code, first.target_title, first.line) == (
        "2-1",
        "確かな学力と自立する力の育成",
        784,
    )
    for link in plan.nodes[2:]:
        for ref in link.crossrefs:
            if ref.target_code in nodes:
                assert ref.target_title == nodes[ref.target_code].title


def test_a_reference_title_broken_over_two_lines_is_joined(nodes):
    """'5-1 市民との協働による' + 'まちづくりの推進' is one reference."""
    ref = nodes["plan-link-3"].crossrefs[-1]
    assert (ref.target_code, ref.target_title, ref.line) == (
        "5-1",
        "市民との協働によるまちづくりの推進",
        920,
    )


def test_plan_sections_subtitle_measures_and_targets(nodes):
    """A plan: its subtitle over the intro, one section per ▶ measure, then the 数値目標 items."""
    sections = nodes["plan-link-5"].sections
    assert [s.heading for s in sections] == [
        "誰もがチャレンジできる未来を描く",
        "誰もが活躍できる機会の創出",
        "誰もが活躍できる環境の整備",
        "総合戦略における数値目標の設定項目",
    ]
    assert "施策大項目\n- 1-5 高齢者福祉の充実\n" in sections[1].body
    assert sections[3].body.startswith("- 誰もがいきいきと働き続けられる環境づくり")
    assert "各プランの" not in sections[3].body


def test_the_policy_link_chapter_alone_is_read_and_recognised():
    """A file with only 第7章 is still this layout: five plans, references unresolved here."""
    text = "\n".join(sample_text().split("\n")[753:])
    plan = parse_text(text)
    assert [node.key for node in plan.nodes] == [f"plan-link-{n}" for n in range(1, 6)]
    assert len(plan.nodes[0].crossrefs) == 13


def test_a_reference_naming_another_title_than_the_node_is_reported():
    """'5-1 市民協働の推進' while 5-1 is 市民との協働によるまちづくりの推進: a warning."""
    plan = parse_text(replace_line(sample_text(), 947, "5-1 市民協働の推進"))
    messages = [i for i in plan.report.of_kind("warning") if "5-1「市民協働の推進」" in i.message]
    assert [issue.line for issue in messages] == [947]
    assert "市民との協働によるまちづくりの推進" in messages[0].message


def test_plan_list_and_heading_disagreeing_is_reported(plan):
    """The list's OCR '埴保己…' and the heading '塙保己一プラン' differ: heading wins, reported."""
    messages = [m for m in warnings(plan) if "一覧（756 行目）" in m]
    assert len(messages) == 1
    assert "塙保己一プラン" in messages[0] and "埴保己" in messages[0]


def test_chapter_7_prose_without_a_node_is_reported(plan):
    """The chapter's introduction and closing note belong to no plan: reported, not hidden."""
    lines = [
        i.line for i in plan.report.of_kind("skipped") if "どのプランにも属さない" in i.message
    ]
    assert lines == [764, 768, 770, 1019]
