"""The batch's index page: one sortable table row per portfolio row, with its status, top methods and link."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import views

if TYPE_CHECKING:
    from .batch import RowResult


def index_html(title: str, results: Sequence[RowResult]) -> str:
    """The index page of a batch; every value a user typed is escaped."""
    return views.index_page(title, results)
