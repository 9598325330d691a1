"""PDF reports printed by Debian's Chromium: A4, page numbers, the text selectable and in reading order
(read back with poppler's pdftotext), for `spreadlab report` and `spreadlab batch`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portfolios import example_rows, write_portfolio
from spreadlab.paths import DATA_DIR
from test_reports import run_cli

pytestmark = [pytest.mark.kernel, pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")]
A4_POINTS = "595.92 x 842.88 pts (A4)"


class _Headings(HTMLParser):
    """The text of every h1/h2 heading, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2"}:
            self._inside = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in {"h1", "h2"}:
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.headings[-1] += data


def headings_of(html_file: Path) -> list[str]:
    parser = _Headings()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return [" ".join(heading.split()) for heading in parser.headings if heading.strip()]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in done.splitlines() if ":" in line)


def assert_printed_from(pdf: Path, html_file: Path) -> None:
    """A4 pages, numbered, with the page's headings as selectable text in the page's order."""
    info = pdf_info(pdf)
    pages = int(info["Pages"])
    assert info["Page size"].strip() == A4_POINTS
    text = pdf_text(pdf)
    assert re.findall(r"Page (\d+) of (\d+)", text) == [(str(n), str(pages)) for n in range(1, pages + 1)]
    flat = " ".join(text.split())
    positions = [flat.find(heading) for heading in headings_of(html_file)]
    assert len(positions) >= 3 and -1 not in positions, list(zip(headings_of(html_file), positions, strict=True))
    assert positions == sorted(positions), "headings out of reading order"


def test_report_plan_in_both_formats_gives_a_numbered_a4_pdf_of_the_same_page(spreadlab_exe, tmp_path):
    profile = DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml"
    done = run_cli(spreadlab_exe, "report", "plan", str(profile), "--format", "both", "--out", str(tmp_path),
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    html_file, pdf = (Path(line) for line in done.stdout.split())
    assert (html_file.suffix, pdf.suffix) == (".html", ".pdf") and html_file.stem == pdf.stem
    assert_printed_from(pdf, html_file)
    assert "Remote monitoring for COPD patients at home" in pdf_text(pdf)


def test_batch_as_pdf_only_writes_pdfs_links_them_and_a_rerun_skips_them(spreadlab_exe, tmp_path):
    portfolio = write_portfolio(tmp_path / "portfolio.csv", example_rows()[:2])
    out = tmp_path / "out"
    done = run_cli(spreadlab_exe, "batch", str(portfolio), "--format", "pdf", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = json.loads((out / "manifest.json").read_text())["rows"]
    assert [row["files"] for row in rows] == [[row["output"]] for row in rows]
    assert all(row["output"].endswith(".pdf") for row in rows)
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.html", "manifest.json"]
                                                           + [row["output"] for row in rows])
    index = (out / "index.html").read_text(encoding="utf-8")
    for row in rows:
        assert f'href="{row["output"]}"' in index
        assert row["name"] in pdf_text(out / row["output"])
    again = run_cli(spreadlab_exe, "batch", str(portfolio), "--format", "pdf", "--out", str(out), cwd=tmp_path)
    assert "2 rows: 0 made, 2 unchanged, 0 failed" in again.stdout
    both = run_cli(spreadlab_exe, "batch", str(portfolio), "--format", "both", "--out", str(out), cwd=tmp_path)
    assert "2 rows: 2 made, 0 unchanged, 0 failed" in both.stdout, "the HTML was missing, so the rows are remade"
    index = (out / "index.html").read_text(encoding="utf-8")
    for row in json.loads((out / "manifest.json").read_text())["rows"]:
        html_name, pdf_name = row["files"]
        assert_printed_from(out / pdf_name, out / html_name)
        assert f'<a href="{html_name}">' in index and f'<a href="{pdf_name}" aria-label="PDF of ' in index
        assert row["seconds"] > 0, "timings stay in the manifest"
    assert ">Seconds<" not in index, "the board's table has no timings"


def test_report_case_as_pdf_only_leaves_just_the_pdf(spreadlab_exe, tmp_path, collation):
    done = run_cli(spreadlab_exe, "report", "case", "atrial-fibrillation", "--format", "pdf", "--out",
                   str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = Path(done.stdout.strip())
    assert [p.name for p in (tmp_path / "out").iterdir()] == [pdf.name] == ["atrial-fibrillation.pdf"]
    info = pdf_info(pdf)
    assert info["Page size"].strip() == A4_POINTS and re.search(r"Page 1 of \d+", pdf_text(pdf))
    case = collation.case_examples.set_index("case_id").loc["atrial-fibrillation"]
    assert case["name"] in " ".join(pdf_text(pdf).split())
