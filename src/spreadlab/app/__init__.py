"""The spreadlab dashboard: an ipywidgets app with five tabs, served by Voilà from notebooks/dashboard.ipynb.

`build()` is the only entry point. The first tab is built at once; the others are built the first time they are
selected, so the page is quick to become usable and charts are never drawn inside a hidden tab.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import ipywidgets as widgets

from ..collation import Collation, load
from .feedback import message_area, shown_errors
from .html import STYLE

TABS = (
    ("Explore", "explore"),
    ("Compare", "compare"),
    ("Plan", "plan"),
    ("Case examples", "cases"),
    ("About the data", "about"),
)

__all__ = ["TABS", "WIDGET_STYLE", "build"]

# The widgets' own layout (issue 12), kept apart from the look of the HTML the tabs show (STYLE): every tab reflows
# down to 320 px without sideways scrolling; tab names wrap onto a second row rather than being cut; each field's
# label sits above its control and wraps; a table too wide for the screen scrolls inside its own area, which
# takes the keyboard focus so that it can be scrolled without a mouse; the grey tab and section headers get text
# dark enough for 4.5:1.
WIDGET_STYLE = """<style>
.sl-app, .sl-app .widget-vbox, .sl-app .widget-box {max-width: 100%; min-width: 0; box-sizing: border-box;}
.sl-app .lm-TabBar {height: auto !important; min-height: 0 !important; overflow: visible !important;}
.sl-app .lm-TabBar-content {flex-wrap: wrap; height: auto !important;}
.sl-app .lm-TabBar-tab {flex: 0 0 auto !important; min-width: 0 !important; max-width: none !important;
  color: #212B32 !important;}
.sl-app .lm-TabBar-tabLabel {overflow: visible !important; text-overflow: clip !important;}
.sl-app .jupyter-widget-Collapse-header, .sl-app .jupyter-widget-Collapse-header:hover {color: #212B32;}
.sl-app .widget-html, .sl-app .widget-html-content {max-width: 100%; min-width: 0;}
.sl-app .widget-html {margin-left: 0; margin-right: 0;}
.sl-app .widget-html-content {overflow-wrap: break-word;}
.sl-app .sl-scroll-area {overflow-x: auto;}
.sl-app .sl-scroll-area > .widget-html-content {overflow: visible;}
.sl-app .widget-output, .sl-app .jp-OutputArea, .sl-app .jp-OutputArea-output {max-width: 100%; min-width: 0;}
.sl-field {flex-wrap: wrap; width: 100% !important; max-width: 36em; height: auto !important;
  box-sizing: border-box; padding-right: 2px;}
.sl-field > .widget-label {width: 100% !important; max-width: 100%; white-space: normal; overflow: visible;
  text-overflow: clip; text-align: left; height: auto; line-height: 1.4; padding-bottom: 2px;}
.sl-field > select, .sl-field > input, .sl-field > .widget-label-basic {flex: 1 1 100%; min-width: 0; max-width: 100%;}
.sl-field > select, .sl-field > input {min-height: 30px;}
.sl-field.widget-checkbox {height: auto !important; line-height: 1.4;}
.sl-field.widget-checkbox > .widget-label-basic {white-space: normal; overflow: visible; display: flex;
  align-items: flex-start;}
.sl-field.widget-checkbox input {flex: 0 0 auto; align-self: flex-start; margin-top: 0.35em;}
.sl-choices {display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20em), 1fr)); gap: 4px 16px;}
.sl-choices > .widget-vbox {margin-bottom: 8px;}
.sl-approach > .widget-label-basic > span {font-weight: bold;}
.sl-method {padding-left: 1.6em;}
.sl-app .sl-invalid input, .sl-app .sl-invalid select {border: 2px solid #D5281B;}
</style>"""


def build(collation: Collation | None = None) -> widgets.Widget:
    """The dashboard for `collation` (the bundled data by default), ready to display."""
    collation = collation if collation is not None else load()
    messages = message_area()
    panels = [widgets.VBox(layout=widgets.Layout(width="100%")) for _ in TABS]
    tabs = widgets.Tab(children=panels, titles=[title for title, _ in TABS], selected_index=0,
                       layout=widgets.Layout(width="100%"))
    builders: dict[int, Callable[[Collation], widgets.Widget]] = {
        index: importlib.import_module(f"{__name__}.{module}").build for index, (_, module) in enumerate(TABS)
    }

    @shown_errors(messages)
    def fill(index: int | None) -> None:
        if index is not None and index in builders:
            panels[index].children = [builders.pop(index)(collation)]

    tabs.observe(lambda change: fill(change["new"]), names="selected_index")
    fill(0)
    header = widgets.HTML(
        STYLE + WIDGET_STYLE + "<h2>spreadlab: spreading a proven health innovation</h2><p>Explore the seven "
        "approaches of the NHS Horizons collation and their methods, compare them, and plan how to spread your "
        "intervention.</p>"
    )
    app = widgets.VBox([header, messages, tabs], layout=widgets.Layout(width="100%"))
    app.add_class("sl-app")
    return app
