"""Move the keyboard focus to an element of the page from the kernel, e.g. to the first heading of results that
appear below the fold, so a keyboard or screen-reader user lands on them (ipywidgets can focus only controls)."""

from __future__ import annotations

import itertools

import ipywidgets as widgets

from .. import views

_RUNS = itertools.count()  # each move is a new output, so asking twice for the same element moves the focus twice
_FROM = "sl-focus-from"  # the class marking the widget the focus may be moved away from


def focus_area() -> widgets.Output:
    """An empty, invisible output whose scripts move the focus."""
    return widgets.Output(layout=widgets.Layout(width="100%"))


def move_focus(area: widgets.Output, element_id: str, *, from_widget: widgets.DOMWidget | None = None) -> None:
    """Focus the element whose id is `element_id` (and scroll it into view) once the page shows it; with
    `from_widget` (the button that asked), only while the focus is still on that widget."""
    unless_moved = None
    if from_widget is not None:
        from_widget.add_class(_FROM)
        unless_moved = f".{_FROM}"
    area.outputs = ({"output_type": "display_data", "metadata": {},
                     "data": {"text/html": views.focus_script(element_id, run=next(_RUNS),
                                                              unless_moved=unless_moved)}},)
