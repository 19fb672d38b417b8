"""PDF page geometry on characters placed by hand (importers/parsing/formats/pdf_layout.py)."""

from importers.parsing.formats.pdf_layout import (
    Char,
    Rules,
    group_lines,
    join_texts,
    ruled_tables,
    vertical_runs,
)

SIZE = 10.0


def row(text: str, left: float, top: float, size: float = SIZE, pitch: float = SIZE) -> list[Char]:
    """Characters of one horizontal run, each ``pitch`` wide."""
    return [
        Char(char, left + i * pitch, top, left + (i + 1) * pitch, top + size, size)
        for i, char in enumerate(text)
    ]


def column(text: str, left: float, top: float) -> list[Char]:
    """Characters stacked top to bottom (vertical writing)."""
    return [
        Char(char, left, top + i * SIZE, left + SIZE, top + (i + 1) * SIZE, SIZE)
        for i, char in enumerate(text)
    ]


def test_a_wide_gap_splits_a_line_into_cells_and_a_narrow_one_does_not():
    chars = row("指標名", 0, 0) + row("基準値", 30 + 1.3 * SIZE, 0) + row("目標", 200, 0)
    (line,) = group_lines(chars)
    assert [segment.text for segment in line.segments] == ["指標名", "基準値", "目標"]
    (line,) = group_lines(row("指標名", 0, 0) + row("基準値", 30 + 0.6 * SIZE, 0))
    assert [segment.text for segment in line.segments] == ["指標名 基準値"]


def test_a_raised_footnote_mark_stays_on_its_line():
    chars = row("協働", 0, 0) + [Char("※", 20, -2, 26, 4, 6), Char("1", 26, -2, 30, 4, 6)]
    chars += row("次の行", 0, 16)
    lines = group_lines(chars)
    assert [line.plain for line in lines] == ["協働※1", "次の行"]


def test_wrapped_pieces_join_without_a_space_except_latin_and_codes():
    assert join_texts(["子育て支援の", "充実"]) == "子育て支援の充実"
    assert join_texts(["85.00", "%"]) == "85.00 %"  # Latin wraps at a space only
    assert join_texts(["1201", "人権啓発活動の推進"]) == "1201 人権啓発活動の推進"
    assert join_texts(["1,900", "人"]) == "1,900人"  # a figure and its unit: no space


def test_stacked_characters_are_vertical_writing_read_right_column_first():
    chars = column("縦書き", 100, 0) + column("二行目", 80, 0) + row("横書きの本文", 0, 100)
    columns, rest = vertical_runs(chars)
    assert ["".join(c.text for c in col) for col in columns] == ["縦書き", "二行目"]
    assert "".join(c.text for c in rest) == "横書きの本文"


def test_horizontal_text_is_not_vertical_writing():
    chars = row("一行目の文章です", 0, 0) + row("二行目の文章です", 0, 14)
    columns, rest = vertical_runs(chars)
    assert columns == [] and len(rest) == 16


def test_a_ruled_grid_is_a_table_and_a_missing_rule_merges_cells():
    # 3 columns × 2 rows; no vertical rule between columns 2 and 3 in the first row
    rules = Rules(
        horizontal=[(0, 0, 300), (20, 0, 300), (40, 0, 300)],
        vertical=[(0, 0, 40), (100, 0, 40), (200, 20, 40), (300, 0, 40)],
    )
    chars = row("指標", 5, 5) + row("目標値", 205, 5) + row("人口", 5, 25)
    chars += row("10", 105, 25) + row("12", 205, 25) + row("欄外", 0, 60)
    tables, rest = ruled_tables(rules, chars)
    assert [table.rows for table in tables] == [
        [["指標", "目標値", "目標値"], ["人口", "10", "12"]]
    ]
    assert "".join(c.text for c in rest) == "欄外"


def test_a_table_cut_by_the_page_end_is_open_at_the_bottom():
    rules = Rules(
        horizontal=[(0, 0, 200), (20, 0, 200)],
        vertical=[(0, 0, 60), (100, 0, 60), (200, 0, 60)],  # run on past the last rule
    )
    chars = row("名", 5, 5) + row("値", 105, 5) + row("途中", 5, 40) + row("で切れる", 105, 40)
    (table,), _ = ruled_tables(rules, chars)
    assert table.rows == [["名", "値"], ["途中", "で切れる"]]
    assert (table.open_top, table.open_bottom) == (False, True)


def test_a_frame_around_a_paragraph_is_not_a_table():
    rules = Rules(horizontal=[(0, 0, 200), (40, 0, 200)], vertical=[(0, 0, 40), (200, 0, 40)])
    chars = row("囲みの中の文章", 5, 5)
    tables, rest = ruled_tables(rules, chars)
    assert tables == [] and len(rest) == len(chars)
