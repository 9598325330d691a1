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
