"""The plan report's editions and files, without a kernel: what a job hands the template (the edition, a saved
plan's edits and left-out programmes), that the template's parameters give back the saved plan, the formats, and
the Word file's way out of the kernel."""

from __future__ import annotations

import nbformat
import pytest

import spreadlab
from spreadlab.errors import ProfileError
from spreadlab.plan_file import PlanEdits, PlanFile
from spreadlab.reports import pdf, word
from spreadlab.reports.jobs import plan_job
from spreadlab.reports.plan_sections import EDITIONS, outline_of, plan_file_from
from spreadlab.views import documents

EXAMPLE = spreadlab.paths.DATA_DIR / "examples" / "profiles" / "frailty-virtual-wards.yaml"


def edited_plan_file(collation) -> PlanFile:
    """A saved plan: the example profile, one programme left out, and a method dropped, added and moved."""
    plain = PlanFile.from_yaml(EXAMPLE, collation=collation).plan(collation)
    first, last = plain.phases[0], plain.phases[-1]
    unplanned = next(m for m in collation.methods["method_id"] if m not in {i for p in plain.phases
                                                                         for i in p.method_ids})
    edits = PlanEdits(drop=(last.method_ids[-1],), add=((unplanned, first.stage),),
                      move=((first.method_ids[0], last.stage),))
    excluded = plain.advice.closest[0].programme_id
    return PlanFile.from_dict(PlanFile(plain.profile, edits, (excluded,)).to_dict(), collation=collation)


@pytest.fixture(scope="module")
def saved(collation) -> PlanFile:
    return edited_plan_file(collation)


def test_the_template_parameters_of_a_saved_plan_give_back_the_same_plan(collation, saved):
    job = plan_job(saved)
    assert job.parameters["plan_edits"] == saved.edits.to_dict() and job.parameters["exclude_programmes"]
    assert plan_file_from(job.parameters, collation) == saved
    edited, plain = saved.plan(collation), PlanFile(saved.profile).plan(collation)
    assert [p.method_ids for p in edited.phases] != [p.method_ids for p in plain.phases]
    assert saved.exclude[0] not in [p.programme_id for p in edited.advice.closest]


def test_a_plain_profile_is_a_plan_file_without_edits(collation):
    profile = spreadlab.InterventionProfile.from_yaml(EXAMPLE)
    job = plan_job(profile)
    assert job.parameters["plan_edits"] is None and job.parameters["exclude_programmes"] is None
    assert plan_file_from(job.parameters, collation) == PlanFile(profile)


def test_each_edition_has_its_own_file_and_inputs_and_an_unknown_one_is_refused(saved):
    board, full = plan_job(saved, edition="board"), plan_job(saved)
    assert (board.file_name, full.file_name) == ("virtual-wards-for-people-living-with-frailty-board.html",
                                                 "virtual-wards-for-people-living-with-frailty.html")
    assert (board.parameters["edition"], full.parameters["edition"]) == EDITIONS
    assert board.inputs_hash != full.inputs_hash
    with pytest.raises(ProfileError, match=r"'edition': 'summary' is not allowed \(allowed: board, full\)"):
        plan_job(saved, edition="summary")


def test_the_edition_chooses_the_outline(collation, saved):
    guide = spreadlab.guide(collation, saved.plan(collation))
    board, full = outline_of(guide, collation, "board"), outline_of(guide, collation, "full")
    assert (board.edition, full.edition) == ("board", "full")
    assert board.headings()[:2] == full.headings()[:2] == ["Summary", "What we need from others"]
    assert any(s.appendix for s in full.sections) and not any(s.appendix for s in board.sections)


def test_the_formats_name_their_files():
    assert pdf.FORMATS == ("html", "pdf", "docx", "both", "all")
    assert pdf.suffixes("docx") == (".docx",) and pdf.suffixes("html") == (".html",)
    with pytest.raises(spreadlab.SpreadlabError, match=r"'word' \(allowed: html, pdf, docx, both, all\)"):
        pdf.suffixes("word")


def test_the_word_file_comes_back_from_the_notebook_as_it_went_in(collation, saved):
    guide = spreadlab.guide(collation, saved.plan(collation))
    content = documents.to_docx(outline_of(guide, collation, "full"))
    output = nbformat.v4.new_output("display_data", data={word.MEDIA_TYPE: word.encoded(content)})
    executed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[output])])
    assert word.glued_word(executed) == content
    assert word.glued_word(nbformat.v4.new_notebook()) is None
    output["data"][word.MEDIA_TYPE] = "not base64!"
    assert word.glued_word(executed) is None


def test_a_case_report_offers_no_word_file(cli):
    done = cli("report", "case", "atrial-fibrillation", "--format", "docx")
    assert done.returncode == 2 and "invalid choice: 'docx'" in done.stderr


def test_the_index_links_each_rows_pdf_and_word_file_beside_its_page():
    from spreadlab.reports.index import index_html
    from spreadlab.reports.results import RowResult, Status
    from spreadlab.views.visible import visible_text

    results = [RowResult(2, "Both", "both.html", "h", Status.MADE, files=("both.html", "both.pdf", "both.docx")),
               RowResult(3, "Word only", "word.docx", "h", Status.UNCHANGED, files=("word.docx",)),
               RowResult(4, "Failed", "failed.html", "h", Status.FAILED, error="no")]
    page = index_html("Portfolio", results)
    assert ('<a href="both.html">Both</a> <a href="both.pdf" aria-label="PDF of Both">(PDF)</a> '
            '<a href="both.docx" aria-label="Word file of Both">(Word)</a>') in page
    assert '<a href="word.docx">Word only</a></th>' in page
    assert "failed.html" not in page and "Failed (PDF)" not in visible_text(page)
