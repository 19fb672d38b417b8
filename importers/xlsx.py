"""A small streaming XLSX writer for big plain tables: rows go straight into the zip archive.

openpyxl (without lxml) spends ~50 µs serialising each cell; a 20,000-KPI workbook has half a
million cells. Here a cell is one formatted string, rows are written to the archive as they
come (constant memory), and only what the planner workbook uses is supported: inline strings,
numbers with number formats, one bold header row, column widths, frozen panes, an autofilter,
print titles and a landscape A4 page set-up. Nothing here knows about Django.
"""

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])
HEADER_STYLE = 1  # xf 1: bold on a light fill, wrapped
FIRST_CUSTOM_FORMAT = 164
SPOOL_BYTES = 4 * 2**20  # sheet XML kept in memory up to this size, then on disk
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PKG = "http://schemas.openxmlformats.org/package/2006"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Sheet:
    """A table to write: headers, widths, rows of (value, number format) pairs."""

    title: str
    headers: list[str]
    widths: list[float]  # read once the rows are consumed
    rows: Iterable[list[tuple[object, str]]]
    freeze: tuple[int, int] = (0, 1)  # columns and rows frozen


def quoteattr_free(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute."""
    return escape(text, {'"': "&quot;"})


class XlsxWriter:
    def __init__(self, path_or_file):
        self.archive = zipfile.ZipFile(path_or_file, "w", compression=zipfile.ZIP_DEFLATED)
        self.formats: dict[str, int] = {}
        self.sheets: list[tuple[str, str]] = []  # title, last cell reference

    def style_for(self, number_format: str) -> int:
        if number_format not in self.formats:
            self.formats[number_format] = len(self.formats) + 2  # xf 0 default, 1 header
        return self.formats[number_format]

    def add_sheet(self, sheet: Sheet) -> None:
        """Write ``sheet``. Its widths are read after its rows, so a generator may still be
        measuring them while the rows pass; the rows wait in a spooled temporary file."""
        index = len(self.sheets) + 1
        letters = [get_column_letter(i + 1) for i in range(len(sheet.headers))]
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as body:
            body.write(self._row(1, letters, [(h, "") for h in sheet.headers], header=True))
            count = 1
            for count, row in enumerate(sheet.rows, 2):  # noqa: B007
                body.write(self._row(count, letters, row))
            last = f"{letters[-1]}{count}"
            body.seek(0)
            with self.archive.open(f"xl/worksheets/sheet{index}.xml", "w") as out:
                out.write(self._sheet_top(sheet, letters).encode())
                shutil.copyfileobj(body, out)
                out.write(self._sheet_bottom(last))
        self.sheets.append((sheet.title, last))

    def _sheet_bottom(self, last: str) -> bytes:
        return (
            f'</sheetData><autoFilter ref="A1:{last}"/>'
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
            'fitToHeight="0"/></worksheet>'
        ).encode()

    def _sheet_top(self, sheet: Sheet, letters: list[str]) -> str:
        columns, rows = sheet.freeze
        corner = f"{get_column_letter(columns + 1)}{rows + 1}"
        split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
        pane = "bottomRight" if columns and rows else ("bottomLeft" if rows else "topRight")
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, 1)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {NS_R}>'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{corner}" '
            f'activePane="{pane}" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        )

    def _row(self, number: int, letters: list[str], cells, header: bool = False) -> bytes:
        parts = [f'<row r="{number}">']
        for letter, (value, number_format) in zip(letters, cells, strict=False):
            if value is None or value == "":
                continue
            ref = f"{letter}{number}"
            if header:
                style = f' s="{HEADER_STYLE}"'
            else:
                style = f' s="{self.style_for(number_format)}"' if number_format else ""
            if isinstance(value, bool):
                parts.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | Decimal):
                parts.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
            else:
                text = escape(str(value).translate(ILLEGAL))
                parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t>{text}</t></is></c>')
        parts.append("</row>")
        return "".join(parts).encode()

    def close(self) -> None:
        self._write_package()
        self.archive.close()

    def _write_package(self) -> None:
        n = len(self.sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self.archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self.archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{DOC}/styles" Target="styles.xml"/>'
        self.archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
            f"{rels}</Relationships>",
        )
        self.archive.writestr("xl/workbook.xml", self._workbook_xml())
        self.archive.writestr("xl/styles.xml", self._styles_xml())

    def _workbook_xml(self) -> str:
        sheets, names = [], []
        for i, (title, last) in enumerate(self.sheets):
            quoted = "'" + escape(title.replace("'", "''")) + "'"
            column = last.rstrip("0123456789")
            row = last[len(column) :]
            sheets.append(f'<sheet name="{escape(title)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>')
            names.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                f"{quoted}!$A$1:${column}${row}</definedName>"
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                f"{quoted}!$1:$1</definedName>"
            )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {NS_R}>'
            f"<sheets>{''.join(sheets)}</sheets><definedNames>{''.join(names)}</definedNames>"
            "</workbook>"
        )

    def _styles_xml(self) -> str:
        ordered = sorted(self.formats.items(), key=lambda item: item[1])
        num_fmts = "".join(
            f'<numFmt numFmtId="{FIRST_CUSTOM_FORMAT + i}" formatCode="{quoteattr_free(code)}"/>'
            for i, (code, _) in enumerate(ordered)
        )
        xfs = "".join(
            f'<xf numFmtId="{FIRST_CUSTOM_FORMAT + i}" fontId="0" fillId="0" borderId="0" '
            'xfId="0" applyNumberFormat="1"/>'
            for i in range(len(ordered))
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}>'
            f'<numFmts count="{len(ordered)}">{num_fmts}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="游ゴシック"/></font>'
            '<font><b/><sz val="11"/><name val="游ゴシック"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill>'
            "</fill></fills>"
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(ordered) + 2}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
            'applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
            f"{xfs}</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )
