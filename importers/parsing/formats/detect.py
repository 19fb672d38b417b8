"""Which format a document is in, from its content: magic bytes, the ZIP's parts, the markup.

The file name only breaks a tie that the content leaves open (a text file whose every line has
the same number of commas is a CSV whether or not it is called ``.csv``; a tab-separated one is
a table sheet only when it is called ``.csv`` or ``.tsv``, since plan texts carry tab tables).
Formats that cannot be read get a ``ParseError`` that says what the file is and what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from enum import StrEnum

from importers.parsing.errors import ParseError

SUPPORTED = "a plan as PDF, HTML, Word (.docx), Excel (.xlsx), CSV or UTF-8 text"


class Format(StrEnum):
    TEXT = "text"
    PDF = "pdf"
    HTML = "html"
    DOCX = "docx"
    XLSX = "xlsx"
    CSV = "csv"


# Binary formats we recognise but do not read, with what the person can do instead.
_REFUSED: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old binary Office file (.doc/.xls): save it as .docx or .xlsx"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image: a scanned page needs OCR before it can be read"),
    (b"\xff\xd8\xff", "a JPEG image: a scanned page needs OCR before it can be read"),
    (b"II*\x00", "a TIFF image: a scanned page needs OCR before it can be read"),
    (b"MM\x00*", "a TIFF image: a scanned page needs OCR before it can be read"),
    (b"GIF8", "a GIF image: it has no text to read"),
    (b"{\\rtf", "an RTF file: save it as .docx"),
)  # fmt: skip

_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|meta|title|body)\b",
    re.IGNORECASE | re.DOTALL,
)


def detect_format(data: bytes, source: str) -> Format:
    """The format of ``data``; ParseError for an empty file or a format we cannot read."""
    if not data:
        return Format.TEXT  # the text decoder says what is wrong with an empty file
    if b"%PDF-" in data[:1024]:
        return Format.PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, source)
    for magic, what in _REFUSED:
        if data.startswith(magic):
            raise ParseError(source, 0, SUPPORTED, what)
    if _HTML_START.match(data[:4096]):
        return Format.HTML
    if _looks_like_csv(data, source):
        return Format.CSV
    return Format.TEXT


def _zip_format(data: bytes, source: str) -> Format:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ParseError(
            source, 0, "a readable .docx or .xlsx", f"a damaged ZIP archive ({error})"
        ) from None
    if "word/document.xml" in names:
        return Format.DOCX
    if "xl/workbook.xml" in names:
        return Format.XLSX
    if "mimetype" in names and "content.xml" in names:
        found = "an OpenDocument file (.odt/.ods): save it as .docx or .xlsx"
    else:
        found = "a ZIP archive that is neither a Word nor an Excel file"
    raise ParseError(source, 0, SUPPORTED, found)


def _looks_like_csv(data: bytes, source: str) -> bool:
    """Every one of the first lines splits into the same number (≥ 2) of fields."""
    sample = data[:65536]
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError as error:
            if error.start > len(sample) - 4:  # a character cut by the sample's end
                text = sample[: error.start].decode(encoding)
                break
    else:
        return False
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return False
    delimiters = [","] + (["\t", ";"] if source.lower().endswith((".csv", ".tsv")) else [])
    for delimiter in delimiters:
        widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() >= 2:
            return True
    return False
