"""The KPI fields, declared once: what the outline document, the planner workbook, the Excel
import/export, the admin and the public pages read and write of a KPI.

Two kinds, in the order every reader lists them:

* a **described** field is one model field: a text, a choice or a mark (yes/no);
* a **measured** field is a value as the plan prints it: the number (``<name>_value``), its
  fiscal year (``<name>_year``) and the text as printed (``<name>_raw``).

A new KPI field is the model field, its migration, one line in ``KPI_FIELDS`` and the templates
that show it. Its ``outline`` key is also the attribute the parser fills
(``importers.parsing.model.ParsedIndicator``); a field the parser does not read is left at its
default by an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT, CHOICE, MARK = "text", "choice", "mark"


@dataclass(frozen=True)
class Described:
    """A KPI field held in one model field."""

    name: str  # the Indicator field
    header: str  # the column heading of the workbook and the Excel import/export
    kind: str = TEXT
    outline: str = ""  # the key in the outline document (default: ``name``)
    workbook: bool = True  # a column of the workbook's 成果指標 sheet
    table: bool = False  # read for the KPI tables of the node pages (shown, or judged by)
    aliases: dict[str, str] = field(default_factory=dict)  # more spellings a sheet may use

    @property
    def key(self) -> str:
        return self.outline or self.name

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.name,)


@dataclass(frozen=True)
class Measured:
    """A value as printed: number, fiscal year and raw text, in three model fields."""

    name: str  # baseline → baseline_value, baseline_year, baseline_raw
    label: str  # 基準 → 基準値, 基準年度, 基準値（原文）
    workbook: bool = True
    table: bool = True

    @property
    def key(self) -> str:
        return self.name

    @property
    def value(self) -> str:
        return f"{self.name}_value"

    @property
    def year(self) -> str:
        return f"{self.name}_year"

    @property
    def raw(self) -> str:
        return f"{self.name}_raw"

    @property
    def value_header(self) -> str:
        return f"{self.label}値"

    @property
    def year_header(self) -> str:
        return f"{self.label}年度"

    @property
    def raw_header(self) -> str:
        return f"{self.label}値（原文）"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.value, self.year, self.raw)


KPI_FIELDS: tuple[Described | Measured, ...] = (
    Described("name", "指標名", table=True),
    Described("definition", "定義"),
    Described("unit", "単位", table=True),
    Measured("baseline", "基準"),
    Measured("target", "目標"),
    Described(
        "comparator", "目標の判定", kind=CHOICE, table=True, aliases={"以下": "lte", "以内": "lte"}
    ),
    Described("direction", "目指す方向", kind=CHOICE, workbook=False, table=True),
    Described("is_cumulative", "累計", kind=MARK, outline="cumulative", workbook=False, table=True),
    Described("note", "備考", workbook=False),
)


def kpi_columns(*, table_only: bool = False) -> tuple[str, ...]:
    """The model fields of the KPI fields, in order (only the node pages' tables' ones)."""
    return tuple(
        column
        for kpi_field in KPI_FIELDS
        if kpi_field.table or not table_only
        for column in kpi_field.columns
    )
