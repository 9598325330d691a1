"""The one rule for text inside plotly figures: plotly draws `<a href>`, `<b>` and `<br>` found in any label, and
shows the entities `&lt;`, `&gt;` and `&amp;` as the characters. Names from the data go in escaped, and come back
out as plain text wherever a page shows a figure's words outside the drawing."""

from __future__ import annotations

import html
import re


def to_plotly(text: object) -> str:
    """Text from the data as plotly shows it, never as markup."""
    return html.escape(str(text), quote=False)


def from_plotly(text: str) -> str:
    """Plotly's text as plain text (line breaks as spaces), for a page that escapes it once itself."""
    return html.unescape(re.sub(r"<br\s*/?>", " ", text))
