"""plotly.js as the dashboard serves it: one file, at one address, fetched by the page when it draws its first chart.

Shared by the server (`spreadlab.serving`, which serves the file) and the kernel (`spreadlab.app.figures`, whose
chart outputs ask for it), so neither has to import the other's libraries.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

URL_PATH = "spreadlab/static/plotly.min.js"
"""Where the page asks for plotly.js, relative to the server's base URL; the file keeps its name in the package."""


def plotly_js() -> Path:
    """The minified plotly.js that ships inside the installed plotly package."""
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


@cache
def cache_key() -> str:
    """A value for the URL's `v` parameter: it changes with plotly, so browsers may keep the file until then."""
    return version("plotly")
