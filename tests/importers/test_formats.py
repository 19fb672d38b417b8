"""Front ends for PDF, HTML, Word, Excel and CSV (importers/parsing/formats): the blocks each
makes of the test documents under tests/importers/documents/ (made by make_documents.py).

Expected blocks are written by hand from the texts in make_documents.py: what a person reading
the printed page sees, in reading order, without running headers, footers or page numbers.
"""

from pathlib import Path

import pytest

from importers.parsing import ParseError, parse_file
from importers.parsing.blocks import Block, BlockKind
from importers.parsing.formats import Format, Limits, detect_format, document_blocks
from importers.parsing.model import Report

DOCUMENTS = Path(__file__).resolve().parent / "documents"
H, P, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.TABLE

NISHIHAMA_KPI_HEADER = ("成果指標", "単位", "現状値(令和3年度)", "目標値(令和9年度)")
NISHIHAMA_TABLES = [
    (
        NISHIHAMA_KPI_HEADER,
        ("子育て支援センターの利用者数", "人", "12,480", "15,000"),
        ("待機児童数", "人", "8", "0"),
    ),
    (NISHIHAMA_KPI_HEADER, ("授業がわかると答えた児童の割合", "%", "78.5", "85.0")),
    (
        NISHIHAMA_KPI_HEADER,
        ("特定健康診査の受診率", "%", "41.2", "60.0"),
        ("市民一人あたりの医療費", "千円", "385", "380以下"),
    ),
]
NISHIHAMA_HEADINGS = [
    ("基本目標1 安心して子どもを産み育てられるまち", 2),
    ("施策1-1 子育て支援の充実", 3),
    ("施策1-2 学校教育の推進", 3),
    ("基本目標2 健康でいきいきと暮らせるまち", 2),
    ("施策2-1 健康づくりの推進", 3),
]
RUNNING = ("第3次西浜町総合計画 後期基本計画", "第2期基本計画(川口台市)", "東山村総合計画")


def blocks_of(name: str) -> tuple[list[Block], Report]:
    report = Report()
    path = DOCUMENTS / name
    return document_blocks(path.read_bytes(), path.name, report), report


def headings(blocks):
    return [(block.text, block.depth) for block in blocks if block.kind == H]


def tables(blocks):
    return [block.rows for block in blocks if block.kind == T]


def texts(blocks):
    """Texts of headings and paragraphs; breaks (empty paragraphs) left out."""
    return [block.text for block in blocks if block.kind != T and block.text]


def content(blocks):
    """(kind, text or rows) of every block but breaks."""
    return [(b.kind, b.text or b.rows) for b in blocks if b.text or b.rows]


def all_text(blocks) -> str:
    return "\n".join(
        [block.text for block in blocks] + [c for b in blocks for row in b.rows for c in row]
    )


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pdf/nishihama.pdf", Format.PDF),
        ("html/kawaguchi_sjis.html", Format.HTML),
        ("docx/kawaguchi.docx", Format.DOCX),
        ("xlsx/kawaguchi.xlsx", Format.XLSX),
        ("csv/nishihama_cp932.csv", Format.CSV),
    ],
)
def test_the_format_is_recognised_from_the_content_not_the_name(name, kind):
    data = (DOCUMENTS / name).read_bytes()
    assert detect_format(data, "upload.bin") == kind
    assert detect_format(data, "plan.txt") == kind


def test_plan_texts_with_html_fragments_and_tabs_stay_text():
    samples = Path(__file__).resolve().parents[2] / "importers" / "samples"
    for sample in samples.glob("*.txt"):
        assert detect_format(sample.read_bytes(), sample.name) == Format.TEXT, sample.name


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image: a scanned page needs OCR"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old binary Office file (.doc/.xls)"),
        (b"PK\x03\x04broken", "damaged ZIP archive"),
    ],
)
def test_formats_that_cannot_be_read_are_named(data, found):
    with pytest.raises(ParseError) as error:
        parse_file(data, "plan.dat")
    assert found in str(error.value)


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_headings_by_size_tables_by_rules_and_wrapped_paragraphs_joined():
    blocks, report = blocks_of("pdf/nishihama.pdf")
    assert headings(blocks) == [("第3次西浜町総合計画後期基本計画", 1), *NISHIHAMA_HEADINGS]
    assert tables(blocks) == NISHIHAMA_TABLES
    body = texts(blocks)
    assert (
        "子育て世代が安心して暮らせるよう、妊娠期から子育て期まで切れ目のない支援を行います。"
        "地域全体で子どもの成長を見守る体制をつくり、保護者の不安や負担の軽減を図ります。また、"
        "放課後の居場所づくりを進め、共働き世帯が働きながら子育てできる環境を整えます。"
    ) in body
    # the footnote mark stays with its sentence, the footnote is its own paragraph
    assert "子育て支援センターの相談体制を強化し、保護者同士の交流の場を広げます。※1" in body
    assert body[-1] == "※1 子育て支援センター:子育て中の親子が交流し、相談できる施設"
    assert [block.page for block in blocks if block.kind == H][-1] == 2


def test_pdf_running_header_and_page_numbers_are_dropped_and_reported():
    blocks, report = blocks_of("pdf/nishihama.pdf")
    text = all_text(blocks)
    assert "後期基本計画\n" not in text.replace("第3次西浜町総合計画後期基本計画\n", "", 1)
    assert "- 1 -" not in text and "- 2 -" not in text
    noise = {(issue.original, issue.message) for issue in report.of_kind("noise")}
    assert noise == {
        (
            "第3次西浜町総合計画 後期基本計画",
            "dropped a running header, footer or page number on 2 page(s)",
        ),
        ("(page numbers)", "dropped a running header, footer or page number on 2 page(s)"),
    }


def test_pdf_radicals_from_the_text_layer_become_kanji_and_are_reported():
    """Chromium's text layer writes 目 as ⽬ (KANGXI RADICAL EYE) and 民 as ⺠."""
    blocks, report = blocks_of("pdf/nishihama.pdf")
    assert not any("\u2e80" <= char <= "\u2fdf" for char in all_text(blocks))
    mapped = {(issue.original, issue.replacement) for issue in report.of_kind("normalization")}
    assert ("⽬", "目") in mapped
    assert ("⺠", "民") in mapped


def test_pdf_two_columns_are_read_left_column_first_and_unruled_tables_found():
    blocks, _ = blocks_of("pdf/kawaguchi.pdf")
    assert content(blocks) == [
        (H, "川口台市第2期基本計画"),
        (H, "政策1 活力ある産業のまち"),
        (
            P,
            "市内の事業所数は減少傾向にあり、後継者の確保と創業の支援が課題となっています。"
            "商工会や金融機関と連携し、創業から事業承継まで一貫した支援を行います。中心市街地"
            "では空き店舗を活用した新たな出店を促し、にぎわいの回復を図ります。",
        ),
        (
            P,
            "農業では担い手の高齢化が進んでいるため、新規就農者の受入れ体制を整えるとともに、"
            "農地の集約化とスマート農業の導入を支援します。地元産品のブランド化を進め、販路の"
            "拡大に取り組みます。",
        ),
        (
            P,
            "観光では、自然や歴史資源を生かした体験型の観光を充実させ、滞在時間の延長と消費の"
            "拡大につなげます。",
        ),
        (H, "1-1 商工業の振興"),
        (
            T,
            (
                ("指標名", "基準値", "目標値"),
                ("創業支援件数", "24件(R3)", "40件(R9)"),
                ("空き店舗数", "31店舗(R3)", "20店舗(R9)"),
            ),
        ),
        (H, "1-2 農業の振興"),
        (T, (("指標名", "基準値", "目標値"), ("新規就農者数", "5人(R3)", "10人(R9)"))),
    ]


def test_pdf_vertical_writing_is_read_in_order_and_a_two_row_header_is_folded():
    blocks, report = blocks_of("pdf/higashiyama.pdf")
    assert blocks[0].text == "東山村総合計画基本計画編"
    assert "page 1: vertical writing (縦書き) read top to bottom, right to left" in [
        issue.message for issue in report.of_kind("warning")
    ]
    assert tables(blocks)[0] == (
        ("指標名", "単位", "現状値 令和4年度", "目標値 令和10年度"),
        ("自主防災組織の組織率", "%", "62.0", "80.0"),
        ("防災訓練の参加者数", "人", "1,150", "1,500"),
    )
    assert headings(blocks) == [("1-1 防災体制の強化", 1), ("1-2 交通安全の推進", 1)]
    assert "東山村総合計画" not in texts(blocks)  # the running header of a one-page document


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("bad/scanned.pdf", "1 page(s) of images without a text layer (a scan): run OCR on it"),
        ("bad/encrypted.pdf", "an encrypted PDF: save or export a copy without a password"),
        ("bad/corrupt.docx", "a damaged Word file (XMLSyntaxError"),
        ("bad/bomb.xlsx", "parts that unpack to 1,024 MB (a ZIP bomb?); nothing was read"),
    ],
)
def test_bad_documents_get_a_clear_message(name, found):
    with pytest.raises(ParseError) as error:
        blocks_of(name)
    assert str(error.value).startswith(f"{Path(name).name}: expected ")
    assert found in str(error.value)


def test_a_pdf_over_the_page_limit_is_refused_before_it_is_read():
    path = DOCUMENTS / "pdf" / "nishihama.pdf"
    with pytest.raises(ParseError) as error:
        document_blocks(path.read_bytes(), "big.pdf", Report(), limits=Limits(max_pages=1))
    assert str(error.value) == "big.pdf: expected a document of at most 1 pages; found '2 pages'"


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ParseError) as error:
        document_blocks(b"%PDF-1.4\n" + bytes(3 * 1024 * 1024), "big.pdf", Report(),
                        limits=Limits(max_bytes=2 * 1024 * 1024))  # fmt: skip
    assert str(error.value) == "big.pdf: expected a file of at most 2 MB; found '3.0 MB'"


# --- HTML --------------------------------------------------------------------------------------


def test_html_page_chrome_is_dropped_and_spanned_cells_are_repeated():
    blocks, _ = blocks_of("html/nishihama.html")
    text = all_text(blocks)
    chrome = ["公式ホームページ", "文字サイズ", "くらし", "アンケート", "Copyright", "dataLayer"]
    for word in [*chrome, "本文へスキップ"]:
        assert word not in text
    assert headings(blocks) == [
        ("第3次西浜町総合計画後期基本計画", 1),
        *NISHIHAMA_HEADINGS,
        ("用語解説", 2),
    ]
    # the two header rows (数値 over two columns) folded into one
    assert tables(blocks) == [
        *NISHIHAMA_TABLES,
        (("子育て支援センター", "子育て中の親子が交流し、相談できる施設"),),
    ]


def test_html_in_shift_jis_declared_by_http_equiv_is_read():
    blocks, report = blocks_of("html/kawaguchi_sjis.html")
    assert not [i for i in report.issues if "no character set declared" in i.message]
    assert "- ②空き店舗改修費の補助(令和5年度〜)" in texts(blocks)
    assert headings(blocks)[:2] == [("川口台市第2期基本計画", 1), ("政策1 活力ある産業のまち", 2)]
    assert "川口台市役所" not in all_text(blocks)


def test_html_in_shift_jis_declared_by_meta_charset_is_read():
    blocks, report = blocks_of("bad/meta_shift_jis.html")
    # read in the declared character set, not guessed
    assert not [i for i in report.issues if "no character set declared" in i.message]
    assert content(blocks) == [
        (H, "施策1 髙齢者の見守り"),
        (P, "見守り活動を令和5年度〜令和9年度に拡充します。"),
    ]


def test_html_lists_and_source_line_breaks_between_japanese_characters():
    blocks, _ = blocks_of("html/higashiyama.html")
    assert texts(blocks)[:6] == [
        "東山村総合計画基本計画",
        "1-1 防災体制の強化",
        "自主防災組織の結成を促し、地域の防災力を高めます。",
        "主な取組",
        "- 自主防災組織の結成支援",
        "- 防災資機材の整備",
    ]
    assert "- 危険箇所の改善" in texts(blocks)


# --- Word --------------------------------------------------------------------------------------


def test_docx_heading_styles_and_tables():
    blocks, _ = blocks_of("docx/nishihama.docx")
    assert headings(blocks) == [(text, depth - 1) for text, depth in NISHIHAMA_HEADINGS]
    assert tables(blocks) == NISHIHAMA_TABLES
    assert "第3次西浜町総合計画後期基本計画" in texts(blocks)  # the Title style, as a paragraph
    assert texts(blocks).count("第3次西浜町総合計画後期基本計画") == 1  # not the page header


def test_docx_automatic_numbering_is_written_out_and_merged_cells_repeated():
    blocks, _ = blocks_of("docx/kawaguchi.docx")
    assert headings(blocks) == [
        ("第1章活力ある産業のまち", 1),
        ("1-1 商工業の振興", 2),
        ("1-2 農業の振興", 2),
    ]
    assert "- ① 創業塾の開催" in texts(blocks)  # list items, as <li> in HTML
    assert "- ② 空き店舗改修費の補助" in texts(blocks)
    # 数値目標 merged over two columns gives way to the labels under it
    assert tables(blocks)[0] == (
        ("指標名", "基準値", "目標値"),
        ("創業支援件数", "24件(R3)", "40件(R9)"),
    )


def test_docx_outline_levels_make_headings_and_vertical_merges_repeat():
    blocks, _ = blocks_of("docx/higashiyama.docx")
    assert headings(blocks) == [("1-1 防災体制の強化", 1), ("1-2 交通安全の推進", 1)]
    assert tables(blocks)[0] == (
        ("施策", "指標名", "現状値(令和4年度)", "目標値(令和10年度)"),
        ("1-1", "自主防災組織の組織率", "62.0%", "80.0%"),
        ("1-1", "防災訓練の参加者数", "1,150人", "1,500人"),  # the merged cell, repeated
        ("1-2", "交通事故の発生件数", "46件", "30件以下"),
    )


# --- Excel and CSV -----------------------------------------------------------------------------


def test_xlsx_cells_read_as_excel_shows_them_with_the_caption_above_the_table():
    blocks, _ = blocks_of("xlsx/nishihama.xlsx")
    assert content(blocks) == [
        (P, "第3次西浜町総合計画後期基本計画成果指標一覧"),
        (
            T,
            (
                (
                    "施策番号",
                    "施策名",
                    "成果指標",
                    "単位",
                    "現状値(令和3年度)",
                    "目標値(令和9年度)",
                ),
                (
                    "1-1",
                    "子育て支援の充実",
                    "子育て支援センターの利用者数",
                    "人",
                    "12,480",
                    "15,000",
                ),
                ("1-1", "子育て支援の充実", "待機児童数", "人", "8", "0"),
                ("1-2", "学校教育の推進", "授業がわかると答えた児童の割合", "%", "78.5%", "85.0%"),
                ("2-1", "健康づくりの推進", "特定健康診査の受診率", "%", "41.2%", "60.0%"),
            ),
        ),
    ]


def test_xlsx_merged_cells_units_in_number_formats_and_hidden_sheets():
    blocks, report = blocks_of("xlsx/kawaguchi.xlsx")
    assert tables(blocks) == [
        (
            ("政策", "指標名", "基準値 令和3年度", "目標値 令和7年度", "目標値 令和9年度"),
            ("1 活力ある産業のまち", "創業支援件数", "24件", "32件", "40件"),
            ("1 活力ある産業のまち", "空き店舗数", "31店舗", "25店舗", "20店舗"),
            ("2 にぎわいと交流のまち", "観光入込客数", "412,000人", "450,000人", "500,000人"),
        )
    ]
    assert "hidden sheet '作業用' not read" in [i.message for i in report.of_kind("warning")]
    assert "担当者メモ" not in all_text(blocks)


def test_xlsx_each_sheet_its_caption_and_table():
    blocks, _ = blocks_of("xlsx/higashiyama.xlsx")
    assert [b.text for b in blocks if b.kind == P] == [
        "基本目標1 安全・安心な村づくり",
        "基本目標2 豊かな自然と共生する村づくり",
    ]
    assert tables(blocks)[1] == (
        ("施策", "指標名", "単位", "現状値(令和4年度)", "目標値(令和10年度)"),
        ("2-1 ごみの減量化", "ごみの排出量(一人一日あたり)", "g", "812", "750"),
    )


@pytest.mark.parametrize("name", ["csv/nishihama_cp932.csv", "csv/nishihama_utf8bom.csv"])
def test_csv_in_cp932_and_in_utf8_with_bom_give_the_same_table(name):
    blocks, _ = blocks_of(name)
    assert tables(blocks) == [
        (
            ("施策", "成果指標", "単位", "現状値(令和3年度)", "目標値(令和9年度)"),
            ("1-1 子育て支援の充実", "子育て支援センターの利用者数", "人", "12,480", "15,000"),
            ("1-1 子育て支援の充実", "待機児童数", "人", "8", "0"),
            ("1-2 学校教育の推進", "授業がわかると答えた児童の割合", "%", "78.5", "85.0"),
            ("2-1 健康づくりの推進", "市民一人あたりの医療費", "千円", "385", "380以下"),
        )
    ]


# --- no running header, footer or page number anywhere -----------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        f"{folder}/{path.name}"
        for folder in ("pdf", "html", "docx", "xlsx", "csv")
        for path in sorted((DOCUMENTS / folder).iterdir())
    ],  # fmt: skip
)
def test_no_running_header_footer_or_page_number_in_any_block(name):
    blocks, _ = blocks_of(name)
    for block in blocks:
        for text in [block.text, *(cell for row in block.rows for cell in row)]:
            assert text not in RUNNING
            assert not text.startswith("- ") or not text[2:].rstrip(" -").isdigit()


# --- breaks: space between paragraphs, as blank lines in a text file -----------------------------


def test_html_breaks_after_spaced_elements_but_not_between_lines_split_by_br():
    page = (
        "<html><body><p>一行目<br>\n二行目</p><p>次の段落</p>"
        "<div>区切りのない行</div></body></html>"
    )
    blocks = document_blocks(page.encode(), "page.html", Report())
    assert [(b.text, b.line) for b in blocks] == [
        ("一行目", 1),
        ("二行目", 2),
        ("", 2),
        ("次の段落", 2),
        ("", 2),
        ("区切りのない行", 2),
    ]


def test_pdf_breaks_between_paragraphs_and_columns_not_inside_a_wrapped_paragraph():
    blocks, _ = blocks_of("pdf/kawaguchi.pdf")
    texts_with_breaks = [b.text[:8] for b in blocks if b.kind == P]
    # after each heading, between the columns, between the paragraphs of the right column
    assert texts_with_breaks[:7] == [
        "",
        "",
        "市内の事業所数は",
        "",
        "農業では担い手の",
        "",
        "観光では、自然や",
    ]


def test_docx_items_of_one_list_follow_each_other_without_a_break():
    blocks, _ = blocks_of("docx/kawaguchi.docx")
    paragraphs = [b.text for b in blocks if b.kind == P]
    assert paragraphs[:5] == [
        "",
        "",
        "創業から事業承継まで一貫した支援を行います。",
        "",
        "- ① 創業塾の開催",
    ]
    assert paragraphs[5] == "- ② 空き店舗改修費の補助"


# --- the samples as web pages and as PDFs --------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[2] / "importers" / "samples"


def _without_positions(value):
    """The outline without source names and line numbers, which differ between formats."""
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("source", "line")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


@pytest.mark.parametrize(
    "name",
    [
        f"{stem}.{kind}"
        for kind in ("html", "pdf")
        for stem in ("omitama_outline", "omitama_goal1", "kiyose", "honjo", "tomakomai")
    ],
)
def test_a_sample_as_a_web_page_or_a_pdf_gives_the_outline_of_its_text(name):
    """make_documents.py renders each sample text (lines between blank lines a paragraph, tab
    lines a table); read back, the page must give the text's outline: nodes, KPIs, sections,
    cross-references and glossary alike."""
    from importers.outline import outline_dict

    stem = name.rsplit(".", 1)[0]
    text = parse_file((SAMPLES / f"{stem}.txt").read_bytes(), f"{stem}.txt")
    document = parse_file((DOCUMENTS / "samples" / name).read_bytes(), name)
    expected = _without_positions(outline_dict(text))
    assert _without_positions(outline_dict(document)) == expected
    assert expected["nodes"]  # the comparison is not between two empty outlines


def test_html_rowspan_and_colspan_are_expanded_cell_by_cell():
    from lxml import html as lxml_html

    from importers.parsing.formats.html import table_rows

    table = lxml_html.fragment_fromstring(
        "<table><tr><th rowspan=2>区分</th><th colspan=2>目標</th></tr>"
        "<tr><td>令和5年度</td><td>令和9年度</td></tr>"
        "<tr><td rowspan=2>防災</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr>"
        "<tr><td></td><td></td><td></td></tr></table>"
    )
    assert table_rows(table) == (
        ("区分", "目標", "目標"),
        ("区分", "令和5年度", "令和9年度"),
        ("防災", "1", "2"),
        ("防災", "3", "4"),
    )


@pytest.mark.parametrize(
    ("rows", "folded"),
    [
        (  # a label spanning two rows, a group label over two columns
            (("指標", "数値", "数値"), ("指標", "現状値", "目標値"), ("a", "1", "2")),
            (("指標", "現状値", "目標値"), ("a", "1", "2")),
        ),
        (  # years under their labels: both kept
            (("指標", "目標値", "目標値"), ("", "令和7年度", "令和9年度"), ("a", "1", "2")),
            (("指標", "目標値 令和7年度", "目標値 令和9年度"), ("a", "1", "2")),
        ),
        (  # a first data row with an empty first cell is data, not header
            (("指標", "現状値", "目標値"), ("", "12", "14"), ("a", "1", "2")),
            (("指標", "現状値", "目標値"), ("", "12", "14"), ("a", "1", "2")),
        ),
    ],
)
def test_a_header_split_over_two_rows_is_folded(rows, folded):
    from importers.parsing.formats.tables import fold_header_rows

    assert fold_header_rows(rows) == folded


def test_html_without_a_declared_character_set_is_read_as_shift_jis_when_not_utf8():
    page = "<html><body><p>髙齢者の見守り～</p></body></html>".encode("cp932")
    report = Report()
    blocks = document_blocks(page, "page.html", report)
    assert content(blocks) == [(P, "髙齢者の見守り〜")]
    assert [i.message for i in report.issues if "character set" in i.message] == [
        "no character set declared; the page was read as Shift_JIS"
    ]
