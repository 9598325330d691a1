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

from ..plotly_asset import URL_PATH, cache_key

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"

# Runs in the page once per chart. Every chart shares one fetch of plotly.js (a failed fetch may be tried again by the
# next chart). The chart is laid out again whenever its width changes (window resized, tab shown again); a
# ResizeObserver rather than plotly's `responsive` option, whose window listener would keep every replaced chart alive.
_DRAW = """<div class="sl-chart" id="{id}"></div>
<script>
(function (chart, figure) {{
  if (!window.spreadlabPlotly) {{
    var config = document.getElementById("jupyter-config-data");
    var base = ((config && JSON.parse(config.textContent).baseUrl) || "/").replace(/\\/?$/, "/");
    window.spreadlabPlotly = new Promise(function (resolve, reject) {{
      var script = document.createElement("script");
      script.src = base + "{url}?v={key}";
      script.onload = function () {{ resolve(window.Plotly); }};
      script.onerror = function () {{
        window.spreadlabPlotly = null;
        reject(new Error("plotly.js could not be fetched from the dashboard's server"));
      }};
      document.head.appendChild(script);
    }});
  }}
  window.spreadlabPlotly.then(function (Plotly) {{
    return Plotly.newPlot(chart, figure.data, figure.layout, {{displaylogo: false}}).then(function () {{
      var width = chart.clientWidth;
      new ResizeObserver(function () {{
        if (chart.clientWidth && chart.clientWidth !== width) {{
          width = chart.clientWidth;
          Plotly.Plots.resize(chart);
        }}
      }}).observe(chart);
    }});
  }}).catch(function (error) {{
    chart.textContent = "The chart could not be drawn: " + error.message + ".";
  }});
}})(document.getElementById("{id}"), {figure});
</script>"""


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
    chart.outputs = ({"output_type": "display_data", "data": bundle(figure), "metadata": {}},)


def bundle(figure: go.Figure) -> dict[str, object]:
    """The output's data: HTML that draws `figure` with plotly.js, plotly's mimetype, and a line of plain text."""
    spec = figure.to_plotly_json()
    as_json = pio.to_json(spec, validate=False)
    return {
        "text/html": _DRAW.format(id=f"sl-chart-{uuid.uuid4().hex}", url=URL_PATH, key=cache_key(),
                                  figure=_script_safe(as_json)),
        PLOTLY_MIMETYPE: json.loads(as_json),
        "text/plain": f"<chart: {figure.layout.title.text or 'untitled'}>",
    }


def _script_safe(as_json: str) -> str:
    """JSON that cannot end the <script> it sits in, whatever text the figure's titles and labels hold."""
    return as_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
