"""The planner workbook: sheets, Japanese headers, frozen header row, filters, number formats,
print set-up, and every value checked against the database rows."""

import io
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.core.management import call_command

from exports.workbook import (
    SHEET_INDICATORS,
    SHEET_TREE,
    SHEET_VALUES,
    display_width,
    wareki,
    write_plan_workbook,
)
from indicators.models import Indicator, IndicatorValue
from plans.models import PlanNode
from tests.exports.excel_samples import build_small_plan, load_sample_plan

COMPARATORS = {"gte": "以上", "lte": "以下", "stay": "維持", "": None}

# Fiscal years in the Japanese era, written out by hand (令和 began in fiscal 2019: 令和元年度).
WAREKI = {
    **{year: f"平成{year - 1988}年度" for year in range(2010, 2019)},
    2019: "令和元年度",
    **{year: f"令和{year - 2018}年度" for year in range(2020, 2036)},
}


def open_workbook(plan, **kwargs):
    buffer = io.BytesIO()
    write_plan_workbook(plan, buffer, **kwargs)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def column_width(sheet, column: int) -> float:
    """The width of a column (1-based); openpyxl files adjacent equal widths under the first."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= column <= dimension.max:
            return dimension.width
    raise AssertionError(f"column {column} has no width")


def number(value: Decimal | None, unit: str, raw: str = ""):
    """What a value cell must hold: percent as a fraction, other numbers as they are."""
    if value is None:
        return raw or None
    return float(value / 100) if unit in {"%", "％"} else float(value)


def paths(plan):
    nodes = list(PlanNode.objects.filter(plan=plan).order_by("tree_id", "lft"))
    by_id = {node.pk: node for node in nodes}

    def path(node):
        return [*path(by_id[node.parent_id]), node] if node.parent_id else [node]

    return nodes, {node.pk: path(node) for node in nodes}


def expected_tree_rows(plan, depth):
    nodes, path_of = paths(plan)
    parents = {node.parent_id for node in nodes}
    expected = []
    for node in nodes:
        if node.pk in parents or node.kind != "policy":
            continue
        path = path_of[node.pk]
        cells = [v or None for n in path for v in (n.code, n.title)]
        cells += [None] * (2 * depth - len(cells))
        department = next((n.department for n in reversed(path) if n.department), None)
        goals = next((list(n.sdg_goals.all()) for n in reversed(path) if n.sdg_goals.exists()), [])
        priority = "○" if any(n.is_priority for n in path) else None
        sdgs = ", ".join(str(g.number) for g in goals) or None
        expected.append([*cells, priority, department, sdgs])
    return expected


def expected_indicator_rows(plan, depth):
    _, path_of = paths(plan)
    expected = []
    for indicator in Indicator.objects.filter(plan=plan).order_by(
        "node__tree_id", "node__lft", "order", "pk"
    ):
        labels = [str(n) for n in path_of[indicator.node_id]]
        labels += [None] * (depth - len(labels))
        values = indicator.values.exclude(value=None).order_by("-fiscal_year")
        latest = values.first()
        share = expected_achievement(
            indicator.baseline_value, indicator.target_value, latest.value if latest else None
        )
        unit = indicator.unit
        expected.append(
            [
                *labels,
                indicator.name,
                indicator.definition or None,
                unit or None,
                indicator.baseline_year,
                number(indicator.baseline_value, unit, indicator.baseline_raw),
                indicator.target_year,
                number(indicator.target_value, unit, indicator.target_raw),
                COMPARATORS[indicator.comparator],
                latest.fiscal_year if latest else None,
                number(latest.value, unit) if latest else None,
                share,
            ]
        )
    return expected


def expected_achievement(baseline, target, actual) -> float | None:
    """達成率 as docs/DOMAIN.md defines it, (actual − baseline) / (target − baseline), shown by
    Excel's "0.0%": the fraction rounded to a tenth of a percent (halves up)."""
    if None in (baseline, target, actual) or target == baseline:
        return None
    percent = ((actual - baseline) / (target - baseline) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return float(percent / 100)


def check_workbook(plan, workbook):
    """Every sheet against the database: structure, formatting and each value."""
    assert workbook.sheetnames == [SHEET_TREE, SHEET_INDICATORS, SHEET_VALUES]
    depth = max(len(plan.level_names), *(n.level + 1 for n in plan.nodes.all()))
    tree, kpis, matrix = (workbook[name] for name in workbook.sheetnames)
    for sheet in (tree, kpis, matrix):
        last_column = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last_column}{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # A4 is code 9
        assert all(cell.font.bold for cell in sheet[1])
    assert tree.freeze_panes == kpis.freeze_panes == "A2"
    assert matrix.freeze_panes == "D2"
    assert [c.value for c in tree[1]][:2] == [f"{plan.level_names[0]}コード", plan.level_names[0]]
    assert rows(tree) == expected_tree_rows(plan, depth)
    assert rows(kpis) == expected_indicator_rows(plan, depth)
    check_year_columns(kpis)
    check_matrix(plan, matrix)


YEAR_HEADERS = ("基準年度", "目標年度", "最新実績年度")


def check_year_columns(sheet):
    """Fiscal years are 西暦 numbers shown in 和暦 and 西暦 by their number format."""
    headers = [c.value for c in sheet[1]]
    for header in YEAR_HEADERS:
        column = headers.index(header)
        for cell in (row[column] for row in sheet.iter_rows(min_row=2)):
            if cell.value is not None:
                assert cell.data_type == "n"
                assert cell.number_format == f'"{WAREKI[cell.value]}（"0"）"'


def check_matrix(plan, sheet):
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["項目", "指標名", "単位"]
    years = [int(h[-5:-1]) for h in headers[3:]]
    assert set(range(plan.first_fiscal_year, plan.last_fiscal_year + 1)) <= set(years)
    values = {
        (v.indicator_id, v.fiscal_year): v
        for v in IndicatorValue.objects.filter(indicator__plan=plan)
    }
    indicators = Indicator.objects.filter(plan=plan).order_by(
        "node__tree_id", "node__lft", "order", "pk"
    )
    for indicator, row in zip(indicators, rows(sheet), strict=True):
        assert row[:3] == [str(indicator.node), indicator.name, indicator.unit or None]
        for year, cell in zip(years, row[3:], strict=True):
            value = values.get((indicator.pk, year))
            assert cell == (number(value.value, indicator.unit, value.raw_text) if value else None)


def test_wareki_counts_the_first_year_as_gannen():
    """Fiscal years show in the Japanese era, the first year of an era as 元年."""
    assert [wareki(y) for y in (2019, 2021, 2027, 2018, 1989)] == [
        "令和元年度",
        "令和3年度",
        "令和9年度",
        "平成30年度",
        "平成元年度",
    ]


def test_display_width_counts_wide_characters_twice():
    """Column widths count Japanese (wide) characters as two."""
    assert display_width("自治会abc") == 9
    assert display_width("ＮＰＯ法人") == 10


def test_built_plan_workbook_matches_the_database(plan, django_assert_num_queries):
    """Sheets, formats and every value of a plan built through the services; 5 queries."""
    build_small_plan(plan)
    buffer = io.BytesIO()
    with django_assert_num_queries(5):
        write_plan_workbook(plan, buffer)
    workbook = openpyxl.load_workbook(buffer)
    check_workbook(plan, workbook)
    kpis = workbook[SHEET_INDICATORS]
    headers = [c.value for c in kpis[1]]
    first = dict(zip(headers, kpis[2], strict=True))
    assert first["指標名"].value == "自治会の加入率"
    assert (first["基準値"].value, first["基準値"].number_format) == (0.8231, "0.00%")
    assert (first["目標値"].value, first["目標値"].number_format) == (0.85, "0.00%")
    # 83.90 % in 2024 on the way from 82.31 % to 85.00 %: 1.59 / 2.69 = 59.108… → 59.1 %.
    assert (first["達成率"].value, first["達成率"].number_format) == (0.591, "0.0%")
    assert [row[headers.index("達成率")].value for row in kpis.iter_rows(min_row=3)] == [
        None,  # NPO法人登録数: no yearly value yet
        None,  # 協働事業費: none either
        None,  # 待機児童数: its one value is "—", no value (never zero)
    ]
    baseline_year = first["基準年度"]
    assert (baseline_year.value, baseline_year.number_format) == (2021, '"令和3年度（"0"）"')
    budget = dict(zip(headers, kpis[4], strict=True))
    assert budget["基準値"].number_format == '#,##0"千円"'
    assert budget["基準値"].value == 285000
    width = column_width(kpis, 4)
    assert width >= display_width("NPO法人登録数") + 2


def test_streaming_workbook_has_the_same_cells(plan):
    """The streaming (constant-memory) path writes exactly the same values."""
    build_small_plan(plan)
    normal, streamed = open_workbook(plan), open_workbook(plan, streaming=True)
    for name in normal.sheetnames:
        assert rows(streamed[name]) == rows(normal[name])
    check_workbook(plan, streamed)


def test_streaming_merges_values_across_chunks_in_five_queries(
    plan, monkeypatch, django_assert_num_queries
):
    """Streaming reads KPIs and values through cursors in chunks (here one KPI at a time, so
    every chunk boundary is crossed): still five queries, and every value lands on its KPI."""
    build_small_plan(plan)
    monkeypatch.setattr("exports.workbook.STREAM_CHUNK", 1)
    buffer = io.BytesIO()
    with django_assert_num_queries(5):
        write_plan_workbook(plan, buffer, streaming=True)
    check_workbook(plan, openpyxl.load_workbook(buffer))


def test_streaming_writes_strings_inline_the_default_shares_them(plan):
    """The streaming path keeps no table of strings (XlsxWriter's constant_memory mode writes
    each string in its cell); the default shares repeated strings, for a smaller file."""
    build_small_plan(plan)
    parts = {}
    for streaming in (False, True):
        buffer = io.BytesIO()
        write_plan_workbook(plan, buffer, streaming=streaming)
        parts[streaming] = zipfile.ZipFile(buffer).namelist()
    assert "xl/sharedStrings.xml" in parts[False]
    assert "xl/sharedStrings.xml" not in parts[True]


def test_number_columns_are_as_wide_as_their_largest_number(plan):
    """A column is sized from its largest number too, not only from its texts."""
    build_small_plan(plan)
    Indicator.objects.filter(key="budget").update(baseline_value=Decimal("1234567890"))
    sheet = open_workbook(plan)[SHEET_INDICATORS]
    headers = [c.value for c in sheet[1]]
    width = column_width(sheet, headers.index("基準値") + 1)
    assert width >= len("1,234,567,890") + 2


@pytest.mark.parametrize("slug", ["omitama", "honjo"])
def test_sample_plan_workbook_matches_the_database(slug, db):
    """The 小美玉市 and 本庄市 sample plans: every value of every sheet."""
    plan = load_sample_plan(slug)
    check_workbook(plan, open_workbook(plan))


def test_honjo_jichikai_rate_as_printed(db):
    """本庄市 自治会の加入率: 82.31 % → 85.00 %, stored as percentages with two decimals."""
    plan = load_sample_plan("honjo")
    sheet = open_workbook(plan)[SHEET_INDICATORS]
    headers = [c.value for c in sheet[1]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[headers.index("指標名")].value == "自治会の加入率"
    )
    baseline, target = row[headers.index("基準値")], row[headers.index("目標値")]
    assert baseline.value == pytest.approx(0.8231) and target.value == pytest.approx(0.85)
    assert baseline.number_format == target.number_format == "0.00%"


def test_export_plan_command_writes_the_workbook(plan, tmp_path):
    """``export_plan PLAN --format xlsx -o FILE`` writes this workbook."""
    build_small_plan(plan)
    out = tmp_path / "plan.xlsx"
    call_command("export_plan", "omitama/2023", "--format", "xlsx", "-o", str(out))
    check_workbook(plan, openpyxl.load_workbook(out))


def test_year_columns_fit_their_wareki_label(plan):
    """A year column is as wide as 令和3年度（2021） shows, not as its four digits."""
    build_small_plan(plan)
    sheet = open_workbook(plan)[SHEET_INDICATORS]
    headers = [c.value for c in sheet[1]]
    for header in YEAR_HEADERS:
        assert column_width(sheet, headers.index(header) + 1) >= display_width("令和3年度（2021）")


def test_decimals_come_from_the_printed_figures_and_the_numbers(plan):
    """The KPI's format has as many decimals as its most precise figure, raw text or number; a
    full stop that is not a decimal point changes nothing."""
    build_small_plan(plan)
    Indicator.objects.filter(key="budget").update(baseline_raw="R5. 285000千円")
    Indicator.objects.filter(key="wait").update(target_value=Decimal("0.125"))
    sheet = open_workbook(plan)[SHEET_INDICATORS]
    headers = [c.value for c in sheet[1]]
    formats = {
        row[headers.index("指標名")].value: row[headers.index("基準値")].number_format
        for row in sheet.iter_rows(min_row=2)
    }
    assert formats["協働事業費"] == '#,##0"千円"'
    assert formats["待機児童数"] == "#,##0.000"


def test_widths_hold_when_the_measured_texts_are_forgotten(plan, monkeypatch):
    """Streaming remembers a bounded number of measured texts per column; forgetting them
    measures again and never narrows a column."""
    build_small_plan(plan)
    expected = open_workbook(plan)[SHEET_INDICATORS]
    monkeypatch.setattr("exports.workbook.MEASURED_TEXTS", 1)
    forgetful = open_workbook(plan, streaming=True)[SHEET_INDICATORS]
    for column in range(1, expected.max_column + 1):
        assert column_width(forgetful, column) == column_width(expected, column)
