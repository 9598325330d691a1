"""Small HTML pieces the dashboard shows: provenance badges, tables, message boxes and download links.

Everything that comes from the data or from a user goes through `html.escape` here, so no tab builds raw HTML
from values itself.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from html import escape

import pandas as pd

from ..vocabulary import label

_BADGE_COLOURS = {"collation": "#005EB8", "collation-summary": "#00A499", "curated": "#ED8B00"}
_BADGE_TITLES = {
    "collation": "Stated by the Horizons collation",
    "collation-summary": "Named by a public summary of the collation",
    "curated": "spreadlab's editorial judgement or another public source, not the collation's",
}
STYLE = """<style>
.sl-table {border-collapse: collapse; width: 100%; font-size: 13px;}
.sl-table th {text-align: left; background: #E8EDEE; padding: 4px 6px;}
.sl-table td {border-top: 1px solid #D8DDE0; padding: 4px 6px; vertical-align: top;}
.sl-badge {display: inline-block; border-radius: 8px; padding: 0 6px; color: #fff; font-size: 11px;}
.sl-error {border: 2px solid #DA291C; background: #FDECEA; color: #8A1538; padding: 8px; border-radius: 4px;}
.sl-note {border-left: 4px solid #005EB8; background: #F0F4F5; padding: 6px 10px;}
.sl-warning {border-left: 4px solid #ED8B00; background: #FFF6E5; padding: 6px 10px;}
.widget-html a {color: #005EB8; text-decoration: underline;}
</style>"""


def text(value: object) -> str:
    """A value as escaped text; missing values are empty."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return ""
    return escape(str(value))


def badge(provenance: object) -> str:
    """A coloured badge naming where a value comes from (collation, collation-summary or curated)."""
    key = str(provenance)
    colour = _BADGE_COLOURS.get(key, "#768692")
    return (f'<span class="sl-badge" data-provenance="{escape(key)}" style="background:{colour}" '
            f'title="{escape(_BADGE_TITLES.get(key, key))}">{escape(label(key))}</span>')


def error_box(message: str) -> str:
    """A red box with a message a user can act on."""
    return f'<div class="sl-error" role="alert">{escape(message)}</div>'


def note_box(message: str, *, warning: bool = False) -> str:
    """A highlighted note, or a warning."""
    return f'<div class="{"sl-warning" if warning else "sl-note"}">{escape(message)}</div>'


def table(rows: pd.DataFrame, columns: Mapping[str, str], *, badges: Iterable[str] = (),
          row_id: str | None = None) -> str:
    """An HTML table of `rows`: `columns` maps column → heading; `badges` columns show provenance badges."""
    badges = set(badges)
    head = "".join(f"<th>{escape(heading)}</th>" for heading in columns.values())
    body = []
    for _, row in rows.iterrows():
        cells = "".join(
            f"<td>{badge(row[column]) if column in badges else _multiline(row[column])}</td>" for column in columns
        )
        attribute = f' data-id="{escape(str(row[row_id]))}"' if row_id else ""
        body.append(f"<tr{attribute}>{cells}</tr>")
    return f'<table class="sl-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def download_link(content: str, filename: str, mime: str, caption: str) -> str:
    """A link that downloads `content` as a file, held in a data: URI so no server endpoint is needed."""
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (f'<a download="{escape(filename)}" href="data:{mime};charset=utf-8;base64,{data}" '
            f'class="sl-download">{escape(caption)}</a>')


def _multiline(value: object) -> str:
    return text(value).replace("\n", "<br>")
