"""The Compare tab: 2–5 methods or approaches side by side, in a table and a chart."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from .. import charts
from ..collation import Collation
from ..selection import COMPARE_MAX, COMPARE_MIN, compare
from . import html
from .feedback import message_area, shown_errors
from .figures import live, replace

DEFAULT = ("networking", "coordinating")


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
        return html.note_box(f"Choose {COMPARE_MIN} to {COMPARE_MAX} methods or approaches to compare "
                             "(hold Ctrl or Shift to choose several).")
    table = compare(collation, ids)
    head = "".join(f"<th>{html.text(name)}</th>" for name in table.columns)
    body = "".join(
        f"<tr><th>{html.text(aspect)}</th>"
        + "".join(f"<td>{_cell(aspect, value)}</td>" for value in row)
        + "</tr>"
        for aspect, row in table.iterrows()
    )
    return f'<table class="sl-table sl-compare"><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>'


def build(collation: Collation) -> widgets.Widget:
    """The Compare tab's widgets."""
    picker = widgets.SelectMultiple(options=choices(collation), value=DEFAULT, rows=12,
                                    description="Compare", style={"description_width": "80px"},
                                    layout=widgets.Layout(width="640px"))
    messages = message_area()
    table = widgets.HTML(layout=widgets.Layout(width="100%"))
    chart = live(charts.compare_chart(collation, DEFAULT))

    @shown_errors(messages)
    def refresh(change: object = None) -> None:
        ids = list(picker.value)
        table.value = comparison_html(collation, ids)
        if len(ids) >= COMPARE_MIN:
            replace(chart, charts.compare_chart(collation, ids))

    picker.observe(refresh, names="value")
    refresh()
    return widgets.VBox([picker, messages, table, chart], layout=widgets.Layout(width="100%"))


def _cell(aspect: object, value: object) -> str:
    """A table cell; the provenance row keeps its words but gains a badge."""
    text = html.text(value).replace("\n", "<br>")
    for provenance in ("collation-summary", "collation", "curated"):
        marker = f"[{provenance}]"
        if marker in text:
            return text.replace(marker, html.badge(provenance))
    if aspect == "provenance":
        word = str(value).split(";")[0]
        return html.badge(word) + text.removeprefix(word)
    return text
