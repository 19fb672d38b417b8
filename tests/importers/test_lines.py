"""lines: flattened pages split, split headings joined, lone codes attached, furniture skipped."""

from importers.parsing.lines import repair_lines, skip_photo_captions
from importers.parsing.model import Line, Report


def repaired(*texts: str) -> tuple[list[str], Report]:
    report = Report()
    lines = [Line(number, text) for number, text in enumerate(texts, start=1)]
    return [line.text for line in repair_lines(lines, "p.txt", report)], report


def test_split_flattened_page():
    texts, report = repaired(
        "第2章 健康・福祉 1 健康づくりの推進 現状と課題 予防が課題です。 成果指標 指標名 現状値(R4)"
        " 目標値(R9) 特定健診受診率 38.5% 60.0% がん検診受診者数 4,120人 5,000人"
    )
    assert texts == [
        "第2章 健康・福祉",
        "1 健康づくりの推進",
        "現状と課題",
        "予防が課題です。",
        "成果指標",
        "指標名\t現状値(R4)\t目標値(R9)",
        "特定健診受診率\t38.5%\t60.0%",
        "がん検診受診者数\t4,120人\t5,000人",
    ]
    assert report.of_kind("structure")[0].message.startswith("1行に詰まったページを")


def test_join_split_headings():
    texts, _ = repaired("基本目標", "1", "誰もが安心して暮らせる", "まちづくり", "", "本文です。")
    assert texts == ["基本目標 1 誰もが安心して暮らせるまちづくり", "", "本文です。"]


def test_attach_lone_codes_before_and_after():
    texts, _ = repaired("空き家対策の推進", "31201", "", "D5", "道路の長寿命化")
    assert texts == ["空き家対策の推進(31201)", "", "D5 道路の長寿命化"]


def test_page_numbers_glued_or_alone_and_boilerplate_are_skipped():
    texts, report = repaired(
        "あおば町総合計画", "- 14 -", "15施策 1-2 消防", "12", "あおば町総合計画"
    )
    assert texts == ["施策 1-2 消防"]
    skipped = [issue.line for issue in report.of_kind("skipped")]
    assert sorted(skipped) == [1, 2, 3, 4, 5]


def test_page_furniture_from_any_front_end_is_skipped_and_reported():
    """Blocks of a web page or a PDF still carry menus, survey links and addresses (a text file's
    were dropped when normalized): skipped, each with its reason and line."""
    from importers.parsing.lines import skip_page_furniture

    lines = [
        Line(1, "本文です。"),
        Line(2, "<この記事についてアンケートにご協力ください。>"),
        Line(3, "〒107-0052 東京都港区赤坂2丁目9番11号"),
        Line(4, "MENU"),
    ]
    report = Report()
    assert skip_page_furniture(lines, report, {"source": "p.html"}) == [Line(1, "本文です。")]
    assert [(i.line, i.message) for i in report.of_kind("skipped")] == [
        (2, "ウェブページの部品（アンケートへの案内）"),
        (3, "ウェブページの部品（住所）"),
        (4, "ウェブページの部品（サイトのメニュー）"),
    ]


def test_a_heading_or_code_printed_alone_takes_the_title_after_the_blank_lines():
    """``title_after_blank_lines``: 「施策 2」 / blank / title, and a code alone whose title is
    wrapped over short lines in its table cell, become one heading line each; a sentence after
    the blank line is no title."""
    texts, _ = repaired(
        "施策 2", "", "人にやさしいまち", "", "- 手話を広めます。", "",
        "2101", "", "", "地域で支える", "子育ての", "しくみ", "", "- ①相談を受けます。", "",
        "施策 3", "", "相談窓口を一つにまとめ、", "誰もが使えるようにします。",
    )  # fmt: skip
    assert texts == [
        "施策 2 人にやさしいまち", "", "- 手話を広めます。", "",
        "2101 地域で支える子育てのしくみ", "", "- ①相談を受けます。", "",
        "施策 3", "", "相談窓口を一つにまとめ、", "誰もが使えるようにします。",
    ]  # fmt: skip


def test_photo_captions_and_chart_sources_are_noise():
    """▲ 名称 under a photo and 出典: … under a chart (with the note right below it) are
    reported as noise; ▲ before a number is a minus sign."""
    texts = ["▲ 市民による植栽活動", "", "出典：総務省 通信利用動向調査",
             " * 類似団体は人口5万人以上の市", "", "▲229人", "出典(高齢者人口): 年齢別人口調べ",
             "", "出典を示します。"]  # fmt: skip
    lines = [Line(number, text) for number, text in enumerate(texts, start=1)]
    report = Report()
    kept = skip_photo_captions(lines, report, {"source": "plan.txt"})
    assert [line.number for line in kept] == [2, 5, 6, 8, 9]
    assert [issue.line for issue in report.of_kind("noise")] == [1, 3, 4, 7]
