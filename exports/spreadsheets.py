"""Spreadsheet files in and out: CSV that Japanese Excel opens, and XLSX checked before opening.

* CSV exports carry a UTF-8 byte order mark: without it Japanese Excel reads UTF-8 as cp932
  and shows mojibake.
* CSV imports accept UTF-8 with or without the mark, and Shift_JIS/cp932, which is what
  Japanese Excel writes when staff choose "CSV (コンマ区切り)".
* An uploaded XLSX is a zip archive that openpyxl inflates in memory. We refuse anything that
  is not a zip archive, and archives whose declared uncompressed size is above
  ``MAX_XLSX_UNCOMPRESSED_BYTES``, *before* openpyxl or tablib see the bytes. The declared
  size is a safe bound: :mod:`zipfile` never returns more bytes for a member than its header
  declares (and fails the CRC check if the data was cut short).

Nothing here touches the database.
"""

import io
import re
import zipfile

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # a 20,000-KPI plan workbook inflates to ~25 MB
MAX_XLSX_MEMBERS = 2000
REQUIRED_XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
CSV_ENCODINGS = ("utf-8-sig", "cp932")  # utf-8-sig also reads UTF-8 without the mark

NOT_XLSX = _("Excelブック（.xlsx）として読めません。Excelで「Excelブック」形式で保存してください。")
XLSX_TOO_LARGE = _(
    "展開後のサイズが %(size)d MB あり、上限の %(limit)d MB を超えるため読み込みません。"
)
XLSX_TOO_MANY_PARTS = _("ファイル内の部品が多すぎるため読み込みません（上限 %(limit)d 個）。")
CSV_UNKNOWN_ENCODING = _(
    "CSVの文字コードを判別できません。UTF-8 または Shift_JIS（Excelの「CSV（コンマ区切り）」）で"
    "保存してください。"
)


class SpreadsheetError(ValueError):
    """A file that we refuse to read; ``str()`` is a message for staff."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.code = code


def check_xlsx(data: bytes, *, limit: int = MAX_XLSX_UNCOMPRESSED_BYTES) -> None:
    """Raise :class:`SpreadsheetError` unless ``data`` is a zip archive that is safe to inflate."""
    if not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(NOT_XLSX, code="not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise SpreadsheetError(NOT_XLSX, code="not_xlsx") from error
    if len(members) > MAX_XLSX_MEMBERS:
        raise SpreadsheetError(
            XLSX_TOO_MANY_PARTS % {"limit": MAX_XLSX_MEMBERS}, code="xlsx_too_many_parts"
        )
    total = sum(member.file_size for member in members)
    if total > limit:
        message = XLSX_TOO_LARGE % {"size": total // 2**20, "limit": limit // 2**20}
        raise SpreadsheetError(message, code="xlsx_too_large")
    names = {member.filename for member in members}
    if not all(name in names for name in REQUIRED_XLSX_MEMBERS):
        raise SpreadsheetError(NOT_XLSX, code="not_xlsx")


# Python's cp932 maps some bytes that Excel never writes to C1 controls or private-use code
# points (0x80 → U+0080, 0xA0 → U+F8F0 …): their presence means the guess was wrong.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\uf8f0-\uf8f3]")


def decode_csv(data: bytes) -> str:
    """Text of a CSV file saved as UTF-8 (with or without BOM) or Shift_JIS/cp932."""
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not NOT_TEXT.search(text):
            return text
    raise SpreadsheetError(CSV_UNKNOWN_ENCODING, code="csv_encoding")


def encode_csv(text: str) -> bytes:
    """CSV text as UTF-8 with a byte order mark, so that Japanese Excel opens it."""
    return text.encode("utf-8-sig")


# Formula injection (OWASP "CSV Injection"): a cell that starts with one of these may run as a
# formula when the file is opened. CSV cells get a leading apostrophe (removed again on import);
# XLSX cells are written as text. No character of the staff's text is lost.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?$")


def is_formula_like(value) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.match(value)
    )


def neutralise_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` whose formula-like text cells start with an apostrophe."""
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([f"'{cell}" if is_formula_like(cell) else cell for cell in row])
    return safe


def restore_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """Undo :func:`neutralise_formulae` on a CSV read back (the apostrophe goes again)."""
    restored = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        restored.append(
            [
                cell[1:]
                if isinstance(cell, str) and is_formula_like(cell[1:]) and cell.startswith("'")
                else cell
                for cell in row
            ]
        )
    return restored


class ExcelCSV(base_formats.CSV):
    """CSV as Japanese Excel writes and reads it; handled as bytes so we choose the encoding."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_content_type(self):
        return "text/csv; charset=utf-8"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, bytes):
            in_stream = decode_csv(in_stream)
        return restore_formulae(super().create_dataset(in_stream, **kwargs))

    def export_data(self, dataset, **kwargs) -> bytes:
        return encode_csv(super().export_data(neutralise_formulae(dataset), **kwargs))


class SafeXLSX(base_formats.XLSX):
    """XLSX whose archive is checked by :func:`check_xlsx` before openpyxl opens it."""

    def create_dataset(self, in_stream) -> tablib.Dataset:
        check_xlsx(in_stream)
        return super().create_dataset(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        """The workbook with every cell that openpyxl took for a formula written as text."""
        from openpyxl import Workbook
        from tablib.formats._xlsx import XLSXFormat

        book = Workbook()
        sheet = book.active
        sheet.title = dataset.title or "Tablib Dataset"
        XLSXFormat.dset_sheet(dataset, sheet)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()


SPREADSHEET_FORMATS = [SafeXLSX, ExcelCSV]


def read_dataset(data: bytes, file_name: str) -> tablib.Dataset:
    """A dataset from an uploaded ``.xlsx`` or ``.csv`` file (by its name), checked first."""
    if file_name.lower().endswith(".csv"):
        return ExcelCSV().create_dataset(data)
    return SafeXLSX().create_dataset(data)
