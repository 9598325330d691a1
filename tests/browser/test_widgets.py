"""The dashboard's widgets as a person uses them (issue 12): every tab reflows at 320 and 768 px without sideways
scrolling, the Plan form works with the keyboard alone and says what is wrong in its own words, and the Compare and
Explore tabs show no stale, empty or squashed chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

import spreadlab

pytestmark = pytest.mark.browser

TABS = ["Explore", "Compare", "Plan", "Casebook", "Case examples", "About the data"]
PANEL = ".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)"
DESKTOP = {"width": 1300, "height": 1000}
UPDATE_TIMEOUT = 15_000
FIELD_IDS = ("field '", "timescale_months", "audience_scale", "energy_for_change", "'nature'", "'name'")

# Text and controls that stick out of the window, or are cut inside their box; tables (in a scrolling area) and charts
# may be wider than the screen, since they scroll or redraw inside themselves.
_OUTSIDE = """(width) => {
  const inside = e => e.closest('.sl-scroll, .sl-scroll-area, .js-plotly-plot, .sl-chart');
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const items = Array.from(document.querySelectorAll(
    '#rendered_cells .lm-TabBar-tab, ' +
    '#rendered_cells :is(label, select, input, button, p, h2, h3, h4, li, summary, .widget-label)'));
  return items.filter(e => shown(e) && !inside(e)).filter(e => {
    const box = e.getBoundingClientRect();
    return box.right > width + 1 || box.left < -1;
  }).map(e => e.outerHTML.slice(0, 140));
}"""
_CUT = """() => Array.from(document.querySelectorAll(
    '#rendered_cells :is(.lm-TabBar-tabLabel, .widget-label, .widget-label-basic > span, ' +
    '.jupyter-widget-Collapse-header)'))
  .filter(e => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
_SIDEWAYS = """() => [document.scrollingElement, document.getElementById('rendered_cells')]
  .filter(e => e && e.scrollWidth > e.clientWidth + 1).map(e => e.id || e.tagName)"""
# Boxes inside the app holding more than their width (a focused chart scrolled them sideways, clipping text), apart
# from the regions made to scroll sideways.
_OVERFULL = """() => Array.from(document.querySelectorAll('#rendered_cells *')).filter(e => !e.closest('.sl-scroll')
  && ['hidden', 'auto', 'scroll', 'clip'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.className} (${e.scrollWidth} px in ${e.clientWidth})`.slice(-120))"""


def panel_of(page: Page) -> Locator:
    return page.locator(PANEL)


def open_tab(page: Page, name: str) -> Locator:
    page.set_viewport_size(DESKTOP)
    page.get_by_role("tab", name=name).click()
    panel = panel_of(page)
    expect(panel.locator(".widget-checkbox, .widget-dropdown, .js-plotly-plot").first).to_be_visible(
        timeout=UPDATE_TIMEOUT)
    return panel


def field(panel: Locator, label: str) -> Locator:
    return panel.get_by_label(label, exact=True)


def plot_of(panel: Locator, index: int = 0) -> Locator:
    return panel.locator(".js-plotly-plot").nth(index)


# Reflow


@pytest.mark.parametrize("width", [320, 768])
@pytest.mark.parametrize("tab", TABS)
def test_every_tab_reflows_without_sideways_scrolling(dashboard: Page, tab: str, width: int):
    open_tab(dashboard, tab)
    try:
        dashboard.set_viewport_size({"width": width, "height": 900})
        dashboard.wait_for_timeout(400)
        assert dashboard.evaluate(_SIDEWAYS) == []
        assert dashboard.evaluate(_OVERFULL) == []
        assert dashboard.evaluate(_OUTSIDE, width) == []
        assert dashboard.evaluate(_CUT) == []
    finally:
        dashboard.set_viewport_size(DESKTOP)


def test_no_label_is_cut_at_a_desktop_width(dashboard: Page):
    for tab in TABS:
        open_tab(dashboard, tab)
        assert dashboard.evaluate(_CUT) == [], tab


# Compare


TWO_APPROACHES = ["Networking, peer learning and collaboration (the approach as a whole)",
                  "Coordinating through large scale engagement and national programmes (the approach as a whole)"]


def untick_all(panel: Locator) -> None:
    ticked = panel.locator(".sl-choices input[type=checkbox]:checked")
    while ticked.count():
        ticked.first.uncheck()
    expect(panel).to_contain_text("0 ticked", timeout=UPDATE_TIMEOUT)


def test_compare_opens_with_nothing_ticked_and_asks_for_two(dashboard: Page):
    """Issue 21, item 11: it opened with two approaches ticked that the user had not chosen."""
    panel = open_tab(dashboard, "Compare")
    expect(panel.locator(".sl-choices input[type=checkbox]:checked")).to_have_count(0)
    expect(panel).to_contain_text("0 ticked: tick at least 2")
    expect(panel.locator(".js-plotly-plot")).to_have_count(0)


def test_compare_draws_each_row_tall_enough_to_read(dashboard: Page):
    panel = open_tab(dashboard, "Compare")
    untick_all(panel)
    for name in TWO_APPROACHES:
        field(panel, name).check()
    plot = plot_of(panel)
    expect(plot.locator(".ytick")).to_have_count(2, timeout=UPDATE_TIMEOUT)
    rows, height = plot.evaluate("p => [p.data[0].y.length, p._fullLayout._size.h]")
    assert rows == 2 and height / rows >= 30


def test_compare_cannot_be_asked_for_a_sixth_and_shows_no_stale_chart(dashboard: Page):
    panel = open_tab(dashboard, "Compare")
    untick_all(panel)
    chosen = [*TWO_APPROACHES, "Network", "Rolling out", "Honest broker"]
    for name in chosen:
        field(panel, name).check()
    expect(panel.locator("table.sl-compare thead th")).to_have_count(6, timeout=UPDATE_TIMEOUT)
    expect(field(panel, "Collaboratives")).to_be_disabled()
    expect(panel).to_contain_text("the most that can be compared")
    expect(panel).not_to_contain_text("compare takes")
    expect(panel.locator(".sl-error")).to_have_count(0)
    for name in chosen[1:]:
        field(panel, name).uncheck()
    expect(panel.locator(".js-plotly-plot")).to_have_count(0, timeout=UPDATE_TIMEOUT)
    expect(panel.locator("table.sl-compare")).to_have_count(0)
    expect(panel).to_contain_text("tick at least 2")
    expect(field(panel, "Collaboratives")).to_be_enabled()
    field(panel, TWO_APPROACHES[1]).check()
    expect(plot_of(panel).locator(".ytick")).to_have_count(2, timeout=UPDATE_TIMEOUT)


# Explore


def test_explore_draws_no_chart_when_nothing_matches(dashboard: Page):
    panel = open_tab(dashboard, "Explore")
    expect(plot_of(panel).locator(".main-svg").first).to_be_visible(timeout=UPDATE_TIMEOUT)
    search = field(panel, "Search")
    search.fill("a word no method has: xyzzy")
    expect(panel).to_contain_text("No method meets all these filters", timeout=UPDATE_TIMEOUT)
    expect(panel.locator(".js-plotly-plot")).to_have_count(0, timeout=UPDATE_TIMEOUT)
    search.fill("")
    expect(plot_of(panel).locator(".main-svg").first).to_be_visible(timeout=UPDATE_TIMEOUT)


def test_explore_shows_the_card_picker_above_the_chart(dashboard: Page):
    panel = open_tab(dashboard, "Explore")
    picker = field(panel, "Full card of").bounding_box()
    chart = plot_of(panel).bounding_box()
    assert picker["y"] + picker["height"] <= chart["y"]


def test_the_heatmap_title_stays_clear_of_its_column_labels_with_few_rows(dashboard: Page,
                                                                         collation: spreadlab.Collation):
    panel = open_tab(dashboard, "Explore")
    field(panel, "Approach").select_option(label="Piloting and rolling out")
    few = spreadlab.filter_methods(collation, approach="piloting-rolling-out")
    dashboard.wait_for_function(f"() => document.querySelector('{PANEL} .js-plotly-plot')?.data[0].y.length === "
                                f"{len(few)}", timeout=UPDATE_TIMEOUT)
    plot = plot_of(panel)
    title = panel.locator("figure.sl-plotly-chart .sl-chart-title").first.evaluate(
        "t => t.getBoundingClientRect().bottom")
    labels = plot.locator(".xtick text").evaluate_all(
        "ts => Math.min(...ts.map(t => t.getBoundingClientRect().top))")
    field(panel, "Approach").select_option(label="Any")
    assert title <= labels


# Plan


@pytest.fixture
def plan_tab(dashboard: Page) -> Locator:
    panel = open_tab(dashboard, "Plan")
    field(panel, "Intervention").fill("")
    field(panel, "Timescale (months)").fill("24")
    field(panel, "Nature of the intervention").select_option(label="Complicated")
    return panel


def run_plan(panel: Locator) -> None:
    panel.get_by_role("button", name="Rank and plan").click()


def expect_problem(panel: Locator, words: str) -> None:
    error = panel.locator(".sl-error", has_text=words)
    expect(error).to_be_visible(timeout=UPDATE_TIMEOUT)
    text = panel.locator(".sl-error").all_inner_texts()
    assert not [field_id for field_id in FIELD_IDS if field_id in " ".join(text)]
    expect(panel.locator(".sl-ranking")).to_have_count(0)


def test_an_empty_name_asks_for_a_name(plan_tab: Locator):
    run_plan(plan_tab)
    expect_problem(plan_tab, "Give the intervention a name")
    field(plan_tab, "Intervention").fill("AF detection")
    expect(plan_tab.locator(".sl-error")).to_have_count(0, timeout=UPDATE_TIMEOUT)


@pytest.mark.parametrize("typed", ["2.5", "", "500"])
def test_a_timescale_that_is_not_a_whole_number_of_months_is_not_sent(plan_tab: Locator, typed: str):
    field(plan_tab, "Intervention").fill("AF detection")
    field(plan_tab, "Timescale (months)").fill(typed)
    run_plan(plan_tab)
    expect_problem(plan_tab, "Give the timescale as a whole number of months from 1 to 120")


def test_deriving_the_nature_opens_the_self_assessment_and_needs_it(plan_tab: Locator):
    field(plan_tab, "Intervention").fill("AF detection")
    field(plan_tab, "Nature of the intervention").select_option(label="Derive from the complexity self-assessment")
    use = plan_tab.get_by_label("Use the complexity self-assessment (optional): rate the seven NASSS domains to "
                                "derive the nature")
    expect(use).to_be_checked(timeout=UPDATE_TIMEOUT)
    expect(field(plan_tab, "The technology")).to_be_visible()
    use.uncheck()
    run_plan(plan_tab)
    expect_problem(plan_tab, "Choose the nature of the intervention")
    use.check()
    field(plan_tab, "The technology").select_option(label="Complex")
    run_plan(plan_tab)
    expect(plan_tab.locator(".sl-ranking")).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(plan_tab).to_contain_text("With these ratings the intervention counts as Complex")


def test_the_plan_tab_explains_the_levels_and_the_domains(plan_tab: Locator, collation: spreadlab.Collation):
    plan_tab.get_by_text("What simple, complicated and complex mean").click()
    for row in collation.complexity_levels.itertuples():
        expect(plan_tab.get_by_text(row.description)).to_be_visible()
    plan_tab.get_by_label("Use the complexity self-assessment (optional): rate the seven NASSS domains to derive "
                          "the nature").check()
    for row in collation.nasss_domains.itertuples():
        expect(plan_tab.get_by_text(row.description)).to_be_visible()


def test_the_framing_note_is_shown_once(plan_tab: Locator):
    field(plan_tab, "Intervention").fill("AF detection")
    run_plan(plan_tab)
    expect(plan_tab.locator(".sl-ranking")).to_be_visible(timeout=UPDATE_TIMEOUT)
    assert plan_tab.inner_text().count("not an evidence-validated prediction") == 1


def test_the_plan_form_works_with_the_keyboard_alone(dashboard: Page):
    panel = open_tab(dashboard, "Plan")
    field(panel, "Intervention").fill("")
    dashboard.get_by_role("tab", name="Plan").focus()
    reached = []
    for _ in range(40):  # from the tab bar, through the form, to the button
        dashboard.keyboard.press("Tab")
        label = dashboard.evaluate("() => { const e = document.activeElement; return e.labels?.[0]?.textContent "
                                   "|| e.textContent.trim() || e.tagName; }")
        reached.append(label)
        if label == "Intervention":
            dashboard.keyboard.type("Falls prevention exercise")
        elif label == "Audience and scale":
            dashboard.keyboard.press("ArrowDown")  # regional → national
        elif label == "Timescale (months)":
            dashboard.keyboard.press("Control+A")
            dashboard.keyboard.type("18")
        elif label == "Rank and plan":
            dashboard.keyboard.press("Enter")
            break
    assert reached[-1] == "Rank and plan", reached
    for label in ["Intervention", "Nature of the intervention", "What motivates the audience", "Evidence that the "
                  "intervention works", "Use the complexity self-assessment (optional): rate the seven NASSS domains "
                  "to derive the nature"]:
        assert label in reached
    expect(panel.locator(".sl-ranking")).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(panel.locator(".sl-ranking")).to_contain_text("For Falls prevention exercise:")
    timeline = plot_of(panel, 0)  # the plan comes first, then the ranking
    expect(timeline.locator(".main-svg").first).to_be_visible(timeout=UPDATE_TIMEOUT)
    assert timeline.evaluate("p => p.layout.xaxis.range") == [0, 18]
    assert field(panel, "Audience and scale").input_value() == "National"


_CELLS = """table => Array.from(table.querySelectorAll('td')).map(td => {
  const box = td.getBoundingClientRect();
  return [Math.round(box.left), Math.round(box.right), getComputedStyle(td, '::before').content];
})"""


def test_at_320_px_a_comparison_stacks_so_no_column_is_cut(dashboard: Page):
    """Issue 21, item 6: at 320 px the Compare table's second column was cut."""
    panel = open_tab(dashboard, "Compare")
    untick_all(panel)
    for name in ["Network", "Rolling out", "Honest broker"]:
        field(panel, name).check()
    table = panel.locator("table.sl-compare")
    expect(table.locator("thead th")).to_have_count(4, timeout=UPDATE_TIMEOUT)
    try:
        dashboard.set_viewport_size({"width": 320, "height": 900})
        dashboard.wait_for_timeout(400)
        cells = table.evaluate(_CELLS)
        region = table.evaluate("t => { const r = t.closest('.sl-scroll'); return [r.scrollWidth, r.clientWidth]; }")
    finally:
        dashboard.set_viewport_size(DESKTOP)
    assert [cell for cell in cells if cell[0] < 0 or cell[1] > 320] == []
    assert {content.strip('"') for _, _, content in cells} == {"Network", "Rolling out", "Honest broker"}
    assert region[0] <= region[1]
