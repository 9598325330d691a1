"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any dashboard tab or generated HTML page, at a desktop
width and at 320 px, with the viewport taller than the content so that axe sees every node (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from accessibility import assert_accessible, fit_viewport
from offline import block_network
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1300, "320px": 320}
TABS = ["Explore", "Compare", "Plan", "Case examples", "About the data"]
PAGE_READY_TIMEOUT = 60_000
UPDATE_TIMEOUT = 15_000
PANEL = ".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)"
REPORT_CHART = ".js-plotly-plot .main-svg, figure.sl-chart svg"


@pytest.fixture(scope="module")
def app(browser: Browser, dashboard_url: str) -> Iterator[Page]:
    """One dashboard page for every tab and width (each page load costs a kernel)."""
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 1000})
    page = context.new_page()
    page.goto(dashboard_url)
    page.wait_for_selector(".sl-table", timeout=PAGE_READY_TIMEOUT)
    yield page
    context.close()


def show(page: Page, tab: str) -> None:
    """Open `tab` and wait until it shows what a user would check; the Plan tab with a ranking and a plan."""
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 1000})
    page.get_by_role("tab", name=tab).click()
    panel = page.locator(PANEL)
    if tab == "Plan":
        expect(panel.get_by_role("button", name="Rank and plan")).to_be_visible(timeout=UPDATE_TIMEOUT)
        if not panel.locator(".sl-ranking").count():
            panel.get_by_role("textbox").first.fill("AF detection in primary care")
            panel.get_by_role("button", name="Rank and plan").click()
            expect(panel.locator(".sl-ranking")).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(panel.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=UPDATE_TIMEOUT)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("tab", TABS)
def test_every_dashboard_tab_passes_axe(app: Page, tab: str, width: str):
    show(app, tab)
    fit_viewport(app, WIDTHS[width])
    assert_accessible(app, f"dashboard, {tab} tab, {width}")


def _report_pages(folder: Path) -> dict[str, Path]:
    batch = folder / "batch"
    plan_reports = sorted(path for path in batch.glob("*.html") if path.name != "index.html")
    return {"plan report": plan_reports[0], "case report": folder / "atrial-fibrillation.html",
            "batch index": batch / "index.html"}


@pytest.mark.kernel
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_name", ["plan report", "case report", "batch index"])
def test_every_generated_page_passes_axe(browser: Browser, reports_out: Path, page_name: str, width: str):
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 1000})
    fetched = block_network(page)  # axe-core comes from the installed package: neither it nor the page fetches anything
    try:
        page.goto(_report_pages(reports_out)[page_name].as_uri())
        if page_name != "batch index":  # the chart drawn, by plotly.js or as SVG in the page
            page.wait_for_selector(REPORT_CHART, timeout=UPDATE_TIMEOUT)
        fit_viewport(page, WIDTHS[width])
        assert_accessible(page, f"{page_name}, {width}")
    finally:
        page.close()
    assert fetched == []
