"""Many viewers (issues 6 and 14): kernels of closed pages go away, pages that never connect give theirs back, other
websites start none, and beyond the kernel limit a viewer waits on a busy page that retries by itself.

Servers of their own and real pages. A tab closed as a person closes it sends Voilà's shutdown request; a browser
that goes away without closing its tabs (a crash, a laptop lid) only drops its connection. A load that does not
become interactive fails the test: nothing is retried.
"""

from __future__ import annotations

import http.server
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from servers import Server, dashboard_server

pytestmark = pytest.mark.browser

CULL_IDLE_TIMEOUT = 10
CULL_INTERVAL = 2
POOL = 1
PAGE_TIMEOUT = 45_000
FIRST_FILTER = ".widget-dropdown:has(label:text-is('Approach')) select"
KERNEL_SOCKET = re.compile(r"/api/kernels/([0-9a-f-]{36})/channels")
PAGE_CONNECT_TIMEOUT = 30  # DashboardKernelManager.page_connect_timeout, the default
BROWSER_HEADERS = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


@pytest.fixture(scope="module")
def server(spreadlab_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Pages left open are kept here: this server is about the kernels of pages that went.
    flags = ("--preheat", str(POOL), "--cull-idle-timeout", str(CULL_IDLE_TIMEOUT),
             "--cull-interval", str(CULL_INTERVAL), "--no-cull-connected")
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


@pytest.mark.parametrize("preheat", [0, 1])
@pytest.mark.parametrize("beacon", [True, False], ids=["tab-closed", "browser-gone"])
def test_a_closed_tab_frees_its_kernel_with_and_without_the_pool(browser, own_server, preheat, beacon):
    server = own_server("--preheat", str(preheat))
    context, page, kernel_id = open_viewer(browser, server)
    page.close(run_before_unload=beacon)  # without the unload handler no shutdown request: only the socket closes
    context.close()
    deadline = time.monotonic() + (3 if beacon else PAGE_CONNECT_TIMEOUT + 3)
    while server.kernel_alive(kernel_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not server.kernel_alive(kernel_id), "a closed tab's kernel outlived its page"
    assert server.wait_for_kernels(preheat, timeout=10) <= preheat


def test_a_page_that_never_connects_gives_its_kernel_back_within_seconds(own_server):
    server = own_server("--preheat", "0")
    # A client that says it is a browser navigating, reads the page and runs no script.
    request = urllib.request.Request(server.url, headers=BROWSER_HEADERS)
    with urllib.request.urlopen(request, timeout=60) as reply:
        assert b"jupyter-config-data" in reply.read()
    assert server.kernel_processes() == 1
    assert server.wait_for_kernels(0, timeout=PAGE_CONNECT_TIMEOUT + 3) == 0

    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1].strip("/")))) as hang_up:
        hang_up.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Mode: navigate\r\n"
                        b"Sec-Fetch-Dest: document\r\n\r\n")
        time.sleep(0.5)  # curl -m 0.5
    assert server.wait_for_kernels(0, timeout=30 + PAGE_CONNECT_TIMEOUT) == 0
    assert "no page connected to it" in server.log.read_text()


@pytest.fixture
def other_website() -> Iterator[Callable[[str], str]]:
    """Serves a page on another site (localhost, another port) holding the given HTML; returns its address."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as website:
        threading.Thread(target=website.serve_forever, daemon=True).start()

        def page(html: str) -> str:
            pages["/"] = html.encode()
            return f"http://localhost:{website.server_address[1]}/"
        yield page
        website.shutdown()


def test_requests_from_another_website_start_no_kernel(browser, own_server, other_website):
    server = own_server("--preheat", "0")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_website(f'<img src="{server.url}"><iframe src="{server.url}"></iframe>'))
        kind = page.evaluate("url => fetch(url, {mode: 'no-cors'}).then(reply => reply.type)", server.url)
        assert kind == "opaque"  # the request reached the server
        time.sleep(3)
    finally:
        context.close()
    assert server.kernel_processes() == 0
    assert "Kernel started" not in server.log.read_text()


def test_beyond_the_kernel_limit_a_viewer_gets_the_busy_page_and_then_the_dashboard(browser, own_server):
    server = own_server("--preheat", "0", "--max-kernels", "1")
    first_context, first, _ = open_viewer(browser, server)
    second_context = browser.new_context()
    try:
        second = second_context.new_page()
        reply = second.goto(server.url)
        assert reply.status == 503
        expect(second.get_by_role("heading")).to_have_text("The dashboard is busy")
        expect(second.locator("#sl-busy")).to_contain_text("This page will try again in 10 seconds, by itself")
        assert second.title() == "spreadlab: busy, this page will retry"
        first.close(run_before_unload=True)
        expect(second.locator(FIRST_FILTER)).to_be_visible(timeout=PAGE_TIMEOUT)  # reloaded by itself
    finally:
        first_context.close()
        second_context.close()
