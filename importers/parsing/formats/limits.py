"""How much of a document the front ends read, and the guard against ZIP bombs.

A plan PDF runs to a few hundred pages and a few tens of megabytes; a KPI workbook to a few
thousand rows. The limits sit well above that and refuse what would tie up the server: a file
over ``max_bytes``, a PDF over ``max_pages``, a .docx/.xlsx whose parts unpack to more than
``max_unpacked`` bytes or compress more than ``max_ratio`` times (a ZIP bomb: a few kilobytes
that unpack to gigabytes). ZIP parts are read through ``zipfile``, which stops at the size each
part declares, so checking the declared sizes is enough.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from importers.parsing.errors import ParseError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * MB
    max_pages: int = 1000
    max_unpacked: int = 200 * MB
    max_ratio: int = 200
    max_parts: int = 2000
    max_cells: int = 1_000_000


DEFAULT_LIMITS = Limits()


def check_size(data: bytes, source: str, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise ParseError(
            source,
            0,
            f"a file of at most {limits.max_bytes // MB} MB",
            f"{len(data) / MB:.1f} MB",
        )


def check_pages(pages: int, source: str, limits: Limits) -> None:
    if pages > limits.max_pages:
        raise ParseError(
            source, 0, f"a document of at most {limits.max_pages} pages", f"{pages} pages"
        )


def open_zip(data: bytes, source: str, limits: Limits, what: str) -> zipfile.ZipFile:
    """The archive of a .docx/.xlsx after the bomb checks; ParseError when it is not one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ParseError(source, 0, what, f"a damaged ZIP archive ({error})") from None
    if len(infos) > limits.max_parts:
        raise ParseError(source, 0, what, f"a ZIP archive of {len(infos)} parts")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        raise ParseError(
            source,
            0,
            f"{what} that unpacks to at most {limits.max_unpacked // MB} MB",
            f"parts that unpack to {unpacked / MB:,.0f} MB (a ZIP bomb?); nothing was read",
        )
    for info in infos:
        if info.file_size > 1 * MB and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ParseError(
                source,
                0,
                what,
                f"part {info.filename} compressed {ratio:,} times (a ZIP bomb?); nothing was read",
            )
    return archive
