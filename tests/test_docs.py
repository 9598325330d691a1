"""The README and docs say what the code does (issue 21, item 12): counts are the data's, the commands' help says
what they write, the dashboard's tabs are named as they are, and what the docs promise of a printed report is what a
test checks."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import spreadlab
import spreadlab.app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_counts_are_the_datas(collation):
    approaches, recorded, stated, cases = map(int, re.search(
        r"(\d+) approaches, (\d+) recorded methods \(of (\d+) the collation states\), practical considerations, "
        r"(\d+) case examples", README).groups())
    assert approaches == len(collation.approaches)
    assert (recorded, stated) == (len(collation.methods), collation.approaches["methods_stated"].sum())
    assert cases == len(collation.case_examples)
    library, programmes, case_examples = map(int, re.search(
        r"a programme library of (\d+) real, sourced spread programmes \((\d+) programmes and the (\d+) "
        r"case examples\)",
        README).groups())
    kinds = collation.programmes["record_type"].value_counts()
    assert (library, programmes, case_examples) == (len(collation.programmes), kinds["programme"],
                                                    kinds["case-example"])


def test_the_readme_names_the_dashboards_tabs():
    tabs = " ".join(re.search(r"its tabs: (.+?)\.", README, re.DOTALL).group(1).split())
    assert re.split(r", | and ", tabs) == [title for title, _ in spreadlab.app.TABS]


def test_the_command_help_says_a_report_can_be_html_or_pdf(spreadlab_exe):
    shown = subprocess.run([str(spreadlab_exe), "--help"], capture_output=True, text=True, check=True).stdout
    line = next(line for line in shown.splitlines() if line.strip().startswith("report"))
    assert "HTML" in line and "PDF" in line


def test_the_docs_say_what_page_1_of_a_printed_plan_report_holds():
    """tests/test_report_pdf.py checks that page 1 of every example's board edition holds the summary and the asks
    ("What we need from others")."""
    said = re.search(r"checks that page 1 holds ([^.]+)\.", (ROOT / "docs" / "reports.md").read_text())
    assert said and "summary" in said.group(1) and "What we need from others" in said.group(1)


def test_the_readme_lists_every_dashboard_flag(spreadlab_exe):
    shown = subprocess.run([str(spreadlab_exe), "dashboard", "--help"], capture_output=True, text=True, check=True,
                           env=os.environ | {"COLUMNS": "200"}).stdout
    flags = {line.split()[0].rstrip(",") for line in shown.splitlines() if line.startswith("  --")} - {"--help"}
    line = next(line for line in README.splitlines() if line.startswith("spreadlab dashboard"))
    assert {flag for flag in flags if flag not in line} <= {"--cull-idle-timeout", "--cull-interval",
                                                           "--cull-connected", "--kernel-start-timeout",
                                                           "--preheat", "--max-starting"}  # in docs/deploy.md
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    assert all(flag in deploy for flag in flags - set(re.findall(r"(--[a-z-]+)", line)))
