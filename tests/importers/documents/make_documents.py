"""Make the test documents under tests/importers/documents/ (run by hand; the output is committed).

    .venv/bin/python tests/importers/documents/make_documents.py

The plans are written here in the styles of real municipal plans (invented cities and
figures). PDFs are printed by headless Chromium from HTML whose page margins carry a running
header and page numbers (CSS margin boxes, as a word processor prints them); Word files are
written with python-docx, workbooks with openpyxl. Each sample plan of importers/samples/ is
rendered to HTML and to PDF too. The expected outlines in test_documents.py are written by
hand from the texts below, not from what the importer makes of these files.
"""

from __future__ import annotations

import hashlib
import html
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[2] / "importers" / "samples"
CHROMIUM = "/usr/bin/chromium"

PRINT_CSS = """
@page { size: A4; margin: 24mm 18mm 22mm;
  @top-right { content: "%(header)s"; font-size: 8pt; color: #444; }
  @bottom-center { content: "- " counter(page) " -"; font-size: 9pt; } }
body { font-family: 'Noto Sans CJK JP', sans-serif; font-size: 10.5pt; line-height: 1.6; }
h1 { font-size: 20pt; } h2 { font-size: 16pt; } h3 { font-size: 13pt; }
table { border-collapse: collapse; margin: 6pt 0; }
td, th { border: 0.75pt solid #000; padding: 2pt 5pt; vertical-align: top; }
table.plain td, table.plain th { border: none; padding: 1pt 18pt 1pt 0; }
.cols { column-count: 2; column-gap: 12mm; text-align: justify; }
.tate { writing-mode: vertical-rl; height: 120mm; font-size: 18pt; margin: 0 auto 10mm; }
"""


def page(title: str, body: str, header: str, charset: str = "utf-8") -> str:
    css = PRINT_CSS % {"header": header}
    return (
        f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="{charset}">'
        f"<title>{title}</title><style>{css}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def print_pdf(markup: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(markup, encoding="utf-8")
        subprocess.run(  # noqa: S603 - a fixed local program
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-pdf-header-footer", f"--print-to-pdf={out}", source.as_uri(),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip


# --- the plans (one text each, used by several formats) --------------------------------------

NISHIHAMA_BODY = """
<h1>第3次西浜町総合計画 後期基本計画</h1>
<p>計画期間：令和5年度～令和9年度</p>
<h2>基本目標1 安心して子どもを産み育てられるまち</h2>
<p>子育て世代が安心して暮らせるよう、妊娠期から子育て期まで切れ目のない支援を行います。地域全体で子どもの成長を見守る体制をつくり、保護者の不安や負担の軽減を図ります。また、放課後の居場所づくりを進め、共働き世帯が働きながら子育てできる環境を整えます。</p>
<h3>施策1-1 子育て支援の充実</h3>
<p>子育て支援センターの相談体制を強化し、保護者同士の交流の場を広げます。※1</p>
<table>
<tr><th>成果指標</th><th>単位</th><th>現状値（令和3年度）</th><th>目標値（令和9年度）</th></tr>
<tr><td>子育て支援センターの利用者数</td><td>人</td><td>12,480</td><td>15,000</td></tr>
<tr><td>待機児童数</td><td>人</td><td>8</td><td>0</td></tr>
</table>
<h3>施策1-2 学校教育の推進</h3>
<p>一人ひとりに応じたきめ細かな指導を行い、確かな学力を育みます。</p>
<table>
<tr><th>成果指標</th><th>単位</th><th>現状値（令和3年度）</th><th>目標値（令和9年度）</th></tr>
<tr><td>授業がわかると答えた児童の割合</td><td>%</td><td>78.5</td><td>85.0</td></tr>
</table>
<h2>基本目標2 健康でいきいきと暮らせるまち</h2>
<h3>施策2-1 健康づくりの推進</h3>
<p>特定健康診査の受診を促し、生活習慣病の予防に取り組みます。</p>
<table>
<tr><th>成果指標</th><th>単位</th><th>現状値（令和3年度）</th><th>目標値（令和9年度）</th></tr>
<tr><td>特定健康診査の受診率</td><td>%</td><td>41.2</td><td>60.0</td></tr>
<tr><td>市民一人あたりの医療費</td><td>千円</td><td>385</td><td>380以下</td></tr>
</table>
<p>※1 子育て支援センター：子育て中の親子が交流し、相談できる施設</p>
"""


def nishihama_pdf(out: Path) -> None:
    """Headings, ruled KPI tables, a running header and page numbers, a footnote mark; the
    long introduction wraps over several lines; the plan runs over two pages."""
    filler = "".join(
        f"<p>第{n}節の本文です。地域の課題を整理し、町民と行政が協働して取り組む方向性を示します。"
        "各施策の進捗は毎年度検証し、必要に応じて見直しを行います。</p>"
        for n in range(1, 7)
    )
    body = NISHIHAMA_BODY.replace("<h2>基本目標2", filler + "<h2>基本目標2")
    # what PDF text layers do: the glyph of 目 and 民 mapped to radical code points
    body = body.replace("基本目標2", "基本\u2f6c標2").replace("市民一人", "市\u2ea0一人")
    print_pdf(page("西浜町", body, "第3次西浜町総合計画 後期基本計画"), out)


KAWAGUCHI_BODY = """
<h1>川口台市 第2期基本計画</h1>
<h2>政策1 活力ある産業のまち</h2>
<div class="cols">
<p>市内の事業所数は減少傾向にあり、後継者の確保と創業の支援が課題となっています。商工会や金融機関と連携し、創業から事業承継まで一貫した支援を行います。中心市街地では空き店舗を活用した新たな出店を促し、にぎわいの回復を図ります。</p>
<p>農業では担い手の高齢化が進んでいるため、新規就農者の受入れ体制を整えるとともに、農地の集約化とスマート農業の導入を支援します。地元産品のブランド化を進め、販路の拡大に取り組みます。</p>
<p>観光では、自然や歴史資源を生かした体験型の観光を充実させ、滞在時間の延長と消費の拡大につなげます。</p>
</div>
<h3>1-1 商工業の振興</h3>
<table class="plain">
<tr><th>指標名</th><th>基準値</th><th>目標値</th></tr>
<tr><td>創業支援件数</td><td>24件（R3）</td><td>40件（R9）</td></tr>
<tr><td>空き店舗数</td><td>31店舗（R3）</td><td>20店舗（R9）</td></tr>
</table>
<h3>1-2 農業の振興</h3>
<table class="plain">
<tr><th>指標名</th><th>基準値</th><th>目標値</th></tr>
<tr><td>新規就農者数</td><td>5人（R3）</td><td>10人（R9）</td></tr>
</table>
"""


def kawaguchi_pdf(out: Path) -> None:
    """A two-column page of running text, then KPI tables without rules."""
    print_pdf(page("川口台市", KAWAGUCHI_BODY, "第2期基本計画（川口台市）"), out)


HIGASHIYAMA_BODY = """
<div class="tate">東山村総合計画　基本計画編</div>
<h2>1-1 防災体制の強化</h2>
<p>自主防災組織の結成を促し、地域の防災力を高めます。</p>
<table>
<tr><th rowspan="2">指標名</th><th rowspan="2">単位</th><th>現状値</th><th>目標値</th></tr>
<tr><th>令和4年度</th><th>令和10年度</th></tr>
<tr><td>自主防災組織の組織率</td><td>%</td><td>62.0</td><td>80.0</td></tr>
<tr><td>防災訓練の参加者数</td><td>人</td><td>1,150</td><td>1,500</td></tr>
</table>
<h2>1-2 交通安全の推進</h2>
<p>通学路の安全点検を行い、危険箇所の改善を進めます。</p>
<table>
<tr><th rowspan="2">指標名</th><th rowspan="2">単位</th><th>現状値</th><th>目標値</th></tr>
<tr><th>令和4年度</th><th>令和10年度</th></tr>
<tr><td>交通事故の発生件数</td><td>件</td><td>46</td><td>30以下</td></tr>
</table>
"""


def higashiyama_pdf(out: Path) -> None:
    """A cover title in vertical writing (縦書き), tables with a two-row header (rowspan)."""
    print_pdf(page("東山村", HIGASHIYAMA_BODY, "東山村総合計画"), out)


# --- HTML ------------------------------------------------------------------------------------

SITE_CHROME = """
<header id="site"><p>西浜町公式ホームページ</p><p>文字サイズ 標準 拡大</p></header>
<nav><ul><li>ホーム</li><li>くらし</li><li>町政情報</li></ul></nav>
<p class="breadcrumbs-skip"><a href="#main">本文へスキップ</a></p>
"""
SITE_FOOTER = """
<aside><h2>このページに関するアンケート</h2><p>役に立ちましたか</p></aside>
<footer><p>〒000-0000 西浜町役場 電話 0000-00-0000</p><p>Copyright © 西浜町</p></footer>
<script>window.dataLayer = [];</script>
"""


def nishihama_html(out: Path) -> None:
    """A saved municipal page: site header, navigation, aside, footer and script around the
    plan; tables with colspan/rowspan; a definition list of terms."""
    main = NISHIHAMA_BODY.replace(
        "<tr><th>成果指標</th><th>単位</th><th>現状値（令和3年度）</th><th>目標値（令和9年度）</th></tr>",
        '<tr><th rowspan="2">成果指標</th><th rowspan="2">単位</th><th colspan="2">数値</th></tr>'
        "<tr><th>現状値（令和3年度）</th><th>目標値（令和9年度）</th></tr>",
    )
    main = main.replace(
        "<p>※1 子育て支援センター：子育て中の親子が交流し、相談できる施設</p>",
        "<h2>用語解説</h2><dl><dt>子育て支援センター</dt><dd>子育て中の親子が交流し、"
        "相談できる施設</dd></dl>",
    )
    markup = (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>後期基本計画 - 西浜町'
        f'</title></head>\n<body>{SITE_CHROME}<main id="main">\n{main}</main>{SITE_FOOTER}'
        "</body></html>\n"
    )
    out.write_text(markup, encoding="utf-8")


def kawaguchi_sjis_html(out: Path) -> None:
    """An older CMS page in Shift_JIS declared by a meta http-equiv tag, with ①-numbered
    items and a wave dash (Windows-31J characters)."""
    body = KAWAGUCHI_BODY.replace('<div class="cols">', "<div>").replace(
        "<h3>1-2 農業の振興</h3>",
        "<ul><li>①創業塾の開催</li><li>②空き店舗改修費の補助（令和5年度～）</li></ul>"
        "<h3>1-2 農業の振興</h3>",
    )
    markup = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html lang="ja"><head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">\n'
        "<title>第2期基本計画｜川口台市</title></head>\n<body>\n"
        '<div id="tmp_header"><nav><a href="/">川口台市</a></nav></div>\n'
        f"{body}\n<footer>川口台市役所</footer>\n</body></html>\n"
    )
    out.write_bytes(markup.encode("cp932"))


def higashiyama_html(out: Path) -> None:
    """A page whose KPIs are ordered lists and inline statements (現状値 → 目標値)."""
    markup = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="UTF-8"><title>東山村 基本計画</title></head>
<body><div id="contents">
<h1>東山村総合計画 基本計画</h1>
<h2>1-1 防災体制の強化</h2>
<p>自主防災組織の結成を促し、
地域の防災力を高めます。</p>
<h3>主な取組</h3>
<ol><li>自主防災組織の結成支援</li><li>防災資機材の整備</li></ol>
<h3>成果指標</h3>
<table>
<thead><tr><th>指標名</th><th>単位</th><th>現状値（令和4年度）</th><th>目標値（令和10年度）</th></tr></thead>
<tbody>
<tr><td>自主防災組織の組織率</td><td>%</td><td>62.0</td><td>80.0</td></tr>
<tr><td>防災訓練の参加者数</td><td>人</td><td>1,150</td><td>1,500</td></tr>
</tbody></table>
<h2>1-2 交通安全の推進</h2>
<ul><li>通学路の安全点検</li><li>危険箇所の改善</li></ul>
<table>
<tr><th>指標名</th><th>単位</th><th>現状値（令和4年度）</th><th>目標値（令和10年度）</th></tr>
<tr><td>交通事故の発生件数</td><td>件</td><td>46</td><td>30以下</td></tr>
</table>
</div></body></html>
"""
    out.write_text(markup, encoding="utf-8")


# --- Word ------------------------------------------------------------------------------------

KPI_HEADER = ("成果指標", "単位", "現状値（令和3年度）", "目標値（令和9年度）")


def _kpi_table(document, rows) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, KPI_HEADER, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def nishihama_docx(out: Path) -> None:
    """Heading styles (見出し 1/2), paragraphs and KPI tables; a page header (not body text)."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "第3次西浜町総合計画 後期基本計画"
    document.add_paragraph("第3次西浜町総合計画 後期基本計画", style="Title")
    document.add_heading("基本目標1 安心して子どもを産み育てられるまち", level=1)
    document.add_paragraph("子育て世代が安心して暮らせるよう、切れ目のない支援を行います。")
    document.add_heading("施策1-1 子育て支援の充実", level=2)
    document.add_paragraph("子育て支援センターの相談体制を強化します。")
    _kpi_table(document, [("子育て支援センターの利用者数", "人", "12,480", "15,000"),
                          ("待機児童数", "人", "8", "0")])  # fmt: skip
    document.add_heading("施策1-2 学校教育の推進", level=2)
    _kpi_table(document, [("授業がわかると答えた児童の割合", "%", "78.5", "85.0")])
    document.add_heading("基本目標2 健康でいきいきと暮らせるまち", level=1)
    document.add_heading("施策2-1 健康づくりの推進", level=2)
    _kpi_table(document, [("特定健康診査の受診率", "%", "41.2", "60.0"),
                          ("市民一人あたりの医療費", "千円", "385", "380以下")])  # fmt: skip
    document.save(out)


_NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="第%1章"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1-%2"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/>'
    '<w:lvlText w:val="%3"/></w:lvl>'
    "</w:abstractNum>"
)


def kawaguchi_docx(out: Path) -> None:
    """Headings numbered by Word's automatic multilevel numbering (第1章, 1-1, ①): the numbers
    are not in the text; a table with a merged header cell."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def numbered(text: str, level: int, style: str) -> None:
        paragraph = document.add_paragraph(text, style=style)
        ppr = paragraph._p.get_or_add_pPr()  # noqa: SLF001
        ppr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            )
        )

    numbered("活力ある産業のまち", 0, "Heading 1")
    numbered("商工業の振興", 1, "Heading 2")
    document.add_paragraph("創業から事業承継まで一貫した支援を行います。")
    numbered("創業塾の開催", 2, "Normal")
    numbered("空き店舗改修費の補助", 2, "Normal")
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = "指標名"
    merged = header[1].merge(header[2])
    merged.text = "数値目標"
    for cells, texts in zip(
        (table.rows[1].cells, table.rows[2].cells),
        (("", "基準値", "目標値"), ("創業支援件数", "24件（R3）", "40件（R9）")),
        strict=True,
    ):
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
    numbered("農業の振興", 1, "Heading 2")
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for cells, texts in zip(
        table.rows,
        (("指標名", "基準値", "目標値"), ("新規就農者数", "5人（R3）", "10人（R9）")),
        strict=True,
    ):
        for cell, text in zip(cells.cells, texts, strict=True):
            cell.text = text
    document.save(out)


def higashiyama_docx(out: Path) -> None:
    """Headings made by outline levels on a custom style (no Heading style), bold body text
    that is not a heading, and a KPI table whose code column (one cell merged over two rows)
    places its KPIs under two headings, one of them further down."""
    document = docx.Document()
    styles = document.styles
    section_style = styles.add_style("施策見出し", 1)
    section_style.font.size = Pt(14)
    section_style.element.get_or_add_pPr().append(
        parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>')
    )
    document.add_paragraph("1-1 防災体制の強化", style="施策見出し")
    intro = document.add_paragraph()
    intro.add_run("自主防災組織の結成を促し、地域の防災力を高めます。").bold = True
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    rows = (
        ("施策", "指標名", "現状値（令和4年度）", "目標値（令和10年度）"),
        ("1-1", "自主防災組織の組織率", "62.0%", "80.0%"),
        ("", "防災訓練の参加者数", "1,150人", "1,500人"),
        ("1-2", "交通事故の発生件数", "46件", "30件以下"),
    )
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            if text:
                cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    document.add_paragraph("1-2 交通安全の推進", style="施策見出し")
    document.add_paragraph("通学路の安全点検を行います。\t（担当：総務課）")
    document.save(out)


# --- Excel and CSV ---------------------------------------------------------------------------


def nishihama_xlsx(out: Path) -> None:
    """A flat KPI list: a code column places each KPI (1-1 → 施策1-1); percentages as numbers
    with a percent format; a title row above the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成果指標一覧"
    sheet["A1"] = "第3次西浜町総合計画 後期基本計画 成果指標一覧"
    sheet.append([])
    sheet.append(
        ["施策番号", "施策名", "成果指標", "単位", "現状値（令和3年度）", "目標値（令和9年度）"]
    )
    rows = [
        ("1-1", "子育て支援の充実", "子育て支援センターの利用者数", "人", 12480, 15000, "#,##0"),
        ("1-1", "子育て支援の充実", "待機児童数", "人", 8, 0, "0"),
        ("1-2", "学校教育の推進", "授業がわかると答えた児童の割合", "%", 0.785, 0.85, "0.0%"),
        ("2-1", "健康づくりの推進", "特定健康診査の受診率", "%", 0.412, 0.6, "0.0%"),
    ]
    for code, policy, name, unit, baseline, target, number_format in rows:
        sheet.append([code, policy, name, unit, baseline, target])
        for cell in sheet[sheet.max_row][4:6]:
            cell.number_format = number_format
    book.save(out)


def kawaguchi_xlsx(out: Path) -> None:
    """A section column merged over its KPIs, a two-row header with a merged 目標値 cell, units
    in the number format (#,##0"件"), a hidden sheet of working notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KPI"
    sheet.append(["政策", "指標名", "基準値", "目標値", None])
    sheet.append([None, None, "令和3年度", "令和7年度", "令和9年度"])
    sheet.merge_cells("D1:E1")
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    data = [
        ("1 活力ある産業のまち", "創業支援件数", 24, 32, 40, '#,##0"件"'),
        (None, "空き店舗数", 31, 25, 20, '#,##0"店舗"'),
        ("2 にぎわいと交流のまち", "観光入込客数", 412000, 450000, 500000, '#,##0"人"'),
    ]
    for section, name, baseline, interim, target, number_format in data:
        sheet.append([section, name, baseline, interim, target])
        for cell in sheet[sheet.max_row][2:5]:
            cell.number_format = number_format
    sheet.merge_cells("A3:A4")
    sheet["A3"].alignment = Alignment(vertical="top")
    notes = book.create_sheet("作業用")
    notes["A1"] = "担当者メモ（読み込まない）"
    notes.sheet_state = "hidden"
    book.save(out)


def higashiyama_xlsx(out: Path) -> None:
    """Two sheets, one per 基本目標 named by a caption above its table; the table starts one
    column in from the edge; its 施策 column holds code and title in one cell; a target that is
    text (30以下)."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = "基本目標1"
    first["B2"] = "基本目標1 安全・安心な村づくり"
    first.append([])
    first.append([None, "施策", "指標名", "単位", "現状値（令和4年度）", "目標値（令和10年度）"])
    first.append([None, "1-1 防災体制の強化", "自主防災組織の組織率", "%", 62.0, 80.0])
    first.append([None, "1-2 交通安全の推進", "交通事故の発生件数", "件", 46, "30以下"])
    second = book.create_sheet("基本目標2")
    second["B2"] = "基本目標2 豊かな自然と共生する村づくり"
    second.append([])
    second.append([None, "施策", "指標名", "単位", "現状値（令和4年度）", "目標値（令和10年度）"])
    second.append([None, "2-1 ごみの減量化", "ごみの排出量（一人一日あたり）", "g", 812, 750])
    book.save(out)


def nishihama_csv(out: Path, encoding: str) -> None:
    """The KPI list as Excel saves CSV: cp932 (Japanese Excel's default) or UTF-8 with a BOM;
    the 施策 column holds code and title in one cell."""
    lines = [
        "施策,成果指標,単位,現状値（令和3年度）,目標値（令和9年度）",
        '1-1 子育て支援の充実,子育て支援センターの利用者数,人,"12,480","15,000"',
        "1-1 子育て支援の充実,待機児童数,人,8,0",
        "1-2 学校教育の推進,授業がわかると答えた児童の割合,%,78.5,85.0",
        "2-1 健康づくりの推進,市民一人あたりの医療費,千円,385,380以下",
    ]
    out.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def higashiyama_csv(out: Path) -> None:
    """A progress sheet saved as CSV in UTF-8 without a BOM (as LibreOffice and most systems
    write it): a title line and a blank line above the header, a code column apart from the
    施策名 column, yearly actual columns between the baseline (当初値) and the target."""
    lines = [
        "東山村総合計画 成果指標の進捗状況（令和6年度末）,,,,,,,",
        ",,,,,,,",
        "施策番号,施策名,指標名,単位,当初値（令和4年度）,令和5年度実績,令和6年度実績,"
        "目標値（令和10年度）",
        "1-1,防災体制の強化,自主防災組織の組織率,%,62.0,66.5,70.1,80.0",
        '1-1,防災体制の強化,防災訓練の参加者数,人,"1,150","1,210","1,302","1,500"',
        "1-2,交通安全の推進,交通事故の発生件数,件,46,41,38,30以下",
        "2-1,ごみの減量化,ごみの排出量（一人一日あたり）,g,812,798,786,750",
    ]
    out.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


# --- bad documents ---------------------------------------------------------------------------


def scanned_pdf(out: Path) -> None:
    """A page that is only an image (a scan): no text layer."""
    width, height = 200, 60
    raw_rows = b"".join(
        b"\x00" + bytes(255 if (x // 10 + y // 10) % 2 else 0 for x in range(width))
        for y in range(height)
    )
    png = _png(width, height, raw_rows)
    markup = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm}'
        'img{width:170mm}</style></head><body><img src="data:image/png;base64,'
        + __import__("base64").b64encode(png).decode()
        + '"></body></html>'
    )
    print_pdf(markup, out)


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def encrypted_pdf(out: Path) -> None:
    """A one-page PDF encrypted with the standard security handler (RC4, 40-bit, revision 2)
    and the user password "secret", written by hand (no library writes one without extra
    dependencies)."""
    file_id = hashlib.md5(b"encrypted-test", usedforsecurity=False).digest()
    padding = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    owner_key = hashlib.md5((b"owner" + padding)[:32], usedforsecurity=False).digest()[:5]
    o_value = _rc4(owner_key, (b"secret" + padding)[:32])
    permissions = -4
    digest = hashlib.md5(
        (b"secret" + padding)[:32] + o_value + struct.pack("<i", permissions) + file_id,
        usedforsecurity=False,
    ).digest()
    key = digest[:5]
    u_value = _rc4(key, padding)

    def encrypt(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(
            key + struct.pack("<I", number)[:3] + b"\x00\x00", usedforsecurity=False
        ).digest()[:10]  # noqa: E501
        return _rc4(object_key, data)

    content = encrypt(4, b"BT /F1 24 Tf 72 720 Td (Secret plan) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_value.hex().encode()
        + b"> /U <"
        + u_value.hex().encode()
        + b"> /P %d >>" % permissions,
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n"
        b"startxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref)
    )
    out.write_bytes(bytes(pdf))


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def corrupt_docx(out: Path, good: Path) -> None:
    """A .docx whose document part is cut off in the middle (a broken download)."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)


def zip_bomb_xlsx(out: Path, good: Path) -> None:
    """A .xlsx whose sheet part unpacks to 1 GB of zeros from about 1 MB (a ZIP bomb). The
    compressed stream is built once per 16 MB block so that writing it stays cheap."""
    with zipfile.ZipFile(good) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\x00" * (16 * 1024 * 1024)
            for _ in range(64):
                sheet.write(block)


def sjis_page(out: Path) -> None:
    """Not bad, but a trap: Shift_JIS declared only by <meta charset>, with 髙 and ～."""
    markup = (
        '<!DOCTYPE html>\n<html><head><meta charset="Shift_JIS"><title>計画</title></head>\n'
        "<body><h2>施策1 髙齢者の見守り</h2><p>見守り活動を令和5年度～令和9年度に拡充します。</p>"
        "</body></html>\n"
    )
    out.write_bytes(markup.encode("cp932"))


# --- the samples as PDF and HTML -------------------------------------------------------------

_FRAGMENT = re.compile(r"</?(p|ul|li|br)\b[^>]*>", re.IGNORECASE)


def sample_html(text: str, title: str) -> str:
    """A sample text file as a web page, as the extraction it came from was laid out: lines
    between blank lines are one paragraph whose lines are split by ``<br>`` (paragraphs are
    set apart by space, lines are not); tab-separated lines are rows of a table; the HTML
    fragments the extraction left in a line are kept as markup."""
    parts: list[str] = []
    lines: list[str] = []
    table: list[str] = []

    def close_lines() -> None:
        if lines:
            parts.append("<p>" + "<br>\n".join(lines) + "</p>")
            lines.clear()

    def close_table() -> None:
        if table:
            parts.append("<table>" + "\n".join(table) + "</table>")
            table.clear()

    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 1:
            close_lines()
            table.append("<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in cells) + "</tr>")
            continue
        close_table()
        if not line.strip():
            close_lines()
        elif _FRAGMENT.search(line):
            close_lines()
            parts.append(f"<div>{line}</div>")
        else:
            lines.append(html.escape(line))
    close_lines()
    close_table()
    return page(title, "\n".join(parts), title)


def _cell(text: str) -> str:
    return text if _FRAGMENT.search(text) else html.escape(text)


def main(*only: str) -> None:
    """Make every document, or only those whose function names are given."""
    if only == ("samples",):
        samples()
        return
    if only:
        for name in only:
            globals()[name](
                HERE / name.split("_")[1] / f"{name.split('_')[0]}.{name.split('_')[1]}"
            )
        return
    for folder in ("pdf", "html", "docx", "xlsx", "csv", "bad", "samples"):
        (HERE / folder).mkdir(exist_ok=True)
    nishihama_pdf(HERE / "pdf" / "nishihama.pdf")
    kawaguchi_pdf(HERE / "pdf" / "kawaguchi.pdf")
    higashiyama_pdf(HERE / "pdf" / "higashiyama.pdf")
    nishihama_html(HERE / "html" / "nishihama.html")
    kawaguchi_sjis_html(HERE / "html" / "kawaguchi_sjis.html")
    higashiyama_html(HERE / "html" / "higashiyama.html")
    nishihama_docx(HERE / "docx" / "nishihama.docx")
    kawaguchi_docx(HERE / "docx" / "kawaguchi.docx")
    higashiyama_docx(HERE / "docx" / "higashiyama.docx")
    nishihama_xlsx(HERE / "xlsx" / "nishihama.xlsx")
    kawaguchi_xlsx(HERE / "xlsx" / "kawaguchi.xlsx")
    higashiyama_xlsx(HERE / "xlsx" / "higashiyama.xlsx")
    nishihama_csv(HERE / "csv" / "nishihama_cp932.csv", "cp932")
    nishihama_csv(HERE / "csv" / "nishihama_utf8bom.csv", "utf-8-sig")
    higashiyama_csv(HERE / "csv" / "higashiyama.csv")
    scanned_pdf(HERE / "bad" / "scanned.pdf")
    encrypted_pdf(HERE / "bad" / "encrypted.pdf")
    corrupt_docx(HERE / "bad" / "corrupt.docx", HERE / "docx" / "nishihama.docx")
    zip_bomb_xlsx(HERE / "bad" / "bomb.xlsx", HERE / "xlsx" / "nishihama.xlsx")
    sjis_page(HERE / "bad" / "meta_shift_jis.html")
    samples()


def samples() -> None:
    for sample in sorted(SAMPLES.glob("*.txt")):
        markup = sample_html(sample.read_text(encoding="utf-8"), sample.stem)
        (HERE / "samples" / f"{sample.stem}.html").write_text(markup, encoding="utf-8")
        print_pdf(markup, HERE / "samples" / f"{sample.stem}.pdf")


if __name__ == "__main__":
    main(*sys.argv[1:])
