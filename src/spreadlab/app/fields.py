"""Form controls that reflow on any screen: the label sits above its control and wraps, so it is never cut
(the `.sl-field` rules of the stylesheet, views/templates/spreadlab.css)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

FIELD = "sl-field"
WRAPPING = "sl-wrapping-button"
INVALID = "sl-invalid"


def dropdown(description: str, options: Sequence[tuple[str, str]], value: str | None = None) -> widgets.Dropdown:
    """A labelled choice of `options` ((label, value) pairs), showing `value` (the first option by default)."""
    control = widgets.Dropdown(options=list(options), description=description,
                               value=value if value is not None else options[0][1] if options else None)
    return _field(control)


def text(description: str, placeholder: str = "", value: str = "") -> widgets.Text:
    """A labelled line of text; the value is sent as the user types, so a check can follow each key."""
    return _field(widgets.Text(value=value, description=description, placeholder=placeholder, continuous_update=True))


def checkbox(description: str, value: bool = False) -> widgets.Checkbox:
    """A checkbox whose label wraps beside it."""
    return _field(widgets.Checkbox(value=value, description=description, indent=False))


def table_area(value: str = "") -> widgets.HTML:
    """HTML holding a table, as wide as its panel; the views wrap a table in a region that scrolls sideways inside
    itself and takes the keyboard focus, so the widget itself neither scrolls nor takes the focus."""
    return widgets.HTML(value=value, layout=widgets.Layout(width="100%"))


def button(description: str, icon: str, *, tooltip: str = "") -> widgets.Button:
    """A button as wide as its words, which wrap on a narrow screen."""
    made = widgets.Button(description=description, icon=icon, tooltip=tooltip or description,
                          layout=widgets.Layout(width="auto", max_width="100%", height="auto"))
    made.add_class(WRAPPING)
    return made


def row(*buttons: widgets.Widget) -> widgets.Box:
    """Buttons side by side, wrapping onto more lines on a narrow screen."""
    box = widgets.Box(list(buttons), layout=widgets.Layout(width="100%"))
    box.add_class("sl-card-links")
    return box


def mark_invalid(control: widgets.DOMWidget, invalid: bool) -> None:
    """Draw a red border around a control whose value the form cannot send (or take it away)."""
    if invalid:
        control.add_class(INVALID)
    else:
        control.remove_class(INVALID)


def _field(control: widgets.DOMWidget) -> widgets.DOMWidget:
    control.add_class(FIELD)
    control.layout = widgets.Layout(width="100%")
    if hasattr(control.style, "description_width"):  # the label's own width, so no page without the stylesheet
        control.style.description_width = "initial"  # (JupyterLab) cuts it at ipywidgets' default of 8 em
    return control
