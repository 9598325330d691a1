"""Portfolios as people export them from spreadsheets, each file made for real: Excel workbooks (openpyxl),
CSV in UTF-8 with and without BOM, Windows-1252 bytes, semicolon and tab delimited; row numbers as the
spreadsheet shows them; unknown, misspelled and repeated columns refused in one line."""

from __future__ import annotations

import pytest
import yaml
from openpyxl import Workbook

from portfolios import example_rows
from spreadlab.cli import main
from spreadlab.errors import SpreadlabError
from spreadlab.reports.portfolio import read_portfolio

NAME = "Réseau café – “quoted” talking therapies"  # é, an en dash and curly quotes are all in Windows-1252


@pytest.fixture
def rows() -> list[dict[str, str]]:
    """Three example rows, the second renamed with accented letters and typographic punctuation."""
    chosen = example_rows()[:3]
    chosen[1]["name"] = NAME
    return chosen


def as_csv(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    header = delimiter.join(rows[0])
    return "\r\n".join([header] + [delimiter.join(row.values()) for row in rows]) + "\r\n"


def assert_read_back(path, rows: list[dict[str, str]], **options) -> None:
    read = read_portfolio(path, **options)
    assert [row.error for row in read] == [None] * len(rows)
    assert [row.name for row in read] == [row["name"] for row in rows]
    assert [row.number for row in read] == list(range(2, len(rows) + 2))
    first = read[0].profile
    assert first.timescale_months == int(rows[0]["timescale_months"]) and first.resources == rows[0]["resources"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_a_comma_csv_in_each_encoding_excel_writes(tmp_path, rows, encoding):
    path = tmp_path / "portfolio.csv"
    path.write_bytes(as_csv(rows).encode(encoding))
    assert_read_back(path, rows)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_semicolon_or_tab_delimited_csv(tmp_path, rows, delimiter):
    path = tmp_path / "portfolio.csv"
    path.write_bytes(as_csv(rows, delimiter).encode("cp1252"))
    assert_read_back(path, rows)


def workbook(path, sheets: dict[str, list[dict[str, str]]]) -> None:
    """An .xlsx file with one sheet per entry; numbers stored as numbers, as Excel does."""
    book = Workbook()
    book.remove(book.active)
    for title, sheet_rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(sheet_rows[0]))
        for row in sheet_rows:
            sheet.append([int(value) if value.isdigit() else (value or None) for value in row.values()])
    book.save(path)


def test_an_excel_workbook_is_read_from_its_first_sheet(tmp_path, rows):
    path = tmp_path / "portfolio.xlsx"
    workbook(path, {"Plans": rows, "Other": example_rows()[3:5]})
    assert_read_back(path, rows)


def test_an_excel_sheet_chosen_by_name_and_a_misspelled_sheet(tmp_path, rows):
    path = tmp_path / "portfolio.xlsx"
    other = example_rows()[3:5]
    workbook(path, {"Plans": rows, "Regional plans": other})
    assert_read_back(path, other, sheet="Regional plans")
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path, sheet="Regional plan")
    assert str(caught.value) == (f"{path}: no sheet named 'Regional plan' (did you mean 'Regional plans'?) "
                                 "(sheets: Plans, Regional plans)")


def test_row_numbers_are_the_spreadsheets_with_blank_rows_counted(tmp_path, rows):
    rows[1]["resources"] = "plenty"
    text = as_csv(rows).splitlines()
    path = tmp_path / "portfolio.csv"
    path.write_text("\n".join([text[0], text[1], "", text[2], text[3]]) + "\n", encoding="utf-8")
    read = read_portfolio(path)
    assert [row.number for row in read] == [2, 4, 5]
    assert read[1].profile is None and read[1].error.startswith("portfolio.csv: row 4: ")
    assert "'plenty'" in read[1].error


def test_a_bad_cell_in_a_workbook_names_the_row_excel_shows(tmp_path, rows):
    rows[2]["timescale_months"] = "500"
    path = tmp_path / "portfolio.xlsx"
    workbook(path, {"Plans": rows})
    bad = read_portfolio(path)[2]
    assert bad.number == 4 and bad.error.startswith("portfolio.xlsx: row 4: ") and "500" in bad.error


def test_a_row_with_several_bad_cells_names_every_one_in_its_row_and_in_the_index(tmp_path, rows):
    from spreadlab.reports.index import index_html
    from spreadlab.reports.results import RowResult, Status
    from spreadlab.views.visible import visible_text

    rows[1] |= {"timescale_months": "500", "resources": "plenty"}
    path = tmp_path / "portfolio.xlsx"
    workbook(path, {"Plans": rows})
    bad = read_portfolio(path)[1]
    assert bad.error.splitlines() == [
        "portfolio.xlsx: row 3: field 'timescale_months': '500' is not allowed (allowed: a whole number of months "
        "from 1 to 120); 1 more problem below",
        "portfolio.xlsx: row 3: field 'resources': 'plenty' is not allowed (allowed: low, medium, high)"]
    page = index_html("Plans", [RowResult(bad.number, bad.name, None, None, Status.INVALID, error=bad.error)])
    seen = visible_text(page)
    assert all(line in seen for line in bad.error.splitlines())
    assert ".sl-error-text { white-space: pre-line; }" in page, "each problem on its own line"


def test_a_misspelled_column_gets_a_did_you_mean_with_its_column_letter(tmp_path, rows):
    path = tmp_path / "portfolio.csv"
    path.write_text(as_csv(rows).replace("resources", "resouces", 1), encoding="utf-8")
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path)
    message = str(caught.value)
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[list(rows[0]).index("resources")]
    assert message.startswith(f"{path}: column {column}: unknown column 'resouces' (did you mean 'resources'?) ")
    assert "\n" not in message


def test_a_repeated_column_is_refused_not_resolved_to_the_last(tmp_path, rows):
    path = tmp_path / "portfolio.csv"
    header = list(rows[0])
    path.write_text(",".join(header + ["resources"]) + "\n" + ",".join([*rows[0].values(), "high"]) + "\n",
                    encoding="utf-8")
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path)
    assert str(caught.value) == (f"{path}: column 'resources' appears twice (columns "
                                 f"{'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[header.index('resources')]} and "
                                 f"{'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[len(header)]}); keep one")


def test_bytes_that_are_no_text_encoding_get_advice(tmp_path):
    path = tmp_path / "portfolio.csv"
    path.write_bytes(b"name\n\x81\x8d\x90\n")
    with pytest.raises(SpreadlabError, match='save it as "CSV UTF-8'):
        read_portfolio(path)


def test_a_workbook_that_is_not_one_and_sheet_for_a_csv_are_one_line(tmp_path, capsys):
    fake = tmp_path / "portfolio.xlsx"
    fake.write_text("name\nX\n")
    assert main(["batch", str(fake), "--out", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"spreadlab: error: {fake}: cannot read the workbook (") and error.count("\n") == 1
    csv_file = tmp_path / "portfolio.csv"
    csv_file.write_text("name\nX\n")
    assert main(["batch", str(csv_file), "--sheet", "Plans", "--out", str(tmp_path / "out")]) == 1
    assert "--sheet applies to Excel workbooks (.xlsx) only" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_yaml_portfolio_with_an_alias_bomb_or_a_duplicate_key_fails_fast_in_one_line(tmp_path):
    from test_inputs import alias_bomb

    path = tmp_path / "portfolio.yaml"
    path.write_text("- " + alias_bomb().replace("\n", "\n  "), encoding="utf-8")
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path)
    assert str(caught.value).startswith(f"{path}: aliases expand to more than 100,000 values at line ")
    path.write_text("- name: A\n  name: B\n", encoding="utf-8")
    with pytest.raises(SpreadlabError, match=r"duplicate key 'name' at line 2, column 3"):
        read_portfolio(path)


def test_yaml_items_are_numbered_from_1_in_messages(tmp_path, profile_values):
    path = tmp_path / "portfolio.yaml"
    path.write_text(yaml.safe_dump([profile_values, profile_values | {"resources": "plenty"}]), encoding="utf-8")
    first, second = read_portfolio(path)
    assert (first.number, second.number) == (1, 2) and first.error is None
    assert second.error.startswith("portfolio.yaml: item 2: ")


# Read in a child process, so its time and peak memory are its own: CPU from os.wait4, the peak from the child's
# /proc/self/status (VmHWM: its own memory since exec; ru_maxrss would count the test process it was forked from).
_READ = """
import sys
from pathlib import Path
from spreadlab.errors import SpreadlabError
from spreadlab.reports.portfolio import read_portfolio
try:
    rows = read_portfolio(sys.argv[1])
except SpreadlabError as error:
    print("refused:", error)
else:
    print("read:", len(rows), "rows,", sum(row.profile is None for row in rows), "invalid")
peak = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
print(int(peak.split()[1]) // 1024)
"""


def read_in_a_child(path, limit: float = 60.0) -> tuple[str, float, float, float]:
    """What reading `path` printed, and its wall seconds, CPU seconds and peak resident MB; killed after
    `limit` seconds."""
    import os
    import subprocess
    import sys
    import threading
    import time

    start = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", _READ, str(path)], stdout=subprocess.PIPE, text=True)
    deadline = threading.Timer(limit, child.kill)
    deadline.start()
    try:
        printed = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, for its resource use
    finally:
        deadline.cancel()
        child.stdout.close()
    assert child.returncode == 0, f"killed after {limit:.0f} s" if deadline.finished.is_set() \
        else printed
    outcome, peak_mb = printed.strip().rsplit("\n", 1)
    return outcome, time.monotonic() - start, usage.ru_utime + usage.ru_stime, float(peak_mb)


def _hostile(kind: str, path, rows):
    import hostile_workbooks as hostile

    return {"dimension bomb": lambda: hostile.dimension_bomb(path, rows),
            "shared-strings bomb": lambda: hostile.shared_strings_bomb(path, megabytes=100),
            "understated shared-strings bomb": lambda: hostile.understated_shared_strings(path),
            "20 million blank rows": lambda: hostile.blank_rows(path)}[kind]()


@pytest.mark.parametrize(("kind", "outcome"), [
    ("dimension bomb", "read: 3 rows, 0 invalid"),
    ("shared-strings bomb", "refused: {path}: the workbook is too large to read: its part 'xl/sharedStrings.xml' "
                            "unpacks to 100,000,915 bytes (at most 16,000,000); save the portfolio in a workbook of "
                            "its own"),
    ("understated shared-strings bomb", "refused: {path}: cannot read the workbook (BadZipFile: \"Bad CRC-32 for "
                                        "file 'xl/sharedStrings.xml'\")"),
    ("20 million blank rows", "refused: {path}: the workbook is too large to read: its part "
                              "'xl/worksheets/sheet1.xml' unpacks to 120,000,215 bytes (at most 16,000,000); save "
                              "the portfolio in a workbook of its own"),
])
def test_a_hostile_workbook_is_refused_or_read_within_5_s_of_cpu_and_300_mb_with_a_one_line_reason(
        tmp_path, rows, kind, outcome):
    path = _hostile(kind, tmp_path / "portfolio.xlsx", rows)
    assert path.stat().st_size < 3_000_000
    printed, wall, cpu, peak_mb = read_in_a_child(path)
    assert printed == outcome.format(path=path)
    # CPU rather than wall time: the 2-core test machine is shared, and waiting for a core is not the file's doing.
    assert cpu < 5.0 and peak_mb < 300, f"{cpu:.1f} s of CPU, {peak_mb:.0f} MB (wall {wall:.1f} s)"


@pytest.mark.parametrize("shape", ["blank rows", "shared strings"])
def test_the_slowest_workbook_inside_the_bounds_is_read_within_5_s_of_cpu_and_300_mb(tmp_path, shape):
    """The shapes that cost openpyxl most per XML element (about 6.7 and 5.6 us of CPU here; cells with values
    about 4.5), at just under the bound."""
    import hostile_workbooks as hostile
    from spreadlab.reports.workbook import MAX_ELEMENTS

    n, path = MAX_ELEMENTS - 100, tmp_path / "portfolio.xlsx"
    if shape == "blank rows":
        hostile.workbook(path, [hostile.HEADER, "<row/>" * n])
    else:
        hostile.workbook(path, [hostile.HEADER], shared_strings=["<si><t>a</t></si>" * (n // 2)])
    printed, wall, cpu, peak_mb = read_in_a_child(path)
    assert printed == f"refused: {path} (sheet 'Portfolio'): the portfolio has no rows below its header"
    assert cpu < 5.0 and peak_mb < 300, f"{cpu:.1f} s of CPU, {peak_mb:.0f} MB (wall {wall:.1f} s)"


def test_one_element_past_the_bound_is_refused_before_openpyxl_reads_any(tmp_path):
    import hostile_workbooks as hostile
    from spreadlab.reports.workbook import MAX_ELEMENTS

    path = hostile.workbook(tmp_path / "portfolio.xlsx", [hostile.HEADER, "<row/>" * (MAX_ELEMENTS + 1)])
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path)
    assert str(caught.value) == (f"{path}: the workbook is too large to read: it holds more than "
                                 f"{MAX_ELEMENTS:,} XML elements (cells, rows, strings, styles); save the "
                                 "portfolio in a workbook of its own")


def test_the_first_visible_sheet_is_read_and_a_hidden_one_only_by_name(tmp_path, rows):
    path = tmp_path / "portfolio.xlsx"
    other = example_rows()[3:5]
    workbook(path, {"Old plans": other, "Plans": rows})
    book = __import__("openpyxl").load_workbook(path)
    book["Old plans"].sheet_state = "hidden"
    book.save(path)
    assert_read_back(path, rows)
    assert_read_back(path, other, sheet="Old plans")
    import hostile_workbooks as hostile  # Excel and openpyxl refuse to save a workbook with no visible sheet

    hostile.workbook(path, hostile.rows_xml(rows), state="veryHidden")
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path)
    assert str(caught.value) == f"{path}: the workbook has no visible sheet; name one with --sheet (sheets: Portfolio)"
    assert_read_back(path, rows, sheet="Portfolio")


@pytest.mark.parametrize(("cell", "reason"), [
    ('<c r="B2" t="n"><v>not a number</v></c>', "ValueError"),
    ('<c r="B2"><v>1</v>', "ParseError"),  # not closed
])
def test_a_malformed_sheet_is_one_line_naming_the_sheet(tmp_path, rows, cell, reason):
    import hostile_workbooks as hostile

    # Declared dimensions, as Excel writes them: without, openpyxl parses the whole sheet as it opens the workbook.
    path = hostile.workbook(tmp_path / "portfolio.xlsx", [*hostile.rows_xml(rows), f'<row r="5">{cell}</row>'],
                            dimension="A1:O5")
    with pytest.raises(SpreadlabError) as caught:
        read_portfolio(path)
    assert str(caught.value).startswith(f"{path}: cannot read sheet 'Portfolio' ({reason}: ")
    assert "\n" not in str(caught.value)


HEADING = "name,nature,audience_scale,motivators,energy_for_change,timescale_months,resources,evidence"


@pytest.mark.parametrize(("content", "outcome"), [
    ("," * 19_999_999 + "\n", "line 1 has more than 256 cells (a portfolio has {columns} columns); delete the "
                              "empty columns to its right"),
    (HEADING + "," * 19_000_000 + "\nx\n", "line 1 has more than 256 cells (a portfolio has {columns} columns); "
                                           "delete the empty columns to its right"),
    ("name\n" + "\n" * 19_000_000, "more than 100,000 lines (a portfolio has at most 10,000 rows); split the "
                                   "portfolio"),
    (HEADING + "\n" + ("," * 254 + "\n") * 78_000, "the portfolio has no rows below its header"),
], ids=["commas", "a heading and commas", "newlines", "blank rows as wide as allowed"])
def test_a_20_mb_csv_of_commas_or_newlines_is_refused_within_5_s_of_cpu_and_300_mb(tmp_path, content, outcome):
    from spreadlab.reports.portfolio import COLUMNS

    path = tmp_path / "portfolio.csv"
    path.write_text(content, encoding="utf-8")
    assert 19_000_000 <= path.stat().st_size <= 20_000_000
    printed, wall, cpu, peak_mb = read_in_a_child(path)
    assert printed == f"refused: {path}: " + outcome.format(columns=len(COLUMNS))
    assert cpu < 5.0 and peak_mb < 300, f"{cpu:.1f} s of CPU, {peak_mb:.0f} MB (wall {wall:.1f} s)"
