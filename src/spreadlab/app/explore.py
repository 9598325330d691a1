"""The Explore tab: filter the recorded methods, see them in a table and a chart, and open one method's card."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from .. import charts, views
from ..collation import Collation
from ..selection import filter_methods
from ..vocabulary import AUDIENCE_SCALES, LEVELS, MOTIVATIONS, STAGES, TIMEFRAMES, label
from . import fields
from .connected import when_page_connects
from .feedback import message_area, shown_errors
from .figures import blank, replace

ANY = ""
CHART_ALT = "A tick marks each value a method has; the table above gives the same values."
FIRST_CHART_DELAY = 1.0  # seconds after the page connects
CHOOSE_A_METHOD = "Choose a method in “Full card of” to see everything recorded about it."
NO_METHOD = ("Choose a method…", ANY)  # the card picker's first option, so it never shows a blank box


@dataclass(frozen=True, slots=True)
class Filters:
    """The Explore tab's choices; an empty string means "any"."""

    approach: str = ANY
    stage: str = ANY
    audience_scale: str = ANY
    resources_max: str = ANY
    timeframe: str = ANY
    motivation: str = ANY
    text: str = ""
    include_curated: bool = True


def matching_methods(collation: Collation, filters: Filters) -> pd.DataFrame:
    """The methods that meet every chosen filter (rows of `collation.method_summary`)."""
    return filter_methods(
        collation,
        approach=filters.approach or None,
        stage=filters.stage or None,
        audience_scale=filters.audience_scale or None,
        resources_max=filters.resources_max or None,
        timeframe=filters.timeframe or None,
        motivation=filters.motivation or None,
        text=filters.text.strip() or None,
        include_curated=filters.include_curated,
    )


def results_html(collation: Collation, rows: pd.DataFrame, filters: Filters) -> str:
    """The results table with a count, or a message saying why nothing matched."""
    return views.method_results(collation, rows, include_curated=filters.include_curated)


def method_card_html(collation: Collation, method_id: str) -> str:
    """Everything recorded about one method: description, considerations, examples, and its approach's strengths
    and limitations, each with where it comes from."""
    return views.method_card(collation, method_id)


def filter_controls(collation: Collation) -> dict[str, widgets.ValueWidget]:
    """A labelled control per field of `Filters`, by field name (the tab's and explore.ipynb's)."""
    approaches = [(name, ident) for ident, name in zip(collation.approaches["approach_id"],
                                                        collation.approaches["name"], strict=True)]
    return {
        "approach": _dropdown("Approach", approaches),
        "stage": _dropdown("Stage of development", [(label(v), v) for v in STAGES]),
        "audience_scale": _dropdown("Audience and scale", [(label(v), v) for v in AUDIENCE_SCALES]),
        "resources_max": _dropdown("Resources at most", [(label(v), v) for v in LEVELS]),
        "timeframe": _dropdown("Timeframe", [(label(v), v) for v in TIMEFRAMES]),
        "motivation": _dropdown("Motivation", [(label(v), v) for v in MOTIVATIONS]),
        "text": fields.text("Search", "words in names, examples, strengths…"),
        "include_curated": fields.checkbox("Include curated values", True),
    }


def build(collation: Collation) -> widgets.Widget:
    """The Explore tab's widgets, wired to the functions above."""
    controls = filter_controls(collation)
    messages = message_area()
    results = fields.table_area()
    chart = blank()
    picker = fields.dropdown("Full card of", [NO_METHOD], ANY)
    card = widgets.HTML(layout=widgets.Layout(width="100%"))

    @shown_errors(messages)
    def show_card(change: object = None) -> None:
        card.value = method_card_html(collation, picker.value) if picker.value else views.note(CHOOSE_A_METHOD)

    shown: list[list[str]] = [[]]  # the method ids in the table now; the chart follows them

    @shown_errors(messages)
    def draw_chart() -> None:
        if shown[0]:
            replace(chart, charts.considerations_heatmap(collation, shown[0]), CHART_ALT)
        else:  # nothing matches: the table says so, and an empty chart would only show meaningless axes
            chart.outputs = ()

    @shown_errors(messages)
    def show_results() -> None:
        filters = Filters(**{name: control.value for name, control in controls.items()})
        rows = matching_methods(collation, filters)
        shown[0] = list(rows["method_id"])
        results.value = results_html(collation, rows, filters)
        options = [NO_METHOD, *zip(rows["name"], rows["method_id"], strict=True)]
        if picker.options != tuple(options):
            current = picker.value
            picker.options = options
            picker.value = current if current in set(rows["method_id"]) else ANY

    def refresh(change: object = None) -> None:
        show_results()  # the table first: it reaches the page before the chart is drawn
        draw_chart()

    for control in controls.values():
        control.observe(refresh, names="value")
    picker.observe(show_card, names="value")
    show_results()
    show_card()
    # The first chart waits until the page shows the filters: drawn with them, plotly's first render held them back
    # by about 2 s; drawn as soon as the page connects, by about 1 s (benchmarks/README.md, "Dashboard").
    when_page_connects(draw_chart, delay=FIRST_CHART_DELAY)
    filters_box = widgets.Box(list(controls.values()), layout=widgets.Layout(width="100%"))
    filters_box.add_class("sl-choices")
    return widgets.VBox([
        widgets.HTML(views.note("Filter the methods recorded from the collation.") + views.provenance_legend()),
        filters_box, messages, results, picker, card, chart,
    ], layout=widgets.Layout(width="100%"))


def _dropdown(description: str, options: list[tuple[str, str]]) -> widgets.Dropdown:
    return fields.dropdown(description, [("Any", ANY), *options], ANY)
