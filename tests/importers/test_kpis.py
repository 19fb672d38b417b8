"""kpis: columns by the words of the header, progress and row-type tables, code columns."""

from decimal import Decimal

from importers.parsing.kpis import read_columns, table_kpis


def test_columns_by_vocabulary_with_years_in_the_header():
    columns = read_columns([["指標名", "基準値（令和3年度）", "目標値（令和9年度）"]])
    assert (columns.name, columns.baseline, columns.target) == (0, 1, 2)
    assert (columns.baseline_year, columns.target_year) == (2021, 2027)


def test_a_second_header_row_of_years_completes_the_columns():
    columns = read_columns([["成果指標", "現状値", "目標値"], ["(H30)", "(R6)"]])
    assert (columns.header_rows, columns.baseline_year, columns.target_year) == (2, 2018, 2024)


def test_progress_table_baseline_is_the_first_year_column_target_the_horizon():
    rows = [
        ["指標名", "H30", "R1", "R2", "R3", "最終目標（R6）"],
        ["市民大学の受講者数", "640人", "612人", "380人", "520人", "700人"],
    ]
    columns, [kpi] = table_kpis(rows, [1, 2])
    assert (columns.baseline, columns.target) == (1, 5)
    assert (kpi.baseline.value, kpi.baseline_year) == (Decimal("640"), 2018)
    assert (kpi.target.value, kpi.target_year) == (Decimal("700"), 2024)


def test_row_type_table_target_is_the_last_target_with_its_year():
    rows = [
        ["指標", "区分", "当初（H28）", "H29", "R2"],
        ["新規就農者数", "目標値", "－", "2人", "3人"],
        ["", "実績値", "1人", "2人"],
    ]
    _, [kpi] = table_kpis(rows, [1, 2, 3])
    assert (kpi.baseline.value, kpi.baseline_year) == (Decimal("1"), 2016)
    assert (kpi.target.value, kpi.target_year) == (Decimal("3"), 2020)


def test_code_and_section_columns_and_continuation_rows():
    rows = [
        ["施策番号", "施策名", "指標名", "現状値", "目標値"],
        ["1-1", "市民参画の推進", "公募委員の割合", "8.2%", "15.0%"],
    ]
    _, [kpi] = table_kpis(rows, [1, 2])
    assert (kpi.code, kpi.section, kpi.name) == ("1-1", "市民参画の推進", "公募委員の割合")
    rows = [
        ["指標名", "現状値", "目標値"],
        ["宿泊者数", "48,300人", "55,000人"],
        ["", "(うち外国人)", ""],
    ]
    _, [kpi] = table_kpis(rows, [1, 2, 3])
    assert (kpi.baseline.value, kpi.baseline.note) == (Decimal("48300"), "うち外国人")


def test_a_table_without_a_name_column_is_no_kpi_table():
    assert read_columns([["年度", "人口", "目標値"]]) is None


def test_row_numbers_are_not_codes_a_no_column_counting_rows_places_nothing():
    rows = [
        ["No.", "指標名", "現状値", "目標値"],
        ["1", "訓練参加者数", "10人", "20人"],
        ["2", "犯罪件数", "30件", "20件"],
    ]
    columns, kpis = table_kpis(rows, [1, 2, 3])
    assert columns.code is None
    assert [kpi.code for kpi in kpis] == ["", ""]


def test_codes_that_do_not_count_rows_or_a_column_naming_a_level_keep_their_codes():
    """1-1, 1-2 under No. are codes; 1, 2 under 施策番号 are codes of 施策."""
    rows = [["No.", "指標名", "現状値", "目標値"], ["1-1", "訓練参加者数", "10人", "20人"],
            ["1-2", "犯罪件数", "30件", "20件"]]  # fmt: skip
    assert [kpi.code for kpi in table_kpis(rows, [1, 2, 3])[1]] == ["1-1", "1-2"]
    rows = [["施策番号", "指標名", "現状値", "目標値"], ["1", "訓練参加者数", "10人", "20人"],
            ["2", "犯罪件数", "30件", "20件"]]  # fmt: skip
    assert [kpi.code for kpi in table_kpis(rows, [1, 2, 3])[1]] == ["1", "2"]
