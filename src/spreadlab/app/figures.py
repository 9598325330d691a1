"""Charts in the dashboard: a plotly figure shown in an Output widget through plotly's JupyterLab renderer.

Not `go.FigureWidget`: since plotly 6 every FigureWidget carries the whole plotly.js bundle (about 5 MB) in its
widget state, so a page with several charts sent tens of megabytes through the kernel and took seconds per tab.
The `application/vnd.plotly.v1+json` output is drawn by the jupyterlab-plotly extension that Voilà loads once.
"""

from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go
import plotly.io as pio

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"


def blank() -> widgets.Output:
    """An empty chart area; `replace` fills it."""
    return widgets.Output(layout=widgets.Layout(width="100%"))


def live(figure: go.Figure) -> widgets.Output:
    """An Output widget showing `figure`; pass it to `replace` to show another figure in its place."""
    chart = blank()
    replace(chart, figure)
    return chart


def replace(chart: widgets.Output, figure: go.Figure) -> None:
    """Show `figure` in `chart` (one message to the browser)."""
    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(figure.to_dict())
    chart.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
