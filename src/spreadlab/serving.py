"""The dashboard's Voilà server: Voilà with one more file to serve (plotly.js), and jupyter-server's kernel manager
with two changes, so that the culler never takes the kernel of a page that is still loading.

Voilà's pool keeps its kernels out of the culler's reach, but once a pooled kernel is handed to a page the culler
saw all the time it waited in the pool as idle time: if it ran before the page's websocket connected, it shut the
kernel down and the page never became interactive. And when many viewers arrive at once a page may take longer to
connect than a short cull timeout (measured: benchmarks/README.md, "Many viewers").
Imported by `spreadlab dashboard` and by Voilà (`VoilaConfiguration.multi_kernel_manager_class`), never by
`import spreadlab`.
"""

from __future__ import annotations

import re
from datetime import timedelta

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado.web import StaticFileHandler
from traitlets import HasTraits, Integer
from voila.app import Voila

from . import plotly_asset


class DashboardServer(Voila):
    """Voilà, also serving plotly.js (and nothing else) for the charts the dashboard draws (`spreadlab.app.figures`)."""

    def init_handlers(self) -> list:
        folder, name = plotly_asset.URL_PATH.rsplit("/", 1)
        route = url_path_join(self.server_url, folder, f"({re.escape(name)})")
        # First: Voilà's last route answers every other address with the dashboard.
        return [(route, StaticFileHandler, {"path": str(plotly_asset.plotly_js().parent)}), *super().init_handlers()]


class DashboardKernelManager(AsyncMappingKernelManager):
    """Culls as jupyter-server does, except: a kernel Voilà holds back from a culling round (its pool) counts as
    active, and a kernel whose page has not connected yet is kept for `page_connect_timeout` seconds."""

    page_connect_timeout = Integer(60, config=True, help="Seconds a kernel started for, or handed to, a page may "
                                                         "wait for the page to connect before it may be culled.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._offered: set[str] = set()
        self._connected: set[str] = set()

    def notify_connect(self, kernel_id: str) -> None:
        self._connected.add(kernel_id)
        super().notify_connect(kernel_id)

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
