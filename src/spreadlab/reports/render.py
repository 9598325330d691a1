"""Building blocks of report HTML: escaped text, provenance badges, links, tables, charts and the footer.

Every value that came from a user or a data file passes through `text()` (html.escape), so a name such as
`<script>` is shown, never run. Templates call these functions and display the strings they return.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..collation import Collation, load
from ..paths import default_data_dir

PROVENANCE_NOTE = {
    "collation": "stated by the Horizons collation",
    "collation-summary": "named by a public summary of the collation",
    "curated": "curated by spreadlab (not stated by the collation)",
}


def text(value: Any) -> str:
    """`value` as escaped HTML text; missing values (None, NaN) become an empty string."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def link(url: Any, label: Any = None) -> str:
    """A link to an http(s) address, or the escaped label alone when the address is anything else."""
    address = str(url) if url is not None else ""
    shown = text(label if label is not None else address)
    if not address.startswith(("https://", "http://")):
        return shown
    return f'<a href="{text(address)}" rel="noopener noreferrer">{shown}</a>'


def badge(provenance: Any) -> str:
    """A small label saying where a value comes from; curated values are marked so nobody mistakes them."""
    key = str(provenance)
    note = PROVENANCE_NOTE.get(key, key)
    return f'<span class="badge badge-{text(key)}" title="{text(note)}">{text(key)}</span>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, css_class: str = "") -> str:
    """An HTML table; headers are escaped here, cells must already be HTML (built with `text`, `link`...)."""
    head = "".join(f"<th>{text(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{text(css_class)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def bullets(items: Iterable[str]) -> str:
    """An HTML list of items that are already HTML."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def section(title: str, body: str, *, css_class: str = "") -> str:
    """A titled report section; `body` is already HTML."""
    return f'<section class="report-section {text(css_class)}"><h2>{text(title)}</h2>{body}</section>'


def collation(data_dir: str | Path | None = None) -> Collation:
    """The collation, loaded once per process and again only when a data file changes (reports in a reused
    kernel pay the loading once)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return _load_cached(folder, _file_stamps(folder))


def _file_stamps(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every data file: cheap to compute, changes when the data does."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    stats = ((path, path.stat()) for path in files)
    return tuple((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns) for path, stat in stats)


@lru_cache(maxsize=4)
def _load_cached(folder: Path, fingerprint: tuple) -> Collation:
    return load(folder)


class Chart:
    """A plotly figure shown through its JSON mime type only, so the HTML export draws it with the plotly.js
    it embeds once per file (plotly's own notebook renderer would inject plotly.js once per kernel)."""

    def __init__(self, figure: Any) -> None:
        self.figure_json = json.loads(figure.to_json())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # An empty text/plain stops IPython adding the object's repr ("<...Chart at 0x...>") as a fallback.
        return {"application/vnd.plotly.v1+json": self.figure_json, "text/plain": ""}


def footer(collation: Collation) -> str:
    """Where the data comes from, what is curated, and which spreadlab made the report on which day."""
    from .. import __version__

    approaches = collation.approaches
    sources = bullets(
        f"{link(row.source_url, row.name)} {badge(row.provenance)}" for row in approaches.itertuples()
    )
    body = (
        "<p>Approaches, methods, strengths and limitations come from the NHS Horizons collation "
        "<em>Spreading and scaling</em>; each value carries a provenance badge: "
        + ", ".join(f"{badge(key)} {text(note)}" for key, note in PROVENANCE_NOTE.items())
        + ". Curated values are spreadlab's editorial judgement or facts from the public sources cited; "
        "they are never presented as the collation's.</p>"
        f"<p>Collation pages:</p>{sources}"
        f'<p class="made-by">Made with spreadlab {text(__version__)} on '
        f'<span class="report-date">{text(dt.date.today().isoformat())}</span>.</p>'
    )
    return section("About this report", body, css_class="footer")
