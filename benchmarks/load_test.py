"""Load test (issue 6): the dashboard under many viewers, against a real `spreadlab dashboard` on loopback.

One run, one command (`.venv/bin/python benchmarks/load_test.py`), Debian's Chromium driven by Playwright:

- the floors: a one-cell notebook served with the dashboard's own Voilà settings, time from navigation to its
  output, once without a pool (the floor of the target: what Voilà's cheapest page costs) and once pre-heated (for
  reference: what any Voilà page costs in the browser alone); their servers run throughout;
- for each pool size in --preheat: `spreadlab dashboard --preheat N` with a short cull timeout, then
   - --loads page loads one after another, each in a fresh browser context, its tab closed before the next, each
     followed by a load of each floor (the order rotated every round), every load started once all servers and
     their kernels are quiet (no CPU use for a moment: a pool has refilled), so no page pays for another's work;
   - --viewers viewers arriving together (time until their table shows), then each changing the Explore tab's
     "Approach" filter at the same moment, time until the table's count changes; their browsers are then closed
     without closing the tabs (no shutdown request, as when a laptop lid shuts), so only the culler reclaims them;
   - resident memory (/proc VmRSS) of the server and its kernel processes at the end and after the cull interval.

A load that does not show the first filter within --timeout seconds counts as hung; nothing is retried.
Targets: 0 hung loads; kernels after the cull interval ≤ pool size + 1; time to first widget with the pool ≤ the
floor without a pool (medians).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

HERE = Path(__file__).resolve().parent
ONE_CELL = HERE / "notebooks" / "one_cell.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FIRST_FILTER = ".widget-dropdown:has(label:text-is('Approach')) select"
FLOOR_OUTPUT = ".jp-OutputArea-output:has-text('ready')"
TARGET_FLOOR = "floor, no pool"
RESULT_COUNT = ".sl-count"
SERVER_START_TIMEOUT = 60.0

# Serves one notebook with the configuration `spreadlab dashboard` builds, so the floor shares its settings.
FLOOR_SERVER = """
import dataclasses, sys
from voila.app import Voila
from spreadlab.cli import dashboard
settings = dataclasses.replace(dashboard.ServerSettings(), port=int(sys.argv[2]), open_browser=False,
                               preheat=int(sys.argv[3]))
config = dashboard.server_config(settings)
config.Voila.notebook_path = sys.argv[1]
config.Voila.root_dir = str(__import__("pathlib").Path(sys.argv[1]).parent)
dashboard.use_page_template()
Voila.launch_instance(argv=[], config=config)
"""


@dataclass
class Memory:
    """Resident memory of the server process and of its kernels, in MB."""

    server_mb: float
    kernels: int
    kernels_mb: float

    @property
    def total_mb(self) -> float:
        return self.server_mb + self.kernels_mb


@dataclass
class PoolRun:
    """The figures for one pool size."""

    preheat: int
    first_widget_s: list[float] = field(default_factory=list)
    hung: int = 0
    floor_s: dict[str, list[float]] = field(default_factory=dict)
    floor_hung: dict[str, int] = field(default_factory=dict)
    viewers_ready_s: list[float] = field(default_factory=list)
    viewers_never_ready: int = 0
    filter_update_s: list[float] = field(default_factory=list)
    filter_failures: int = 0
    at_end: Memory | None = None
    after_cull: Memory | None = None
    per_kernel_mb: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}; see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"server did not listen on {port} within {SERVER_START_TIMEOUT:.0f} s; see {log}")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def processes() -> dict[int, tuple[int, int]]:
    """Every process now running: pid -> (parent pid, CPU time used so far in clock ticks), from /proc/<pid>/stat."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid; utime + stime
        except (OSError, ValueError, IndexError):
            continue
    return found


def kernel_pids(server_pid: int) -> list[int]:
    """The kernel processes the server started (its children running ipykernel)."""
    found = []
    for pid, (parent, _) in processes().items():
        try:
            if parent == server_pid and b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def cpu_seconds(roots: list[int]) -> float:
    """CPU time used so far by the processes `roots` and all their descendants."""
    running = processes()
    tree, grew = set(roots), True
    while grew:
        children = {pid for pid, (parent, _) in running.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sum(running[pid][1] for pid in tree if pid in running) / os.sysconf("SC_CLK_TCK")


async def quiet(roots: list[int], window: float = 0.5, limit: float = 30.0) -> None:
    """Wait until the servers `roots` and their kernels use under 5 % of a core over `window` seconds (at most
    `limit` seconds): a pool still refilling, or a kernel still shutting down, would slow the next load."""
    deadline = time.monotonic() + limit
    before = cpu_seconds(roots)
    while time.monotonic() < deadline:
        await asyncio.sleep(window)
        now = cpu_seconds(roots)
        if now - before < 0.05 * window:
            return
        before = now


def memory(server_pid: int) -> Memory:
    kernels = kernel_pids(server_pid)
    return Memory(round(rss_mb(server_pid)), len(kernels), round(sum(rss_mb(pid) for pid in kernels)))


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


async def time_to(browser: Browser, url: str, selector: str, timeout: float, close_tab: bool = True) -> float | None:
    """Seconds from navigation until `selector` is visible, in a fresh context; None when it never shows."""
    context = await browser.new_context()
    page = await context.new_page()
    start = time.monotonic()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        await page.wait_for_selector(selector, state="visible", timeout=timeout * 1000)
        return time.monotonic() - start
    except Exception:  # noqa: BLE001 - any failure to show the page within the timeout is a hung load
        return None
    finally:
        # Closing the tab as a person does: the page's unload handler asks the server to shut its kernel down.
        await page.close(run_before_unload=close_tab)
        await context.close()


async def open_viewer(browser: Browser, url: str, timeout: float) -> tuple[float | None, Page, BrowserContext]:
    """A viewer arriving with the others: seconds until its results table shows (None: never), its page."""
    context = await browser.new_context()
    page = await context.new_page()
    start = time.monotonic()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        await page.locator(FIRST_FILTER).wait_for(state="visible", timeout=timeout * 1000)
        await page.locator(RESULT_COUNT).wait_for(state="visible", timeout=timeout * 1000)
        return time.monotonic() - start, page, context
    except Exception:  # noqa: BLE001 - a viewer that never became interactive is counted, not retried
        return None, page, context


async def filter_latency(page: Page, option_index: int, timeout: float) -> float | None:
    """Pick an approach and time until the results count changes; None when it never does."""
    try:
        select = page.locator(FIRST_FILTER)
        before = await page.locator(RESULT_COUNT).inner_text()
        value = await select.locator("option").nth(option_index).get_attribute("value")
        start = time.monotonic()
        await select.select_option(value=value)
        await page.wait_for_function(
            "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
            arg=[RESULT_COUNT, before], timeout=timeout * 1000,
        )
        return time.monotonic() - start
    except Exception:  # noqa: BLE001 - a filter change that never showed is counted, not retried
        return None


@dataclass
class Floor:
    """A one-cell notebook's server, run beside the dashboard as the baseline of the same run."""

    name: str
    process: subprocess.Popen
    url: str


def start_floor(name: str, preheat: int, log_dir: Path) -> Floor:
    """A floor server with a pool of `preheat` kernels, on a free loopback port."""
    port = free_port()
    log = log_dir / f"floor-preheat-{preheat}.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-c", FLOOR_SERVER, str(ONE_CELL), str(port), str(preheat)],
                                  stdout=out, stderr=subprocess.STDOUT)
    wait_for_port(port, server, log)
    return Floor(name, server, f"http://127.0.0.1:{port}/")


async def measure_pool(browser: Browser, args: argparse.Namespace, preheat: int, log_dir: Path,
                       floors: list[Floor]) -> PoolRun:
    run = PoolRun(preheat)
    port = free_port()
    log = log_dir / f"dashboard-preheat-{preheat}.log"
    spreadlab = Path(sys.executable).parent / "spreadlab"
    command = [str(spreadlab), "dashboard", "--no-browser", "--host", "127.0.0.1", "--port", str(port),
               "--cull-idle-timeout", str(args.cull_idle_timeout), "--cull-interval", str(args.cull_interval),
               "--preheat", str(preheat)]
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, server, log)
        url = f"http://127.0.0.1:{port}/"
        await asyncio.sleep(args.warm_up if preheat else 0)
        targets = {"dashboard": (url, FIRST_FILTER), **{floor.name: (floor.url, FLOOR_OUTPUT) for floor in floors}}
        pages = list(targets)
        servers = [server.pid, *(floor.process.pid for floor in floors)]
        for load in range(args.loads):
            turn = load % len(pages)
            for page in pages[turn:] + pages[:turn]:
                await quiet(servers)
                seconds = await time_to(browser, *targets[page], args.timeout)
                if page == "dashboard" and seconds is None:
                    run.hung += 1
                elif page == "dashboard":
                    run.first_widget_s.append(seconds)
                elif seconds is None:
                    run.floor_hung[page] = run.floor_hung.get(page, 0) + 1
                else:
                    run.floor_s.setdefault(page, []).append(seconds)
        # Arriving together is harder than one after another: they get a longer wait, and the time is reported.
        viewers = await asyncio.gather(*(open_viewer(browser, url, 3 * args.timeout) for _ in range(args.viewers)))
        ready = [page for seconds, page, _ in viewers if seconds is not None]
        run.viewers_ready_s = [seconds for seconds, _, _ in viewers if seconds is not None]
        run.viewers_never_ready = len(viewers) - len(ready)
        updates = await asyncio.gather(*(filter_latency(page, 1 + i % 7, args.timeout)
                                         for i, page in enumerate(ready)))
        run.filter_update_s = [seconds for seconds in updates if seconds is not None]
        run.filter_failures = len(updates) - len(run.filter_update_s)
        kernels_open = kernel_pids(server.pid)
        run.per_kernel_mb = round(statistics.median(rss_mb(pid) for pid in kernels_open)) if kernels_open else 0.0
        for _, _, context in viewers:
            await context.close()  # the browser goes away without closing its tabs: no shutdown request
        await asyncio.sleep(1)
        run.at_end = memory(server.pid)
        await asyncio.sleep(args.cull_idle_timeout + 2 * args.cull_interval + 2)
        run.after_cull = memory(server.pid)
        return run
    finally:
        stop(server)


def spread(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s"


def report(runs: list[PoolRun], args: argparse.Namespace) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at end")
    for run in runs:
        print(f"\n--preheat {run.preheat}, cull idle timeout {args.cull_idle_timeout} s, "
              f"interval {args.cull_interval} s")
        print(f"  time to first widget ({args.loads} loads one after another): {spread(run.first_widget_s)}")
        for name, seconds in run.floor_s.items():
            print(f"  {name} ({args.loads} loads, alternating with the dashboard's): {spread(seconds)}; "
                  f"{run.floor_hung.get(name, 0)} did not show output within {args.timeout:.0f} s")
            if run.first_widget_s and seconds:
                ratio = statistics.median(run.first_widget_s) / statistics.median(seconds)
                target = " (target <= 1 with a pool)" if name == TARGET_FLOOR else ""
                print(f"  ... dashboard median / {name} median = {ratio:.2f}{target}")
        print(f"  loads not interactive within {args.timeout:.0f} s: {run.hung}")
        print(f"  {args.viewers} viewers arriving together, time to their table: {spread(run.viewers_ready_s)}; "
              f"over {args.timeout:.0f} s: {sum(s > args.timeout for s in run.viewers_ready_s)}, "
              f"never (within {3 * args.timeout:.0f} s): {run.viewers_never_ready}")
        print(f"  filter -> table update (the {len(run.viewers_ready_s)} viewers at once): "
              f"{spread(run.filter_update_s)}; {run.filter_failures} did not update within {args.timeout:.0f} s")
        print(f"  per kernel: {run.per_kernel_mb:.0f} MB")
        for name, mem in (("at the end", run.at_end), ("after the cull interval", run.after_cull)):
            print(f"  {name}: {mem.kernels} kernels, server {mem.server_mb:.0f} MB + kernels {mem.kernels_mb:.0f} MB"
                  f" = {mem.total_mb:.0f} MB")
        bound = run.preheat + 1
        met = run.after_cull.kernels <= bound
        print(f"  target kernels after cull <= pool size + 1 = {bound}: {'met' if met else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "args": vars(args),
            "runs": [asdict(run) for run in runs],
        }, indent=2, default=str))


async def main(args: argparse.Namespace) -> int:
    log_dir = Path(tempfile.mkdtemp(prefix="spreadlab-load-test-"))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        floors = [start_floor(TARGET_FLOOR, 0, log_dir), start_floor("floor, pre-heated", 1, log_dir)]
        try:
            runs = [await measure_pool(browser, args, preheat, log_dir, floors) for preheat in args.preheat]
        finally:
            for floor in floors:
                stop(floor.process)
            await browser.close()
    report(runs, args)
    print(f"\nserver logs: {log_dir}")
    hung = sum(run.hung + run.viewers_never_ready + run.filter_failures for run in runs)
    over = sum(run.after_cull.kernels > run.preheat + 1 for run in runs)
    return 1 if hung or over else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=30,
                        help="page loads one after another, and as many of each floor (default: 30)")
    parser.add_argument("--viewers", type=int, default=5, help="concurrent viewers changing a filter (default: 5)")
    parser.add_argument("--preheat", type=lambda text: [int(n) for n in text.split(",")], default=[0, 1],
                        help="comma-separated pool sizes to run, each with its own server (default: 0,1)")
    parser.add_argument("--cull-idle-timeout", type=int, default=10, help="seconds (default: 10)")
    parser.add_argument("--cull-interval", type=int, default=2, help="seconds (default: 2)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds before a load counts as hung")
    parser.add_argument("--warm-up", type=float, default=10.0,
                        help="seconds to let the pre-heated pool fill before the first load (default: 10)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
