"""Read one sheet of an Excel workbook a user hands in, within bounds of time and memory whatever the file says.

An .xlsx file is a zip of XML parts, and its size on disk says little about the work of reading it: a 2 MB
workbook can unpack to gigabytes of shared strings, 200 KB can hold twenty million blank rows, and a 5 KB sheet
can declare itself 16,384 columns wide so that a reader pads every row to that width. So before openpyxl reads
anything, every part's unpacked size (as the zip's directory declares it: Python's zipfile never unpacks more)
and the number of XML elements of the whole package (counted in one streaming pass) are bounded; then the sheet
is read with its declared dimensions ignored, at most MAX_COLUMNS columns wide, and no further than Excel's last
row. Each bound refused is one line naming the file.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import SpreadlabError
from ..inputs import shorten
from ..suggest import did_you_mean

MAX_PARTS = 1_000
"""Parts of the zip at most (a workbook saved by Excel has about a dozen)."""
MAX_PART_BYTES = 16_000_000
"""Unpacked bytes of any one part at most (a sheet of 10,000 fully filled portfolio rows is about 9 MB)."""
MAX_UNPACKED_BYTES = 48_000_000
"""Unpacked bytes of all the parts together at most."""
MAX_ELEMENTS = 400_000
"""XML elements of the whole package at most: every cell, row, shared string and style is one or more, and openpyxl
reads each in 4 to 7 microseconds of CPU on the 2-core test machine (blank rows cost most), so the worst file
inside the bound takes about 2.5 s. 10,000 portfolio rows with all 15 columns filled are about 330,000 elements
with shared strings (as Excel writes them), 450,000 with inline strings (openpyxl, pandas): split those."""
MAX_COLUMNS = 64
"""Columns read from the left (a portfolio has 15; cells further right are not read)."""
EXCEL_LAST_ROW = 1_048_576
_CHUNK = 1 << 20


def sheet_rows(path: Path, content: bytes, sheet: str | None) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """The sheet's title and its rows that hold a value, as (row number, cell values) from the top; `sheet` names
    it, else the first sheet Excel shows (hidden sheets are skipped). Raises SpreadlabError naming `path` for a
    file that is not a workbook, breaks a bound, or has no such sheet (while reading the rows, too)."""
    import openpyxl  # imported here: only Excel portfolios need it

    _check_package(path, content)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it cannot read; the portfolio has only values.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # a corrupt or renamed file: zipfile, XML and openpyxl each raise their own
        raise _unreadable(path, "the workbook", error) from None
    try:
        worksheet = _chosen(path, book, sheet)
    except SpreadlabError:
        book.close()
        raise
    worksheet.reset_dimensions()  # the declared size may be anything; read the cells that are there
    return worksheet.title, _rows(path, book, worksheet)


def _check_package(path: Path, content: bytes) -> None:
    """Refuse a zip whose parts unpack to more than the bounds allow, before openpyxl unpacks any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS:
                raise SpreadlabError(f"{path}: the workbook has {len(parts):,} parts (at most {MAX_PARTS:,}); "
                                     "save the portfolio in a workbook of its own")
            for part in parts:
                if part.file_size > MAX_PART_BYTES:
                    raise _too_big(path, f"its part {shorten(part.filename)} unpacks to {part.file_size:,} bytes "
                                         f"(at most {MAX_PART_BYTES:,})")
            total = sum(part.file_size for part in parts)
            if total > MAX_UNPACKED_BYTES:
                raise _too_big(path, f"it unpacks to {total:,} bytes (at most {MAX_UNPACKED_BYTES:,})")
            elements = 0
            for part in parts:
                elements += _elements(package, part, MAX_ELEMENTS - elements)
                if elements > MAX_ELEMENTS:
                    raise _too_big(path, f"it holds more than {MAX_ELEMENTS:,} XML elements (cells, rows, "
                                         "strings, styles)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise _unreadable(path, "the workbook", error) from None


def _elements(package: zipfile.ZipFile, part: zipfile.ZipInfo, budget: int) -> int:
    """The XML elements of one part (its start tags: a `<` not followed by `/`), counted while unpacking it in
    chunks; stops once past `budget`."""
    count, last = 0, b""
    with package.open(part) as stream:
        while count <= budget and (chunk := stream.read(_CHUNK)):
            joined = last + chunk
            # A tag split between chunks is counted in the chunk its `<` ends up in, once.
            count += joined.count(b"<") - joined.count(b"</") - (last.count(b"<") - last.count(b"</"))
            last = chunk[-1:]
    return count


def _chosen(path: Path, book: Any, sheet: str | None) -> Any:
    if sheet is not None:
        if sheet in book.sheetnames:
            return book[sheet]
        raise SpreadlabError(f"{path}: no sheet named {shorten(sheet)}{did_you_mean(sheet, book.sheetnames)} "
                             f"(sheets: {', '.join(book.sheetnames)})")
    visible = [worksheet for worksheet in book.worksheets if worksheet.sheet_state == "visible"]
    if not visible:
        raise SpreadlabError(f"{path}: the workbook has no visible sheet; name one with --sheet "
                             f"(sheets: {', '.join(book.sheetnames) or 'none'})")
    return visible[0]


def _rows(path: Path, book: Any, worksheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """The rows holding a value; the rows missing between two rows of the file come as empty rows from openpyxl,
    one by one, and are skipped here at the cost of a count each."""
    try:
        for number, values in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > EXCEL_LAST_ROW:
                raise SpreadlabError(f"{path}: sheet {worksheet.title!r} has rows past row {EXCEL_LAST_ROW:,}, "
                                     "Excel's last; it is not a workbook Excel saved")
            if values.count(None) < len(values):
                yield number, list(values)
    except SpreadlabError:
        raise
    except Exception as error:  # malformed XML, a cell openpyxl cannot convert: the sheet, not the program
        raise _unreadable(path, f"sheet {worksheet.title!r}", error) from None
    finally:
        book.close()


def _too_big(path: Path, reason: str) -> SpreadlabError:
    return SpreadlabError(f"{path}: the workbook is too large to read: {reason}; save the portfolio in a workbook "
                          "of its own")


def _unreadable(path: Path, what: str, error: Exception) -> SpreadlabError:
    return SpreadlabError(f"{path}: cannot read {what} ({type(error).__name__}: {shorten(str(error), 120)})")
