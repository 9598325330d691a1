"""Benchmark (issue 4): how quickly the dashboard becomes usable and how quickly a filter change shows, in Chromium.

One run, one browser (Debian's Chromium via Playwright), two Voilà servers with the same settings:
- the floor: benchmarks/notebooks/one_widget.ipynb, a one-cell notebook that shows a single dropdown;
- the dashboard: a real `spreadlab dashboard`.
Page loads alternate between the two (each in a fresh browser context, closed afterwards), after one warm-up
load each. Time to interactive is navigation → the first dropdown visible (the floor's only one; the dashboard's
"Approach" filter). Then, on one dashboard page, the "Audience and scale" filter is changed repeatedly and the time
from the change event to the table's new row count is measured inside the page.

Targets: dashboard time to interactive ≤ 1.5 × the floor (medians); filter → table update ≤ 150 ms (median).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

import spreadlab

HERE = Path(__file__).resolve().parent
ONE_WIDGET = HERE / "notebooks" / "one_widget.ipynb"
OUT = HERE / "out" / "dashboard.json"  # named after the pool size of the run
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TTI_TARGET_RATIO = 1.5
FILTER_TARGET_MS = 150
LOAD_TIMEOUT_MS = 60_000
SERVER_START_TIMEOUT = 60.0
FIRST_WIDGET = {
    "floor": ".widget-dropdown:has(label:text-is('Floor')) select",
    "dashboard": ".widget-dropdown:has(label:text-is('Approach')) select",
}
FILTER_SEQUENCE = ["Local", "Regional", "National", "Any"]

# The floor is served with exactly the configuration `spreadlab dashboard` builds, only the notebook differs.
FLOOR_SERVER = """
import dataclasses, sys
from pathlib import Path
from voila.app import Voila
from spreadlab.cli import dashboard
config = dashboard.server_config(dataclasses.replace(dashboard.ServerSettings(), port=int(sys.argv[2]),
                                                     open_browser=False, preheat=int(sys.argv[3])))
config.Voila.notebook_path, config.Voila.root_dir = sys.argv[1], str(Path(sys.argv[1]).parent)
dashboard.use_page_template()
Voila.launch_instance(argv=[], config=config)
"""

# Changes the filter, then resolves with the milliseconds until the result count shows `expected`.
CHANGE_FILTER = """
async ([label, option, expected]) => {
  const panel = document.querySelector('.widget-tab-contents > .widget-vbox:not(.lm-mod-hidden)');
  const box = Array.from(panel.querySelectorAll('.widget-dropdown'))
    .find(d => d.querySelector('label') && d.querySelector('label').textContent === label);
  const select = box.querySelector('select');
  const count = () => (panel.querySelector('.sl-count') || {}).textContent;
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no update within 10 s')), 10000);
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (count() === expected) { observer.disconnect(); clearTimeout(timer); resolve(performance.now() - start); }
    });
    observer.observe(panel, {subtree: true, childList: true, characterData: true});
    select.value = Array.from(select.options).find(o => o.textContent === option).value;
    select.dispatchEvent(new Event('change', {bubbles: true}));
  });
}
"""


@dataclass(frozen=True, slots=True)
class Summary:
    """Median, minimum and maximum of one measurement, in seconds or milliseconds as named."""

    name: str
    median: float
    minimum: float
    maximum: float
    runs: int

    @classmethod
    def of(cls, name: str, values: list[float]) -> Summary:
        return cls(name, statistics.median(values), min(values), max(values), len(values))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=8, help="page loads of each kind (default: %(default)s)")
    parser.add_argument("--changes", type=int, default=24, help="filter changes (default: %(default)s)")
    parser.add_argument("--preheat", type=int, default=0,
                        help="Voilà's pre-heated pool for both servers; 0: a kernel starts per page view "
                             "(default: %(default)s)")
    args = parser.parse_args()
    collation = spreadlab.load()
    expected = _expected_counts(collation)
    with tempfile.TemporaryDirectory() as cwd, _Servers(cwd, args.preheat) as urls, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        loads = _page_loads(browser, urls, args.loads)
        changes = _filter_changes(browser, urls["dashboard"], expected, args.changes)
        browser.close()
    results = [Summary.of("time to interactive, floor (s)", loads["floor"]),
               Summary.of("time to interactive, dashboard (s)", loads["dashboard"]),
               Summary.of("filter → table update (ms)", changes),
               Summary.of("first chart drawn, dashboard (s)", loads["dashboard chart"])]
    ratio = results[1].median / results[0].median
    _print(results, ratio)
    out = OUT.with_name(f"dashboard-preheat{args.preheat}.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "preheat": args.preheat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "results": [asdict(result) for result in results], "tti_ratio": ratio,
        "targets": {"tti_ratio": TTI_TARGET_RATIO, "filter_ms": FILTER_TARGET_MS},
        "samples": {"loads": loads, "filter_ms": changes},
    }, indent=2))
    met = ratio <= TTI_TARGET_RATIO and results[2].median <= FILTER_TARGET_MS
    print(f"pre-heated pool: {args.preheat}; targets {'met' if met else 'NOT met'} "
          f"(written to {out.relative_to(HERE.parent)})")
    return 0


def _expected_counts(collation: spreadlab.Collation) -> dict[str, str]:
    total = len(collation.method_summary)
    counts = {}
    for option in FILTER_SEQUENCE:
        value = None if option == "Any" else option.lower()
        rows = spreadlab.filter_methods(collation, audience_scale=value)
        counts[option] = f"{len(rows)} of {total} recorded methods match."
    return counts


def _page_loads(browser: Browser, urls: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Seconds from navigation to the first dropdown visible, alternating floor and dashboard; for the dashboard
    also to its first chart drawn (not part of the target)."""
    samples: dict[str, list[float]] = {"floor": [], "dashboard": [], "dashboard chart": []}
    kinds = ["floor", "dashboard"]
    for kind in kinds:
        _load_once(browser, urls[kind], FIRST_WIDGET[kind])
    for round_ in range(runs):
        for kind in kinds if round_ % 2 == 0 else kinds[::-1]:
            widget, chart = _load_once(browser, urls[kind], FIRST_WIDGET[kind], chart=kind == "dashboard")
            samples[kind].append(widget)
            if chart is not None:
                samples["dashboard chart"].append(chart)
    return samples


def _load_once(browser: Browser, url: str, first_widget: str, *, chart: bool = False) -> tuple[float, float | None]:
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.locator(first_widget).wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    widget = time.perf_counter() - start
    drawn = None
    if chart:
        page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
        drawn = time.perf_counter() - start
    context.close()
    return widget, drawn


def _filter_changes(browser: Browser, url: str, expected: dict[str, str], changes: int) -> list[float]:
    """Milliseconds from a filter change event to the table's new count, measured in the page."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.locator(".sl-count").wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_timeout(1000)  # let the page settle once before timing
    samples = []
    for i in range(changes):
        option = FILTER_SEQUENCE[i % len(FILTER_SEQUENCE)]
        samples.append(page.evaluate(CHANGE_FILTER, ["Audience and scale", option, expected[option]]))
        page.wait_for_timeout(300)  # the chart follows the table; let it finish before the next change
    context.close()
    return samples


class _Servers:
    """The floor and the dashboard servers on free loopback ports, stopped on exit."""

    def __init__(self, cwd: str, preheat: int) -> None:
        self.cwd = cwd
        self.preheat = preheat
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> dict[str, str]:
        exe = Path(sys.executable).parent / "spreadlab"
        floor_port, dashboard_port = _free_port(), _free_port()
        commands = {
            "floor": [sys.executable, "-c", FLOOR_SERVER, str(ONE_WIDGET), str(floor_port), str(self.preheat)],
            "dashboard": [str(exe), "dashboard", "--no-browser", "--port", str(dashboard_port),
                          "--preheat", str(self.preheat)],
        }
        for command in commands.values():
            self.processes.append(subprocess.Popen(command, cwd=self.cwd, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL))
        for port in (floor_port, dashboard_port):
            _wait_for_port(port)
        return {"floor": f"http://127.0.0.1:{floor_port}/", "dashboard": f"http://127.0.0.1:{dashboard_port}/"}

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"no server on port {port} after {SERVER_START_TIMEOUT} s")


def _print(results: list[Summary], ratio: float) -> None:
    print(f"{'measurement':38} {'median':>8} {'min':>8} {'max':>8} {'runs':>5}")
    for r in results:
        print(f"{r.name:38} {r.median:8.3f} {r.minimum:8.3f} {r.maximum:8.3f} {r.runs:5d}")
    print(f"dashboard / floor time to interactive: {ratio:.2f} (target ≤ {TTI_TARGET_RATIO}); "
          f"filter → update median {results[2].median:.0f} ms (target ≤ {FILTER_TARGET_MS} ms)")


if __name__ == "__main__":
    sys.exit(main())
