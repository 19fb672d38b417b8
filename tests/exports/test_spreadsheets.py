"""Spreadsheet files: CSV that Japanese Excel opens and writes, XLSX checked before opening."""

import io
import zipfile

import pytest
import tablib

from exports import spreadsheets
from exports.spreadsheets import (
    MAX_XLSX_UNCOMPRESSED_BYTES,
    ExcelCSV,
    SafeXLSX,
    SpreadsheetError,
    check_xlsx,
    decode_csv,
    read_dataset,
)

ROWS = [("自治会の加入率", "82.31"), ("ＮＰＯ法人登録数～", "43")]


def dataset():
    return tablib.Dataset(*ROWS, headers=["指標名", "基準値"])


def test_csv_export_starts_with_a_bom_and_decodes_as_utf8_sig():
    """CSV exports are UTF-8 with a byte order mark, so Japanese Excel shows no mojibake."""
    data = ExcelCSV().export_data(dataset())
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "指標名,基準値",
        "自治会の加入率,82.31",
        "ＮＰＯ法人登録数～,43",
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_csv_import_reads_utf8_with_or_without_bom_and_shift_jis(encoding):
    """CSV imports read UTF-8 (with or without BOM) and cp932, as Japanese Excel saves it."""
    data = "指標名,基準値\r\n自治会の加入率,82.31\r\nＮＰＯ法人登録数～,43\r\n".encode(encoding)
    result = ExcelCSV().create_dataset(data)
    assert result.headers == ["指標名", "基準値"]
    assert [tuple(row) for row in result] == ROWS


# "キー,名称 / 1,防災のまちづくり" in UTF-8 is also valid cp932: read as cp932 it says
# "繧ｭ繝ｼ,蜷咲ｧｰ / 1,髦ｲ轣ｽ縺ｮ縺ｾ縺｡縺･縺上ｊ" (no byte is refused). UTF-8 must be tried first.
UTF8_ALSO_VALID_CP932 = "キー,名称\r\n1,防災のまちづくり\r\n".encode()


def test_a_utf8_csv_that_is_also_valid_cp932_reads_as_utf8():
    """A UTF-8 file (LibreOffice, Google Sheets: no BOM) is never read as Shift_JIS mojibake."""
    assert UTF8_ALSO_VALID_CP932.decode("cp932").startswith("繧ｭ繝ｼ")  # the trap is real
    result = ExcelCSV().create_dataset(UTF8_ALSO_VALID_CP932)
    assert result.headers == ["キー", "名称"]
    assert [tuple(row) for row in result] == [("1", "防災のまちづくり")]


def test_csv_in_an_unknown_encoding_is_refused_with_a_message():
    """Bytes that are neither UTF-8 nor cp932 are refused, not guessed."""
    with pytest.raises(SpreadsheetError) as error:
        decode_csv(b"\x82\xa0\xff\xfe\x80")
    assert error.value.code == "csv_encoding"
    assert "Shift_JIS" in str(error.value)


def test_a_text_file_renamed_xlsx_is_refused_before_openpyxl(monkeypatch):
    """A non-Excel file named .xlsx gets a clear message; openpyxl never sees it."""
    monkeypatch.setattr("openpyxl.load_workbook", pytest.fail)
    with pytest.raises(SpreadsheetError) as error:
        read_dataset("指標名,基準値\n".encode(), "plan.xlsx")
    assert error.value.code == "not_xlsx"
    assert "Excelブック" in str(error.value)


def test_a_zip_that_is_not_a_workbook_is_refused():
    """A zip archive without the parts of a workbook is not an XLSX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SpreadsheetError) as error:
        check_xlsx(buffer.getvalue())
    assert error.value.code == "not_xlsx"


def zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"0" * 2**20
            for _ in range(size // 2**20):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_above_the_limit_is_refused_before_openpyxl(monkeypatch):
    """An XLSX inflating past the stated limit (50 MB) is refused before openpyxl opens it."""
    data = zip_bomb(MAX_XLSX_UNCOMPRESSED_BYTES + 2**20)
    assert len(data) < 200_000  # small on the wire, huge once inflated
    monkeypatch.setattr("openpyxl.load_workbook", pytest.fail)
    with pytest.raises(SpreadsheetError) as error:
        SafeXLSX().create_dataset(data)
    assert error.value.code == "xlsx_too_large"
    assert "50 MB" in str(error.value)


def test_the_limit_is_on_the_declared_total(monkeypatch):
    """The same archive passes the size check when the limit is above its size."""
    data = zip_bomb(3 * 2**20)
    with pytest.raises(SpreadsheetError):
        check_xlsx(data, limit=2 * 2**20)
    check_xlsx(data, limit=4 * 2**20)


def test_a_real_workbook_reads_its_first_sheet():
    """A real XLSX passes the checks and reads as a dataset."""
    data = SafeXLSX().export_data(dataset())
    result = read_dataset(data, "kpi.xlsx")
    assert result.headers == ["指標名", "基準値"]
    assert [tuple(row) for row in result] == ROWS


def test_formats_offered_to_the_admin_are_the_safe_ones():
    """The admin offers exactly the checked XLSX and the Excel CSV."""
    assert spreadsheets.SPREADSHEET_FORMATS == [SafeXLSX, ExcelCSV]


# --- Limits at their edges, and the messages staff read (from `make mutation`'s survivors) ----


def workbook_zip(members: int, size: int = 0) -> bytes:
    """An archive with the two parts of a workbook, ``members`` parts in all, one of ``size``
    bytes (stored, so the declared size is the size)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * size)
        for number in range(members - 3):
            archive.writestr(f"xl/media/image{number}.png", b"")
    return buffer.getvalue()


def test_a_damaged_zip_is_refused_as_not_a_workbook():
    """Bytes that start like a zip archive but are not one: the same "not an Excel book"."""
    with pytest.raises(SpreadsheetError) as error:
        check_xlsx(b"PK\x03\x04" + b"\x00" * 100)
    assert error.value.code == "not_xlsx"
    assert "Excelブック" in str(error.value)


def test_a_zip_without_workbook_parts_says_why():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SpreadsheetError) as error:
        check_xlsx(buffer.getvalue())
    assert "Excelブック" in str(error.value)


def test_up_to_2000_parts_are_read_and_one_more_is_refused():
    """MAX_XLSX_MEMBERS is 2000: an archive of 2000 parts passes, 2001 are refused, saying so."""
    check_xlsx(workbook_zip(2000))
    with pytest.raises(SpreadsheetError) as error:
        check_xlsx(workbook_zip(2001))
    assert error.value.code == "xlsx_too_many_parts"
    assert str(error.value) == "ファイル内の部品が多すぎるため読み込みません（上限 2000 個）。"


def test_the_size_limit_admits_exactly_the_limit():
    """Declared sizes add up to 8 + 11 bytes + 3 MiB here: a limit of exactly that passes, one byte
    less is refused with both figures in whole MB (3 MiB + 19 bytes → 3 MB; limit 2 MB)."""
    data = workbook_zip(3, size=3 * 2**20)
    total = len("<Types/>") + len("<workbook/>") + 3 * 2**20
    check_xlsx(data, limit=total)
    with pytest.raises(SpreadsheetError, match="^展開後"):
        check_xlsx(data, limit=total - 1)
    with pytest.raises(SpreadsheetError) as error:
        check_xlsx(data, limit=2 * 2**20 + 2**19)  # 2.5 MiB shows as 2 MB
    assert str(error.value) == (
        "展開後のサイズが 3 MB あり、上限の 2 MB を超えるため読み込みません。"
    )


@pytest.mark.parametrize("name", ["kpi.csv", "KPI.CSV"])
def test_a_file_named_csv_is_read_as_csv(name):
    """The name decides: .csv (any case) is read as CSV, in its encoding."""
    result = read_dataset("指標名,基準値\r\n自治会の加入率,82.31\r\n".encode("cp932"), name)
    assert result.headers == ["指標名", "基準値"]
    assert [tuple(row) for row in result] == [("自治会の加入率", "82.31")]
