"""The Compare tab: 2–5 methods or approaches side by side, in a table and a chart."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from .. import charts, views
from ..collation import Collation
from ..selection import COMPARE_MAX, COMPARE_MIN
from . import fields
from .feedback import message_area, shown_errors
from .figures import blank, replace

DEFAULT: tuple[str, ...] = ()  # nothing ticked: the tab compares only what the user chose
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
    """The Compare tab: a checkbox per approach and per method, grouped by approach, then the table and chart of
    what is ticked. Once five are ticked the others are greyed out, so the tab never asks for what it refuses."""
    boxes = {ident: fields.checkbox(name, ident in DEFAULT) for name, ident in grouped_choices(collation)}
    groups = []
    for approach in collation.approaches.itertuples():
        methods = collation.methods.loc[collation.methods["approach_id"] == approach.approach_id, "method_id"]
        boxes[approach.approach_id].add_class("sl-approach")
        for ident in methods:
            boxes[ident].add_class("sl-method")
        groups.append(widgets.VBox([boxes[approach.approach_id], *(boxes[ident] for ident in methods)]))
    picker = widgets.Box(groups, layout=widgets.Layout(width="100%"))
    picker.add_class("sl-choices")
    order = [ident for _, ident in choices(collation)]
    status = widgets.HTML()
    messages = message_area()
    table = fields.table_area()
    chart = blank()

    @shown_errors(messages)
    def refresh(change: object = None) -> None:
        ids = [ident for ident in order if boxes[ident].value]
        for box in boxes.values():
            box.disabled = len(ids) >= COMPARE_MAX and not box.value
        status.value = views.note(_status(len(ids)))
        if len(ids) < COMPARE_MIN:
            table.value = ""
            chart.outputs = ()
            return
        table.value = comparison_html(collation, ids)
        replace(chart, charts.compare_chart(collation, ids), CHART_ALT)

    for box in boxes.values():
        box.observe(refresh, names="value")
    refresh()
    return widgets.VBox([
        widgets.HTML(views.note(f"Tick {COMPARE_MIN} to {COMPARE_MAX} approaches or methods to see them side by "
                                "side. Each method is listed under its approach.")),
        picker, status, messages, table, chart,
    ], layout=widgets.Layout(width="100%"))


def grouped_choices(collation: Collation) -> list[tuple[str, str]]:
    """Each approach followed by its recorded methods, as (label, id); the approach's label says it stands for
    the approach as a whole."""
    methods = collation.methods
    rows = []
    for approach in collation.approaches.itertuples():
        rows.append((f"{approach.name} (the approach as a whole)", approach.approach_id))
        mine = methods[methods["approach_id"] == approach.approach_id]
        rows += list(zip(mine["name"], mine["method_id"], strict=True))
    return rows


def _status(chosen: int) -> str:
    if chosen < COMPARE_MIN:
        return f"{chosen} ticked: tick at least {COMPARE_MIN} to compare them."
    if chosen >= COMPARE_MAX:
        return f"{chosen} ticked, the most that can be compared side by side: untick one to choose another."
    return f"{chosen} ticked: you can tick up to {COMPARE_MAX}."
