"""The report a person can act on: per file, in Japanese, every structure recognised (each
heading scheme and the level it became, each KPI table and the columns it used, inline KPIs),
every line skipped and why, every guess, each with its line."""

from importers.parsing import parse_file
from importers.parsing.headings import describe_scheme

TEXT = """第1章 まちづくり

1. 安全なまち

施策番号\t施策名\t指標名\t現状値（R4）\t目標値（R9）
1-1\t防災の推進\t防災訓練の参加者数\t120人\t200人

避難所の数：10か所（令和4年度）→ 15か所（令和9年度）

3

1. 安全なまち
"""


def issues(kind: str) -> list[tuple[int, str]]:
    plan = parse_file(TEXT.encode("utf-8"), "plan.txt")
    return [(i.line, i.message) for i in plan.report.of_kind(kind) if i.source == "plan.txt"]


def test_each_heading_scheme_and_the_level_it_became():
    """第N章 is level 1 (named 章 by its word), N. level 2 (no word: 階層2), row codes level 3."""
    schemes = [(line, m) for line, m in issues("structure") if m.startswith("見出しの形式")]
    assert schemes == [
        (1, "見出しの形式 「第N章」 → 第1階層「章」（最初の見出し「まちづくり」）"),
        (3, "見出しの形式 「N.」 → 第2階層「階層2」（最初の見出し「安全なまち」）"),
        (6, "見出しの形式 「N-N」 → 第3階層「階層3」（最初の見出し「防災の推進」）"),
    ]


def test_each_kpi_table_with_the_columns_it_used_and_inline_kpis():
    structures = dict(issues("structure"))
    assert structures[5] == (
        "指標の表（タブ・空白の並び区切り、1 行）: 指標名=「指標名」、現状値=「現状値(R4)」、"
        "目標値=「目標値(R9)」、コード=「施策番号」、項目=「施策名」"
    )
    assert structures[8] == "文中の指標（矢印）: 避難所の数"


def test_skipped_lines_and_guesses_say_why_with_their_line():
    assert issues("skipped") == [
        (10, "ページ番号 3"),
        (12, "同じ見出しの再掲: 3 行目の項目の続きとして読みました"),
    ]
    assert (6, "指標の表の行から項目 1-1 防災の推進 を作りました") in issues("guess")


def test_scheme_descriptions_never_fail():
    """Every shape of scheme key is shown; an unknown one as it is."""
    assert describe_scheme("word:基本目標") == "「基本目標 N」"
    assert describe_scheme("digits:4") == "「4桁の番号」"
    assert describe_scheme("letter:B2") == "「AN-N」"
    assert describe_scheme("after:3") == "「見出し（コード）」"
    assert describe_scheme("(1)") == "「(N)」"
    assert describe_scheme("新しい形") == "「新しい形」"
