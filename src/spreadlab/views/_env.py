"""The one Jinja2 environment every view renders with: HTML autoescaped, JSON made safe inside <script>.

This is the only module that touches escaping: templates escape every value unless a view marks it as HTML it
rendered itself (`trusted`), `tojson` escapes `<`, `>`, `&` and `'` so no text can end the script it sits in, and
`to_plotly` / `from_plotly` are the rule for text inside plotly figures.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..vocabulary import label

TEMPLATES = files("spreadlab.views") / "templates"
STYLESHEET = "spreadlab.css"
PROVENANCE_MEANINGS = {
    "collation": "stated by the Horizons collation pages",
    "collation-summary": "named by a public summary of the collation",
    "curated": "spreadlab's editorial judgement or another public source, not the collation's",
}


def present(value: Any) -> bool:
    """False for None, NaN and pandas' NA, so a missing value is shown as nothing rather than as `<NA>`."""
    if value is None or isinstance(value, str | list | tuple | dict):
        return value is not None
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def _text(value: Any) -> str:
    return str(value) if present(value) else ""


def _script_json(value: Any) -> Markup:
    """JSON for inside <script>: the same escapes as Jinja's own `tojson`, for any JSON-ready value."""
    dumped = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return Markup(dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                  .replace("'", "\\u0027"))


@cache
def environment() -> Environment:
    """The views' environment (built once per process)."""
    env = Environment(loader=PackageLoader("spreadlab.views", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(tojson=_script_json, label=lambda value: label(str(value)), text=_text)
    env.tests["present"] = present
    env.globals.update(label=label, provenance_meanings=PROVENANCE_MEANINGS)
    return env


def render(template: str, **context: Any) -> str:
    """`template` (a file in views/templates) rendered with `context`."""
    return environment().get_template(template).render(**context)


def trusted(html: str) -> Markup:
    """HTML a view rendered itself, to be placed in another template without being escaped again."""
    return Markup(html)


@cache
def stylesheet() -> str:
    """The one stylesheet of the dashboard, the reports and the batch index."""
    return (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")


def to_plotly(text: object) -> str:
    """Text from the data as plotly shows it, never as markup: plotly draws `<a href>`, `<b>` and `<br>` found in any
    label, and shows the entities `&lt;`, `&gt;` and `&amp;` as the characters."""
    return html.escape(str(text), quote=False)


def from_plotly(text: str) -> str:
    """Plotly's text as plain text (line breaks as spaces), for a page that escapes it once itself."""
    return html.unescape(re.sub(r"<br\s*/?>", " ", text))
