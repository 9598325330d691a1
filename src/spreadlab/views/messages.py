"""Small views: the dashboard's header, a provenance badge, notes, warnings and errors, a report's title, the
stylesheet as a <style> element, and a dashboard chart drawn by plotly.js in the page."""

from __future__ import annotations

from typing import Any

from ._env import render


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


def report_title(kicker: str, title: str) -> str:
    """The title block at the top of a report."""
    return render("report_title.html.j2", kicker=kicker, title=title, meta="", provenance=None)


def dashboard_header() -> str:
    """The dashboard's title and stylesheet, above its tabs."""
    return render("dashboard_header.html.j2")


def style() -> str:
    """The stylesheet as a <style> element, for pages (such as the dashboard's) that do not link it."""
    return render("style.html.j2")


def plotly_chart(figure: dict[str, Any], *, chart_id: str, url: str, alt: str) -> str:
    """HTML whose script draws `figure` (plotly JSON) with the plotly.js at `url` on the page's server; `alt` is
    the chart's text alternative, shown as its caption."""
    return render("plotly_chart.html.j2", figure=figure, id=chart_id, url=url, alt=alt)
