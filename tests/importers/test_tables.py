"""tables: rows of cells recovered from pipes, tabs, single spaces and one cell a line."""

from importers.parsing.model import Line
from importers.parsing.tables import Table, find_tables, row_by_kinds


def lines_of(text: str) -> list[Line]:
    return [Line(number, line) for number, line in enumerate(text.split("\n"), start=1)]


def only_table(text: str) -> Table:
    [table] = [element for element in find_tables(lines_of(text)) if isinstance(element, Table)]
    return table


def test_split_on_pipes_drops_rules_and_joins_wrapped_rows():
    table = only_table(
        "| 指標名 | 現状値 | 目標値 |\n|---|---|---|\n| 農産物直売所の\n|\n"
        "| 年間売上額 | 3.2億円 | 4.0億円 |"
    )
    assert table.how == "split_on_pipes"
    assert table.rows == [
        ["指標名", "現状値", "目標値"],
        ["農産物直売所の年間売上額", "3.2億円", "4.0億円"],
    ]
    assert table.lines == [1, 3]


def test_split_on_tabs():
    table = only_table("指標名\t現状値\t目標値\n待機児童数\t12人\t0人")
    assert (table.how, table.rows[1]) == ("split_on_tabs", ["待機児童数", "12人", "0人"])


def test_split_on_kinds_keeps_spaces_inside_the_name():
    """Single spaces split the cells where the last ones are values; the rest is the name."""
    table = only_table("成果指標 現状値 目標値\nリサイクル率 21.4%(令和3年度) 25.0%(令和9年度)")
    assert table.rows == [
        ["成果指標", "現状値", "目標値"],
        ["リサイクル率", "21.4%(令和3年度)", "25.0%(令和9年度)"],
    ]
    assert row_by_kinds("Net Promoter Score 12 20", 3) == ["Net Promoter Score", "12", "20"]
    assert row_by_kinds("まだ 文章 です", 3) is None


def test_vertical_table_column_after_column_with_split_header_words():
    table = only_table(
        "指\n標\n名\n空き店舗の活用件数\n歩行者通行量\n現\n状\n値\n3件\n2,840人\n目\n標\n値\n15件\n3,500人"
    )
    assert table.rows == [
        ["指標名", "現状値", "目標値"],
        ["空き店舗の活用件数", "3件", "15件"],
        ["歩行者通行量", "2,840人", "3,500人"],
    ]


def test_vertical_table_row_after_row():
    table = only_table("指標名\n現状値\n目標値\nバスの利用者数\n62,000人\n70,000人")
    assert table.rows == [
        ["指標名", "現状値", "目標値"],
        ["バスの利用者数", "62,000人", "70,000人"],
    ]


def test_a_heading_aligned_with_spaces_is_no_table():
    """第1章<TAB>教育・文化 (pdftotext -layout) stays a line for the heading reader."""
    assert not any(isinstance(e, Table) for e in find_tables(lines_of("第1章\t教育・文化")))
