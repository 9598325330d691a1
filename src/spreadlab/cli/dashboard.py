"""`spreadlab dashboard`: serve the bundled dashboard notebook with Voilà, on loopback unless told otherwise."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from dataclasses import dataclass

from ..errors import SpreadlabError
from ..paths import NOTEBOOKS_DIR

DASHBOARD = NOTEBOOKS_DIR / "dashboard.ipynb"


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the Voilà server runs; every field maps onto a Voilà or jupyter-server setting (see docs/deploy.md).

    Attributes:
        host: address to listen on (Voila.ip); loopback by default so only this machine can open the page.
        port: port to listen on; the server fails rather than silently moving to another port.
        open_browser: open the page in a browser once the server is up.
        cull_idle_timeout: seconds a kernel may sit idle before it is shut down (MappingKernelManager).
        cull_interval: seconds between checks for idle kernels.
        cull_connected: also cull idle kernels whose page is still open (off: only closed pages are culled).
        kernel_start_timeout: seconds a page waits for its kernel to start before showing an error.
        execution_timeout: seconds the notebook's cells may run before the page shows an error.
        preheat: kernels kept started with the dashboard already run (Voilà's pre-heated pool), so that a new
            viewer gets a ready page; 0 starts a kernel per page view.
    """

    host: str = "127.0.0.1"
    port: int = 8866
    open_browser: bool = True
    cull_idle_timeout: int = 600
    cull_interval: int = 60
    cull_connected: bool = False
    kernel_start_timeout: int = 60
    execution_timeout: int = 60
    preheat: int = 1

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def voila_config(settings: ServerSettings) -> dict[str, dict[str, object]]:
    """The traitlets configuration for Voilà: one notebook, sources stripped, no file serving, kernels culled."""
    return {
        "Voila": {
            "ip": settings.host,
            "port": settings.port,
            "port_retries": 0,
            "open_browser": settings.open_browser,
            "notebook_path": str(DASHBOARD),
            "root_dir": str(DASHBOARD.parent),
            # A closed tab asks for its kernel's shutdown with a beacon that carries no XSRF token (Voilà never sets
            # the cookie; voila#1458), so the request was refused and every kernel outlived its page. Without a
            # login the check protects nothing here: the only POST/DELETE requests name a random kernel id.
            "tornado_settings": {"disable_check_xsrf": True},
        },
        "VoilaConfiguration": {
            "strip_sources": True,
            "show_tracebacks": False,
            # The dashboard needs no files from disk; nothing under the notebooks folder is served.
            "file_allowlist": [],
            # Only the widget managers: Voilà loads every extension before it draws a widget, and the others cost time
            # (jupyterlab-plotly alone is 5 MB of JavaScript; the charts fetch plotly.js themselves, app/figures.py).
            "extension_allowlist": ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"],
            "preheat_kernel": settings.preheat > 0,
            "default_pool_size": settings.preheat,
            # jupyter-server's culler, except that time spent waiting in the pre-heated pool is not idle time and a
            # page still loading keeps its kernel (spreadlab/serving.py).
            "multi_kernel_manager_class": "spreadlab.serving.DashboardKernelManager",
        },
        "VoilaExecutor": {
            "startup_timeout": settings.kernel_start_timeout,
            "timeout": settings.execution_timeout,
        },
        "MappingKernelManager": {
            "cull_idle_timeout": settings.cull_idle_timeout,
            "cull_interval": settings.cull_interval,
            "cull_connected": settings.cull_connected,
        },
    }


def register(subparsers: argparse._SubParsersAction) -> None:
    defaults = ServerSettings()
    parser = subparsers.add_parser(
        "dashboard", help="open the dashboard in a browser (served by Voilà)",
        description="Serve the spreadlab dashboard with Voilà and print its address. Each open page runs its own "
                    "kernel; kernels of closed pages are shut down after --cull-idle-timeout seconds.",
    )
    parser.add_argument("--host", default=defaults.host,
                        help="address to listen on (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=defaults.port, help="port (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--cull-idle-timeout", type=_seconds, default=defaults.cull_idle_timeout, metavar="SECONDS",
                        help="shut down kernels idle this long; 0 never (default: %(default)s)")
    parser.add_argument("--cull-interval", type=_seconds, default=defaults.cull_interval, metavar="SECONDS",
                        help="how often to look for idle kernels (default: %(default)s)")
    parser.add_argument("--cull-connected", action="store_true",
                        help="also shut down idle kernels of pages still open")
    parser.add_argument("--kernel-start-timeout", type=_seconds, default=defaults.kernel_start_timeout,
                        metavar="SECONDS", help="give up starting a page's kernel after this long "
                                                "(default: %(default)s)")
    parser.add_argument("--preheat", type=_count, default=defaults.preheat, metavar="N",
                        help="kernels kept ready with the dashboard already run, so a new viewer waits less; "
                             "each holds memory while idle; 0 starts one per page view (default: %(default)s)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise SpreadlabError(f"--port: {args.port} is not a port number (allowed: 1 to 65535)")
    if args.cull_idle_timeout and args.cull_interval == 0:
        raise SpreadlabError("--cull-interval: must be at least 1 second when --cull-idle-timeout is set")
    if args.preheat and args.cull_idle_timeout and args.cull_interval >= args.cull_idle_timeout:
        raise SpreadlabError("--cull-interval: must be shorter than --cull-idle-timeout when --preheat is used "
                             "(a kernel handed to a page could be culled before the page connects)")
    if not DASHBOARD.is_file():
        raise SpreadlabError(f"the dashboard notebook is missing from the installed package: {DASHBOARD}")
    settings = ServerSettings(
        host=args.host, port=args.port, open_browser=not args.no_browser,
        cull_idle_timeout=args.cull_idle_timeout, cull_interval=args.cull_interval,
        cull_connected=args.cull_connected, kernel_start_timeout=args.kernel_start_timeout, preheat=args.preheat,
    )
    if not _is_loopback(settings.host):
        print(f"spreadlab: warning: listening on {settings.host}: anyone who can reach this address can open the "
              "dashboard (there is no login)", file=sys.stderr)
    print(f"spreadlab dashboard: open {settings.url} in a browser (Ctrl+C stops the server)", flush=True)
    return _serve(settings)


def _serve(settings: ServerSettings) -> int:
    from traitlets.config import Config

    from ..serving import DashboardServer

    DashboardServer.launch_instance(argv=[], config=Config(voila_config(settings)))
    return 0


def _seconds(value: str) -> int:
    return _non_negative(value, "seconds")


def _count(value: str) -> int:
    return _non_negative(value, "")


def _non_negative(value: str, unit: str) -> int:
    """A whole number of 0 or more, for argparse: a bad value is a one-line usage error, not a traceback."""
    units = f" {unit}" if unit else ""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number{' of' + units if unit else ''}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is negative (allowed: 0 or more{units})")
    return number


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
