"""Hostile .xlsx files, written part by part with zipfile as an attacker would (openpyxl refuses to write them):
a sheet declaring itself 16,384 columns wide with a cell in Excel's last row, a shared-strings decompression bomb,
twenty million blank rows, and a writer for any other sheet and shared strings."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="' + _RELATIONSHIPS + '/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
_WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
             '<sheets><sheet name="Portfolio" sheetId="1" state="{state}" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="' + _RELATIONSHIPS + '/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="' + _RELATIONSHIPS + '/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'


def rows_xml(rows: list[dict[str, str]]) -> list[str]:
    """A header row and `rows` as sheet XML with inline strings (as openpyxl writes them), from row 1."""
    table = [list(rows[0]), *(list(row.values()) for row in rows)]
    return [f'<row r="{number}">' + "".join(f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                                            for value in values) + "</row>"
            for number, values in enumerate(table, start=1)]


def workbook(path: Path, sheet_data: Iterable[str], *, dimension: str | None = None,
             shared_strings: Iterable[str] = (), zip64: bool = True, state: str = "visible") -> Path:
    """A one-sheet workbook whose sheetData holds the `sheet_data` pieces (streamed, so a piece can repeat
    without the test holding gigabytes), with an optional declared dimension and shared strings; `zip64` as
    large parts need (the zip headers then give the sizes in an extra field); the sheet's `state` as Excel
    writes it (visible, hidden, veryHidden)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", _TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK.format(state=state))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for piece in sheet_data:
                sheet.write(piece.encode())
            sheet.write(b"</sheetData></worksheet>")
        with package.open("xl/sharedStrings.xml", "w", force_zip64=zip64) as strings:
            strings.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
            for piece in shared_strings:
                strings.write(piece.encode())
            strings.write(b"</sst>")
    return path


def dimension_bomb(path: Path, rows: list[dict[str, str]]) -> Path:
    """A few KB: `rows` under a header, in a sheet that declares itself A1:XFD1048576 and has one more cell, in
    Excel's last row and column (issue 23, medium 2)."""
    return workbook(path, [*rows_xml(rows), '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                                            '</row>'], dimension="A1:XFD1048576")


def shared_strings_bomb(path: Path, megabytes: int = 1_000) -> Path:
    """About 2.5 MB that unpacks to a gigabyte of shared strings (issue 23, medium 3)."""
    million = "<si><t>a</t></si>" * 58_824
    return workbook(path, [HEADER], shared_strings=(million for _ in range(megabytes)))


def blank_rows(path: Path, rows: int = 20_000_000) -> Path:
    """About 180 KB of twenty million blank rows (issue 23, medium 3)."""
    return workbook(path, [HEADER, *("<row/>" * 100_000 for _ in range(rows // 100_000))])


def understated_shared_strings(path: Path, megabytes: int = 40) -> Path:
    """A shared-strings bomb whose zip headers declare the part's unpacked size as 1,000 bytes (in the local
    header and the central directory alike): a reader trusting the declaration would unpack it all."""
    million = "<si><t>a</t></si>" * 58_824
    workbook(path, [HEADER], shared_strings=(million for _ in range(megabytes)), zip64=False)
    data = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at:start + name_at + len(name)] == name:
                struct.pack_into("<I", data, start + size_at, 1_000)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path
