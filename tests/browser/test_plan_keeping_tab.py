"""A plan the user keeps and changes, in a real browser (issue 20, item 5): load an example, drop, add and move
methods and leave a programme out; save the plan file, reload the page, upload it and get the same plan, which the
CLI also gives from the same file; the CSV starts with a BOM and the workbook has both sheets; a bad upload is one
message naming the field. axe with every rule and whole charts on every new state at 1400 and 320 px; one
screenshot per state is kept in test-artifacts/plan-keeping/ to be looked at."""

from __future__ import annotations

import io
import json
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from accessibility import assert_accessible, fit_viewport
from charts_seen import plotly_problems, wait_for_redraw
from openpyxl import load_workbook
from playwright.sync_api import Browser, Locator, Page, expect
from tab_states import PANEL

from spreadlab import load, views
from spreadlab.examples import examples
from spreadlab.plan_file import PlanFile

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "plan-keeping"
PAGE_READY_TIMEOUT = 60_000
UPDATE_TIMEOUT = 30_000
WIDTHS = {"desktop": 1400, "320px": 320}
EXAMPLE = next(e for e in examples() if e.path.stem == "regional-maternity-bundle")
NAMES = dict(zip(load().methods["method_id"], load().methods["name"], strict=True))
IDS = {name: ident for ident, name in NAMES.items()}
PHASE_NAMES = {phase.id: phase.name for phase in load().rules.plan.phases}


@pytest.fixture(scope="module")
def page(browser: Browser, dashboard_url: str) -> Iterator[Page]:
    """One dashboard page for the whole journey (each load costs a kernel); the journey reloads it once."""
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    opened.goto(dashboard_url)
    opened.wait_for_selector(".sl-table", timeout=PAGE_READY_TIMEOUT)
    yield opened
    context.close()


def plan_tab(page: Page) -> Locator:
    page.get_by_role("tab", name="Plan").click()
    panel = page.locator(PANEL)
    expect(panel.get_by_role("button", name="Rank and plan")).to_be_visible(timeout=UPDATE_TIMEOUT)
    return panel


def shown_plan(panel: Locator) -> list[tuple[str, list[str]]]:
    """Each phase's stage and its methods, as the page shows them."""
    return panel.locator(".sl-phases .sl-phase").evaluate_all(
        "phases => phases.map(p => [p.dataset.stage, Array.from(p.querySelectorAll('li[data-id]'))"
        ".map(li => li.dataset.id)])")


def settled(panel: Locator, check: Callable[[list[tuple[str, list[str]]]], bool]) -> list[tuple[str, list[str]]]:
    """The plan shown once `check` holds for it: each widget of the results reaches the page in a message of its
    own, so the phases can follow the words about the change by a moment."""
    deadline = time.monotonic() + UPDATE_TIMEOUT / 1000
    while not check(shown := shown_plan(panel)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return shown


def stages_of(plan: list[tuple[str, list[str]]]) -> dict[str, str]:
    return {method: stage for stage, methods in plan for method in methods}


def choose(panel: Locator, label: str, name: str | None, *, not_named: str = "") -> str:
    """Choose the method `name` (or the first not named `not_named`) in a dropdown whose options read "Name (…)";
    return its id."""
    select = panel.get_by_label(label, exact=True)
    options = select.evaluate("s => Array.from(s.options).map(o => o.textContent.replaceAll('\\u00a0', ' '))")
    option = next(text for text in options if (name is None and not text.startswith(f"{not_named} ("))
                  or (name is not None and text.startswith(f"{name} (")))
    select.select_option(label=option)
    return IDS[option.rsplit(" (", 1)[0]]


def changed(panel: Locator, words: str) -> None:
    expect(panel.locator(".sl-changes")).to_contain_text(words, timeout=UPDATE_TIMEOUT)
    expect(panel.locator(".sl-status")).to_have_text("The plan is made again with your change.")


def download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as started:
        link.click()
    return Path(started.value.path()).read_bytes()


def upload(page: Page, panel: Locator, files: object) -> None:
    """Choose `files` in the dialog that the upload button opens (ipywidgets keeps its file input out of the page)."""
    with page.expect_file_chooser() as chooser:
        panel.get_by_role("button", name=re.compile(r"Upload a saved plan or profile \(YAML\)")).click()
    chooser.value.set_files(files)


def check_state(page: Page, panel: Locator, state: str) -> None:
    """axe with every rule and every chart whole, at 1400 and 320 px; a screenshot of each kept."""
    problems: dict[str, list[str]] = {}
    for name, width in WIDTHS.items():
        fit_viewport(page, width)
        wait_for_redraw(page)
        assert_accessible(page, f"Plan tab, {state}, {name}", every_rule=True)
        for index, plot in enumerate(panel.locator(".js-plotly-plot").all()):
            problems[f"{name} chart {index + 1}"] = plotly_problems(plot, views.CHART_MIN_WIDTH)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{state.replace(' ', '-')}-{width}.png"))
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 1000})
    assert {chart: found for chart, found in problems.items() if found} == {}


def test_load_change_save_reload_and_upload_give_the_same_plan(page: Page, spreadlab_exe: Path, tmp_path: Path):
    panel = plan_tab(page)
    panel.get_by_label("An example", exact=True).select_option(label=EXAMPLE.name)
    panel.get_by_role("button", name="Load the example").click()
    expect(panel.locator("#sl-plan-heading")).to_have_text(f"Your plan for {EXAMPLE.name}", timeout=UPDATE_TIMEOUT)
    expect(panel.get_by_label("Intervention", exact=True)).to_have_value(EXAMPLE.name)
    expect(panel.locator(".sl-changes")).to_have_text("The plan as the advice made it: you have not changed it.")
    expect(panel.locator(".js-plotly-plot")).to_have_count(2, timeout=UPDATE_TIMEOUT)
    check_state(page, panel, "example loaded")

    first = shown_plan(panel)
    dropped, moved = first[0][1][0], first[-1][1][-1]
    choose(panel, "A method in the plan", NAMES[dropped])
    panel.get_by_role("button", name="Drop it from the plan").click()
    changed(panel, "dropped")
    settled(panel, lambda plan: dropped not in stages_of(plan))
    added = choose(panel, "A method not in the plan (its chance in this situation)", None, not_named=NAMES[dropped])
    panel.get_by_label("Add it at the phase", exact=True).select_option(label="Sustain at scale")
    panel.get_by_role("button", name="Add it to the plan").click()
    changed(panel, "added")
    settled(panel, lambda plan: stages_of(plan).get(added) == "sustain")
    choose(panel, "A method in the plan", NAMES[moved])
    to_phase = panel.get_by_label("Move it to the phase", exact=True)
    # The tab first sets the phase to the chosen method's own; choosing before that arrives would be undone by it.
    expect(to_phase.locator("option:checked")).to_have_text(PHASE_NAMES[first[-1][0]], timeout=UPDATE_TIMEOUT)
    to_phase.select_option(label=PHASE_NAMES["prepare"])
    panel.get_by_role("button", name=re.compile(r"Move it$")).click()  # its name starts with the icon
    changed(panel, "moved")
    assert stages_of(settled(panel, lambda plan: stages_of(plan).get(moved) == "prepare")).get(moved) == "prepare"
    closest = panel.locator(".sl-similar tbody tr").first.get_attribute("data-id")
    left_out = panel.locator(".sl-leave-out").first
    left_out.click()
    expect(panel.locator(".sl-left-out")).to_be_visible(timeout=UPDATE_TIMEOUT)
    expect(panel.locator(f'.sl-similar tbody tr[data-id="{closest}"]')).to_have_count(0, timeout=UPDATE_TIMEOUT)
    edited = shown_plan(panel)
    stages = stages_of(edited)
    assert dropped not in stages and stages[added] == "sustain" and stages[moved] == "prepare"
    words = panel.locator(".sl-plan-changes").inner_text()
    check_state(page, panel, "plan changed")

    saved_yaml = download(page, panel.get_by_role("link", name="Save the plan (YAML)"))
    saved = PlanFile.from_text(saved_yaml, source="downloaded plan")
    assert saved.edits.drop == (dropped,) and dict(saved.edits.add) == {added: "sustain"}
    assert dict(saved.edits.move) == {moved: "prepare"} and len(saved.exclude) == 1
    csv_bytes = download(page, panel.get_by_role("link", name="CSV").first)
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and added in csv_bytes.decode("utf-8")
    workbook = load_workbook(io.BytesIO(download(page, panel.get_by_role("link", name="Excel"))))
    assert workbook.sheetnames == ["Plan", "Ranking"]
    assert download(page, panel.get_by_role("link", name="Word"))[:2] == b"PK"

    file = tmp_path / "saved-plan.yaml"
    file.write_bytes(saved_yaml)
    printed = subprocess.run([str(spreadlab_exe), "plan", str(file), "--format", "json"], capture_output=True,
                             text=True, check=True, timeout=120)
    assert [[p["stage"], p["method_ids"]] for p in json.loads(printed.stdout)["phases"]] == \
        [list(phase) for phase in edited]

    page.reload()
    page.wait_for_selector(".sl-table", timeout=PAGE_READY_TIMEOUT)
    panel = plan_tab(page)
    upload(page, panel, str(file))
    expect(panel.locator("#sl-plan-heading")).to_have_text(f"Your plan for {EXAMPLE.name}", timeout=UPDATE_TIMEOUT)
    assert settled(panel, lambda plan: plan == edited) == edited
    assert panel.locator(".sl-plan-changes").inner_text() == words
    expect(panel.get_by_label("Intervention", exact=True)).to_have_value(EXAMPLE.name)
    check_state(page, panel, "plan uploaded")

    bad = re.sub(rb"resources: \w+", b"resources: lots", saved_yaml)
    upload(page, panel, [{"name": "bad-plan.yaml", "mimeType": "application/yaml", "buffer": bad}])
    error = panel.locator(".sl-error")
    expect(error).to_have_text("bad-plan.yaml: field 'resources': 'lots' is not allowed (allowed: low, medium, "
                               "high)", timeout=UPDATE_TIMEOUT)
    assert shown_plan(panel) == edited  # the plan shown stays
    check_state(page, panel, "bad upload")
