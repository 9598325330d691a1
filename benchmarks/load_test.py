"""Load test (issues 6 and 14): the dashboard under many viewers, against a real `spreadlab dashboard` on loopback.

One run, one command (`.venv/bin/python benchmarks/load_test.py [--scenarios burst,sequence,pools]`), Debian's
Chromium driven by Playwright, servers on 127.0.0.1 only, every wait bounded.

Scenarios of issues 14 and 23, against `spreadlab dashboard` with its default settings (only the port chosen), each
also against the code of --baseline (a git revision, run from an export of it) in the same run:

- burst: --burst viewers (40) arriving within one second, each in its own browser context, watched for
  --burst-timeout seconds (300). At the end each viewer is working (its first filter shows: time to it), on the
  busy page (which retries by itself), or stuck (neither: a blank or broken page). Target: none stuck.
- program: a local program requesting the page every second (as `curl` does: no browser headers, no script run)
  while 3 viewers arrive together --warm-up seconds (10) later; time until each viewer's first filter
  shows. Target: all within 60 s.
- sequence: --loads (30) page loads one after another, each tab closed as a person closes it; the time to the
  first filter is compared, load by load in alternation, with the same loads against the baseline's, and after
  the last tab closes the server's kernels and memory are
  watched for --settle seconds. Targets: memory ≤ (pool + 2) kernels within 30 s of the last close; time to first
  widget unchanged (median ratio to the baseline).

Scenario `pools` (issue 6), with a short cull timeout:

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
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

HERE = Path(__file__).resolve().parent
ONE_CELL = HERE / "notebooks" / "one_cell.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FIRST_FILTER = ".widget-dropdown:has(label:text-is('Approach')) select"
BUSY = "#sl-busy"
ROOT = HERE.parent
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


@dataclass
class Viewer:
    """What one viewer of a burst saw."""

    ready_s: float | None = None  # navigation -> the first filter visible, busy page included; None: never
    busy: bool = False  # saw the busy page on the way
    state: str = "stuck"  # at the end: working, busy (the busy page, retrying by itself) or stuck (neither)


@dataclass
class BurstRun:
    """The burst scenario's figures."""

    viewers: list[Viewer]
    at_end: Memory
    iopub_timeouts: int
    reloads: int  # pages that loaded themselves again because their kernel went before they connected

    def count(self, state: str) -> int:
        return sum(viewer.state == state for viewer in self.viewers)


@dataclass
class ProgramRun:
    """The program scenario's figures: the viewers' times to their first filter while a program polls the page."""

    ready_s: list[float | None]
    polls: int
    kernels_started: int


@dataclass
class SequenceRun:
    """The sequence scenario's figures: first-widget times against the baseline's, and memory after the loads."""

    first_widget_s: list[float] = field(default_factory=list)
    baseline_s: list[float] = field(default_factory=list)
    hung: int = 0
    baseline_hung: int = 0
    settled: list[tuple[float, Memory]] = field(default_factory=list)  # seconds after the last close, memory
    pool: int = 1

    def settled_within(self, bound: int) -> float | None:
        """Seconds after the last close until the kernels were at most `bound` (None: not within the watch)."""
        return next((seconds for seconds, mem in self.settled if mem.kernels <= bound), None)


def start_dashboard(log: Path, code: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`spreadlab dashboard` with its default settings on a free loopback port; with `code`, the package in that
    src folder is run instead of the installed one (`python -m spreadlab`, its kernels inheriting PYTHONPATH)."""
    port = free_port()
    command = [sys.executable, "-m", "spreadlab"] if code else [str(Path(sys.executable).parent / "spreadlab")]
    env = {**os.environ, "PYTHONPATH": str(code)} if code else None
    with log.open("w") as out:
        server = subprocess.Popen([*command, "dashboard", "--no-browser", "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT, env=env)
    wait_for_port(port, server, log)
    return server, f"http://127.0.0.1:{port}/"


def export_revision(revision: str, into: Path) -> Path:
    """The project at git `revision`, exported into `into`; returns its src folder (for PYTHONPATH)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


async def burst_viewer(browser: Browser, url: str, delay: float,
                       args: argparse.Namespace) -> tuple[Viewer, Page, BrowserContext]:
    """A viewer arriving `delay` seconds into the burst, watched until its dashboard works or --burst-timeout
    seconds have passed; the page is left open, so that every viewer of the burst is counted while the others are
    still there."""
    await asyncio.sleep(delay)
    viewer = Viewer()
    context = await browser.new_context()
    page = await context.new_page()
    start = time.monotonic()
    deadline = start + args.burst_timeout
    try:
        await page.goto(url, wait_until="commit", timeout=args.burst_timeout * 1000)
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):  # a page reloading itself between two looks
                if await page.locator(FIRST_FILTER).is_visible():
                    viewer.state, viewer.ready_s = "working", time.monotonic() - start
                    break
                if await page.locator(BUSY).is_visible():
                    viewer.busy = True
            await asyncio.sleep(0.5)
        else:
            with contextlib.suppress(Exception):
                viewer.state = "busy" if await page.locator(BUSY).is_visible() else "stuck"
    except Exception:  # noqa: BLE001, S110 - the page never even arrived: stuck
        pass
    return viewer, page, context


async def measure_burst(browser: Browser, args: argparse.Namespace, log_dir: Path,
                        code: Path | None = None) -> BurstRun:
    log = log_dir / f"burst{'-baseline' if code else ''}.log"
    server, url = start_dashboard(log, code)
    try:
        await asyncio.sleep(args.warm_up)  # the default pool of one fills
        spacing = 1.0 / max(1, args.burst)
        arrivals = await asyncio.gather(*(burst_viewer(browser, url, i * spacing, args) for i in range(args.burst)))
        at_end = memory(server.pid)
        for _, page, context in arrivals:
            await page.close(run_before_unload=True)  # as a person closes a tab
            await context.close()
        text = log.read_text()
        return BurstRun([viewer for viewer, _, _ in arrivals], at_end, text.count("Timeout waiting for IOPub output"),
                        text.count("no page connected to it"))
    finally:
        stop(server)


async def measure_program(browser: Browser, args: argparse.Namespace, log_dir: Path,
                          code: Path | None = None) -> ProgramRun:
    """A program polling the page every second, then 3 viewers arriving together."""
    log = log_dir / f"program{'-baseline' if code else ''}.log"
    server, url = start_dashboard(log, code)
    polls = 0
    polling = True

    def poll() -> None:  # as `while :; do curl -s -o /dev/null URL; sleep 1; done`
        nonlocal polls
        while polling:
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=30) as reply:
                reply.read()
            polls += 1
            time.sleep(1)

    poller = asyncio.get_running_loop().run_in_executor(None, poll)
    contexts = []
    try:
        await asyncio.sleep(args.warm_up)

        async def viewer() -> float | None:
            context = await browser.new_context()
            contexts.append(context)
            page = await context.new_page()
            start = time.monotonic()
            try:
                await page.goto(url, wait_until="commit", timeout=args.program_timeout * 1000)
                await page.locator(FIRST_FILTER).wait_for(state="visible", timeout=args.program_timeout * 1000)
                return time.monotonic() - start
            except Exception:  # noqa: BLE001 - not loaded within the time allowed: counted, not retried
                return None

        ready = await asyncio.gather(*(viewer() for _ in range(3)))
        return ProgramRun(list(ready), polls, log.read_text().count("Kernel started"))
    finally:
        polling = False
        await poller
        for context in contexts:
            await context.close()
        stop(server)


async def measure_sequence(browser: Browser, args: argparse.Namespace, log_dir: Path,
                           code: Path | None) -> SequenceRun:
    run = SequenceRun()
    server, url = start_dashboard(log_dir / "sequence.log")
    baseline = None
    try:
        if code:
            baseline, baseline_url = start_dashboard(log_dir / "sequence-baseline.log", code)
        await asyncio.sleep(args.warm_up)
        servers = [server.pid, *([baseline.pid] if baseline else [])]
        for load in range(args.loads):
            targets = [("this", url), *([("baseline", baseline_url)] if baseline else [])]
            for name, address in targets if load % 2 == 0 else targets[::-1]:
                await quiet(servers)
                seconds = await time_to(browser, address, FIRST_FILTER, args.timeout)  # tab closed normally
                if name == "this" and seconds is None:
                    run.hung += 1
                elif name == "this":
                    run.first_widget_s.append(seconds)
                elif seconds is None:
                    run.baseline_hung += 1
                else:
                    run.baseline_s.append(seconds)
        if baseline:
            stop(baseline)  # its leftover kernels would slow the watch below
            baseline = None
        closed = time.monotonic()
        while (elapsed := time.monotonic() - closed) <= args.settle:
            run.settled.append((round(elapsed, 1), memory(server.pid)))
            await asyncio.sleep(1)
        return run
    finally:
        stop(server)
        if baseline:
            stop(baseline)


def report_issue14(burst: BurstRun | None, baseline_burst: BurstRun | None, program: ProgramRun | None,
                   baseline_program: ProgramRun | None, sequence: SequenceRun | None, args: argparse.Namespace) -> bool:
    """Print the figures of the burst, program and sequence scenarios; returns whether every target is met."""
    met = True
    for name, run, baseline in (("this", burst, False), (args.baseline, baseline_burst, True)):
        if run is None:
            continue
        working = [viewer.ready_s for viewer in run.viewers if viewer.state == "working"]
        via_busy = [viewer.ready_s for viewer in run.viewers if viewer.state == "working" and viewer.busy]
        print(f"\nburst ({name}): {args.burst} viewers arriving within 1 s, default settings, watched "
              f"{args.burst_timeout:.0f} s")
        print(f"  working: {len(working)}, time to the first filter {spread(working)}; "
              f"{len(via_busy)} of them through the busy page")
        print(f"  on the busy page, retrying by itself: {run.count('busy')}")
        print(f"  stuck (neither): {run.count('stuck')}{'' if baseline else '  (target 0)'}")
        print(f"  kernels shut down before their page connected: {run.reloads}; 'Timeout waiting for IOPub "
              f"output' in the log: {run.iopub_timeouts}")
        print(f"  with every viewer's page open: {run.at_end.kernels} kernels, {run.at_end.total_mb:.0f} MB")
        met &= baseline or run.count("stuck") == 0
    for name, run, baseline in (("this", program, False), (args.baseline, baseline_program, True)):
        if run is None:
            continue
        loaded = [seconds for seconds in run.ready_s if seconds is not None]
        print(f"\nprogram ({name}): a program requesting the page every second ({run.polls} requests), then 3 "
              f"viewers together")
        print(f"  viewers loaded: {len(loaded)} of 3, {spread(loaded)}; kernels started in all: "
              f"{run.kernels_started}{'' if baseline else '  (target: 3 within 60 s)'}")
        met &= baseline or (len(loaded) == 3 and max(loaded) <= 60)
    if sequence:
        bound = sequence.pool + 2
        print(f"\nsequence: {args.loads} loads one after another, tabs closed normally, default settings")
        print(f"  time to first widget: {spread(sequence.first_widget_s)}; not within {args.timeout:.0f} s: "
              f"{sequence.hung}")
        if sequence.baseline_s:
            ratio = statistics.median(sequence.first_widget_s) / statistics.median(sequence.baseline_s)
            print(f"  baseline ({args.baseline}), alternating: {spread(sequence.baseline_s)}; not within "
                  f"{args.timeout:.0f} s: {sequence.baseline_hung}")
            print(f"  ... median / baseline median = {ratio:.2f} (target: unchanged)")
        first, last = sequence.settled[0][1], sequence.settled[-1][1]
        print(f"  at the last close: {first.kernels} kernels, {first.total_mb:.0f} MB; {sequence.settled[-1][0]:.0f} s "
              f"later: {last.kernels} kernels, {last.total_mb:.0f} MB")
        within = sequence.settled_within(bound)
        when = f"after {within:.0f} s" if within is not None else f"not within {args.settle:.0f} s"
        print(f"  kernels <= pool + 2 = {bound}: {when} (target: within 30 s)")
        met &= sequence.hung == 0 and within is not None and within <= 30
    return met


async def main(args: argparse.Namespace) -> int:
    log_dir = Path(tempfile.mkdtemp(prefix="spreadlab-load-test-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start",
          flush=True)
    runs, burst, baseline_burst, program, baseline_program, sequence = [], None, None, None, None, None
    baseline = export_revision(args.baseline, Path(tempfile.mkdtemp(prefix="spreadlab-baseline-"))) \
        if args.baseline else None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if "burst" in args.scenarios:
                burst = await measure_burst(browser, args, log_dir)
                if baseline:
                    baseline_burst = await measure_burst(browser, args, log_dir, baseline)
            if "program" in args.scenarios:
                program = await measure_program(browser, args, log_dir)
                if baseline:
                    baseline_program = await measure_program(browser, args, log_dir, baseline)
            if "sequence" in args.scenarios:
                sequence = await measure_sequence(browser, args, log_dir, baseline)
            if "pools" in args.scenarios:
                floors = [start_floor(TARGET_FLOOR, 0, log_dir), start_floor("floor, pre-heated", 1, log_dir)]
                try:
                    runs = [await measure_pool(browser, args, preheat, log_dir, floors) for preheat in args.preheat]
                finally:
                    for floor in floors:
                        stop(floor.process)
        finally:
            await browser.close()
    met = report_issue14(burst, baseline_burst, program, baseline_program, sequence, args)
    if runs:
        report(runs, args)
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "burst": asdict(burst) if burst else None,
                                               "baseline_burst": asdict(baseline_burst) if baseline_burst else None,
                                               "program": asdict(program) if program else None,
                                               "baseline_program": asdict(baseline_program) if baseline_program
                                               else None,
                                               "sequence": asdict(sequence) if sequence else None,
                                               "pools": [asdict(run) for run in runs]}, indent=2, default=str))
    print(f"\nserver logs: {log_dir}")
    hung = sum(run.hung + run.viewers_never_ready + run.filter_failures for run in runs)
    over = sum(run.after_cull.kernels > run.preheat + 1 for run in runs)
    return 1 if hung or over or not met else 0


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
    parser.add_argument("--scenarios", type=lambda text: set(text.split(",")),
                        default={"burst", "program", "sequence"},
                        help="comma-separated: burst, program (issues 14, 23), sequence (issue 14), pools (issue 6) "
                             "(default: burst,program,sequence)")
    parser.add_argument("--burst", type=int, default=40, help="viewers arriving within one second (default: 40)")
    parser.add_argument("--burst-timeout", type=float, default=300.0,
                        help="seconds each burst viewer is watched before it is counted (default: 300)")
    parser.add_argument("--program-timeout", type=float, default=60.0,
                        help="seconds a viewer may take to load while the program polls (default: 60)")
    parser.add_argument("--baseline", default="main",
                        help="git revision whose code the burst, the program and the sequence's loads are also run "
                             "with; '' for none (default: main)")
    parser.add_argument("--settle", type=float, default=45.0,
                        help="seconds to watch the kernels after the sequence's last tab closed (default: 45)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
