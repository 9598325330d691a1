"""Every chart whole at every width (issue 21, items 1 and 6), as a person sees it: on every dashboard tab and in
the reports, at 1400, 1024, 768 and 320 px, each chart is drawn at the size it was laid out and inside its
container (or its own region that scrolls sideways, below the width a chart can be read at), every bar, row and
column the data hold is drawn with its label, the axes are there, and hovering shows no mode bar over the plot.

A screenshot of each tab and report at each width is kept in test-artifacts/charts/, to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from charts_seen import STATIC, WIDTHS, keep_screenshot, plotly_problems, static_problems, wait_for_redraw
from offline import block_network
from playwright.sync_api import Browser, Page
from tab_states import TABS, show

from spreadlab import views

pytestmark = pytest.mark.browser

PAGE_READY_TIMEOUT = 60_000
SETTLE_MS = 400


@pytest.fixture(scope="module")
def app(browser: Browser, dashboard_url: str) -> Iterator[Page]:
    """One dashboard page for every tab and width (each page load costs a kernel)."""
    page = browser.new_context(viewport={"width": WIDTHS[0], "height": 1000}).new_page()
    page.goto(dashboard_url)
    page.wait_for_selector(".sl-table", timeout=PAGE_READY_TIMEOUT)
    yield page
    page.context.close()


def _at(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_timeout(SETTLE_MS)
    wait_for_redraw(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("tab", TABS)
def test_every_dashboard_chart_is_whole(app: Page, tab: str, width: int):
    app.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    panel = show(app, tab)
    _at(app, width)
    problems = {}
    for index, plot in enumerate(panel.locator(".js-plotly-plot").all()):
        plot.scroll_into_view_if_needed()
        problems[f"chart {index + 1}"] = plotly_problems(plot, views.CHART_MIN_WIDTH)
    for index, figure in enumerate(panel.locator(STATIC).all()):
        problems[f"static chart {index + 1}"] = static_problems(figure, views.CHART_MIN_WIDTH)
    keep_screenshot(app, f"dashboard-{tab.replace(' ', '-').lower()}", width)
    app.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    assert {name: found for name, found in problems.items() if found} == {}


def _reports(folder: Path) -> dict[str, Path]:
    plans = sorted(path for path in (folder / "batch").glob("*.html") if path.name != "index.html")
    return {"plan-report": plans[0], "case-report": folder / "atrial-fibrillation.html",
            "batch-index": folder / "batch" / "index.html"}


@pytest.mark.kernel
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", ["plan-report", "case-report", "batch-index"])
def test_every_report_chart_is_whole(browser: Browser, reports_out: Path, report: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    fetched = block_network(page)
    try:
        page.goto(_reports(reports_out)[report].as_uri())
        figures = page.locator(STATIC).all()
        problems = {f"chart {index + 1}": static_problems(figure, views.CHART_MIN_WIDTH)
                    for index, figure in enumerate(figures)}
        keep_screenshot(page, report, width)
    finally:
        page.close()
    assert figures and fetched == []
    assert {name: found for name, found in problems.items() if found} == {}
