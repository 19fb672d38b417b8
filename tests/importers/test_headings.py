"""headings.read_heading: each numbering scheme, with its number, code, level word and title."""

import pytest

from importers.parsing.headings import (
    framed_caption,
    is_label,
    read_heading,
    row_heading,
    section_item_level,
    section_name,
    section_with_text,
)


@pytest.mark.parametrize(
    ("text", "scheme", "number", "code", "title"),
    [
        ("第3章 産業・観光", "part:章", "3", "", "産業・観光"),
        ("第二節 子育て", "part:節", "2", "", "子育て"),
        ("基本目標1 安心なまち", "word:基本目標", "1", "", "安心なまち"),
        ("施策 2-1 防災", "word:施策", "2-1", "2-1", "防災"),
        ("施策① スポーツ施設の改修", "word:施策", "1", "", "スポーツ施設の改修"),
        ("施策B3-1 中小企業の支援", "word:施策", "B3-1", "B3-1", "中小企業の支援"),
        ("【基本目標31】 住みよいまち", "word:基本目標", "31", "31", "住みよいまち"),
        ("II 産業と交流", "roman", "2", "", "産業と交流"),
        ("D4 上下水道の安定経営", "letter:B1", "D4", "D4", "上下水道の安定経営"),
        ("1-1-3 避難所の整備", "dotted:3", "1-1-3", "1-1-3", "避難所の整備"),
        ("3-1スポーツに親しむ", "dotted:2", "3-1", "3-1", "スポーツに親しむ"),
        ("1101 市民協働の推進", "digits:4", "1101", "1101", "市民協働の推進"),
        ("2. 観光の振興", "1.", "2", "", "観光の振興"),
        ("(1) 防災体制", "(1)", "1", "", "防災体制"),
        ("() 文化財の保存", "(1)", "", "", "文化財の保存"),
        ("② 相談体制の強化", "①", "2", "", "相談体制の強化"),
        ("イ 生ごみの堆肥化", "ア", "2", "", "生ごみの堆肥化"),
        ("3 文化・スポーツ", "1 ", "3", "", "文化・スポーツ"),
        ("5交通安全の推進", "1 ", "5", "", "交通安全の推進"),
        ("災害に強いまちづくり(311)", "after:3", "311", "311", "災害に強いまちづくり"),
        ("第1章\t教育・文化", "part:章", "1", "", "教育・文化"),
    ],
)
def test_schemes(text, scheme, number, code, title):
    heading = read_heading(text)
    assert heading is not None
    assert (heading.scheme, heading.number, heading.code, heading.title) == (
        scheme,
        number,
        code,
        title,
    )


@pytest.mark.parametrize(
    "text",
    [
        "2022年度の補助金総額は",  # a year glued to its counter
        "12件",
        "12 件",
        "1,250,000",
        "10234 の団体が最も多く活動しています。",  # a sentence
        "2. これは文章です。",
        "[※] 用語の説明",
        "- 1. 箇条書き",
        "1001\t協働事業の実施件数\t22件",  # a table row
    ],
)
def test_values_sentences_and_rows_are_not_headings(text):
    assert read_heading(text) is None


def test_a_level_word_unites_plain_and_bracketed_headings():
    assert read_heading("基本目標1 まち").level_key == read_heading("【基本目標2】 人").level_key


def test_labels_name_levels_or_parts_not_nodes():
    assert is_label(read_heading("3 基本目標"))
    assert is_label(read_heading("第1編 基本計画"))
    assert not is_label(read_heading("3 文化・スポーツ"))


def test_markdown_and_decorated_captions():
    assert read_heading("### 1. 農業の振興").depth == 3
    caption = read_heading("■ 安定した雇用を創出する")
    assert (caption.scheme, caption.title, caption.decorated) == (
        "■",
        "安定した雇用を創出する",
        True,
    )


def test_section_names_in_brackets_or_plain():
    assert section_name("【施策の方向】") == "施策の方向"
    assert section_name("■現状と課題") == "現状と課題"
    assert section_name("成果指標") == "成果指標"
    assert section_name("防災の推進") == ""


@pytest.mark.parametrize(
    ("code", "section", "scheme", "node_code", "title"),
    [
        ("", "1-1", "dotted:2", "1-1", ""),
        ("", "1-1 防災体制の強化", "dotted:2", "1-1", "防災体制の強化"),
        ("", "1 活力ある産業のまち", "1 ", "1", "活力ある産業のまち"),
        ("", "基本目標2 元気なまち", "word:基本目標", "2", "元気なまち"),
        ("", "1101", "digits:4", "1101", ""),
        ("", "B3-1", "letter:B2", "B3-1", ""),
        ("2-1", "道路の整備", "dotted:2", "2-1", "道路の整備"),
        ("", "① 防災", "①", "", "防災"),
        ("", "(2) 防犯", "(1)", "", "防犯"),
        ("", "防災体制の強化", "row", "", "防災体制の強化"),
    ],
)
def test_row_heading_reads_the_code_and_section_cells_of_a_kpi_row(
    code, section, scheme, node_code, title
):
    heading = row_heading(code, section)
    assert (heading.scheme, heading.code, heading.title) == (scheme, node_code, title)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("取組内容(施策中項目)", "施策中項目"),
        ("取組内容（施策中項目）", "施策中項目"),
        ("取組内容", ""),
        ("取組内容(主なもの)", ""),  # no level word in the brackets
        ("市民の活動(施策中項目)", ""),  # not a section name
    ],
)
def test_section_item_level(text, level):
    assert section_item_level(text) == level


def test_framed_caption():
    assert framed_caption("- 基本協定の概要 -") == "基本協定の概要"
    assert framed_caption("- 自治会を支援します。") == ""
    assert framed_caption("- 10 -") == ""  # a page number between dashes


def test_section_with_text():
    assert section_with_text("施策に係る市民満足度 人権が尊重されている 23.1%") == (
        "施策に係る市民満足度",
        "人権が尊重されている 23.1%",
    )
    assert section_with_text("課題 解決のために") == ("", "")  # too short a name to tell
    assert section_with_text("施策に係る市民満足度") == ("", "")


def test_a_survey_box_name_glued_to_its_item():
    """An extraction that dropped the space: only a survey box with its percentage is split."""
    assert section_with_text("施策に係る市民満足度人権が尊重されている **23.1%**") == (
        "施策に係る市民満足度",
        "人権が尊重されている **23.1%**",
    )
    assert section_with_text("施策に係る市民満足度を高めます。") == ("", "")
