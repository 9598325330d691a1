"""Whole pages the views write themselves: the batch's index (reports are pages made by the nbconvert exporter),
and the footer of a PDF page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..vocabulary import LEVELS
from ._env import render, trusted
from .timelines import portfolio_timeline, usage_chart

INDEX_HEADINGS = ("Row", "Intervention", "Status", "Top methods", "Phases (months)", "Resources available",
                  "Most a method needs", "Error")
REPORTS_TABLE = "Table of the reports"
LINKED = {"made", "unchanged"}


def index_page(title: str, results: Sequence[Any], overview: Any) -> str:
    """The index page of a batch: the portfolio at a glance (`overview`, a `reports.overview.Overview`: the
    rows that failed, approaches and methods, every plan on one timeline, resources), then one sortable row per
    portfolio row (objects with `row`, `name`, `output`, `files`, `status`, `error`, `top_methods`, `plan`),
    each made report linked, and its PDF too when there is one beside the HTML page. How long each report took
    is for manifest.json, not for the board reading the page."""
    rows = []
    for result in results:
        status = str(getattr(result.status, "value", result.status))
        plan = result.plan if status in LINKED else None
        link = result.output if result.output and status in LINKED else None
        pdf = next((name for name in result.files if name.endswith(".pdf") and name != link), None) if link else None
        rows.append({"row": result.row, "name": result.name, "status": status, "error": result.error,
                     "top_methods": list(result.top_methods), "plan": plan,
                     "need": plan.highest_need if plan is not None else None, "link": link, "pdf": pdf})
    approaches = usage_chart("sl-approach-counts", "Plans using each approach",
                             [(a.name, a.plans) for a in overview.approaches]) if overview.approaches else ""
    timeline = portfolio_timeline(overview.planned, overview.months, overview.phase_names,
                                  table=REPORTS_TABLE.lower()) if overview.planned else ""
    return render("index.html.j2", title=title, rows=rows, overview=overview, headings=INDEX_HEADINGS,
                  levels=LEVELS, approach_chart=trusted(approaches), timeline=trusted(timeline),
                  reports_table=REPORTS_TABLE, inputs_hash=None)


def pdf_footer() -> str:
    """The footer of every PDF page: the report's title and "Page N of M" (spreadlab.reports.pdf)."""
    return render("pdf_footer.html.j2")
