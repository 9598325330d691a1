"""The case example reports opened from file:// in Chromium with the network blocked: the timeline chart (inline
SVG) is drawn on screen and in print, the page reflows at 320 px, and the batch index sorts its table."""

from __future__ import annotations

import re
import subprocess

import pytest
from offline import block_network
from playwright.sync_api import Browser, Page

import spreadlab

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

CASES = ("atrial-fibrillation", "transfer-of-care-around-medicines")


def _offline_page(browser: Browser, width: int = 1100) -> tuple[Page, list[str], list[str]]:
    """A page that may load file:// only, with the URLs it tried to fetch and the script errors it raised."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    requested = block_network(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, requested, errors


@pytest.mark.parametrize("case_id", CASES)
@pytest.mark.parametrize("media", ["screen", "print"])
def test_case_report_chart_renders_offline(browser, reports_out, case_id, media):
    page, requested, errors = _offline_page(browser)
    try:
        page.emulate_media(media=media)
        page.goto((reports_out / f"{case_id}.html").as_uri())
        bars = page.locator("figure.sl-chart svg rect.sl-bar")
        sizes = bars.evaluate_all("bars => bars.map(bar => bar.getBoundingClientRect().width)")
        title = page.locator("h1").first.inner_text()
        caption = page.locator("figure.sl-chart figcaption").inner_text()
    finally:
        page.close()
    assert not errors and not requested
    collation = spreadlab.load()
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    assert len(sizes) == len(used) and all(width > 10 for width in sizes)
    assert title == collation.case_examples.set_index("case_id").loc[case_id, "name"]
    assert caption.startswith("The chart in words: Phase 1,")


def test_a_report_reflows_at_320_px_and_its_chart_scrolls_inside_itself(browser, reports_out):
    page, requested, errors = _offline_page(browser, width=320)
    try:
        page.goto((reports_out / f"{CASES[0]}.html").as_uri())
        page_width = page.evaluate("document.documentElement.scrollWidth")
        chart = page.locator("figure.sl-chart .sl-scroll").evaluate("box => [box.clientWidth, box.scrollWidth]")
        font = page.locator("figure.sl-chart svg text").first.evaluate(
            "text => text.getBoundingClientRect().height")
    finally:
        page.close()
    assert not errors and not requested
    assert page_width <= 320
    assert chart[0] <= 320 < chart[1]
    assert font >= 12  # chart text stays readable instead of shrinking with the page


def test_batch_index_sorts_by_a_clicked_column_and_links_each_report(browser, reports_out):
    page, requested, errors = _offline_page(browser)
    try:
        page.goto((reports_out / "batch" / "index.html").as_uri())
        names = page.locator("#reports tbody tr th").all_inner_texts()
        page.get_by_role("button", name="Intervention").click()
        ascending = page.locator("#reports tbody tr th").all_inner_texts()
        page.get_by_role("button", name="Intervention").press("Enter")
        descending = page.locator("#reports tbody tr th").all_inner_texts()
        page.locator("#reports tbody a").first.click()
        page.wait_for_selector("figure.sl-chart svg rect.sl-bar", timeout=15_000)
        heading = page.locator("h1").first.inner_text()
    finally:
        page.close()
    assert not errors and not requested
    assert sorted(names) == ascending == list(reversed(descending)) and len(names) == 3
    assert heading == descending[0]


def test_printed_plan_report_opens_with_its_summary_and_prints_its_chart(browser, reports_out, tmp_path):
    """A4 print: page 1 is the summary a board reads first, filled rather than half empty, and the phased plan
    prints with its chart, offline."""
    page, requested, errors = _offline_page(browser)
    report = min(p for p in (reports_out / "batch").glob("*.html") if p.name != "index.html")
    try:
        page.goto(report.as_uri())
        page.pdf(path=str(tmp_path / "plan.pdf"), prefer_css_page_size=True)
    finally:
        page.close()
    assert not errors and not requested
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "plan.pdf"), "-"],
                                capture_output=True, text=True, check=True).stdout
    assert "Summary" in first_page and "What we need from others" in first_page
    assert len(first_page) > 1500  # a full page, not half of one
    everything = subprocess.run(["pdftotext", str(tmp_path / "plan.pdf"), "-"], capture_output=True, text=True,
                                check=True).stdout
    assert everything.index("Summary") < everything.index("The phased plan") < everything.index("Phase 1:")
    assert re.search(r"months \d+–\d+", everything)  # a bar's label: the chart printed
