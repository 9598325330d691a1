"""Each dashboard tab in the state a person would check it in: a method's card open, three methods compared, a plan
made, a programme's card open beside another, the charts drawn (shared by the chart and accessibility tests)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

TABS = ["Explore", "Compare", "Plan", "Casebook", "Case examples", "About the data"]
PANEL = ".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)"
UPDATE_TIMEOUT = 30_000
COMPARED = ["Network", "Rolling out", "Honest broker"]  # the example: three methods ticked
CASEBOOK_WORDS = "maternity"
CHARTS = {"Explore": 1, "Compare": 1, "Plan": 2, "Casebook": 0, "Case examples": 2, "About the data": 2}
"""How many plotly charts each tab shows in its state."""


def show(page: Page, tab: str) -> Locator:
    """Open `tab`, bring it to its state (once: a later call finds it there) and wait for its charts; the panel."""
    page.get_by_role("tab", name=tab).click()
    panel = page.locator(PANEL)
    if tab == "Explore":
        picker = panel.get_by_label("Full card of", exact=True)
        expect(picker).to_be_visible(timeout=UPDATE_TIMEOUT)
        if picker.input_value() != "honest-broker":
            picker.select_option(label="Honest broker")
        expect(panel.locator('.sl-card[data-method="honest-broker"]')).to_be_visible(timeout=UPDATE_TIMEOUT)
    elif tab == "Compare":
        for name in COMPARED:
            panel.get_by_label(name, exact=True).check()
        expect(panel.locator("table.sl-compare thead th")).to_have_count(len(COMPARED) + 1, timeout=UPDATE_TIMEOUT)
    elif tab == "Plan":
        expect(panel.get_by_role("button", name="Rank and plan")).to_be_visible(timeout=UPDATE_TIMEOUT)
        if not panel.locator(".sl-ranking").count():
            panel.get_by_label("Intervention", exact=True).fill("AF detection in primary care")
            panel.get_by_role("button", name="Rank and plan").click()
            expect(panel.locator(".sl-ranking")).to_be_visible(timeout=UPDATE_TIMEOUT)
    elif tab == "Casebook":
        search = panel.get_by_label("Search the casebook", exact=True)
        expect(search).to_be_visible(timeout=UPDATE_TIMEOUT)
        if not panel.locator(".sl-programme-compare").count():
            search.fill(CASEBOOK_WORDS)
            expect(panel.locator(".sl-count")).to_contain_text(f"match “{CASEBOOK_WORDS}”", timeout=UPDATE_TIMEOUT)
            picker = panel.get_by_label("Open the card of", exact=True)
            picker.select_option(index=1)
            expect(panel.locator(".sl-programme-card")).to_be_visible(timeout=UPDATE_TIMEOUT)
            panel.get_by_label("Compare it with", exact=True).select_option(label="Atrial Fibrillation programme")
            expect(panel.locator(".sl-programme-compare")).to_be_visible(timeout=UPDATE_TIMEOUT)
    plots = panel.locator(".js-plotly-plot")
    expect(plots).to_have_count(CHARTS[tab], timeout=UPDATE_TIMEOUT)
    for index in range(CHARTS[tab]):
        expect(plots.nth(index).locator(".main-svg").first).to_be_visible(timeout=UPDATE_TIMEOUT)
    return panel
