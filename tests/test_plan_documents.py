"""The plan as documents: the board edition and the full plan hold the same headings in HTML, Word and Markdown;
the Word file opens with python-docx; the Excel workbook has the plan and the ranking on separate sheets; the CSV
opens in Excel's encoding; every guidance line keeps its source."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook

import spreadlab
from spreadlab import views
from spreadlab.views import documents, outline
from test_reports import visible_text

EXAMPLES = sorted((spreadlab.paths.DATA_DIR / "examples" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda path: path.stem)
def guide(request, collation):
    profile = spreadlab.InterventionProfile.from_yaml(request.param)
    return spreadlab.guide(collation, spreadlab.plan(collation, profile))


def test_the_board_edition_opens_with_the_summary_and_the_asks(collation, guide):
    board = outline.board_outline(guide, collation)
    assert board.headings()[:2] == ["Summary", "What we need from others"]
    assert {"The plan on a page", "Measures and gates", "Risks"} <= set(board.headings())
    measures = next(s for s in board.sections if s.key == "measures").blocks[0]
    assert len(measures.items) == len(guide.measures)


def test_the_full_plan_marks_its_appendix_after_the_plan(collation, guide):
    full = outline.full_outline(guide, collation)
    flags = [section.appendix for section in full.sections]
    assert any(flags) and flags == sorted(flags)  # the appendix comes last, all of it
    html = outline.to_html(full, views.plan_timeline(guide.plan))
    assert html.count('role="region" aria-label="Appendix"') == 1
    assert html.index("Appendix: every method") > html.index("Phase 1:")


def test_the_word_file_holds_the_same_headings_and_measures(collation, guide):
    full = outline.full_outline(guide, collation)
    document = Document(io.BytesIO(documents.to_docx(full)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == full.headings()
    text = "\n".join(p.text for p in document.paragraphs)
    for match in guide.measures:
        assert match.item.text in text and match.item.source.url in text


def test_the_markdown_and_the_html_hold_the_same_headings(collation, guide):
    full = outline.full_outline(guide, collation)
    markdown = outline.to_markdown(full)
    assert [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("##")] == full.headings()
    html = visible_text(outline.to_html(full, views.plan_timeline(guide.plan)))
    assert all(heading in html for heading in full.headings())


def test_the_workbook_has_the_plan_and_the_ranking_on_separate_sheets(guide):
    workbook = load_workbook(io.BytesIO(documents.plan_workbook(guide)))
    assert workbook.sheetnames == ["Plan", "Ranking"]
    plan_rows = list(workbook["Plan"].iter_rows(values_only=True))
    assert plan_rows[0][:6] == ("phase", "phase_name", "start_month", "end_month", "method_id", "method")
    assert [row[4] for row in plan_rows[1:]] == list(guide.plan.method_ids)
    ranking_rows = list(workbook["Ranking"].iter_rows(values_only=True))
    assert len(ranking_rows) == 1 + len(guide.plan.advice.methods)


def test_the_csv_opens_in_excels_encoding(guide):
    data = documents.plan_csv(guide)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["method_id"] for row in rows] == list(guide.plan.method_ids)


def test_text_that_a_spreadsheet_would_run_stays_text(collation):
    profile = spreadlab.InterventionProfile.from_dict({
        "name": '=HYPERLINK("http://x")', "nature": "simple", "audience_scale": "local", "motivators": "mixed",
        "energy_for_change": "low", "timescale_months": 12, "resources": "low"})
    guide = spreadlab.guide(collation, spreadlab.plan(collation, profile))
    workbook = load_workbook(io.BytesIO(documents.plan_workbook(guide)))
    assert all(not str(cell).startswith("=") for row in workbook["Plan"].iter_rows(values_only=True) for cell in row
               if cell is not None)


def test_every_guidance_line_of_a_document_keeps_its_source(collation, guide):
    for edition in (outline.board_outline(guide, collation), outline.full_outline(guide, collation)):
        for section in edition.sections:
            for block in section.blocks:
                for item in block.items:
                    if item.provenance is not None:
                        assert item.source and item.url.startswith("http")
