"""Many viewers (issue 6): kernels of closed pages go away, and a viewer arriving afterwards still gets a working page.

A server of its own (short cull timeout, one pre-heated kernel) and real pages. A tab closed as a person closes it
sends Voilà's shutdown request; a browser that goes away without closing its tabs (a crash, a laptop lid) leaves
its kernel to the culler. A load that does not become interactive fails the test: nothing is retried.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from servers import dashboard_server

pytestmark = pytest.mark.browser

CULL_IDLE_TIMEOUT = 10
CULL_INTERVAL = 2
POOL = 1
PAGE_TIMEOUT = 45_000
FIRST_FILTER = ".widget-dropdown:has(label:text-is('Approach')) select"
KERNEL_SOCKET = re.compile(r"/api/kernels/([0-9a-f-]{36})/channels")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def kernel_alive(self, kernel_id: str) -> bool:
        """Whether the server still knows the kernel (Voilà answers GET /api/kernels/<id>)."""
        try:
            with urllib.request.urlopen(f"{self.url}api/kernels/{kernel_id}", timeout=10) as reply:
                return json.load(reply)["id"] == kernel_id
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise

    def kernel_processes(self) -> int:
        """The server's child processes running a kernel."""
        count = 0
        for entry in Path("/proc").iterdir():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                count += parent == self.process.pid and b"ipykernel" in (entry / "cmdline").read_bytes()
            except (OSError, ValueError, IndexError):
                continue
        return count


@pytest.fixture(scope="module")
def server(spreadlab_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    flags = ("--preheat", str(POOL), "--cull-idle-timeout", str(CULL_IDLE_TIMEOUT),
             "--cull-interval", str(CULL_INTERVAL))
    with dashboard_server(spreadlab_exe, tmp_path_factory.mktemp("culling"), *flags) as (url, process, log):
        yield Server(url, process, log)


def open_viewer(browser: Browser, server: Server) -> tuple[BrowserContext, Page, str]:
    """A new viewer's page, loaded until the first filter shows; returns its kernel's id."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    kernels: list[str] = []
    page.on("websocket", lambda socket_: kernels.extend(KERNEL_SOCKET.findall(socket_.url)))
    page.goto(server.url)
    expect(page.locator(FIRST_FILTER)).to_be_visible(timeout=PAGE_TIMEOUT)
    assert kernels, "the page never connected to a kernel"
    return context, page, kernels[0]


def change_filter(page: Page) -> str:
    """Pick the first approach and wait until the results count changes; returns the new count."""
    count = page.locator(".sl-count")
    expect(count).to_be_visible(timeout=PAGE_TIMEOUT)
    before = count.inner_text()
    page.locator(FIRST_FILTER).select_option(index=1)
    expect(count).not_to_have_text(before, timeout=15_000)
    return count.inner_text()


def test_kernels_of_closed_pages_are_shut_down_and_a_new_viewer_still_gets_a_working_page(browser, server):
    viewers = [open_viewer(browser, server) for _ in range(3)]
    kernel_ids = [kernel_id for _, _, kernel_id in viewers]
    assert len(set(kernel_ids)) == 3 and all(server.kernel_alive(k) for k in kernel_ids)

    # Closing a tab just after using it: the page's shutdown request is accepted, long before the culler could act.
    closed_context, closed_page, closed_kernel = viewers[-1]
    change_filter(closed_page)
    closed_page.close(run_before_unload=True)
    closed_context.close()
    deadline = time.monotonic() + CULL_IDLE_TIMEOUT / 2
    while server.kernel_alive(closed_kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not server.kernel_alive(closed_kernel), "a closed tab's kernel outlived its page"

    # Browsers that vanish without closing their tabs: only the culler can reclaim their kernels.
    for context, _, _ in viewers[:-1]:
        context.close()
    time.sleep(CULL_IDLE_TIMEOUT + 2 * CULL_INTERVAL + 1)
    assert [k for k in kernel_ids if server.kernel_alive(k)] == []
    assert server.kernel_processes() <= POOL

    # A viewer arriving now gets the pooled kernel, which has waited longer than the cull timeout, and can filter.
    context, page, _ = open_viewer(browser, server)
    try:
        time.sleep(2 * CULL_INTERVAL)  # a culling round passes while the page is open
        assert re.fullmatch(r"\d+ of \d+ recorded methods match\.", change_filter(page))
    finally:
        context.close()
