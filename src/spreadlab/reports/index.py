"""The batch's index page: the portfolio at a glance (reports/overview.py), then one sortable table row per
portfolio row, with its status, top methods, phases and link."""

from __future__ import annotations

from collections.abc import Sequence

from .. import views
from .overview import overview
from .results import RowResult


def index_html(title: str, results: Sequence[RowResult]) -> str:
    """The index page of a batch; every value a user typed is escaped."""
    return views.index_page(title, results, overview(results))
