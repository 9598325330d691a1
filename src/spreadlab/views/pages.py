"""Whole pages the views write themselves: the batch's index (reports are pages made by the nbconvert exporter),
and the footer of a PDF page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._env import render

INDEX_HEADINGS = ("Row", "Intervention", "Status", "Top methods", "Seconds", "Error")
LINKED = {"made", "unchanged"}
FAILED = {"failed", "invalid"}


def index_page(title: str, results: Sequence[Any]) -> str:
    """The index page of a batch: one sortable row per portfolio row (objects with `row`, `name`, `output`,
    `status`, `error`, `seconds`, `top_methods`), each made report linked."""
    rows = []
    for result in results:
        status = str(getattr(result.status, "value", result.status))
        rows.append({"row": result.row, "name": result.name, "status": status, "error": result.error,
                     "seconds": result.seconds, "top_methods": list(result.top_methods),
                     "link": result.output if result.output and status in LINKED else None})
    failed = sum(row["status"] in FAILED for row in rows)
    return render("index.html.j2", title=title, results=rows, rows=rows, failed=failed, headings=INDEX_HEADINGS,
                  inputs_hash=None)


def pdf_footer() -> str:
    """The footer of every PDF page: the report's title and "Page N of M" (spreadlab.reports.pdf)."""
    return render("pdf_footer.html.j2")
