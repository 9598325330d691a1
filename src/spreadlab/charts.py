"""Plotly figures of the collation, the case examples, a ranking and a plan, for every view of spreadlab.

Every figure is a `plotly.graph_objects.Figure`; curated values are marked with an asterisk (*) and say so in
the hover text, and an approach with fewer methods recorded than the collation states shows the gap. Plotly reads
a subset of HTML inside every label (links included), so every text from the data goes through `to_plotly` first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from .collation import Collation
from .errors import UnknownIdError
from .selection import compare
from .views import to_plotly
from .vocabulary import AUDIENCE_SCALES, CONSIDERATIONS, LEVELS, STAGES, TIMEFRAMES, label

if TYPE_CHECKING:
    from .advice import Advice
    from .planning import Plan

CURATED_MARK = "*"
CURATED_NOTE = "* curated by spreadlab, not stated by the collation"
_CONSIDERATION_VALUES = {
    "stage": STAGES,
    "audience_scale": AUDIENCE_SCALES,
    "resources": LEVELS,
    "timeframe": TIMEFRAMES,
}
_MOTIVATION_ORDER = ("intrinsic", "mixed", "extrinsic")
_PALETTE = ("#005EB8", "#009639", "#ED8B00", "#7C2855", "#00A499", "#330072", "#DA291C", "#768692")
_MISSING_COLOUR = "#D8DDE0"
# Heatmaps name their columns above the rows, slanted; the figure's height leaves room for those labels and the
# title over them (pushed down by plotly's automargin), so the rows themselves keep their height.
_EVERY_CATEGORY = {"tickmode": "linear", "tick0": 0, "dtick": 1}  # plotly drops labels it thinks crowded
_TOP_LABELS = {"side": "top", "tickangle": -40, "automargin": True, **_EVERY_CATEGORY}
_TOP_LABELS_HEIGHT = 260
# Row labels are wrapped to lines of at most this many characters (about 300 px), so that a chart drawn at the
# dashboard's narrowest (views.CHART_MIN_WIDTH, 660 px) keeps half its width for the bars or cells; 45 keeps the
# longest method name on two lines.
_LABEL_WIDTH = 45
_LINE_HEIGHT = 15
_LAYOUT = {"template": "plotly_white", "font": {"family": "Arial, sans-serif", "size": 13}}


def approach_map(collation: Collation) -> go.Figure:
    """The seven approaches placed by central standardisation × motivation; the filled bubble is the methods
    recorded, the ring the methods the collation states, so a gap between them stays visible."""
    approaches = collation.approaches.reset_index(drop=True)
    x, y, positions = _spread_within_cells(approaches)
    curated = (approaches["central_standardisation_provenance"] == "curated") | (
        approaches["motivation_provenance"] == "curated"
    )
    labels = [
        f"{_wrap(name)}{CURATED_MARK if is_curated else ''}<br>{recorded} of {stated} recorded"
        for name, recorded, stated, is_curated in zip(
            approaches["name"],
            approaches["methods_recorded"],
            approaches["methods_stated"],
            curated,
            strict=True,
        )
    ]
    hover = [
        f"<b>{to_plotly(row.name)}</b><br>{row.methods_recorded} of {row.methods_stated} methods recorded"
        f"<br>central standardisation: {row.central_standardisation}"
        f" ({row.central_standardisation_provenance})"
        f"<br>motivation: {row.motivation} ({row.motivation_provenance})"
        for row in approaches.itertuples()
    ]
    scale = 9
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            name="methods stated",
            x=x,
            y=y,
            mode="markers",
            marker={
                "size": approaches["methods_stated"] * scale,
                "sizemode": "diameter",
                "color": "rgba(0,0,0,0)",
                "line": {"color": "#425563", "width": 2},
            },
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            name="methods recorded",
            x=x,
            y=y,
            mode="markers+text",
            text=labels,
            textposition=positions,
            marker={
                "size": approaches["methods_recorded"] * scale,
                "sizemode": "diameter",
                "color": [_PALETTE[i % len(_PALETTE)] for i in range(len(approaches))],
                "opacity": 0.85,
            },
            customdata=approaches[["approach_id"]].to_numpy(),
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_layout(
        **_LAYOUT,
        title=_title(
            "The seven approaches: central standardisation × motivation",
            f"Ring: methods the collation states; bubble: methods recorded. {CURATED_NOTE} (position).",
        ),
        height=560,
        xaxis={
            "title": "Central standardisation",
            "tickvals": list(range(len(LEVELS))),
            "ticktext": list(LEVELS),
            "range": [-0.6, len(LEVELS) - 0.4],
            "zeroline": False,
        },
        yaxis={
            "title": "Motivation of the audience",
            "tickvals": list(range(len(_MOTIVATION_ORDER))),
            "ticktext": list(_MOTIVATION_ORDER),
            "range": [-0.8, len(_MOTIVATION_ORDER) - 0.2],
            "zeroline": False,
        },
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def considerations_heatmap(collation: Collation, method_ids: Sequence[str] | None = None) -> go.Figure:
    """Methods × consideration values: a tick where the method fits the value, an asterisk when curated."""
    summary = collation.method_summary
    if method_ids is not None:
        summary = summary.set_index("method_id").loc[list(method_ids)].reset_index()
    provenance = _consideration_provenance(collation)
    columns = [(name, value) for name in CONSIDERATIONS for value in _CONSIDERATION_VALUES[name]]
    z, text, hover = [], [], []
    for method_id, method_name in zip(summary["method_id"], summary["name"], strict=True):
        row_z, row_text, row_hover = [], [], []
        for name, value in columns:
            source = provenance.get((method_id, name, value))
            row_z.append(0 if source is None else 1)
            row_text.append("" if source is None else "✓" + (CURATED_MARK if source == "curated" else ""))
            row_hover.append(
                f"{to_plotly(method_name)}<br>{label(name)}: not {label(value)}"
                if source is None
                else f"{to_plotly(method_name)}<br>{label(name)}: {label(value)} ({source})"
            )
        z.append(row_z)
        text.append(row_text)
        hover.append(row_hover)
    x = [f"{label(name)}: {label(value)}" for name, value in columns]
    rows = list(summary["name"])
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=[to_plotly(row) for row in rows],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=[[0, "#FFFFFF"], [1, "#41B6E6"]],
            showscale=False,
            xgap=2,
            ygap=2,
            zmin=0,
            zmax=1,
        )
    )
    figure.update_layout(
        **_LAYOUT,
        title=_title("Practical considerations of each method", CURATED_NOTE, above_labels=True),
        height=_TOP_LABELS_HEIGHT + _row_height(rows, 28) * len(rows),
        xaxis=_TOP_LABELS,
        yaxis={"autorange": "reversed", **_wrapped_ticks(rows)},
        margin={"t": 60, "l": 10, "r": 20, "b": 20},
    )
    return figure


def sunburst(collation: Collation) -> go.Figure:
    """Approach → method; a grey slice per approach stands for the methods the collation states but are not
    recorded."""
    approaches, methods = collation.approaches, collation.methods
    ids, labels, parents, colours = [], [], [], []
    for i, approach in enumerate(approaches.itertuples()):
        colour = _PALETTE[i % len(_PALETTE)]
        ids.append(approach.approach_id)
        labels.append(to_plotly(approach.name))
        parents.append("")
        colours.append(colour)
        for method in methods[methods["approach_id"] == approach.approach_id].itertuples():
            ids.append(method.method_id)
            labels.append(to_plotly(method.name))
            parents.append(approach.approach_id)
            colours.append(colour)
        if approach.methods_missing > 0:
            ids.append(f"{approach.approach_id}/not-recorded")
            labels.append(f"{approach.methods_missing} not recorded")
            parents.append(approach.approach_id)
            colours.append(_MISSING_COLOUR)
    values = [_sunburst_value(ident, approaches) for ident in ids]
    figure = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colours},
            insidetextorientation="radial",
            hoverinfo="label+value",
        )
    )
    figure.update_layout(
        **_LAYOUT,
        title="Approaches and their methods (slice size: methods)",
        height=620,
        margin={"t": 60, "l": 10, "r": 10, "b": 10},
    )
    return figure


def compare_chart(collation: Collation, ids: Sequence[str]) -> go.Figure:
    """2–5 methods or approaches against each consideration value: for an approach, the share of its recorded
    methods that fit the value."""
    compare(collation, ids)  # checks the ids and their number, with the library's messages
    ids = list(dict.fromkeys(ids))
    names = _names(collation)
    provenance = _consideration_provenance(collation)
    methods = collation.methods
    columns = [(name, value) for name in CONSIDERATIONS for value in _CONSIDERATION_VALUES[name]]
    z, text, hover = [], [], []
    for ident in ids:
        members = list(methods.loc[methods["approach_id"] == ident, "method_id"]) or [ident]
        row_z, row_text, row_hover = [], [], []
        for name, value in columns:
            fitting = sum((member, name, value) in provenance for member in members)
            row_z.append(fitting / len(members))
            row_text.append(f"{fitting}/{len(members)}" if len(members) > 1 else ("✓" if fitting else ""))
            row_hover.append(f"{fitting} of its {len(members)} recorded methods fit" if len(members) > 1
                             else "fits" if fitting else "does not fit")
        z.append(row_z)
        text.append(row_text)
        hover.append(row_hover)
    rows = [names[i] for i in ids]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{label(name)}: {label(value)}" for name, value in columns],
            y=[to_plotly(row) for row in rows],
            text=text,
            texttemplate="%{text}",
            colorscale=[[0, "#FFFFFF"], [1, "#005EB8"]],
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            showscale=False,
            customdata=hover,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
        )
    )
    figure.update_layout(
        **_LAYOUT,
        title=_title(
            "How the chosen methods or approaches compare",
            "For an approach, a cell such as 3/7 means that 3 of its 7 recorded methods fit the value; for a method, "
            "a tick means it fits. Considerations are curated.",
            above_labels=True,
        ),
        height=_TOP_LABELS_HEIGHT + _row_height(rows, 40) * len(rows),
        xaxis=_TOP_LABELS,
        yaxis={"autorange": "reversed", **_wrapped_ticks(rows)},
        margin={"t": 60, "l": 10, "r": 20, "b": 20},
    )
    return figure


def case_timeline(collation: Collation, case_id: str) -> go.Figure:
    """A case example's phases over time: one row per method used (named with its approach), one colour per
    phase."""
    cases = collation.case_examples
    if case_id not in set(cases["case_id"]):
        raise UnknownIdError(f"unknown case example id: {case_id!r} (known: {', '.join(cases['case_id'])})")
    phases = collation.case_phases[collation.case_phases["case_id"] == case_id]
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    methods = collation.methods.set_index("method_id")
    approaches = collation.approaches.set_index("approach_id")
    row_order = [m for m in collation.methods["method_id"] if m in set(used["method_id"])]
    approach_of = methods["approach_id"].map(approaches["name"])
    rows = {m: f"{_wrap(methods.loc[m, 'name'], _LABEL_WIDTH)}<br><i>{_wrap(approach_of[m], _LABEL_WIDTH)}</i>"
            for m in row_order}
    figure = go.Figure()
    for i, phase in enumerate(phases.itertuples()):
        start = phase.start_month.to_timestamp()
        end = (phase.end_month + 1).to_timestamp()
        method_ids = [
            m for m in row_order if m in set(used.loc[used["phase_order"] == phase.order, "method_id"])
        ]
        mark = CURATED_MARK if phase.provenance == "curated" else ""
        figure.add_trace(
            go.Bar(
                name=f"{phase.order}. {to_plotly(phase.name)}{mark}",
                orientation="h",
                y=[rows[m] for m in method_ids],
                base=[start.isoformat()] * len(method_ids),
                x=[(end - start).total_seconds() * 1000] * len(method_ids),
                text=[f"phase {phase.order}"] * len(method_ids),
                textposition="inside",
                insidetextanchor="middle",
                marker={"color": _PALETTE[i % len(_PALETTE)]},
                customdata=[[phase.order, m] for m in method_ids],
                hovertext=[
                    f"<b>{to_plotly(phase.name)}</b> ({phase.start_month} to {phase.end_month})"
                    f"<br>{to_plotly(methods.loc[m, 'name'])}"
                    for m in method_ids
                ],
                hoverinfo="text",
            )
        )
    case_name = cases.set_index("case_id").loc[case_id, "name"]
    figure.update_layout(
        **_LAYOUT,
        title=_title(
            f"{to_plotly(case_name)}: phases and the methods used",
            f"Each row is a method the programme used, under its approach. {CURATED_NOTE}.",
        ),
        barmode="overlay",
        height=240 + _row_height(list(rows.values()), 56, wrapped=True) * len(row_order),
        xaxis={"type": "date", "title": "Time"},
        yaxis={
            "categoryorder": "array",
            "categoryarray": [rows[m] for m in row_order],
            "autorange": "reversed",
            **_EVERY_CATEGORY,
        },
        legend={"orientation": "h", "y": -0.25, "title": {"text": "Phase"}},
    )
    return figure


def plan_timeline(plan: Plan) -> go.Figure:
    """The phases of a plan over the months available; each row names the phase and its methods."""
    figure = go.Figure()
    labels = [f"<b>{_wrap(f'{phase.order}. {phase.name}', _LABEL_WIDTH)}</b><br>"
              f"{_wrap('; '.join(phase.methods), _LABEL_WIDTH)}" for phase in plan.phases]
    for i, phase in enumerate(plan.phases):
        figure.add_trace(
            go.Bar(
                name=f"{phase.order}. {to_plotly(phase.name)}",
                orientation="h",
                y=[labels[i]],
                base=[phase.start_month - 1],
                x=[phase.end_month - phase.start_month + 1],
                text=[f"months {phase.start_month}–{phase.end_month}"],
                textposition="inside",
                insidetextanchor="middle",
                marker={"color": _PALETTE[i % len(_PALETTE)]},
                hoverinfo="text",
                hovertext=[
                    f"<b>{to_plotly(phase.name)}</b>: months {phase.start_month}–{phase.end_month}<br>"
                    + to_plotly("; ".join(phase.methods))
                ],
            )
        )
    months = plan.profile.timescale_months
    figure.update_layout(
        **_LAYOUT,
        title=f"Plan over {months} months",
        showlegend=False,
        height=180 + _row_height(labels, 80, wrapped=True) * len(labels),
        xaxis={"title": "Month", "range": [0, months], "tick0": 0},
        yaxis={"autorange": "reversed", **_EVERY_CATEGORY},
    )
    return figure


def ranking_chart(advice: Advice, top: int | None = None) -> go.Figure:
    """The likeliest methods' chances, best first, each with its base rate marked and its one-line reason in the
    hover text."""
    from .views.advice_text import summary_line

    methods = advice.methods[:top] if top else advice.methods
    names = [f"{m.rank}. {m.method}" for m in methods]
    shown = [to_plotly(name) for name in names]
    approach_ids = list(dict.fromkeys(m.approach_id for m in advice.methods))
    colours = [_PALETTE[approach_ids.index(m.approach_id) % len(_PALETTE)] for m in methods]
    figure = go.Figure([
        go.Bar(x=[m.chance for m in methods], y=shown, orientation="h", marker={"color": colours},
               name="Chance in this situation", hoverinfo="text",
               hovertext=[f"<b>{to_plotly(m.method)}</b> ({to_plotly(m.approach)})<br>{to_plotly(summary_line(m))}"
                          for m in methods],
               text=[f"{m.chance:.0%}" for m in methods], textposition="outside",
               customdata=[[m.method_id] for m in methods]),
        go.Scatter(x=[m.base_rate for m in methods], y=shown, mode="markers", name="Base rate (all programmes)",
                   marker={"symbol": "line-ns-open", "size": 16, "color": "#212B32", "line": {"width": 3}},
                   hoverinfo="text", hovertext=[f"{to_plotly(m.method)}: {m.base_rate:.0%} of all programmes"
                                                         for m in methods]),
    ])
    figure.update_layout(
        **_LAYOUT,
        title="Chance that a programme in this situation uses each method",
        height=180 + _row_height(names, 24) * len(names),
        yaxis={"autorange": "reversed", **_wrapped_ticks(names)},
        xaxis={"title": "Chance (0–100%)", "range": [0, 1.15], "tickformat": ".0%"},
        margin={"l": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def _spread_within_cells(approaches: pd.DataFrame) -> tuple[list[float], list[float], list[str]]:
    """x, y and label positions: approaches sharing a standardisation × motivation cell are set side by side,
    their labels alternately below and above."""
    x_base = [LEVELS.index(str(v)) for v in approaches["central_standardisation"]]
    y_base = [_MOTIVATION_ORDER.index(str(v)) for v in approaches["motivation"]]
    cells: dict[tuple[int, int], list[int]] = {}
    for i, cell in enumerate(zip(x_base, y_base, strict=True)):
        cells.setdefault(cell, []).append(i)
    x, y = [float(v) for v in x_base], [float(v) for v in y_base]
    positions = ["bottom center"] * len(x)
    for members in cells.values():
        for position, i in enumerate(members):
            x[i] += (position - (len(members) - 1) / 2) * 0.5
            positions[i] = "top center" if position % 2 else "bottom center"
    return x, y, positions


def _consideration_provenance(collation: Collation) -> dict[tuple[str, str, str], str]:
    """(method id, consideration, value) → provenance, for every value a method has."""
    table = collation.considerations
    return {
        (method_id, str(name), str(value)): str(source)
        for method_id, name, value, source in zip(
            table["method_id"], table["consideration"], table["value"], table["provenance"], strict=True
        )
    }


def _sunburst_value(ident: str, approaches: pd.DataFrame) -> int:
    table = approaches.set_index("approach_id")
    if ident in table.index:
        return int(table.loc[ident, "methods_stated"])
    if ident.endswith("/not-recorded"):
        return int(table.loc[ident.split("/")[0], "methods_missing"])
    return 1


def _names(collation: Collation) -> dict[str, str]:
    return dict(zip(collation.methods["method_id"], collation.methods["name"], strict=True)) | dict(
        zip(collation.approaches["approach_id"], collation.approaches["name"], strict=True)
    )


def _title(text: str, note: str, *, above_labels: bool = False) -> dict:
    """A title with a note under it; `above_labels` keeps it clear of tick labels drawn above the plot, by
    placing it at the top of the figure and letting it push the top margin down."""
    title: dict[str, object] = {"text": text,
                                "subtitle": {"text": note, "font": {"size": 12, "color": "#425563"}}}
    if above_labels:
        title |= {"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}, "automargin": True}
    return title


def _wrapped_ticks(names: Sequence[str]) -> dict[str, object]:
    """Axis settings that label every category (given as its name from the data; the trace's values are the
    names made `to_plotly`), each name wrapped onto lines."""
    return {"tickmode": "array", "tickvals": [to_plotly(name) for name in names],
            "ticktext": [_wrap(name, _LABEL_WIDTH) for name in names]}


def _row_height(labels: Sequence[str], least: int, *, wrapped: bool = False) -> int:
    """px per row: `least`, or more when the longest label, wrapped (or as `wrapped` already), needs more lines."""
    lines = max((str(text if wrapped else _wrap(text, _LABEL_WIDTH)).count("<br>") + 1 for text in labels),
                default=1)
    return max(least, _LINE_HEIGHT * lines + 10)


def _wrap(text: str, width: int = 28) -> str:
    """Break a long name onto lines of about `width` characters for a chart label (its text made `to_plotly`)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) >= width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(to_plotly(part) for part in [*lines, line])
