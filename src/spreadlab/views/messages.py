"""Small views: the dashboard's header, a provenance badge, notes, warnings and errors, a report's title, the
stylesheet as a <style> element, and a dashboard chart drawn by plotly.js in the page."""

from __future__ import annotations

from typing import Any

from ._env import from_plotly, render


def badge(provenance: Any) -> str:
    """The badge saying where a value comes from (collation, collation-summary or curated)."""
    return render("badge.html.j2", provenance=provenance).strip()


def note(message: str) -> str:
    """A highlighted note."""
    return render("message.html.j2", kind="note", message=message).strip()


def warning(message: str) -> str:
    """A warning to read before acting on what follows."""
    return render("message.html.j2", kind="warning", message=message).strip()


def error(message: str) -> str:
    """A red box with a message a user can act on (announced by screen readers)."""
    return render("message.html.j2", kind="error", message=message).strip()


def status(message: str) -> str:
    """A line saying what the page is doing or has just done (announced by screen readers, politely)."""
    return render("message.html.j2", kind="status", message=message).strip()


def focus_script(element_id: str, *, run: int = 0, unless_moved: str | None = None) -> str:
    """A script that moves the keyboard focus to the element `element_id` once the page shows it, unless the focus
    has left the elements `unless_moved` selects (a CSS selector) by then; `run` tells one request from the next,
    so asking again moves the focus again."""
    return render("focus.html.j2", id=element_id, run=run, unless_moved=unless_moved).strip()


def tab_heading(title: str) -> str:
    """A dashboard tab's heading, at the page's second level."""
    return render("tab_heading.html.j2", title=title).strip()


def report_title(kicker: str, title: str) -> str:
    """The title block at the top of a report."""
    return render("report_title.html.j2", kicker=kicker, title=title, meta="", provenance=None)


def dashboard_header() -> str:
    """The dashboard's title and stylesheet, above its tabs."""
    return render("dashboard_header.html.j2")


def style() -> str:
    """The stylesheet as a <style> element, for pages (such as the dashboard's) that do not link it."""
    return render("style.html.j2")


CHART_MIN_WIDTH = 660
"""px: the narrowest any chart is drawn (a dashboard's plotly chart, or a static SVG chart drawn 760 px wide, whose
13 px text then stays above 11 px); in a narrower window it scrolls sideways inside its own region rather than
squeezing its bars into a strip (the charts wrap their labels to fit this width)."""
CHART_TOP_MARGIN = 16
"""px above the plot once the title has moved into the page; labels drawn above a plot push it down themselves."""


def plotly_chart(figure: dict[str, Any], *, chart_id: str, url: str, alt: str) -> str:
    """HTML whose script draws `figure` (plotly JSON) with the plotly.js at `url` on the page's server.

    The figure's title and subtitle are taken out of the drawing and shown above it as text that wraps, so no
    window width cuts them; `alt`, the chart's text alternative, is shown under it."""
    layout = dict(figure.get("layout", {}))
    title = layout.pop("title", None) or {}
    title = title if isinstance(title, dict) else {"text": str(title)}
    layout["margin"] = {**layout.get("margin", {}), "t": CHART_TOP_MARGIN}
    note = (title.get("subtitle") or {}).get("text")
    return render("plotly_chart.html.j2", figure={**figure, "layout": layout}, id=chart_id, url=url, alt=alt,
                  title=from_plotly(title.get("text") or "Untitled chart"), note=note and from_plotly(note),
                  min_width=CHART_MIN_WIDTH)

