"""Charts in the dashboard: a plotly figure shown in an Output widget, drawn by plotly.js in the page.

Not `go.FigureWidget`: since plotly 6 every FigureWidget carries the whole plotly.js bundle (about 5 MB) in its
widget state, so a page with several charts sent tens of megabytes through the kernel and took seconds per tab.
Not the jupyterlab-plotly extension either: Voilà loads every extension before it draws any widget, and that one is
5 MB of JavaScript, which held back the first widget by about 0.6 s (benchmarks/README.md, "Many viewers"). Instead
each chart is an HTML output whose script fetches plotly.js once, from the dashboard's server, when the page draws
its first chart. The output also carries plotly's own mimetype, which JupyterLab prefers when its extension is there.
"""

from __future__ import annotations

import json
import uuid

import ipywidgets as widgets
import plotly.graph_objects as go
import plotly.io as pio

from .. import views
from ..plotly_asset import URL_PATH, cache_key

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"

def blank() -> widgets.Output:
    """An empty chart area; `replace` fills it."""
    return widgets.Output(layout=widgets.Layout(width="100%"))


def live(figure: go.Figure, alt: str = "") -> widgets.Output:
    """An Output widget showing `figure` (with `alt`, its text alternative); `replace` shows another in its place."""
    chart = blank()
    replace(chart, figure, alt)
    return chart


def replace(chart: widgets.Output, figure: go.Figure, alt: str = "") -> None:
    """Show `figure` in `chart` (one message to the browser)."""
    chart.outputs = ({"output_type": "display_data", "data": bundle(figure, alt), "metadata": {}},)


def bundle(figure: go.Figure, alt: str = "") -> dict[str, object]:
    """The output's data: HTML that draws `figure` with plotly.js (titled, with `alt` under it), plotly's
    mimetype, and a line of plain text."""
    spec = json.loads(pio.to_json(figure.to_plotly_json(), validate=False))
    title = views.from_plotly(figure.layout.title.text or "untitled")
    return {
        "text/html": views.plotly_chart(spec, chart_id=f"sl-chart-{uuid.uuid4().hex}",
                                        url=f"{URL_PATH}?v={cache_key()}", alt=alt),
        PLOTLY_MIMETYPE: spec,
        "text/plain": f"<chart: {title}>",
    }
