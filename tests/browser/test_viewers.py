"""Viewers against programs and slow browsers (issue 23): a local program polling the page starts no kernel and keeps
no viewer waiting; a page slower to load than the connect timeout keeps its kernel; a page whose kernel went before
it connected loads itself again; a page or a program left holding a kernel unused loses it, and the page says so.

Servers of their own, real pages in Chromium, a real program (urllib, tornado's websocket client) beside them.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from servers import Server
from test_culling import FIRST_FILTER, PAGE_CONNECT_TIMEOUT, PAGE_TIMEOUT

pytestmark = pytest.mark.browser

BROWSER_HEADERS = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


def kernel_of(page: Page) -> str:
    """The id of the kernel the page was sent with."""
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def test_a_program_polling_the_page_every_second_starts_no_kernel_and_three_viewers_load_within_60_s(
        browser: Browser, own_server):
    """`while :; do curl -s -o /dev/null http://127.0.0.1:8866/; sleep 1; done` kept every viewer on the busy page."""
    server = own_server()
    stop = threading.Event()
    answers: list[bytes] = []

    def poll() -> None:
        while not stop.is_set():
            with urllib.request.urlopen(server.url, timeout=30) as reply:  # as curl: no browser headers
                answers.append(reply.read())
            stop.wait(1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    contexts = []
    try:
        time.sleep(5)  # the program is at it before the viewers come
        started = time.monotonic()
        pages = []
        for _ in range(3):
            context = browser.new_context()
            contexts.append(context)
            page = context.new_page()
            page.goto(server.url, wait_until="commit")
            pages.append(page)
        for page in pages:
            expect(page.locator(FIRST_FILTER)).to_be_visible(timeout=60_000 - 1000 * (time.monotonic() - started))
        loaded = time.monotonic() - started
    finally:
        stop.set()
        poller.join(timeout=35)
        for context in contexts:
            context.close()
    assert loaded < 60
    assert len(answers) >= 5 and all(b"Opening the dashboard" in answer for answer in answers)
    assert server.log.read_text().count("Kernel started") <= 3 + 1  # the viewers' and the pool's, none for it


def test_a_browser_shows_on_the_check_page_that_it_runs_scripts_and_gets_the_dashboard(browser: Browser, own_server):
    """A browser that sends no Sec-Fetch headers (older than 2023) gets what curl gets: the check page, whose script
    sets a cookie and loads the dashboard again."""
    server = own_server("--preheat", "0")
    with urllib.request.urlopen(server.url, timeout=30) as reply:
        check = reply.read()
    assert b"Opening the dashboard" in check and server.kernel_processes() == 0
    context = browser.new_context()
    served_check: list[str] = []

    def first_as_an_older_browser(route: Route) -> None:
        if route.request.is_navigation_request() and not served_check:
            served_check.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body=check)
        else:
            route.continue_()

    try:
        page = context.new_page()
        page.route(server.url, first_as_an_older_browser)
        page.goto(server.url)
        expect(page.locator(FIRST_FILTER)).to_be_visible(timeout=PAGE_TIMEOUT)
        assert served_check and {"spreadlab-browser"} <= {cookie["name"] for cookie in context.cookies()}
        request = urllib.request.Request(server.url, headers={"Cookie": "spreadlab-browser=1"})
        with urllib.request.urlopen(request, timeout=60) as reply:  # the cookie is what the server looks for
            assert b"jupyter-config-data" in reply.read()
    finally:
        context.close()


class _ScriptsHeldBack:
    """Voilà's scripts (what a busy machine's browser takes longest over) held back until `release()`."""

    def __init__(self, page: Page) -> None:
        self.held: list[Route] = []
        self._released = False
        page.route("**/voila/static/**", self._hold)

    def _hold(self, route: Route) -> None:
        if self._released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> None:
        self._released = True
        for route in self.held:
            route.continue_()


def test_a_page_slower_to_load_than_the_connect_timeout_keeps_its_kernel_and_works(browser: Browser, own_server):
    """Under 40 viewers in a second, pages that connected after 30 s lost their kernel and stayed broken."""
    server = own_server("--preheat", "0")
    context = browser.new_context()
    try:
        page = context.new_page()
        scripts = _ScriptsHeldBack(page)
        page.goto(server.url, wait_until="commit")
        expect(page.locator("#jupyter-config-data")).to_be_attached(timeout=PAGE_TIMEOUT)
        kernel_id = kernel_of(page)
        page.wait_for_timeout((PAGE_CONNECT_TIMEOUT + 10) * 1000)
        assert scripts.held, "Voilà's scripts were not held back"
        scripts.release()
        expect(page.locator(FIRST_FILTER)).to_be_visible(timeout=PAGE_TIMEOUT)
        assert kernel_of(page) == kernel_id and server.kernel_alive(kernel_id)
        assert f"Shutting down kernel {kernel_id}" not in server.log.read_text()
    finally:
        context.close()


def test_a_page_whose_kernel_went_before_it_connected_loads_itself_again_and_works(browser: Browser, own_server):
    server = own_server("--preheat", "0")
    context = browser.new_context()
    try:
        page = context.new_page()
        scripts = _ScriptsHeldBack(page)
        page.goto(server.url, wait_until="commit")
        expect(page.locator("#jupyter-config-data")).to_be_attached(timeout=PAGE_TIMEOUT)
        first_kernel = kernel_of(page)
        with page.expect_navigation(wait_until="commit", timeout=30_000):  # the page's own script loads it again
            _shut_down(server, first_kernel)
        scripts.release()
        expect(page.locator(FIRST_FILTER)).to_be_visible(timeout=PAGE_TIMEOUT)
        assert kernel_of(page) != first_kernel and server.kernel_alive(kernel_of(page))
    finally:
        context.close()


def _shut_down(server: Server, kernel_id: str) -> None:
    """Shut a kernel down as the server's own shutdown request does (any program that knows the id can)."""
    request = urllib.request.Request(f"{server.url}voila/api/shutdown/{kernel_id}", method="POST",
                                     data=b"_xsrf=any", headers={"Cookie": "_xsrf=any"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 204


def test_a_page_or_a_program_holding_a_kernel_unused_loses_it_and_the_page_says_so(browser: Browser, own_server,
                                                                                   tmp_path: Path):
    """A program holding kernels' connections open kept them for ever; the idle cull now takes connected pages."""
    server = own_server("--preheat", "0", "--cull-idle-timeout", "10", "--cull-interval", "2")
    request = urllib.request.Request(server.url, headers=BROWSER_HEADERS)
    with urllib.request.urlopen(request, timeout=60) as reply:
        held_kernel = KERNEL_ID.search(reply.read().decode()).group(1)
    holder = _WebSocketHolder(f"{server.url.replace('http', 'ws')}api/kernels/{held_kernel}/channels")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url)
        expect(page.locator(FIRST_FILTER)).to_be_visible(timeout=PAGE_TIMEOUT)
        viewer_kernel = kernel_of(page)
        assert server.kernel_alive(held_kernel) and server.kernel_alive(viewer_kernel)
        stopped = page.locator("#sl-page-stopped")
        expect(stopped).to_be_visible(timeout=90_000)  # culled after 10 s unused; the page looks once a minute
        expect(stopped).to_contain_text("This dashboard has stopped: it was left unused for a while")
        assert not server.kernel_alive(viewer_kernel) and not server.kernel_alive(held_kernel)
        assert holder.connected_once
    finally:
        holder.close()
        context.close()


class _WebSocketHolder:
    """A program holding a kernel's websocket open and saying nothing, in a thread of its own."""

    def __init__(self, url: str) -> None:
        self.connected_once = False
        self._loop = asyncio.new_event_loop()
        self._pool = ThreadPoolExecutor(1)
        self._pool.submit(self._loop.run_forever)
        asyncio.run_coroutine_threadsafe(self._connect(url), self._loop).result(timeout=30)

    async def _connect(self, url: str) -> None:
        from tornado.websocket import websocket_connect

        self._socket = await websocket_connect(url)
        self.connected_once = True

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._socket.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._pool.shutdown(wait=True)
        self._loop.close()
