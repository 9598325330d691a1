"""A real `spreadlab dashboard` server and a real headless Chromium, shared by the browser tests.

One server for the session and one page per test module: every page load costs a kernel and a few seconds.
A failing test leaves a screenshot of its page in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import csv
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from servers import Server, dashboard_server

import spreadlab
from spreadlab.paths import DATA_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PAGE_READY_TIMEOUT = 60_000
APP_READY = ".sl-table"
BATCH_ROWS = 3


@pytest.fixture(scope="session")
def dashboard_url(spreadlab_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a `spreadlab dashboard` started from another directory on a free loopback port."""
    with dashboard_server(spreadlab_exe, tmp_path_factory.mktemp("dashboard")) as (url, _, _):
        yield url


@pytest.fixture
def own_server(spreadlab_exe: Path, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Starts a `spreadlab dashboard` with the given flags (default culling) for one test."""
    with contextlib.ExitStack() as stack:
        def start(*flags: str) -> Server:
            return Server(*stack.enter_context(dashboard_server(spreadlab_exe, tmp_path, *flags)))
        yield start


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium when installed, else Playwright's own browser."""
    with sync_playwright() as playwright:
        executable = str(CHROMIUM) if CHROMIUM.exists() else None
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def dashboard(browser: Browser, dashboard_url: str) -> Iterator[Page]:
    """One dashboard page for the tests of a module, loaded until the app's first table shows."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(dashboard_url)
    page.wait_for_selector(APP_READY, timeout=PAGE_READY_TIMEOUT)
    yield page
    context.close()


@pytest.fixture(scope="session")
def reports_out(spreadlab_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both case example reports and a three-row batch (plan reports and index.html), made by the spreadlab
    command once for every test that opens a report."""
    folder = tmp_path_factory.mktemp("reports")
    for case_id in spreadlab.load().case_examples["case_id"]:
        subprocess.run([str(spreadlab_exe), "report", "case", case_id, "--out", str(folder)], cwd=folder,
                       check=True, capture_output=True, timeout=240)
    with (DATA_DIR / "examples" / "portfolio.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:BATCH_ROWS]
    portfolio = folder / "portfolio.csv"
    with portfolio.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    subprocess.run([str(spreadlab_exe), "batch", str(portfolio), "--out", str(folder / "batch")], cwd=folder,
                   check=True, capture_output=True, timeout=240)
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    page = getattr(item, "funcargs", {}).get("dashboard")
    if report.failed and page is not None and report.when == "call":
        ARTIFACTS.mkdir(exist_ok=True)
        name = item.nodeid.replace("/", "_").replace("::", "__")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return report
