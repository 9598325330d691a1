"""The Compare tab: 2–5 methods or approaches side by side, in a table and a chart."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from .. import charts, views
from ..collation import Collation
from ..selection import COMPARE_MAX, COMPARE_MIN
from .feedback import message_area, shown_errors
from .figures import live, replace

DEFAULT = ("networking", "coordinating")
CHART_ALT = "The table above gives the same values in words."


def choices(collation: Collation) -> list[tuple[str, str]]:
    """The things a user can compare: every approach, then every recorded method, as (label, id)."""
    approaches = [(f"Approach: {name}", ident) for ident, name in
                  zip(collation.approaches["approach_id"], collation.approaches["name"], strict=True)]
    methods = [(f"Method: {name}", ident) for ident, name in
               zip(collation.methods["method_id"], collation.methods["name"], strict=True)]
    return approaches + methods


def comparison_html(collation: Collation, ids: Sequence[str]) -> str:
    """The side-by-side table of `ids`, or a note asking for more when fewer than two are chosen."""
    if len(ids) < COMPARE_MIN:
        return views.note(f"Choose {COMPARE_MIN} to {COMPARE_MAX} methods or approaches to compare "
                          "(hold Ctrl or Shift to choose several).")
    return views.comparison(collation, ids)


def build(collation: Collation) -> widgets.Widget:
    """The Compare tab's widgets."""
    picker = widgets.SelectMultiple(options=choices(collation), value=DEFAULT, rows=12,
                                    description="Compare", style={"description_width": "80px"},
                                    layout=widgets.Layout(width="640px"))
    messages = message_area()
    table = widgets.HTML(layout=widgets.Layout(width="100%"))
    chart = live(charts.compare_chart(collation, DEFAULT), CHART_ALT)

    @shown_errors(messages)
    def refresh(change: object = None) -> None:
        ids = list(picker.value)
        table.value = comparison_html(collation, ids)
        if len(ids) >= COMPARE_MIN:
            replace(chart, charts.compare_chart(collation, ids), CHART_ALT)

    picker.observe(refresh, names="value")
    refresh()
    return widgets.VBox([picker, messages, table, chart], layout=widgets.Layout(width="100%"))
