"""The Casebook tab in a real browser, on a data folder in which four programmes carry a kind and a setting: the four
questions of issue 21 are answered in under a second, and the keyboard alone walks search → filter → card →
compare."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, expect
from servers import dashboard_server

import spreadlab
from casebook_data import KINDS_AND_SETTINGS, data_with_kinds
from spreadlab.casebook import Query, casebook

pytestmark = pytest.mark.browser

PAGE_READY_TIMEOUT = 60_000
UPDATE_TIMEOUT = 15_000
ANSWER_SECONDS = 1.0
PANEL = ".widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)"


@pytest.fixture(scope="module")
def kinds_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return data_with_kinds(tmp_path_factory.mktemp("casebook") / "data")


@pytest.fixture(scope="module")
def tab(browser: Browser, spreadlab_exe: Path, kinds_data: Path, tmp_path_factory) -> Iterator[Locator]:
    """The Casebook tab of a dashboard serving `kinds_data`."""
    with dashboard_server(spreadlab_exe, tmp_path_factory.mktemp("server"), "--data", str(kinds_data)) as (url, _, _):
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(url)
        page.wait_for_selector(".sl-table", timeout=PAGE_READY_TIMEOUT)
        page.get_by_role("tab", name="Casebook").click()
        panel = page.locator(PANEL)
        expect(panel.get_by_label("Search the casebook", exact=True)).to_be_visible(timeout=UPDATE_TIMEOUT)
        yield panel
        page.context.close()


def listed(panel: Locator) -> list[str]:
    return panel.locator(".sl-result-list li").evaluate_all("items => items.map(item => item.dataset.id)")


@pytest.mark.parametrize("words", ["virtual wards", "maternity", "digital", "mandated"])
def test_the_four_questions_are_answered_in_under_a_second(tab: Locator, kinds_data: Path, words: str):
    book = casebook(spreadlab.load(kinds_data))
    expected = [match.card.programme_id for match in book.search(Query(words=words))]
    search = tab.get_by_label("Search the casebook", exact=True)
    answer = f"{len(expected)} of {len(book.cards)} programmes match “{words}”."
    times = []
    for _ in range(3):  # the best of three: a busy machine (another job's kernels) can stall any one keystroke
        search.fill(words[:-1])
        expect(tab.locator(".sl-count")).to_contain_text(f"“{words[:-1]}”", timeout=UPDATE_TIMEOUT)
        started = time.monotonic()
        search.press(words[-1])  # the last letter typed, as a person types it
        tab.page.wait_for_function(f"text => document.querySelector('{PANEL} .sl-count')?.textContent === text",
                                   arg=answer, polling="raf", timeout=UPDATE_TIMEOUT)
        times.append(time.monotonic() - started)
    assert listed(tab) == expected and expected
    assert min(times) < ANSWER_SECONDS, [f"{t:.2f} s" for t in times]


def test_the_keyboard_alone_walks_search_filter_card_compare(tab: Locator):
    page = tab.page
    search = tab.get_by_label("Search the casebook", exact=True)
    search.fill("")
    search.focus()
    page.keyboard.type("maternity")
    expect(tab.locator(".sl-count")).to_contain_text("“maternity”", timeout=UPDATE_TIMEOUT)
    everything = listed(tab)

    def tab_to(label: str) -> None:
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.labels?.[0]?.textContent") == label:
                return
        pytest.fail(f"the Tab key never reached {label!r}")

    before = tab.locator(".sl-count").inner_text()
    tab_to("Main care setting")
    page.keyboard.type("Maternity")  # a closed list box takes the option whose words are typed
    expect(tab.get_by_label("Main care setting", exact=True)).to_have_value(re.compile("^Maternity and neonatal"),
                                                                           timeout=UPDATE_TIMEOUT)
    expect(tab.locator(".sl-count")).not_to_have_text(before, timeout=UPDATE_TIMEOUT)
    narrowed = listed(tab)
    assert set(narrowed) == {ident for ident, (_, setting) in KINDS_AND_SETTINGS.items() if setting == "maternity"}
    assert set(narrowed) < set(everything)
    tab_to("Open the card of")
    page.keyboard.press("ArrowDown")
    card = tab.locator(".sl-programme-card")
    expect(card).to_have_attribute("data-programme", narrowed[0], timeout=UPDATE_TIMEOUT)
    expect(card.locator("figure.sl-timeline svg rect.sl-bar").first).to_be_visible()
    expect(card).to_contain_text("Methods used, stage by stage")
    tab_to("Compare it with")
    page.keyboard.press("ArrowDown")
    comparison = tab.locator(".sl-programme-compare")
    expect(comparison).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(comparison.locator("thead th")).to_have_count(3)
    expect(comparison).to_contain_text("Methods both used")
