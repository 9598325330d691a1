"""Form controls that reflow on any screen: the label sits above its control and wraps, so it is never cut
(the `.sl-field` rules of the stylesheet, views/templates/spreadlab.css)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

FIELD = "sl-field"
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
