"""KPI cells: every baseline and target cell of the two sample KPI tables, read exactly."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from importers.parsing.model import Comparator, Report
from importers.parsing.normalize import decode, normalize
from importers.parsing.values import parse_fiscal_year, parse_value, split_name_definition

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
GOAL1, HONJO = "omitama_goal1.txt", "honjo.txt"
GTE, LTE, STAY, NONE = Comparator.GTE, Comparator.LTE, Comparator.STAY, Comparator.NONE


def kpi_cells(sample: str, line: int) -> list[str]:
    """The tab-separated cells of one normalized line of a sample file."""
    text = decode((SAMPLES / sample).read_bytes(), sample)
    rows = [row for row in normalize(text, sample, Report()) if row.number == line]
    assert len(rows) == 1, f"{sample}:{line} is not one line"
    return rows[0].text.split("\t")


# (sample, line, baseline: raw / value / unit, target: raw / value / unit / comparator / note)
REAL_ROWS = [
    (HONJO, 62, "82.31 %", "82.31", "%", "85.00 %", "85.00", "%", NONE, ""),
    (HONJO, 63, "43 団体", "43", "団体", "50 団体", "50", "団体", NONE, ""),
    (HONJO, 64, "—", None, "", "2 件", "2", "件", NONE, ""),
    (HONJO, 123, "843人", "843", "人", "1,900人", "1900", "人", NONE, ""),
    (HONJO, 183, "48,340食", "48340", "食", "60,000食", "60000", "食", NONE, ""),
    (HONJO, 427, "2,927,767 件", "2927767", "件", "3,351,000 件", "3351000", "件", NONE, ""),
    (HONJO, 429, "105 回", "105", "回", "110 回", "110", "回", NONE, ""),
    (HONJO, 487, "5件", "5", "件", "15件", "15", "件", NONE, ""),
    (HONJO, 488, "11.0%", "11.0", "%", "10.0%", "10.0", "%", NONE, ""),
    (HONJO, 560, "33 事業", "33", "事業", "60 事業", "60", "事業", NONE, ""),
    (HONJO, 632, "43 手続", "43", "手続", "100 手続", "100", "手続", NONE, ""),
    (HONJO, 693, "89.3 %", "89.3", "%", "92.7 %以内", "92.7", "%", LTE, ""),
    (HONJO, 694, "3.7 %", "3.7", "%", "3.7 %以内", "3.7", "%", LTE, ""),
    (HONJO, 695, "0.0 %", "0.0", "%", "0.0 %", "0.0", "%", NONE, ""),
    (HONJO, 696, "108 人", "108", "人", "0 人(移動均衡)", "0", "人", NONE, "移動均衡"),
    (GOAL1, 180, "64団体", "64", "団体", "76団体", "76", "団体", NONE, ""),
    (GOAL1, 215, "25.6%", "25.6", "%", "44.0%", "44.0", "%", NONE, ""),
    (GOAL1, 244, "3,942,178回", "3942178", "回", "5,282,893回", "5282893", "回", NONE, ""),
    (GOAL1, 245, "0事業", "0", "事業", "77事業", "77", "事業", NONE, ""),
    (GOAL1, 248, "0%", "0", "%", "90.0%", "90.0", "%", NONE, ""),
    (GOAL1, 280, "285,000千円", "285000", "千円", "700,000千円", "700000", "千円",
     NONE, ""),
    (GOAL1, 281, "85.5", "85.5", "", "88.0以下", "88.0", "", LTE, ""),
    (GOAL1, 346, "-0.98%", "-0.98", "%", "-0.18%", "-0.18", "%", NONE, ""),
    (GOAL1, 373, "454位", "454", "位", "300位", "300", "位", NONE, ""),
    (GOAL1, 374, "—", None, "", "100.0点", "100.0", "点", NONE, ""),
    (GOAL1, 376, "208,776千円", "208776", "千円", "330,000千円", "330000", "千円", NONE, ""),
]  # fmt: skip


@pytest.mark.parametrize(
    (
        "sample",
        "line",
        "b_raw",
        "b_value",
        "b_unit",
        "t_raw",
        "t_value",
        "t_unit",
        "t_cmp",
        "t_note",
    ),
    REAL_ROWS,
)
def test_real_kpi_cells_are_read_exactly(
    sample, line, b_raw, b_value, b_unit, t_raw, t_value, t_unit, t_cmp, t_note
):
    """Each sample KPI row gives its number as written, its unit, comparator and note apart;
    the ▶▶/▶▶▶ arrow between baseline and target is not part of either value."""
    _, baseline_cell, target_cell = kpi_cells(sample, line)
    baseline, target = parse_value(baseline_cell), parse_value(target_cell)
    assert (baseline.raw, baseline.unit) == (b_raw, b_unit)
    assert baseline.value == (Decimal(b_value) if b_value else None)
    assert (target.raw, target.unit, target.comparator, target.note) == (
        t_raw,
        t_unit,
        t_cmp,
        t_note,
    )
    assert str(target.value) == t_value


def test_decimals_keep_the_digits_as_written():
    """82.31 stays 82.31 and 100.0 keeps its trailing zero: no float rounding, no reformatting."""
    assert str(parse_value("82.31 %").value) == "82.31"
    assert str(parse_value("100.0点").value) == "100.0"
    assert str(parse_value("85.00 %").value) == "85.00"


@pytest.mark.parametrize("cell", ["—", "―", "-", "なし", "", "— ▶▶", "  "])
def test_no_value_marks_are_empty_not_zero(cell):
    """—, ―, - and なし mean "no value": value is None (never 0) and the mark stays in raw."""
    value = parse_value(cell)
    assert value.value is None
    assert value.raw == cell.replace("▶", "").strip()


# Forms that the mutation check (make mutation, group "parsers") found unguarded. Each row is
# read by hand: the number as printed, its unit, the comparator, the note in reading order.
LESS_COMMON_FORMS = [
    # Comparators printed before the number; < and > are strict, so the mark stays a note.
    ("≦30分", "30", "分", LTE, "", None),
    ("≥ 90%", "90", "%", GTE, "", None),
    ("<5件", "5", "件", LTE, "<", None),
    # Signs: + is no minus; U+2010 (hyphen) is a minus like U+2212.
    ("+3.0%", "3.0", "%", NONE, "", None),
    ("\u20100.98%", "-0.98", "%", NONE, "", None),
    # A footnote mark after the unit is not part of it.
    ("85.0%※", "85.0", "%", NONE, "", None),
    # Notes keep the order in which they are printed.
    ("約1,000人(推計)", "1000", "人", NONE, "約 推計", None),
    ("80%(推計)(令和3年度末見込み)", "80", "%", NONE, "推計 令和3年度末見込み", None),
    ("策定(予定)", "None", "", NONE, "策定 予定", None),
    # A bracket that names a year among other words is a note, not the value's year.
    ("80%(令和3年度の調査)", "80", "%", NONE, "令和3年度の調査", None),
    # A 西暦 year written before the value.
    ("2015年度:74.3%", "74.3", "%", NONE, "", 2015),
    # Runs of spaces inside a unit become one.
    ("12 回 /  年", "12", "回 / 年", NONE, "", None),
    # Units with letters and digits (t-CO2, m2) are units; "→ 20" is not a unit.
    ("12,000 t-CO2", "12000", "t-CO2", NONE, "", None),
    ("5 m2", "5", "m2", NONE, "", None),
    ("10 → 20", "10", "", NONE, "→ 20", None),
    ("10 → 20(推計)", "10", "", NONE, "→ 20 推計", None),
    # Ten characters after the number can be a unit; eleven are words (a sentence).
    ("40 か所の避難所で実施済", "40", "か所の避難所で実施済", NONE, "", None),
    ("40 か所の避難所で実施済み", "40", "", NONE, "か所の避難所で実施済み", None),
]


@pytest.mark.parametrize(
    ("cell", "number", "unit", "comparator", "note", "year"),
    [
        ("1,400人以上", "1400", "人", GTE, "", None),
        ("70.7%(2012年度)", "70.7", "%", NONE, "", 2012),
        ("H27:74.3%", "74.3", "%", NONE, "", 2015),
        ("▲229人", "-229", "人", NONE, "", None),
        ("△0.5", "-0.5", "", NONE, "", None),
        ("100%維持", "100", "%", STAY, "", None),
        ("30人未満", "30", "人", LTE, "未満", None),
        ("12件(累計)", "12", "件", NONE, "累計", None),
        ("約6割", "6", "割", NONE, "約", None),
        ("１，２００人", "1200", "人", NONE, "", None),
        ("−3.5%", "-3.5", "%", NONE, "", None),
        ("令和3年度:12件", "12", "件", NONE, "", 2021),
    ]
    + LESS_COMMON_FORMS,
)
def test_value_forms_from_the_domain_notes(cell, number, unit, comparator, note, year):
    """The forms listed in DOMAIN.md "Values": comparators, years in the cell, ▲/△ as minus."""
    value = parse_value(cell)
    assert (str(value.value), value.unit, value.comparator, value.note, value.fiscal_year) == (
        number,
        unit,
        comparator,
        note,
        year,
    )


@pytest.mark.parametrize(("cell", "comparator"), [("設置", NONE), ("策定", NONE), ("維持", STAY)])
def test_non_numeric_targets_have_no_number_but_keep_their_word(cell, comparator):
    """設置/策定 are done-or-not targets: no number, the word is the note; 維持 means "stay"."""
    value = parse_value(cell)
    assert value.value is None
    assert value.comparator == comparator
    assert value.note == ("" if comparator == STAY else cell)


@pytest.mark.parametrize(
    ("header", "year"),
    [
        ("実績値(令和3年度)", 2021),
        ("将来値(令和9年度)", 2027),
        ("実績値（令和3年度）", 2021),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("H26", 2014),
        ("2027年度", 2027),
        ("目標値(R9)", 2027),
        ("令和三年度", 2021),
        # A year alone, in brackets, and 漢数字 with 十 (平成 n = 1988 + n, 令和 n = 2018 + n).
        ("2027", 2027),
        ("(2027)", 2027),
        ("平成二十六年度", 2014),
        ("平成三十一年度", 2019),
        ("令和十年度", 2028),
        ("現状値", None),
        ("3,942,178回", None),
        ("DX2", None),
    ],
)
def test_fiscal_year_of_a_header(header, year):
    """和暦 (元年 = 1) and 西暦 headers give the 西暦 fiscal year; words without a year: None."""
    assert parse_fiscal_year(header) == year


def test_fiscal_years_of_the_real_omitama_header():
    """The 成果指標 header of 001 names the baseline FY2021 and the target FY2027."""
    header = kpi_cells(GOAL1, 179)
    assert [parse_fiscal_year(cell) for cell in header] == [None, 2021, 2027]


@pytest.mark.parametrize(
    ("line", "name", "definition"),
    [
        (62, "自治会の加入率", "全世帯のうち自治会に加入している世帯の割合"),
        (123, "人権教育研修会への参加者数(年間)", ""),
        (487, "職員提案制度[*]件数(年間)", ""),
        (488, "高ストレス[*]と判定される職員の割合", "厚生労働省の判定基準10%"),
        (693, "経常収支比率*", "財政運営の弾力性を示す指標(比率が高いほど、"
                               "財政運営の硬直化が進んでいることを表す)"),
        (696, "20代・30代の転入超過人口", "転入人口-転出人口"),
    ],
)  # fmt: skip
def test_name_and_bracketed_definition_of_real_kpis(line, name, definition):
    """ "名称 [定義]" splits into name and definition; a footnote mark [*] stays in the name."""
    assert split_name_definition(kpi_cells(HONJO, line)[0]) == (name, definition)


def test_a_definition_cut_off_by_a_truncated_line_is_still_a_definition():
    """An unclosed bracket at the end still separates the name from the (partial) definition."""
    assert split_name_definition("備蓄食料 [災害発生時に備えて") == (
        "備蓄食料",
        "災害発生時に備えて",
    )


def all_kpi_cells() -> list[tuple[str, int, str]]:
    """(sample, line, cell) for every baseline and target cell of both sample KPI tables: the
    rows under a header starting 指標名 or 成果指標, up to the next blank line."""
    cells = []
    for sample in (GOAL1, HONJO):
        text = decode((SAMPLES / sample).read_bytes(), sample)
        in_table = False
        for line in normalize(text, sample, Report()):
            if line.text.startswith(("指標名\t", "成果指標\t")):
                in_table = True
            elif not line.text:
                in_table = False
            elif in_table:
                cells += [(sample, line.number, cell) for cell in line.text.split("\t")[1:]]
    return cells


ALL_KPI_CELLS = all_kpi_cells()


def test_every_sample_kpi_row_was_found():
    """21 成果指標 in 001 (goal 1) and 27 in 003 (本庄市), two value cells each."""
    rows = {(sample, line) for sample, line, _ in ALL_KPI_CELLS}
    assert sum(sample == GOAL1 for sample, _ in rows) == 21
    assert sum(sample == HONJO for sample, _ in rows) == 27
    assert len(ALL_KPI_CELLS) == 2 * 48


@pytest.mark.parametrize(("sample", "line", "cell"), ALL_KPI_CELLS)
def test_every_sample_kpi_cell_reads_back_to_its_text(sample, line, cell):
    """Number, unit, comparator word and (note) put together give the cell again, arrows and
    spaces aside: nothing of a real cell is lost or invented. Only "—" has no number."""
    value = parse_value(cell)
    words = {GTE: "以上", LTE: "以内" if "以内" in cell else "以下", NONE: ""}
    if value.value is None:
        assert value.raw == "—" and cell.startswith("—")
        return
    written = re.match(r"-?[\d,]+(\.\d+)?", value.raw).group()
    assert Decimal(written.replace(",", "")) == value.value
    assert str(value.value) == written.replace(",", "")
    note = f"({value.note})" if value.note else ""
    rebuilt = f"{written}{value.unit}{words[value.comparator]}{note}"
    assert rebuilt == cell.replace("▶", "").replace(" ", "")


@pytest.mark.parametrize(
    ("text", "name", "definition"),
    [
        # A wave dash stays a wave dash (NFKC alone would make the fullwidth tilde "~").
        ("地域の見守り活動～声かけ～の参加者数", "地域の見守り活動〜声かけ〜の参加者数", ""),
        # Brackets inside the definition belong to it.
        ("避難所の数 [指定避難所 [福祉避難所を含む] の数]", "避難所の数",
         "指定避難所 [福祉避難所を含む] の数"),
        # Nothing printed after the definition is lost.
        ("刑法犯認知件数[市内で警察が認知した件数]※", "刑法犯認知件数 ※",
         "市内で警察が認知した件数"),
        ("自治会の加入率 [全世帯のうち加入世帯の割合] (4月1日現在)", "自治会の加入率 (4月1日現在)",
         "全世帯のうち加入世帯の割合"),
        ("", "", ""),
    ],
)  # fmt: skip
def test_names_and_definitions_beyond_the_samples(text, name, definition):
    assert split_name_definition(text) == (name, definition)


def test_a_name_wrapped_in_its_cell_is_joined_where_japanese_meets_japanese():
    """``name_joined_across_breaks``: 実行委員会 数 was a line break; Net Promoter is English."""
    joined = ("協働で運営する実行委員会数", "")
    assert split_name_definition("協働で運営する 実行委員会 数") == joined
    assert split_name_definition("修正 Net Promoter Score") == ("修正 Net Promoter Score", "")
