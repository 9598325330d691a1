"""The dashboard's Voilà server: Voilà with its page handler guarded, one more file to serve (plotly.js), and
jupyter-server's kernel manager taught which kernels belong to pages.

Every page view costs a kernel of 120–150 MB and about a second of CPU, so the server starts one only for a
browser opening the page (`DashboardPageHandler`: a client that does not say it is a browser navigating must show
it runs scripts first), within limits (`DashboardKernelManager.max_kernels` and `max_starting`), and gives a kernel
back within seconds once no page is connected to it: the page was never opened (a script, a hung-up request), its
tab closed, or its browser went away (`page_connect_timeout`). A page still loading says so by asking for its
kernel (`DashboardKernelHandler`, from the page template's script), which keeps the kernel for it; a page whose
kernel is gone before it connected loads itself again. Its connections are bounded too (spreadlab.listening). Why
each rule exists, and what it was measured to cost: docs/deploy.md and benchmarks/README.md.

The kernel manager also keeps the culler away from a kernel that is still on its way to a page: Voilà's pool keeps
its kernels out of the culler's reach, but once a pooled kernel is handed to a page the culler saw all the time it
waited in the pool as idle time, and could shut it down before the page's websocket connected.

Imported by `spreadlab dashboard` and by Voilà (`VoilaConfiguration.multi_kernel_manager_class`, also set in
notebooks/voila.json for plain `voila`), never by `import spreadlab`.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import nbformat
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.web import HTTPError, StaticFileHandler
from traitlets import HasTraits, Integer, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from . import plotly_asset
from .listening import raise_open_files_limit, use_bounded_connections

BUSY_RETRY_SECONDS = 10
"""How long the busy page waits before it loads the dashboard again by itself."""
BROWSER_COOKIE = "spreadlab-browser"
"""Set by the script of the page that a client without `Sec-Fetch-*` headers gets first (`browser_check.html`)."""


class DashboardServer(Voila):
    """Voilà, with the dashboard's page and kernel handlers, also serving plotly.js (and nothing else) for the
    charts the dashboard draws (`spreadlab.app.figures`), its connections bounded (spreadlab.listening); it trusts
    the dashboard notebook it serves, and prints `ready_message` once it answers."""

    ready_message = Unicode("", help="Printed once the server listens (the address to open).").tag(config=True)

    def init_settings(self) -> dict:
        settings = super().init_settings()
        if self.notebook_path:  # the notebook ships with spreadlab and Voilà runs it anyway: sign it as trusted
            self.contents_manager.notary.sign(nbformat.read(self.notebook_path, as_version=4))
        return settings

    def start(self) -> None:
        before, after = raise_open_files_limit()
        if after != before:
            self.log.info("Open-files limit raised from %d to %d", before, after)
        use_bounded_connections(self.log)
        if self.ready_message:  # runs once the loop starts, after Voilà has bound its port
            IOLoop.current().add_callback(print, self.ready_message, flush=True)
        super().start()

    def init_handlers(self) -> list:
        folder, name = plotly_asset.URL_PATH.rsplit("/", 1)
        route = url_path_join(self.server_url, folder, f"({re.escape(name)})")
        ours = {TornadoVoilaHandler: DashboardPageHandler, KernelHandler: DashboardKernelHandler}
        handlers = [(rule[0], ours.get(rule[1], rule[1]), *rule[2:]) for rule in super().init_handlers()]
        # First: Voilà's last route answers every other address with the dashboard.
        return [(route, StaticFileHandler, {"path": str(plotly_asset.plotly_js().parent)}), *handlers]


def is_page_navigation(headers: Mapping[str, str]) -> bool:
    """Whether a request opens the page in a browser's tab: not a script's `fetch`, an image, a frame or a
    prefetch from some website (browsers say which in `Sec-Fetch-*` and `Sec-Purpose`; a client that sends none
    is let through)."""
    return headers.get("Sec-Fetch-Mode", "navigate") == "navigate" \
        and headers.get("Sec-Fetch-Dest", "document") == "document" \
        and "prefetch" not in headers.get("Sec-Purpose", "")


def says_it_is_a_browser(headers: Mapping[str, str]) -> bool:
    """Whether a request carries the `Sec-Fetch-*` headers that every current browser sends (Chrome and Edge since
    2020, Firefox since 2021, Safari since 2023); older browsers show it by running the check page's script."""
    return "Sec-Fetch-Mode" in headers and "Sec-Fetch-Dest" in headers


class DashboardPageHandler(TornadoVoilaHandler):
    """Voilà's page handler, which starts (or takes from the pool) a kernel per request, with checks first: only
    a browser opening the page gets a kernel, and only within the kernel manager's limits; a viewer beyond them
    gets the busy page. It also sets the XSRF cookie that the page's shutdown beacon sends back."""

    def initialize(self, **kwargs: object) -> None:
        super().initialize(**kwargs)
        self._page = _PageKernel(self.settings["kernel_manager"])
        self._admitted = False

    @property
    def kernel_manager(self) -> _PageKernel:  # Voilà's handler starts or takes the page's kernel through this
        return self._page

    async def get(self, path: str | None = None) -> None:
        if not is_page_navigation(self.request.headers):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("The spreadlab dashboard starts only for a browser opening it as a page.\n")
            return
        manager: DashboardKernelManager = self.settings["kernel_manager"]
        if not path:  # any other address is only redirected by Voilà and needs no kernel
            if not says_it_is_a_browser(self.request.headers) and not self.get_cookie(BROWSER_COOKIE):
                # curl, a health check, a script polling the page: no kernel; a browser runs the page's script,
                # which sets the cookie and loads the dashboard again.
                self.set_header("Cache-Control", "no-store")
                self.finish(self.render_template("browser_check.html", cookie=BROWSER_COOKIE))
                return
            if not manager.admit_page():
                self.set_status(503)
                self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
                self.set_header("Cache-Control", "no-store")
                self.finish(self.render_template("busy.html", retry_seconds=BUSY_RETRY_SECONDS))
                return
            self._admitted = True
            # Voilà's page posts its kernel's shutdown with the `_xsrf` cookie's value, but never has the cookie
            # set (voila#1458); reading the token sets it, so the XSRF check can stay on.
            _ = self.xsrf_token
        await super().get(path)

    def on_finish(self) -> None:
        if self._admitted:
            self._admitted = False
            self.settings["kernel_manager"].page_done(self._page.kernel_id)


class DashboardKernelHandler(KernelHandler):
    """jupyter-server's handler of `/api/kernels/<id>`: a page asking for its kernel's model is still there (the
    dashboard's page template asks every two seconds until it has connected), so its kernel is kept for it."""

    async def get(self, kernel_id: str) -> None:
        self.settings["kernel_manager"].page_alive(kernel_id)
        await ensure_async(super().get(kernel_id))


class _PageKernel:
    """The kernel manager as one page request sees it: it notes which kernel the page was given."""

    def __init__(self, manager: DashboardKernelManager) -> None:
        # Any: with preheating on, Voilà subclasses this manager at run time (voila_kernel_manager_factory) to add
        # get_rendered_notebook, which no type checker can see.
        self._manager: Any = manager
        self.kernel_id: str | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args: object, **kwargs: object) -> tuple:
        render_task, rendered_cache, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._given(kernel_id)
        return render_task, rendered_cache, kernel_id

    async def start_kernel(self, *args: object, **kwargs: object) -> str:
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self._given(kernel_id)
        return kernel_id

    def _given(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id
        self._manager.page_given(kernel_id)


class DashboardKernelManager(AsyncMappingKernelManager):
    """Culls as jupyter-server does, and also:

    - a kernel that no page is connected to is shut down after `page_connect_timeout` seconds: counted from the
      moment its page was sent (the page never connected), its page last asked for it while loading
      (`page_alive`, for up to `page_load_timeout` seconds after the page was sent), or its last connection
      closed (tab closed, browser gone); a page that reconnects in that time keeps it;
    - at most `max_kernels` kernels are handed to pages, and at most `max_starting` pages are starting (sent or
      being sent, not yet connected) at once (`admit_page`, used by `DashboardPageHandler`): a burst of viewers
      on a small machine otherwise shares the CPU so thinly that no page connects in time;
    - a kernel Voilà holds back from a culling round (its pool) counts as active, and a kernel whose page has not
      connected yet is not culled for `page_connect_timeout` seconds.
    """

    page_connect_timeout = Integer(30, config=True, help="Seconds a kernel is kept while no page is connected "
                                                         "to it: after its page was sent, or after its last "
                                                         "connection closed.")
    page_load_timeout = Integer(120, config=True, help="Seconds after its page was sent that a page still loading "
                                                       "keeps its kernel by asking for it (the page template's script "
                                                       "asks every 2 s, and gives up at the same time).")
    max_kernels = Integer(0, config=True, help="Kernels handed to pages at most (a pre-heated pool comes on "
                                               "top); a viewer beyond gets a busy page that retries. 0: no limit.")
    max_starting = Integer(0, config=True, help="Pages starting at once at most (admitted, not yet connected to "
                                                "their kernel); a viewer beyond gets the busy page. 0: no limit.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._offered: set[str] = set()
        self._connected: set[str] = set()
        self._pages: set[str] = set()  # kernels handed to pages (through DashboardPageHandler)
        self._starting: set[str] = set()  # ... whose page has not connected yet
        self._arriving = 0  # page requests admitted whose kernel is not known yet
        self._unattended: dict[str, float] = {}  # kernel -> since when (time.monotonic) no page is connected
        self._loading: dict[str, float] = {}  # kernel -> when (time.monotonic) its page was sent, until it connects
        self._reaper: PeriodicCallback | None = None

    def admit_page(self) -> bool:
        """Reserve a kernel for a page request, unless `max_kernels` pages already hold or await one, or
        `max_starting` pages are starting."""
        self._pages &= set(self._kernels)
        self._starting &= self._pages
        if self.max_kernels and len(self._pages) + self._arriving >= self.max_kernels:
            return False
        if self.max_starting and len(self._starting) + self._arriving >= self.max_starting:
            return False
        self._arriving += 1
        return True

    def page_given(self, kernel_id: str) -> None:
        """An admitted page request was given this kernel (started for it or taken from the pool)."""
        self._arriving = max(0, self._arriving - 1)
        self._pages.add(kernel_id)
        if not self._kernel_connections.get(kernel_id, 0):
            self._starting.add(kernel_id)

    def page_done(self, kernel_id: str | None) -> None:
        """An admitted page request has ended: its kernel waits for the page to connect (or, when it never got
        one, the reservation is released)."""
        if kernel_id is None:
            self._arriving = max(0, self._arriving - 1)
        elif kernel_id in self._kernels and not self._kernel_connections.get(kernel_id, 0):
            now = time.monotonic()
            self._unattended.setdefault(kernel_id, now)
            self._loading.setdefault(kernel_id, now)
            self._start_reaper()

    def page_alive(self, kernel_id: str) -> None:
        """The page of a kernel that has never been connected says it is still loading: count the time without a
        page from now, for at most `page_load_timeout` seconds after the page was sent (a program asking for its
        kernel's model without ever connecting cannot keep a kernel, nor a starting slot, longer)."""
        sent = self._loading.get(kernel_id)
        if sent is not None and kernel_id in self._unattended and time.monotonic() - sent <= self.page_load_timeout:
            self._unattended[kernel_id] = time.monotonic()

    def notify_connect(self, kernel_id: str) -> None:
        self._connected.add(kernel_id)
        self._starting.discard(kernel_id)
        self._loading.pop(kernel_id, None)
        self._unattended.pop(kernel_id, None)
        super().notify_connect(kernel_id)

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if kernel_id in self._kernels and not self._kernel_connections.get(kernel_id, 0):
            self._unattended[kernel_id] = time.monotonic()
            self._start_reaper()

    def _start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = PeriodicCallback(self._shut_down_unattended, 1000)
            self._reaper.start()

    async def _shut_down_unattended(self) -> None:
        now = time.monotonic()
        self._loading = {kernel_id: sent for kernel_id, sent in self._loading.items() if kernel_id in self._kernels}
        for kernel_id, since in list(self._unattended.items()):
            if kernel_id not in self._kernels or self._kernel_connections.get(kernel_id, 0):
                self._unattended.pop(kernel_id, None)
            elif now - since >= self.page_connect_timeout:
                self._unattended.pop(kernel_id, None)
                self._loading.pop(kernel_id, None)
                self.log.info("Shutting down kernel %s: no page connected to it for %d seconds", kernel_id,
                              now - since)
                with contextlib.suppress(KeyError, HTTPError):  # shut down meanwhile by its page's own request
                    await ensure_async(self.shutdown_kernel(kernel_id))

    async def cull_kernels(self) -> None:
        self._offered = set()
        self._connected &= set(self._kernels)
        await super().cull_kernels()
        for kernel_id in set(self._kernels) - self._offered:
            self._kernels[kernel_id].last_activity = utcnow()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # Reached only for kernels Voilà's pool lets go of (every kernel when there is no pool).
        self._offered.add(kernel_id)
        kernel = self._kernels.get(kernel_id)
        if kernel is None:
            return  # shut down (its tab closed) while this round was running
        if isinstance(kernel, HasTraits) and not kernel.trait_has_value("last_activity"):
            return  # still starting: jupyter-server's check would log a TraitError traceback for it
        waiting = utcnow() - kernel.last_activity
        if kernel_id not in self._connected and waiting <= timedelta(seconds=self.page_connect_timeout):
            return  # its page is still loading
        await super().cull_kernel_if_idle(kernel_id)
