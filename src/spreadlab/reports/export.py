"""Turn an executed report notebook into one self-contained, printable HTML page: no code, no prompts, no
parameter cells, plotly charts drawn offline by the plotly.js embedded once in the page."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from nbformat import NotebookNode

from .render import text

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PARAMETER_TAGS = ("parameters", "injected-parameters")
INPUTS_META = "spreadlab-inputs"

_STYLE = """
:root { --nhs-blue: #005EB8; --ink: #212B32; --muted: #4C6272; --line: #D8DDE0; }
body { font-family: Arial, Helvetica, sans-serif; color: var(--ink); line-height: 1.45; margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
h1 { font-size: 2rem; margin: 0.2em 0; }
h2 { color: var(--nhs-blue); border-bottom: 2px solid var(--nhs-blue); }
h3 { margin-bottom: 0.2em; } .kicker, .meta { color: var(--muted); margin: 0.2em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 0.92rem; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #F0F4F5; }
.badge { display: inline-block; font-size: 0.72rem; padding: 0 6px; border-radius: 8px; background: #E8EDEE;
  color: var(--muted); white-space: nowrap; vertical-align: middle; }
.badge-curated { background: #FFF4D6; color: #6B4E00; }
.badge-collation { background: #E3F0FB; color: #003D78; }
.warning { background: #FFF4D6; border-left: 6px solid #FFB81C; padding: 8px 12px; }
.points { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.method, .phase { border-top: 1px solid var(--line); padding-top: 4px; }
.prompt { display: none; } .output_subarea { max-width: 100%; }
@media print {
  main { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.75em; color: var(--muted); }
  section, .method, .phase, tr, .js-plotly-plot { break-inside: avoid; }
  h2, h3 { break-after: avoid; } .points { grid-template-columns: 1fr; }
}
"""


class PlotlyToHtml(Preprocessor):
    """Replace each plotly JSON output with a div and a `Plotly.newPlot` call (ids numbered, so stable)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        count = 0
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                figure = output.get("data", {}).pop(PLOTLY_MIME, None)
                if figure is None:
                    continue
                count += 1
                div_id = f"chart-{count}"
                # "<" escaped so no text inside the figure can close the script element.
                spec = json.dumps(figure).replace("<", "\\u003c")
                output["data"] = {
                    "text/html": (
                        f'<div id="{div_id}" class="plotly-graph-div report-chart"></div>'
                        f'<script>(function (f) {{ Plotly.newPlot("{div_id}", f.data, f.layout, '
                        f'{{"responsive": true, "displaylogo": false}}); }})({spec});</script>'
                    )
                }
        return nb, resources


class DropStderr(Preprocessor):
    """Leave warnings printed on stderr out of the report a board reads."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        for cell in nb.cells:
            if "outputs" in cell:
                cell.outputs = [
                    output for output in cell.outputs
                    if not (output.output_type == "stream" and output.name == "stderr")
                ]
        return nb, resources


class ReportExporter(HTMLExporter):
    """HTMLExporter without its final BeautifulSoup pass (alt text for images, tab stops for JupyterLab
    cells): reports have neither, and the pass cost about half of each report's time in a batch."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw) -> tuple[str, dict]:
        self.register_filter("highlight_code", Highlight2HTML(pygments_lexer="python", parent=self))
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@cache
def _exporter() -> HTMLExporter:
    exporter = ReportExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=PARAMETER_TAGS, enabled=True), enabled=True
    )
    exporter.register_preprocessor(PlotlyToHtml(enabled=True), enabled=True)
    exporter.register_preprocessor(DropStderr(enabled=True), enabled=True)
    return exporter


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly package (read once per process)."""
    return (files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def to_html(executed: NotebookNode, *, title: str, inputs_hash: str) -> str:
    """The report page of an executed notebook; `inputs_hash` is kept in a meta tag so reruns can skip it."""
    body, _ = _exporter().from_notebook_node(executed)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        f'<meta name="{INPUTS_META}" content="{text(inputs_hash)}">\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n<style>{_STYLE}</style>\n"
        f'<script type="text/javascript">{plotly_js()}</script>\n</head>\n'
        f'<body>\n<main class="report">\n{body}\n</main>\n</body>\n</html>\n'
    )


def inputs_hash_of(path) -> str | None:
    """The inputs hash recorded in a report file's first line of meta data, or None if absent/unreadable."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(400)
    except OSError:
        return None
    marker = f'<meta name="{INPUTS_META}" content="'
    start = head.find(marker)
    if start < 0:
        return None
    start += len(marker)
    end = head.find('"', start)
    return head[start:end] if end > start else None
