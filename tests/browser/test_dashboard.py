"""The dashboard in a real browser: tabs, filtering, comparing, case examples and the data's coverage.

The tests share one page and run in order, as a user would go through the tabs.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

import spreadlab

pytestmark = pytest.mark.browser

TABS = ["Explore", "Compare", "Plan", "Casebook", "Case examples", "About the data"]
UPDATE_TIMEOUT = 15_000


def visible_panel(page: Page) -> Locator:
    return page.locator(".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)")


def open_tab(page: Page, name: str) -> Locator:
    page.get_by_role("tab", name=name).click()
    panel = visible_panel(page)
    expect(panel.locator(".sl-tab-heading")).to_be_visible(timeout=UPDATE_TIMEOUT)
    return panel


def row_ids(panel: Locator) -> list[str]:
    return panel.locator("table.sl-table").first.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.id)"
    )


def chart_rows(panel: Locator) -> list[str]:
    return panel.locator(".js-plotly-plot").first.evaluate("plot => Array.from(plot.data[0].y)")


def test_the_page_shows_all_six_tabs_and_no_code(dashboard: Page):
    tabs = dashboard.get_by_role("tab")
    expect(tabs).to_have_text(TABS)
    expect(dashboard.locator(".jp-InputArea, .jp-CodeMirrorEditor")).to_have_count(0)
    expect(dashboard.locator(".sl-error")).to_have_count(0)


def test_changing_a_filter_changes_the_rows_and_the_chart(dashboard: Page, collation: spreadlab.Collation):
    panel = visible_panel(dashboard)
    expect(panel.locator(".js-plotly-plot")).to_have_count(1, timeout=UPDATE_TIMEOUT)
    everything = list(collation.method_summary["method_id"])
    assert row_ids(panel) == everything
    assert len(chart_rows(panel)) == len(everything)

    panel.locator(".widget-dropdown", has_text="Audience and scale").locator("select").select_option(label="Local")
    wanted = spreadlab.filter_methods(collation, audience_scale="local")
    expect(panel.locator(".sl-count")).to_have_text(f"{len(wanted)} of {len(everything)} recorded methods match.",
                                                    timeout=UPDATE_TIMEOUT)
    assert row_ids(panel) == list(wanted["method_id"])
    dashboard.wait_for_function(
        "n => document.querySelector('.widget-tab-contents > .widget-vbox:not(.lm-mod-hidden) .js-plotly-plot')"
        ".data[0].y.length === n", arg=len(wanted), timeout=UPDATE_TIMEOUT)
    assert chart_rows(panel) == list(wanted["name"])


def test_choosing_a_method_shows_its_card(dashboard: Page, collation: spreadlab.Collation):
    panel = visible_panel(dashboard)
    panel.locator(".widget-dropdown", has_text="Full card of").locator("select").select_option(label="Honest broker")
    card = panel.locator('.sl-card[data-method="honest-broker"]')
    expect(card).to_contain_text("Practical considerations", timeout=UPDATE_TIMEOUT)
    expect(card).to_contain_text("Limitations of the approach")
    expect(card.locator(".sl-badge").first).to_be_visible()


def test_compare_shows_the_chosen_columns(dashboard: Page):
    panel = open_tab(dashboard, "Compare")
    for name in ["Network", "Rolling out", "Governing and Assuring (the approach as a whole)"]:
        panel.get_by_label(name, exact=True).check()
    for name in ["Networking, peer learning and collaboration", "Coordinating through large scale engagement and "
                 "national programmes"]:
        panel.get_by_label(f"{name} (the approach as a whole)", exact=True).uncheck()
    headings = panel.locator("table.sl-compare thead th")
    # in the order of the list: approaches first, then methods
    expect(headings).to_have_text(["Aspect", "Governing and Assuring", "Network", "Rolling out"],
                                  timeout=UPDATE_TIMEOUT)
    dashboard.wait_for_function(
        "() => document.querySelector('.widget-tab-contents > .widget-vbox:not(.lm-mod-hidden) .js-plotly-plot')"
        ".data[0].y.length === 3", timeout=UPDATE_TIMEOUT)


def test_case_examples_show_both_programmes_on_timelines(dashboard: Page, collation: spreadlab.Collation):
    panel = open_tab(dashboard, "Case examples")
    for name in collation.case_examples["name"]:
        expect(panel.locator(".sl-case h3", has_text=name)).to_be_visible()
    expect(panel.locator(".js-plotly-plot")).to_have_count(len(collation.case_examples), timeout=UPDATE_TIMEOUT)
    titles = panel.locator("figure.sl-plotly-chart .sl-chart-title strong").all_text_contents()
    assert [title.split(":")[0] for title in titles] == list(collation.case_examples["name"])


def test_about_the_data_shows_the_stated_versus_recorded_gap(dashboard: Page, collation: spreadlab.Collation):
    panel = open_tab(dashboard, "About the data")
    investing = collation.approaches.set_index("approach_id").loc["investing-incentivising"]
    row = panel.locator('tr[data-id="investing-incentivising"]')
    expect(row).to_contain_text(f"{investing.methods_missing} not recorded "
                                f"({investing.methods_recorded} of {investing.methods_stated} recorded)")
    expect(panel.locator(".js-plotly-plot")).to_have_count(2, timeout=UPDATE_TIMEOUT)


def test_charts_follow_the_width_of_the_window(dashboard: Page):
    panel = visible_panel(dashboard)
    chart = panel.locator(".js-plotly-plot").first
    wide = chart.evaluate("plot => plot._fullLayout.width")
    dashboard.set_viewport_size({"width": 900, "height": 1000})
    try:
        dashboard.wait_for_function("([plot, wide]) => plot._fullLayout.width < wide - 200",
                                    arg=[chart.element_handle(), wide], timeout=UPDATE_TIMEOUT)
    finally:
        dashboard.set_viewport_size({"width": 1300, "height": 1000})


def test_no_heading_is_smaller_than_the_text_under_it(dashboard: Page):
    """Issue 21, item 11: a case example's phase headings were drawn smaller than the text under them."""
    panel = open_tab(dashboard, "Case examples")
    expect(panel.locator(".sl-phase").first).to_be_visible(timeout=UPDATE_TIMEOUT)
    smaller = panel.locator("h2, h3, h4, h5, h6").evaluate_all("""headings => headings.filter(h => {
      const next = h.nextElementSibling;
      return next && next.tagName === 'P'
        && parseFloat(getComputedStyle(h).fontSize) < parseFloat(getComputedStyle(next).fontSize);
    }).map(h => h.textContent)""")
    assert smaller == []
