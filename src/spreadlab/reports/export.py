"""Turn an executed report notebook into one self-contained, printable HTML page: no code, no prompts, no
parameter cells, charts as inline SVG. `ReportExporter` is an nbconvert exporter (entry point
`spreadlab_report`), so `jupyter nbconvert --to spreadlab_report executed.ipynb` makes the same page as
`spreadlab report`; its page shell is the nbconvert template `views/templates/nbconvert/spreadlab_report`.

A report runs no script and fetches nothing, whatever notebook it is made from (`jupyter nbconvert` takes any):
the page's Content-Security-Policy (in the template) stops every script, event handler and request, and
`InertOutputs` leaves out what such a policy cannot stop, a refresh to another page or a prefetch; only the
outputs of code cells are shown, never markdown or raw cells."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from importlib.resources import files

from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from nbformat import NotebookNode
from traitlets import default

from .digest import MEDIA_TYPE as DIGEST_MEDIA_TYPE
from .render import TITLE_METADATA

PARAMETER_TAGS = ("parameters", "injected-parameters")
INPUTS_META = "spreadlab-inputs"
TEMPLATES = files("spreadlab.views") / "templates"


class DropUnseen(Preprocessor):
    """Leave warnings printed on stderr, and the plan digest glued for the batch, out of the report a board reads."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        for cell in nb.cells:
            if "outputs" in cell:
                cell.outputs = [output for output in cell.outputs if not _unseen(output)]
        return nb, resources


def _unseen(output: NotebookNode) -> bool:
    if output.output_type == "stream":
        return output.name == "stderr"
    return DIGEST_MEDIA_TYPE in output.get("data", {})


class InertOutputs(Preprocessor):
    """Leave out every output whose HTML or SVG holds an element that acts before anyone clicks and that the
    page's Content-Security-Policy cannot stop: `<meta>` (a refresh to another page) and `<link>` (prefetches,
    preconnections). spreadlab's own sections hold neither."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        for cell in nb.cells:
            if "outputs" in cell:
                cell.outputs = [output for output in cell.outputs if not _acts_unasked(output)]
        return nb, resources


class _Elements(HTMLParser):
    """The names of the elements in some HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.names.add(tag)

    handle_startendtag = handle_starttag


def _acts_unasked(output: NotebookNode) -> bool:
    elements = _Elements()
    for mimetype in ("text/html", "image/svg+xml"):
        content = output.get("data", {}).get(mimetype)
        if content:
            elements.feed(content if isinstance(content, str) else "".join(content))
    elements.close()
    return bool(elements.names & {"meta", "link"})


class PageTitle(Preprocessor):
    """Take the page's title from the section that names it (`render.show(..., title=...)`), unless the caller
    gave one."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        page = resources.setdefault("spreadlab", {})
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                named = output.get("metadata", {}).get(TITLE_METADATA, {}).get("title")
                if named and not page.get("title"):
                    page["title"] = named
        return nb, resources


class ReportExporter(HTMLExporter):
    """HTML of a spreadlab report: outputs only, in spreadlab's page shell and stylesheet."""

    export_from_notebook = "spreadlab report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "spreadlab_report"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES / "nbconvert")]

    @default("extra_template_paths")
    def _extra_template_paths_default(self) -> list[str]:
        return [str(TEMPLATES)]  # the page head and the stylesheet, shared with every spreadlab page

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("exclude_markdown")
    def _exclude_markdown_default(self) -> bool:
        return True  # a report is its sections (code cells' outputs); markdown could carry any HTML

    @default("exclude_raw")
    def _exclude_raw_default(self) -> bool:
        return True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=PARAMETER_TAGS, enabled=True),
                                   enabled=True)
        self.register_preprocessor(DropUnseen(enabled=True), enabled=True)
        self.register_preprocessor(InertOutputs(enabled=True), enabled=True)
        self.register_preprocessor(PageTitle(enabled=True), enabled=True)


@cache
def _exporter() -> ReportExporter:
    return ReportExporter()


def to_html(executed: NotebookNode, *, title: str, inputs_hash: str) -> str:
    """The report page of an executed notebook; `inputs_hash` is kept in a meta tag so reruns can skip it."""
    body, _ = _exporter().from_notebook_node(executed, resources={"spreadlab": {"title": title,
                                                                                "inputs_hash": inputs_hash}})
    return body if body.endswith("\n") else body + "\n"


def inputs_hash_of(path) -> str | None:
    """The inputs hash recorded in a report file's meta tag near its start, or None if absent or unreadable
    (nbconvert's final pass writes the tag's attributes in either order)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(400)
    except OSError:
        return None
    tag = re.search(r"<meta\s[^>]*name=\"" + INPUTS_META + r"\"[^>]*>", head)
    content = re.search(r'content="([^"]+)"', tag.group(0)) if tag else None
    return content.group(1) if content else None
