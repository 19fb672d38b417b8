"""Normalization of the real sample texts: every change made, kept where it must be, reported."""

from pathlib import Path

import pytest

from importers.parsing import parse_file
from importers.parsing.model import Line, Report
from importers.parsing.normalize import VARIANTS, decode, normalize

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"
SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("*.txt"))


def normalized(sample: str) -> tuple[list[Line], Report]:
    report = Report()
    text = decode((SAMPLES / sample).read_bytes(), sample)
    return normalize(text, sample, report), report


def texts_of(lines: list[Line], number: int) -> list[str]:
    return [line.text for line in lines if line.number == number]


def raw_lines(sample: str) -> list[str]:
    """The source lines as an editor numbers them (a final newline starts no line)."""
    return (SAMPLES / sample).read_text(encoding="utf-8").removesuffix("\n").split("\n")


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_lines_keep_their_original_numbers_and_blank_lines(sample):
    """Every source line is there under its own 1-based number (blank ones as ""), in order,
    unless it was dropped as page noise and reported."""
    lines, report = normalized(sample)
    raw = raw_lines(sample)
    dropped = {issue.line for issue in report.of_kind("noise")}
    numbers = [line.number for line in lines]
    assert numbers == sorted(numbers)
    assert set(numbers) | dropped == set(range(1, len(raw) + 1))
    for line in lines:
        if not raw[line.number - 1].strip():
            assert line.text == ""


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_no_stray_spaces_are_left(sample):
    """Lines carry no leading/trailing spaces, no ideographic spaces and no double spaces."""
    lines, _ = normalized(sample)
    for line in lines:
        assert line.text == line.text.strip(" "), line
        assert "\u3000" not in line.text and "  " not in line.text, line


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_wave_dashes_are_never_deleted(sample):
    """Every 〜/～ of the source is still there (as 〜), on the same line."""
    lines, _ = normalized(sample)
    for number, raw in enumerate(raw_lines(sample), start=1):
        dashes = raw.count("〜") + raw.count("～")
        assert sum(text.count("〜") for text in texts_of(lines, number)) == dashes


def test_variant_characters_become_standard_and_each_change_is_reported():
    """國→国 (line 36), 戰→戦 (39) and the OCR'd simplified 预→予 (124) in file 000, each reported
    with the original character, its replacement, the file and the line."""
    lines, report = normalized("omitama_outline.txt")
    assert texts_of(lines, 36) == ["1305 国際交流・国際化の推進"]
    assert texts_of(lines, 39) == ["#### 基本施策5 戦略的な定住・人口対策の推進"]
    assert texts_of(lines, 124) == ["3103 予防事業の推進"]
    changes = {
        (i.original, i.replacement, i.source, i.line)
        for i in report.of_kind("normalization")
        if i.original in VARIANTS
    }
    assert changes == {
        ("國", "国", "omitama_outline.txt", 36),
        ("戰", "戦", "omitama_outline.txt", 39),
        ("预", "予", "omitama_outline.txt", 124),
    }


def test_long_vowel_mark_after_a_kanji_is_read_as_ichi():
    """ "埴保己ープラン" (honjo 756): ー after a kanji is OCR for 一; the change is reported."""
    lines, report = normalized("honjo.txt")
    assert texts_of(lines, 756) == ["1. 埴保己一プラン"]
    assert any(i.line == 756 and i.original == "保己ープラ" for i in report.issues)


def test_circled_numbers_survive_nfkc_while_full_width_forms_fold():
    """① stays ① (NFKC would make it 1) while （…） become (…); the fold is reported once per
    character with every line it touched."""
    lines, report = normalized("omitama_goal1.txt")
    assert texts_of(lines, 87) == ["①今後も多様なまちづくり組織が必要"]
    assert "「いろとりどりパレットプラン(小美玉市男女共同参画推進計画)」" in texts_of(lines, 209)[0]
    folds = [i for i in report.of_kind("normalization") if i.original == "（"]
    assert len(folds) == 1
    assert folds[0].replacement == "(" and folds[0].line == 179
    assert "209" in folds[0].message


def test_full_width_tilde_becomes_a_wave_dash_not_an_ascii_tilde():
    """～ in 本庄市's plan names becomes 〜 (NFKC alone would give "~")."""
    lines, _ = normalized("honjo.txt")
    assert texts_of(lines, 772) == ["1. 塙保己一プラン〜志と共生のまちへの未来を描く〜"]


@pytest.mark.parametrize(
    ("sample", "number", "text", "removed"),
    [
        ("omitama_goal1.txt", 182, "市民と行政が協働で運営する実行委員会数\t24件\t30件", 1),
        ("omitama_goal1.txt", 254, "1301 マイナンバーカードの普及・利用促進\t①広報紙や"
         "市ホームページなどにより、市民に対する「マイナンバー制度」の周知に努めます。", 2),
        ("tomakomai.txt", 28, "◇1 子育て世代に手厚いまちとまこまいの実現", 1),
        ("honjo.txt", 27, "1. 市民との協働によるまちづくりの推進", 1),
        ("honjo.txt", 487, "職員提案制度 [*] 件数(年間)\t5件 ▶▶▶\t15件", 0),
        ("kiyose.txt", 7, "[基本目標 11] 子どもの成長を支える社会の構築", 0),
    ],
)  # fmt: skip
def test_spaces_between_japanese_characters_are_removed(sample, number, text, removed):
    """A space between two Japanese characters is a line-break artifact and goes, reported
    once per space; a space next to a digit, a mark or a bracket ("◇1 ", "[基本目標 11]") stays."""
    lines, report = normalized(sample)
    assert texts_of(lines, number) == [text]
    spaces = [
        i for i in report.of_kind("normalization") if i.line == number and "space" in i.message
    ]
    assert len(spaces) == removed


def test_html_paragraphs_become_lines_with_the_same_number():
    """<p>1102</p> <p>title</p>\t<p>①…</p> … (line 201) becomes one Line per paragraph, all
    numbered 201, with the tags gone and the change reported."""
    lines, report = normalized("omitama_goal1.txt")
    texts = texts_of(lines, 201)
    assert texts[:2] == ["1102", "まちづくり活動に携わる人材育成"]
    assert [text[0] for text in texts[2:]] == ["①", "②", "③"]
    html = [i for i in report.of_kind("normalization") if i.line == 201 and "HTML" in i.message]
    assert len(html) == 1 and html[0].original.startswith("<p>1102</p>")
    assert not any("<" in line.text or "style=" in line.text for line in lines)


def test_style_attributes_and_list_items():
    """<p style="…">1501</p> loses its style; a <ul> that lost its <li> tags gives "- " items."""
    lines, _ = normalized("omitama_goal1.txt")
    assert texts_of(lines, 352)[:2] == ["1501", "移住・定住の促進"]
    items = texts_of(lines, 382)[2:]
    assert [item[:3] for item in items] == ["- ①", "- ②", "- ③"]


def test_html_entities_list_items_and_line_breaks():
    """Entities are decoded, <li> starts a "- " line, <br> breaks the line, all on line 2."""
    report = Report()
    lines = normalize("見出し\n<ul><li>A&amp;B</li><li>C&nbsp;D<br>E</li></ul>\n", "x.txt", report)
    assert lines == [
        Line(1, "見出し"),
        Line(2, "- A&B"),
        Line(2, "- C D"),
        Line(2, "E"),
    ]


def test_page_noise_is_dropped_and_reported():
    """苫小牧市's scraped page loses 文字サイズ, the site link, the 6/37 counter, the survey link,
    the unrelated Tokyo postal address, the site footer and MENU — each reported with its line —
    while the municipality and the page title stay."""
    lines, report = normalized("tomakomai.txt")
    noise = {(i.line, i.original) for i in report.of_kind("noise")}
    assert {number for number, _ in noise} == {1, 2, 6, 38, 40, 42, 44}
    assert (6, "6/37") in noise and (44, "MENU") in noise
    texts = [line.text for line in lines]
    assert "北海道苫小牧市" in texts and "市政方針(2)" in texts
    for junk in ("文字サイズ", "MENU", "6/37", "〒", "アンケート", "マイ広報紙"):
        assert not any(junk in text for text in texts), junk


@pytest.mark.parametrize("sample", ["honjo.txt", "kiyose.txt", "omitama_goal1.txt"])
def test_plan_text_is_never_taken_for_noise(sample):
    """The plan documents (not scraped pages) lose no line to the noise filter."""
    _, report = normalized(sample)
    assert report.of_kind("noise") == []


def test_markdown_leftovers_are_unwrapped_and_ruby_dropped():
    """**bold** and ^{*} lose their markup but keep the footnote mark; ^{かじ} (a ruby reading)
    goes; a ** footnote mark without a partner stays."""
    goal1, _ = normalized("omitama_goal1.txt")
    assert "、ファシリティマネジメント*の視点" in texts_of(goal1, 273)[0]
    kiyose, _ = normalized("kiyose.txt")
    assert "シビックプライド*の醸成" in texts_of(kiyose, 89)[0]
    honjo, _ = normalized("honjo.txt")
    assert "本市の未来の舵取りを市民と共に" in texts_of(honjo, 460)[0]
    assert texts_of(honjo, 137) == ["施策に係る市民満足度人権を尊重する社会が実現されている 23.1%"]
    assert texts_of(honjo, 694)[0].startswith("実質公債費比率** [")


def test_line_endings_controls_and_broken_characters():
    """CRLF and CR end lines like LF; a form feed and U+FFFD (half a character) are removed and
    reported; a final newline does not add a line."""
    report = Report()
    lines = normalize("一\r\n二\x0c\r三\ufffd\n", "x.txt", report)
    assert lines == [Line(1, "一"), Line(2, "二"), Line(3, "三")]
    removed = [(i.line, i.original) for i in report.of_kind("normalization")]
    assert removed == [(2, "\x0c"), (3, "\ufffd")]


def test_the_variant_table_maps_to_standard_characters_only():
    """Every entry maps one non-standard character to a different, JIS-encodable one."""
    for original, standard in VARIANTS.items():
        assert len(original) == len(standard) == 1 and original != standard
        standard.encode("cp932")


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("文字サイズ 標準 拡大", True),
        ("ページの先頭へ戻る", True),
        ("12 / 40", True),
        ("- 12 -", True),
        ("〒367-8501 埼玉県本庄市本庄3丁目5番3号", True),
        ("Copyright © Honjo City. All Rights Reserved.", True),
        ("このページに関するお問い合わせ", True),
        ("市民アンケートによると、満足度は30.6%でした。", False),
        ("1/2の世帯が加入しています。", False),
        ("5-1 市民との協働によるまちづくりの推進", False),
        ("ホームページ閲覧回数\t3,942,178回\t5,282,893回", False),
    ],
)
def test_noise_is_recognised_by_the_whole_line_only(line, dropped):
    """Only a line that is nothing but page furniture is dropped; plan text that merely
    mentions a survey, a fraction or a homepage stays."""
    report = Report()
    lines = normalize(f"見出し\n{line}\n", "page.txt", report)
    assert (len(lines) == 1) is dropped
    assert len(report.of_kind("noise")) == (1 if dropped else 0)


def test_whitespace_only_lines_are_blank():
    """A line of spaces, ideographic spaces or tabs is a blank line (a paragraph break)."""
    assert normalize("一\n \u3000\t\n二", "x.txt", Report()) == [
        Line(1, "一"),
        Line(2, ""),
        Line(3, "二"),
    ]


def test_runs_of_spaces_inside_a_line_become_column_separators():
    """pdftotext -layout separates table columns with runs of spaces; they become tabs."""
    lines = normalize("指標名    現状値   目標値\n  字下げ 1 つ\n", "t.txt", Report())
    assert [line.text for line in lines] == ["指標名\t現状値\t目標値", "字下げ 1 つ"]


def test_space_separated_kpi_table_is_read_by_the_generic_reader():
    text = (
        "1. 安心して暮らせるまち\n"
        "成果指標        現状値（令和4年度）    目標値（令和9年度）\n"
        "避難訓練の参加者数    1,200人    1,500人以上\n"
    )
    plan = parse_file(text.encode(), "layout.txt")
    (indicator,) = plan.nodes[0].indicators
    assert (indicator.name, indicator.baseline.raw, indicator.target.raw) == (
        "避難訓練の参加者数",
        "1,200人",
        "1,500人以上",
    )
    assert (indicator.baseline_year, indicator.target_year) == (2022, 2027)
