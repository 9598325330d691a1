"""The Plan tab in a real browser: bad profile values give readable errors; a good profile gives a ranking,
a phased plan with its timeline, and downloads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

UPDATE_TIMEOUT = 15_000


@pytest.fixture(scope="module")
def plan_tab(dashboard: Page) -> Locator:
    dashboard.get_by_role("tab", name="Plan").click()
    panel = dashboard.locator(".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)")
    expect(panel.get_by_role("button", name="Rank and plan")).to_be_visible(timeout=UPDATE_TIMEOUT)
    return panel


def fill(panel: Locator, label: str, value: str) -> None:
    field = panel.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def test_an_empty_name_shows_a_readable_error(plan_tab: Locator):
    fill(plan_tab, "Intervention", "")
    plan_tab.get_by_role("button", name="Rank and plan").click()
    error = plan_tab.locator(".sl-error")
    expect(error).to_have_text("Give the intervention a name (up to 200 characters).", timeout=UPDATE_TIMEOUT)
    expect(plan_tab.locator(".sl-ranking")).to_have_count(0)


def test_a_timescale_of_500_months_shows_a_readable_error(plan_tab: Locator):
    fill(plan_tab, "Intervention", "AF detection <b>in primary care</b>")
    fill(plan_tab, "Timescale (months)", "500")
    plan_tab.get_by_role("button", name="Rank and plan").click()
    error = plan_tab.locator(".sl-error")
    expect(error).to_have_text("Give the timescale as a whole number of months from 1 to 120.", timeout=UPDATE_TIMEOUT)


def test_a_good_profile_gives_a_ranking_a_plan_and_its_timeline(plan_tab: Locator, dashboard: Page):
    fill(plan_tab, "Timescale (months)", "18")
    plan_tab.get_by_role("button", name="Rank and plan").click()
    ranking = plan_tab.locator("table.sl-ranking-table")
    expect(ranking.locator("tbody tr")).to_have_count(10, timeout=UPDATE_TIMEOUT)
    expect(plan_tab.locator(".sl-error")).to_have_count(0)
    expect(plan_tab).to_contain_text("not an evidence-validated prediction")
    expect(plan_tab).to_contain_text("AF detection <b>in primary care</b>")
    expect(plan_tab.locator(".sl-phases .sl-phase").first).to_be_visible()
    plots = plan_tab.locator(".js-plotly-plot")
    expect(plots).to_have_count(2)
    months = plots.nth(0).evaluate("plot => plot.layout.xaxis.range")  # the plan first
    assert months == [0, 18]
    expect(plan_tab.locator("a[download$='-ranking.json']")).to_be_visible()
    expect(plan_tab.locator("a[download$='-ranking.csv']")).to_be_visible()


def test_the_plan_report_downloads_as_html_and_pdf(plan_tab: Locator, dashboard: Page):
    # the results take the focus and scroll to their heading once shown: a click sent before that jump can land
    # where the button was, as a person's would
    dashboard.wait_for_function("() => document.activeElement?.id === 'sl-plan-heading'", timeout=UPDATE_TIMEOUT)
    plan_tab.get_by_role("button", name="Make the plan report (HTML and PDF)").click()
    link = plan_tab.locator("a[download$='.html']")
    expect(plan_tab.get_by_text("Making the report").or_(link)).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(link).to_be_visible(timeout=120_000)
    report_name = link.get_attribute("download")
    pdf_name = report_name.removesuffix(".html") + ".pdf"
    with dashboard.expect_download() as download:
        link.click()
    report = download.value.path().read_text(encoding="utf-8")
    links = plan_tab.locator(".sl-downloads a[download]").evaluate_all("links => links.map(a => a.download)")
    assert [name for name in links if name.endswith((".html", ".pdf"))] == [report_name, pdf_name], links
    with dashboard.expect_download() as pdf:
        plan_tab.locator("a[download$='.pdf']").click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    assert "AF detection &lt;b&gt;in primary care&lt;/b&gt;" in report
    assert "Phase 1:" in report
    assert "<b>in primary care</b>" not in report


def test_rank_and_plan_greys_out_says_it_is_working_then_takes_the_focus_to_the_results(plan_tab: Locator,
                                                                                         dashboard: Page):
    """Issue 21, item 3: the button stayed live, nothing said the plan was being made (0.3–7 s), the focus stayed
    on the button and the results appeared below the fold."""
    fill(plan_tab, "Intervention", "Falls prevention exercise")
    fill(plan_tab, "Timescale (months)", "30")
    button = plan_tab.get_by_role("button", name="Rank and plan")
    button.click()
    expect(button).to_be_disabled(timeout=2_000)
    expect(plan_tab.locator(".sl-status[role=status]")).to_have_text(
        "Ranking the methods and making the plan: this takes a few seconds…")
    expect(plan_tab.locator(".sl-ranking")).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(button).to_be_enabled()
    expect(plan_tab.locator(".sl-status[role=status]")).to_have_text("The plan and the ranking are below.")
    dashboard.wait_for_function("() => document.activeElement?.id === 'sl-plan-heading'", timeout=UPDATE_TIMEOUT)
    dashboard.wait_for_function("""() => { const box = document.getElementById('sl-plan-heading')
        .getBoundingClientRect(); return box.top > -1 && box.bottom <= window.innerHeight; }""", timeout=5_000)


def test_each_programme_like_yours_opens_its_card_in_the_casebook(plan_tab: Locator, dashboard: Page):
    names = plan_tab.locator(".sl-similar tbody tr").evaluate_all("rows => rows.map(row => row.dataset.id)")
    buttons = plan_tab.locator(".sl-card-link")
    expect(buttons).to_have_count(len(names))
    buttons.nth(1).click()
    expect(dashboard.get_by_role("tab", name="Casebook")).to_have_attribute("aria-selected", "true",
                                                                          timeout=UPDATE_TIMEOUT)
    casebook = dashboard.locator(".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)")
    expect(casebook.locator(".sl-programme-card")).to_have_attribute("data-programme", names[1],
                                                                     timeout=UPDATE_TIMEOUT)
    dashboard.wait_for_function("() => document.activeElement?.labels?.[0]?.textContent === 'Open the card of'",
                                timeout=UPDATE_TIMEOUT)
    dashboard.get_by_role("tab", name="Plan").click()
