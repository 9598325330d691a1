"""The case example reports opened from file:// in Chromium with the network blocked: the timeline chart is drawn
from the plotly.js embedded in the report, and the batch index sorts its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Route

import spreadlab

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

CASES = ("atrial-fibrillation", "transfer-of-care-around-medicines")


def _offline_page(browser: Browser, requested: list[str], errors: list[str]):
    page = browser.new_page(viewport={"width": 1100, "height": 900})

    def offline(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


@pytest.mark.parametrize("case_id", CASES)
def test_case_report_chart_renders_offline(browser, reports_out, case_id):
    requested, errors = [], []
    page = _offline_page(browser, requested, errors)
    try:
        page.goto((reports_out / f"{case_id}.html").as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        bars = page.locator(".js-plotly-plot .barlayer .point").count()
        title = page.locator("h1").first.inner_text()
    finally:
        page.close()
    assert not errors and not requested
    assert bars >= 2
    assert title == spreadlab.load().case_examples.set_index("case_id").loc[case_id, "name"]


def test_batch_index_sorts_by_a_clicked_column_and_links_each_report(browser, reports_out):
    requested, errors = [], []
    page = _offline_page(browser, requested, errors)
    try:
        page.goto((reports_out / "batch" / "index.html").as_uri())
        names = page.locator("#reports tbody tr td:nth-child(2)").all_inner_texts()
        page.locator("th", has_text="Intervention").click()
        ascending = page.locator("#reports tbody tr td:nth-child(2)").all_inner_texts()
        page.locator("th", has_text="Intervention").click()
        descending = page.locator("#reports tbody tr td:nth-child(2)").all_inner_texts()
        page.locator("#reports tbody a").first.click()
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        heading = page.locator("h1").first.inner_text()
    finally:
        page.close()
    assert not errors and not requested
    assert sorted(names) == ascending == list(reversed(descending)) and len(names) == 3
    assert heading == descending[0]
