"""axe-core finds no violation of any of its rules, best practice included, on any dashboard tab in any state (issue
21, item 13), and no WCAG 2.0/2.1/2.2 A or AA violation on any generated HTML page (issue 12), at a desktop width and
at 320 px, with the viewport taller than the content so that axe sees every node."""

from __future__ import annotations

import csv
import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from accessibility import assert_accessible, fit_viewport
from offline import block_network
from playwright.sync_api import Browser, Page, expect
from tab_states import PANEL, TABS, show

from portfolios import write_portfolio

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1400, "320px": 320}
PAGE_READY_TIMEOUT = 60_000
UPDATE_TIMEOUT = 15_000
REPORT_CHART = "figure.sl-chart svg"


@pytest.fixture(scope="module")
def app(browser: Browser, dashboard_url: str) -> Iterator[Page]:
    """One dashboard page for every tab and width (each page load costs a kernel)."""
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 1000})
    page = context.new_page()
    page.goto(dashboard_url)
    page.wait_for_selector(".sl-table", timeout=PAGE_READY_TIMEOUT)
    yield page
    context.close()


def _check(page: Page, where: str) -> None:
    """axe with every rule, best practice included, at each width, the viewport taller than the content."""
    for name, width in WIDTHS.items():
        fit_viewport(page, width)
        assert_accessible(page, f"{where}, {name}", every_rule=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 1000})


@pytest.mark.parametrize("tab", TABS)
def test_every_dashboard_tab_and_state_passes_every_axe_rule(app: Page, tab: str):
    """Issue 21, item 13 (and issue 12 before it): as opened, then as worked (a card open, methods compared, a plan
    made with its programmes' buttons, a programme's card beside another), and the Plan form with its errors."""
    app.get_by_role("tab", name=tab).click()
    panel = app.locator(PANEL)
    expect(panel.locator(".sl-tab-heading")).to_be_visible(timeout=UPDATE_TIMEOUT)
    app.wait_for_timeout(1000)
    _check(app, f"dashboard, {tab} tab as opened")
    if tab == "Plan":
        panel.get_by_role("button", name="Rank and plan").click()
        expect(panel.locator(".sl-error").first).to_be_visible(timeout=UPDATE_TIMEOUT)
        _check(app, "dashboard, Plan tab with the form's errors")
    show(app, tab)
    _check(app, f"dashboard, {tab} tab as worked")


def test_the_page_has_one_main_landmark_and_its_headings_in_order(app: Page):
    show(app, "Plan")
    levels = app.evaluate("""() => {
      const main = document.querySelectorAll('main');
      const inMain = main.length === 1 && main[0].contains(document.querySelector('.sl-app'));
      const shown = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(h => h.offsetParent);
      return [inMain, shown.map(h => Number(h.tagName[1]))];
    }""")
    in_main, shown = levels
    assert in_main
    assert shown[0] == 1 and all(deeper - level <= 1 for level, deeper in itertools.pairwise(shown)), shown


@pytest.fixture(scope="module")
def failed_rows_index(spreadlab_exe: Path, reports_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared three-row batch run again in a copy of its folder with two rows added that fail (one named with
    HTML): its reports are kept as unchanged, and the index's overview opens with the rows that failed."""
    folder = tmp_path_factory.mktemp("failed-rows")
    shutil.copytree(reports_out / "batch", folder / "batch")
    with (reports_out / "portfolio.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows += [dict(rows[0], name="<b>Plenty</b> of resources", resources="plenty"),
             dict(rows[1], name="Too many months", timescale_months="999")]
    portfolio = write_portfolio(folder / "portfolio.csv", rows)
    done = subprocess.run([str(spreadlab_exe), "batch", str(portfolio), "--out", str(folder / "batch")],
                          cwd=folder, capture_output=True, text=True, timeout=240)
    assert "5 rows: 0 made, 3 unchanged, 2 failed" in done.stderr, done.stderr
    return folder / "batch" / "index.html"


def _report_pages(folder: Path, failed_rows_index: Path) -> dict[str, Path]:
    batch = folder / "batch"
    plan_reports = sorted(path for path in batch.glob("*.html") if path.name != "index.html")
    return {"plan report": plan_reports[0], "plan report, board edition": next((folder / "board").glob("*.html")),
            "case report": folder / "atrial-fibrillation.html", "batch index": batch / "index.html",
            "batch index with failed rows": failed_rows_index}


@pytest.mark.kernel
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_name", ["plan report", "plan report, board edition", "case report", "batch index",
                                       "batch index with failed rows"])
def test_every_generated_page_passes_axe(browser: Browser, reports_out: Path, failed_rows_index: Path,
                                         page_name: str, width: str):
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 1000})
    fetched = block_network(page)  # axe-core comes from the installed package: neither it nor the page fetches anything
    try:
        page.goto(_report_pages(reports_out, failed_rows_index)[page_name].as_uri())
        if not page_name.startswith("batch index"):  # the chart drawn as SVG in the page
            page.wait_for_selector(REPORT_CHART, timeout=UPDATE_TIMEOUT)
        fit_viewport(page, WIDTHS[width])
        assert_accessible(page, f"{page_name}, {width}")
    finally:
        page.close()
    assert fetched == []


OVERVIEW_REGIONS = ["Table of the rows that failed", "Plans using each approach (chart)",
                    "Table of the plans using each method", "All plans over months 1 to {months} (chart)",
                    "Table of the plans by resources", "Table of the reports"]


@pytest.mark.kernel
def test_the_batch_overview_works_by_keyboard_and_reflows_at_320_px(browser: Browser, failed_rows_index: Path):
    """At 320 px the page never scrolls sideways: the wide charts and tables scroll inside labelled regions that
    the keyboard reaches in reading order and scrolls with the arrow keys; the contents links move to their
    section."""
    page = browser.new_page(viewport={"width": 320, "height": 800})
    try:
        page.goto(failed_rows_index.as_uri())
        page_width = page.evaluate("document.documentElement.scrollWidth")
        failed = page.locator("#sl-failed + p + .sl-scroll tbody tr").all_inner_texts()
        reached = []
        for _ in range(40):
            page.keyboard.press("Tab")
            reached.append(page.evaluate(
                "(e => e.getAttribute('aria-label') || e.textContent.trim())(document.activeElement)"))
        months = page.locator("#sl-reports ~ .sl-scroll tbody td:nth-child(5)").all_inner_texts()
        expected = [name.format(months=max(int(m) for m in re.findall(r"–(\d+)\)", " ".join(months))))
                    for name in OVERVIEW_REGIONS]
        timeline = page.get_by_role("region", name=expected[3])
        timeline.focus()
        before = timeline.evaluate("box => [box.scrollLeft, box.clientWidth, box.scrollWidth]")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        after = timeline.evaluate("box => box.scrollLeft")
        outline = timeline.evaluate("box => getComputedStyle(box).outlineStyle")
        page.get_by_role("link", name="All plans on one timeline").press("Enter")
        heading_top = page.locator("#sl-timeline").evaluate("h => h.getBoundingClientRect().top")
    finally:
        page.close()
    assert page_width <= 320
    assert [row.split("\t")[0] for row in failed] == ["5", "6"] and "plenty" in failed[0]
    assert "<b>Plenty</b> of resources" in failed[0]
    regions = list(dict.fromkeys(name for name in reached if name in expected))  # Tab wraps round the page
    assert regions == expected, reached
    assert reached.index("Rows that failed") < reached.index(expected[0])
    assert before[0] == 0 and before[1] <= 320 < before[2] and after > 0
    assert outline == "solid"  # the focus ring of a focused region
    assert -1 < heading_top < 100  # at the top of the viewport, give or take a sub-pixel of scrolling
