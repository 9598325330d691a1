"""The spreadlab dashboard: an ipywidgets app with six tabs, served by Voilà from notebooks/dashboard.ipynb.

`build()` is the only entry point. The first tab is built at once; the others are built the first time they are
selected, so the page is quick to become usable and charts are never drawn inside a hidden tab. The Plan tab's
"programmes like yours" open their cards in the Casebook tab.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

import ipywidgets as widgets

from .. import views
from ..collation import Collation, load
from .feedback import message_area, shown_errors

TABS = (
    ("Explore", "explore"),
    ("Compare", "compare"),
    ("Plan", "plan"),
    ("Casebook", "casebook"),
    ("Case examples", "cases"),
    ("About the data", "about"),
)

HEADINGS = {
    "explore": "Explore the recorded methods",
    "compare": "Compare methods and approaches side by side",
    "plan": "Plan how to spread your intervention",
    "casebook": "Casebook: real programmes and how they spread",
    "cases": "The collation's case examples",
    "about": "About the data",
}
"""Each tab's heading (the page's second level, under its title), by module."""

__all__ = ["HEADINGS", "TABS", "build"]

def build(collation: Collation | None = None) -> widgets.Widget:
    """The dashboard for `collation` (the bundled data by default), ready to display."""
    collation = collation if collation is not None else load()
    messages = message_area()
    panels = [widgets.VBox(layout=widgets.Layout(width="100%")) for _ in TABS]
    tabs = widgets.Tab(children=panels, titles=[title for title, _ in TABS], selected_index=0,
                       layout=widgets.Layout(width="100%"))
    builders: dict[int, Callable[..., widgets.Widget]] = {
        index: importlib.import_module(f"{__name__}.{module}").build for index, (_, module) in enumerate(TABS)
    }
    casebook = next(index for index, (_, module) in enumerate(TABS) if module == "casebook")

    @shown_errors(messages)
    def open_card(programme_id: str) -> None:
        tabs.selected_index = casebook  # builds the tab the first time
        panels[casebook].children[-1].show_programme(programme_id)

    plan = next(index for index, (_, module) in enumerate(TABS) if module == "plan")
    builders[plan] = functools.partial(builders[plan], open_card=open_card)

    @shown_errors(messages)
    def fill(index: int | None) -> None:
        if index is not None and index in builders:
            heading = widgets.HTML(views.tab_heading(HEADINGS[TABS[index][1]]))
            panels[index].children = [heading, builders.pop(index)(collation)]

    tabs.observe(lambda change: fill(change["new"]), names="selected_index")
    fill(0)
    header = widgets.HTML(views.dashboard_header())
    app = widgets.VBox([header, messages, tabs], layout=widgets.Layout(width="100%"))
    app.add_class("sl-app")
    return app
