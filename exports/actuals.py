"""A year's actuals read back from the planner workbook's 実績入力 sheet.

The sheet comes from ``write_plan_workbook(plan, …, input_year=Y)``: one row per KPI (its key in
the first column) and four input columns — 実績値 (a number), 実績値（原文）, 備考, 出典. Reading
is pure (bytes in, rows out) and checks everything before anything is written: a bad cell is an
error naming its row and what was expected, and the whole file is refused. A row left blank
changes nothing; what changes is computed by ``indicators.services.yearly_changes`` and saved
by ``yearly_values_save``, the same path as the entry screen.
"""

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators import services
from indicators.forms import parse_typed_number
from indicators.models import Indicator
from plans.models import Plan

from .spreadsheets import SpreadsheetError, check_xlsx
from .workbook import (
    INPUT_COLUMNS,
    PROPERTY_INPUT_YEAR,
    PROPERTY_PLAN,
    SHEET_INPUT,
    SHEET_STAMPS,
    plan_reference,
)

_YEAR_IN_HEADER = re.compile(r"[（(](\d{4})[）)]")
VALUE_PLACES = Decimal("0.0001")  # IndicatorValue.value keeps four decimals


@dataclass(frozen=True)
class InputRow:
    line: int  # the row number Excel shows
    key: str
    value: Decimal | None
    raw_text: str
    note: str
    source: str


@dataclass(frozen=True)
class InputSheet:
    year: int
    plan: str  # "omitama/2023" as written in the file's properties ("" if missing)
    rows: list[InputRow]
    stamps: dict[str, str]  # KPI key → version of its actual when the file was written


class ActualsError(ValueError):
    """The file cannot be read as an input sheet; ``errors`` are messages for staff."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def read_input_sheet(data: bytes) -> InputSheet:
    """The input sheet of a planner workbook, or :class:`ActualsError` saying what is wrong."""
    try:
        check_xlsx(data)
    except SpreadsheetError as error:
        raise ActualsError([str(error)]) from error
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in (SHEET_INPUT, SHEET_STAMPS):
        if sheet not in book.sheetnames:
            raise ActualsError(
                [
                    _(
                        "「%(sheet)s」シートがありません。ポータルで書き出したファイルを使ってください。"
                    )
                    % {"sheet": sheet}
                ]
            )
    properties = {p.name: p.value for p in book.custom_doc_props.props}
    lines = book[SHEET_INPUT].iter_rows(values_only=True)
    header = next(lines, ())
    year = _input_year(header, properties)
    rows, errors = [], []
    for line, cells in enumerate(lines, start=2):
        row = _input_row(line, cells, len(header), errors)
        if row is not None:
            rows.append(row)
    _check_keys(rows, errors)
    if errors:
        raise ActualsError(errors)
    stamps = {
        _text(key): _text(stamp)
        for key, stamp, *_rest in book[SHEET_STAMPS].iter_rows(min_row=2, values_only=True)
        if key is not None
    }
    return InputSheet(year, str(properties.get(PROPERTY_PLAN, "")), rows, stamps)


def _input_year(header, properties) -> int:
    written = properties.get(PROPERTY_INPUT_YEAR)
    value_header = header[-INPUT_COLUMNS] if len(header) >= INPUT_COLUMNS else None
    match = _YEAR_IN_HEADER.search(str(value_header or ""))
    year = int(match.group(1)) if match else written
    if year is None or (written is not None and int(written) != year):
        raise ActualsError(
            [_("1行目の実績値の列から年度が読めません（例: 実績値 令和6年度（2024））。")]
        )
    return int(year)


def _input_row(line: int, cells, width: int, errors: list[str]) -> InputRow | None:
    cells = [*cells, *[None] * (width - len(cells))][:width]
    key = _text(cells[0])
    value, raw, note, source = cells[-INPUT_COLUMNS:]
    if not key:
        if any(c not in (None, "") for c in (value, raw, note, source)):
            errors.append(_("%(line)s行目: キーがありません。") % {"line": line})
        return None
    unit = _text(cells[3])
    try:
        number = _number(value, unit)
    except ValidationError:
        errors.append(
            _("%(line)s行目（%(key)s）: 実績値は数値で入力してください（「%(value)s」）。")
            % {"line": line, "key": key, "value": value}
        )
        return None
    return InputRow(line, key, number, _text(raw), _text(note), _text(source))


def _number(value, unit: str) -> Decimal | None:
    """A cell's number: Excel's numbers as the decimals they show; typed text read as typed."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError("not a number", code="not_a_number")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        number = parse_typed_number(str(value), unit)
    if number is not None and number.as_tuple().exponent < -4:
        number = number.quantize(VALUE_PLACES).normalize()
    return number


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _check_keys(rows: list[InputRow], errors: list[str]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.key in seen:
            errors.append(
                _("%(line)s行目: キー「%(key)s」は%(first)s行目と重複しています。")
                % {"line": row.line, "key": row.key, "first": seen[row.key]}
            )
        seen.setdefault(row.key, row.line)


@dataclass
class InputPreview:
    """What applying the sheet to ``plan`` would change, and the entries that would do it."""

    plan: Plan
    year: int
    changes: list[services.YearlyChange]
    entries: list[services.YearlyEntry]
    stamps: dict[int, str]


def preview_input(plan: Plan, sheet: InputSheet) -> InputPreview:
    """Match rows to the plan's KPIs by key and compute the changes (nothing is written)."""
    if sheet.plan and sheet.plan != plan_reference(plan):
        raise ActualsError(
            [
                _("このファイルは計画「%(file)s」のものです。取り込み先は「%(plan)s」です。")
                % {"file": sheet.plan, "plan": plan_reference(plan)}
            ]
        )
    ids = dict(Indicator.objects.filter(plan=plan).values_list("key", "pk"))
    unknown = [row for row in sheet.rows if row.key not in ids]
    if unknown:
        raise ActualsError(
            [
                _("%(line)s行目: この計画にキー「%(key)s」の成果指標はありません。")
                % {"line": row.line, "key": row.key}
                for row in unknown
            ]
        )
    entries = [
        services.YearlyEntry(ids[r.key], r.value, r.raw_text, r.note, r.source)
        for r in sheet.rows
        if r.value is not None or r.raw_text or r.note or r.source
    ]
    changes = services.yearly_changes(
        plan=plan, fiscal_year=sheet.year, entries=entries, blank_removes=False
    )
    _refuse_changed_since_written(sheet, changes)
    stamps = {c.indicator.pk: services.value_stamp(c.before) for c in changes}
    return InputPreview(plan, sheet.year, changes, entries, stamps)


def _refuse_changed_since_written(sheet: InputSheet, changes) -> None:
    """An old file must not put back what was entered after it was written: a row that would
    change an actual saved since then (on the entry screen, or by another file) refuses the file."""
    lines = {row.key: row.line for row in sheet.rows}
    stale = [
        change
        for change in changes
        if services.value_stamp(change.before) != sheet.stamps.get(change.indicator.key, "")
    ]
    if stale:
        raise ActualsError(
            [
                _(
                    "%(line)s行目（%(key)s）: このファイルを書き出した後に実績が変更されています"
                    "（現在「%(now)s」、このファイル「%(file)s」）。書き出し直して入力してください。"
                )
                % {
                    "line": lines[change.indicator.key],
                    "key": change.indicator.key,
                    "now": change.before.raw_text if change.before else "—",
                    "file": change.after.raw_text if change.after else "—",
                }
                for change in stale
            ]
            + [_("このファイルからは何も保存していません。")]
        )


def apply_input(preview: InputPreview, *, actor) -> list[services.YearlyChange]:
    """Save exactly the previewed changes, or nothing if an actual changed since the preview."""
    changed = set(preview.stamps)
    return services.yearly_values_save(
        plan=preview.plan,
        fiscal_year=preview.year,
        entries=[e for e in preview.entries if e.indicator_id in changed],
        stamps=preview.stamps,
        blank_removes=False,
        actor=actor,
        reason=_("ワークブックの取り込み"),
    )
