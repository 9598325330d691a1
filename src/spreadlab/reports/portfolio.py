"""Read a portfolio of interventions into rows, each a validated profile or its error: a spreadsheet as people
export it (.xlsx, its first visible sheet or a named one; CSV in UTF-8 with or without BOM, UTF-16 or Windows-1252,
comma, semicolon or tab delimited) or a YAML list of profiles.

Row numbers are the ones the user sees: in a spreadsheet the header is row 1 and the first intervention row 2
(blank rows count, as they do in Excel); in YAML, items count from 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ProfileError, SpreadlabError
from ..inputs import load_yaml, read_bytes, read_text, shorten
from ..profile import FIELDS, NAME_MAX, InterventionProfile, shown_as_typed
from ..suggest import did_you_mean
from ..vocabulary import NASSS_DOMAINS
from .workbook import sheet_rows

MAX_BYTES = 20_000_000
MAX_ROWS = 10_000
MAX_CSV_LINES = 100_000
"""Lines of a CSV portfolio at most: its rows, blank lines and line breaks inside cells."""
MAX_CSV_CELLS = 256
"""Cells of one CSV line at most (empty cells included: Excel writes as many as the widest row)."""
COLUMNS = tuple(field for field in FIELDS if field != "complexity") + tuple(
    f"complexity.{domain}" for domain in NASSS_DOMAINS)
_DELIMITERS = (",", ";", "\t")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One intervention of a portfolio.

    Attributes:
        number: the row as the user sees it (spreadsheet row, header = 1; YAML item, from 1).
        name: the name as typed (or `row N` when missing), for the index.
        profile: the validated profile, or None when the row is invalid.
        error: the ProfileError message when the row is invalid (each of its lines starts with `source`).
        source: where the row is, as messages name it (`portfolio.csv: row 4`, `portfolio.yaml: item 2`).
    """

    number: int
    name: str
    profile: InterventionProfile | None
    error: str | None
    source: str


def read_portfolio(path: str | Path, *, sheet: str | None = None) -> list[PortfolioRow]:
    """Every row of a portfolio file; a bad row becomes an invalid row, a bad file raises SpreadlabError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if sheet is not None and suffix not in _EXCEL_SUFFIXES:
        raise SpreadlabError(f"{path}: --sheet applies to Excel workbooks (.xlsx) only")
    if suffix == ".csv":
        table = _csv_table(path)
    elif suffix in _EXCEL_SUFFIXES:
        table = _excel_table(path, sheet)
    elif suffix in _YAML_SUFFIXES:
        return _yaml_rows(path)
    else:
        raise SpreadlabError(f"{path}: a portfolio must be a .csv, .xlsx or .yaml file")
    return _table_rows(path, table)


@dataclass(frozen=True, slots=True)
class _Table:
    """A spreadsheet's cells as text: the header, and each later row with its number as the user sees it."""

    where: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def _csv_table(path: Path) -> _Table:
    text = _decode(path, read_bytes(path, what="portfolio", max_bytes=MAX_BYTES))
    delimiter = _delimiter(text.partition("\n")[0])
    _check_csv_shape(path, text, delimiter)
    return _table(str(path), enumerate(_csv_records(path, text, delimiter), start=1))


def _csv_records(path: Path, text: str, delimiter: str) -> Iterator[list[str]]:
    """The CSV's records one by one (blank ones are dropped as they come, never all held at once)."""
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as error:
        raise SpreadlabError(f"{path}: cannot read the CSV ({error})") from None


def _check_csv_shape(path: Path, text: str, delimiter: str) -> None:
    """Refuse, before the CSV reader builds a list of every line and cell, a file of more lines or a line of more
    cells than any portfolio has: 20 MB of newlines or of commas took minutes and gigabytes to read."""
    if max(text.count("\n"), text.count("\r")) > MAX_CSV_LINES:
        raise SpreadlabError(f"{path}: more than {MAX_CSV_LINES:,} lines (a portfolio has at most {MAX_ROWS:,} "
                             "rows); split the portfolio")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(delimiter) >= MAX_CSV_CELLS:
            raise SpreadlabError(f"{path}: line {number} has more than {MAX_CSV_CELLS:,} cells (a portfolio has "
                                 f"{len(COLUMNS)} columns); delete the empty columns to its right")


def _decode(path: Path, content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode Text"), else Windows-1252 (Excel's
    "CSV (Comma delimited)" on Windows)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadlabError(
            f"{path}: the portfolio is neither UTF-8 nor Windows-1252 text (byte 0x{content[error.start]:02x} at "
            f"position {error.start}); in Excel, save it as \"CSV UTF-8 (Comma delimited)\"") from None


def _delimiter(header_line: str) -> str:
    """The delimiter of the header line: whichever of comma, semicolon and tab it holds most of (Excel in many
    European locales writes semicolons)."""
    return max(_DELIMITERS, key=header_line.count)


def _excel_table(path: Path, sheet: str | None) -> _Table:
    title, rows = sheet_rows(path, read_bytes(path, what="portfolio", max_bytes=MAX_BYTES), sheet)
    cells = ((number, [_cell_text(value) for value in values]) for number, values in rows)
    return _table(f"{path} (sheet {title!r})", cells)


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold: whole numbers without `.0`, empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(where: str, records: Iterable[tuple[int, Sequence[str]]]) -> _Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in records:
        cells = list(cells)
        if not any(cell.strip() for cell in cells):
            continue  # a blank row (its number still counts)
        if header is None:
            header = [cell.strip() for cell in cells]
            continue
        if len(rows) >= MAX_ROWS:
            raise SpreadlabError(f"{where}: more than {MAX_ROWS:,} rows; split the portfolio")
        rows.append((number, cells))
    if header is None:
        raise SpreadlabError(f"{where}: the portfolio is empty")
    return _Table(where, header, rows)


def _table_rows(path: Path, table: _Table) -> list[PortfolioRow]:
    columns = _columns(table)
    if not table.rows:
        raise SpreadlabError(f"{table.where}: the portfolio has no rows below its header")
    result = []
    for number, cells in table.rows:
        extra = [cell for position, cell in enumerate(cells) if cell.strip() and position not in columns]
        source = f"{path.name}: row {number}"
        if extra:
            error = (f"{source}: {len(cells)} cells, but the header names {len(columns)} columns "
                     f"(first extra cell: {shorten(extra[0])})")
            result.append(PortfolioRow(number, f"row {number}", None, error, source))
            continue
        record = {name: (cells[position] if position < len(cells) else "") for position, name in columns.items()}
        result.append(_row(number, record, source, InterventionProfile.from_csv_row))
    return result


def _columns(table: _Table) -> dict[int, str]:
    """Position → column name; refuses unknown and repeated names, naming the spreadsheet column letter. A
    column without a heading is ignored when all its cells are empty (Excel exports such columns)."""
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for position, name in enumerate(table.header):
        letter = _letter(position)
        if not name:
            if any(position < len(cells) and cells[position].strip() for _, cells in table.rows):
                raise SpreadlabError(f"{table.where}: column {letter} has values but no heading")
            continue
        if name not in COLUMNS:
            raise SpreadlabError(f"{table.where}: column {letter}: unknown column {shorten(name)}"
                                 f"{did_you_mean(name, COLUMNS)} (allowed: {', '.join(COLUMNS)})")
        if name in seen:
            raise SpreadlabError(f"{table.where}: column {name!r} appears twice (columns {_letter(seen[name])} "
                                 f"and {letter}); keep one")
        seen[name] = position
        columns[position] = name
    return columns


def _letter(position: int) -> str:
    """A spreadsheet column letter from a 0-based position: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _yaml_rows(path: Path) -> list[PortfolioRow]:
    records = load_yaml(read_text(path, what="portfolio", max_bytes=MAX_BYTES), what="portfolio", source=str(path))
    if not isinstance(records, list):
        raise SpreadlabError(f"{path}: a YAML portfolio must be a list of intervention profiles")
    if not records:
        raise SpreadlabError(f"{path}: the portfolio has no rows")
    if len(records) > MAX_ROWS:
        raise SpreadlabError(f"{path}: more than {MAX_ROWS:,} items; split the portfolio")
    return [_row(number, record, f"{path.name}: item {number}", InterventionProfile.from_dict)
            for number, record in enumerate(records, start=1)]


def _row(number: int, record: Any, source: str, build) -> PortfolioRow:
    typed_name = record.get("name") if isinstance(record, dict) else None
    # The name as typed, for the index, the manifest and the terminal: cut so that no value can flood them, and
    # with the characters a name may not hold (escape sequences, bidirectional controls) made harmless.
    name = shown_as_typed(" ".join(typed_name.split())[:NAME_MAX]) if isinstance(typed_name, str) else ""
    try:
        profile = build(record, source=source)
    except ProfileError as error:
        return PortfolioRow(number, name or f"row {number}", None, str(error), source)
    return PortfolioRow(number, profile.name, profile, None, source)
