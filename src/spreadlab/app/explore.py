"""The Explore tab: filter the recorded methods, see them in a table and a chart, and open one method's card."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from .. import charts
from ..collation import Collation
from ..selection import filter_methods
from ..vocabulary import AUDIENCE_SCALES, LEVELS, MOTIVATIONS, STAGES, TIMEFRAMES, label
from . import fields, html
from .connected import when_page_connects
from .feedback import message_area, shown_errors
from .figures import blank, replace

ANY = ""
FIRST_CHART_DELAY = 1.0  # seconds after the page connects
CHOOSE_A_METHOD = "<p><i>Choose a method in “Full card of” to see everything recorded about it.</i></p>"
RESULT_COLUMNS = {
    "name": "Method",
    "approach": "Approach",
    "stage": "Stage of development",
    "audience_scale": "Audience and scale",
    "resources": "Resources needed",
    "timeframe": "Timeframe",
    "provenance": "Method from",
    "considerations_provenance": "Considerations from",
}


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
    total = len(collation.method_summary)
    count = f'<p class="sl-count">{len(rows)} of {total} recorded methods match.</p>'
    if rows.empty:
        hint = (" With “include curated values” unticked only the values the collation itself states count, and"
                " most practical considerations are curated." if not filters.include_curated else " Try fewer filters.")
        return count + html.note_box("No method meets all these filters." + hint)
    display = rows.assign(
        stage=rows["stage"].map(_labels), audience_scale=rows["audience_scale"].map(_labels),
        resources=rows["resources"].astype(str).map(label), timeframe=rows["timeframe"].map(label),
    )
    return count + html.table(display, RESULT_COLUMNS, badges=("provenance", "considerations_provenance"),
                              row_id="method_id")


def method_card_html(collation: Collation, method_id: str) -> str:
    """Everything recorded about one method: description, considerations, examples, and its approach's strengths
    and limitations, each with where it comes from."""
    method = collation.methods.set_index("method_id").loc[method_id]
    approach = collation.approaches.set_index("approach_id").loc[method["approach_id"]]
    considerations = collation.considerations[collation.considerations["method_id"] == method_id]
    parts = [
        f'<div class="sl-card" data-method="{html.text(method_id)}">',
        f"<h3>{html.text(method['name'])} {html.badge(method['provenance'])}</h3>",
        f"<p><b>Approach:</b> {html.text(approach['name'])}</p>",
        f"<p>{html.text(method['description'])}</p>",
    ]
    if isinstance(method["caveat"], str):
        parts.append(html.note_box(method["caveat"], warning=True))
    parts.append("<h4>Practical considerations</h4><ul>")
    for name, rows in considerations.groupby("consideration", observed=True, sort=False):
        first = rows.iloc[0]
        values = ", ".join(label(str(value)) for value in rows["value"])
        note = f" — {html.text(first['note'])}" if isinstance(first["note"], str) else ""
        why = f"<br><small>Why: {html.text(first['rationale'])}</small>" if isinstance(first["rationale"], str) \
            else ""
        parts.append(f"<li><b>{html.text(label(str(name)))}:</b> {html.text(values)}{note} "
                     f"{html.badge(first['provenance'])}{why}</li>")
    parts.append("</ul>")
    examples = collation.examples[collation.examples["method_id"] == method_id]
    parts.append("<h4>Examples</h4>")
    parts.append("<ul>" + "".join(f"<li>{html.text(e.name)} {html.badge(e.provenance)}</li>"
                                  for e in examples.itertuples()) + "</ul>" if not examples.empty
                 else "<p>None recorded.</p>")
    for title, points in (("Strengths", collation.strengths), ("Limitations", collation.limitations)):
        mine = points[points["approach_id"] == method["approach_id"]]
        parts.append(f"<h4>{title} of the approach</h4><ul>"
                     + "".join(f"<li>{html.text(p.text)} {html.badge(p.provenance)}</li>" for p in mine.itertuples())
                     + "</ul>")
    if isinstance(method["source_url"], str):
        parts.append(f'<p><a href="{html.text(method["source_url"])}" target="_blank" rel="noopener">Source</a></p>')
    parts.append("</div>")
    return "".join(parts)


def build(collation: Collation) -> widgets.Widget:
    """The Explore tab's widgets, wired to the functions above."""
    approaches = [(name, ident) for ident, name in zip(collation.approaches["approach_id"],
                                                        collation.approaches["name"], strict=True)]
    controls = {
        "approach": _dropdown("Approach", approaches),
        "stage": _dropdown("Stage of development", [(label(v), v) for v in STAGES]),
        "audience_scale": _dropdown("Audience and scale", [(label(v), v) for v in AUDIENCE_SCALES]),
        "resources_max": _dropdown("Resources at most", [(label(v), v) for v in LEVELS]),
        "timeframe": _dropdown("Timeframe", [(label(v), v) for v in TIMEFRAMES]),
        "motivation": _dropdown("Motivation", [(label(v), v) for v in MOTIVATIONS]),
        "text": fields.text("Search", "words in names, examples, strengths…"),
        "include_curated": fields.checkbox("Include curated values", True),
    }
    messages = message_area()
    results = fields.table_area()
    chart = blank()
    picker = fields.dropdown("Full card of", [])
    card = widgets.HTML(layout=widgets.Layout(width="100%"))

    @shown_errors(messages)
    def show_card(change: object = None) -> None:
        card.value = method_card_html(collation, picker.value) if picker.value else CHOOSE_A_METHOD

    shown: list[list[str]] = [[]]  # the method ids in the table now; the chart follows them

    @shown_errors(messages)
    def draw_chart() -> None:
        if shown[0]:
            replace(chart, charts.considerations_heatmap(collation, shown[0]))
        else:  # nothing matches: the table says so, and an empty chart would only show meaningless axes
            chart.outputs = ()

    @shown_errors(messages)
    def show_results() -> None:
        filters = Filters(**{name: control.value for name, control in controls.items()})
        rows = matching_methods(collation, filters)
        shown[0] = list(rows["method_id"])
        results.value = results_html(collation, rows, filters)
        options = list(zip(rows["name"], rows["method_id"], strict=True))
        if picker.options != tuple(options):
            current = picker.value
            picker.options = options
            picker.value = current if current in set(rows["method_id"]) else None

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
        widgets.HTML("<p>Filter the methods recorded from the collation. Badges say where each value comes from: "
                     f"{html.badge('collation')} {html.badge('collation-summary')} {html.badge('curated')}</p>"),
        filters_box, messages, results, picker, card, chart,
    ], layout=widgets.Layout(width="100%"))


def _dropdown(description: str, options: list[tuple[str, str]]) -> widgets.Dropdown:
    return fields.dropdown(description, [("Any", ANY), *options], ANY)


def _labels(values: str) -> str:
    return ", ".join(label(value) for value in values.split(", "))
