"""`spreadlab dashboard`: serve the bundled dashboard notebook with Voilà, on loopback unless told otherwise.

The settings that never change between runs (extension allowlist, kernel manager, no file serving, allowed hosts)
sit in notebooks/voila.json, where plain `voila` finds them too; this module adds the per-run ones (address, port,
timeouts, pool, limits, data folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import ipaddress
import os
import secrets
import socket
import sys
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..collation import load
from ..errors import CollationError, SpreadlabError
from ..paths import DATA_ENV, NOTEBOOKS_DIR
from .data_option import data_option

if TYPE_CHECKING:
    from traitlets.config import Config

DASHBOARD = NOTEBOOKS_DIR / "dashboard.ipynb"
VOILA_CONFIG = NOTEBOOKS_DIR / "voila.json"
TEMPLATE = "spreadlab"
"""The page template (notebooks/voila/templates/spreadlab): Voilà's lab template without its CDN stylesheets."""
KERNEL_MB = 150
"""Resident memory of a dashboard kernel once every tab has been opened (docs/deploy.md, "What each viewer costs")."""
ANY_HOST = "*"
LOG_LEVELS = ("DEBUG", "INFO", "WARN", "ERROR")  # as Voilà (traitlets' Application) names them
STARTING = "spreadlab dashboard: starting the server (the first start after installing takes longer)…"
NO_BROWSER = "no web browser was found on this machine: open the address below in one"


def default_max_kernels() -> int:
    """As many kernels as fit in half of the memory available now, at least one."""
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):  # not every system reports available memory
        available = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    return max(1, available // 2 // (KERNEL_MB * 1024 * 1024))


def default_max_starting() -> int:
    """Two pages starting at once per CPU core: each costs about a second of CPU in the kernel, and as much again
    in the browser when viewers run on the same machine (benchmarks/README.md, "Bursts and closed tabs")."""
    return 2 * (os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the Voilà server runs; every field maps onto a Voilà or jupyter-server setting (see docs/deploy.md).

    Attributes:
        host: address to listen on (Voila.ip); loopback by default so only this machine can open the page.
        port: port to listen on; the server fails rather than silently moving to another port.
        open_browser: open the page in a browser once the server is up.
        cull_idle_timeout: seconds a kernel may sit idle (no message from or to its page) before it is shut down
            (MappingKernelManager); kernels with no page connected go much sooner (page_connect_timeout).
        cull_interval: seconds between checks for idle kernels.
        cull_connected: also cull idle kernels whose page is still open (on: a page left unused, or a program
            holding a kernel's connection open, keeps it at most cull_idle_timeout; the page then says it stopped).
        kernel_start_timeout: seconds a page waits for its kernel to start before showing an error.
        execution_timeout: seconds the notebook's cells may run before the page shows an error.
        preheat: kernels kept started with the dashboard already run (Voilà's pre-heated pool), so that a new
            viewer gets a ready page; 0 starts a kernel per page view.
        max_kernels: kernels handed to pages at most (the pool comes on top); a viewer beyond gets a page saying
            the dashboard is busy, which retries by itself (DashboardKernelManager.max_kernels).
        max_starting: pages starting at once at most (sent, not yet connected to their kernel); a viewer beyond
            gets the busy page too (DashboardKernelManager.max_starting).
        allow_hosts: host names the server answers besides loopback ones (the `Host` header a browser sends);
            `*` answers any (jupyter-server's `local_hostnames`, `allow_remote_access`).
        data_dir: data folder the kernels read (the dashboard notebook reads it from $SPREADLAB_DATA, the one
            way into a kernel Voilà starts); None for the bundled data.
        log_level: the least serious server messages printed (Voila.log_level): warnings and errors by default, so
            the address is not buried; INFO for an operator who wants every kernel started and stopped.
    """

    host: str = "127.0.0.1"
    port: int = 8866
    open_browser: bool = True
    cull_idle_timeout: int = 1800
    cull_interval: int = 60
    cull_connected: bool = True
    kernel_start_timeout: int = 60
    execution_timeout: int = 60
    preheat: int = 1
    max_kernels: int = field(default_factory=default_max_kernels)
    max_starting: int = field(default_factory=default_max_starting)
    allow_hosts: tuple[str, ...] = ()
    data_dir: Path | None = None
    log_level: str = "WARN"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def static_config() -> Config:
    """The dashboard's fixed Voilà settings, as notebooks/voila.json holds them for `voila` and for this command."""
    from traitlets.config.loader import JSONFileConfigLoader

    return JSONFileConfigLoader(VOILA_CONFIG.name, str(VOILA_CONFIG.parent)).load_config()


def voila_config(settings: ServerSettings) -> dict[str, dict[str, object]]:
    """The per-run traitlets configuration, laid over `static_config()`: address, timeouts, pool, limits."""
    tornado_settings = dict(static_config().Voila.tornado_settings)
    if ANY_HOST in settings.allow_hosts:
        tornado_settings["allow_remote_access"] = True
    else:
        tornado_settings["local_hostnames"] = [*tornado_settings["local_hostnames"], *settings.allow_hosts]
    return {
        "Voila": {
            "ip": settings.host,
            "port": settings.port,
            "port_retries": 0,
            "open_browser": settings.open_browser,
            "notebook_path": str(DASHBOARD),
            "root_dir": str(DASHBOARD.parent),
            # notebooks/voila.json is read once, below it; not a voila.json of the directory the command runs in.
            "config_file_paths": [],
            "tornado_settings": tornado_settings,
            "log_level": settings.log_level,
        },
        # The dashboard notebook is signed as trusted when the server starts (DashboardServer), with a key and a
        # signature store that live in memory only: no "Notebook dashboard.ipynb is not trusted" warning on each
        # page, and nothing written to the user's Jupyter folder.
        "NotebookNotary": {"db_file": ":memory:", "secret": secrets.token_bytes(32)},
        "DashboardServer": {"ready_message": ready_message(settings)},
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "preheat_kernel": settings.preheat > 0,
            "default_pool_size": settings.preheat,
        },
        "VoilaExecutor": {
            "startup_timeout": settings.kernel_start_timeout,
            "timeout": settings.execution_timeout,
            # nbclient waits 4 s for a cell's output after the cell has run, then goes on without it: under a
            # burst of viewers that left pages with no widget and no error. Wait as long as a cell may run, and
            # show an error rather than a blank page if even that is not enough.
            "iopub_timeout": settings.execution_timeout,
            "raise_on_iopub_timeout": True,
        },
        "MappingKernelManager": {
            "cull_idle_timeout": settings.cull_idle_timeout,
            "cull_interval": settings.cull_interval,
            "cull_connected": settings.cull_connected,
        },
        "DashboardKernelManager": {"max_kernels": settings.max_kernels, "max_starting": settings.max_starting},
    }


def register(subparsers: argparse._SubParsersAction) -> None:
    defaults = ServerSettings()
    parser = subparsers.add_parser(
        "dashboard", parents=[data_option()], help="open the dashboard in a browser (served by Voilà)",
        description="Serve the spreadlab dashboard with Voilà and print its address. Each open page runs its own "
                    "kernel; a kernel goes 30 s after its page closed, or after --cull-idle-timeout seconds unused.",
    )
    parser.add_argument("--host", default=defaults.host,
                        help="address to listen on (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=defaults.port, help="port (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--cull-idle-timeout", type=_seconds, default=defaults.cull_idle_timeout, metavar="SECONDS",
                        help="shut down kernels idle this long; 0 never (default: %(default)s)")
    parser.add_argument("--cull-interval", type=_seconds, default=defaults.cull_interval, metavar="SECONDS",
                        help="how often to look for idle kernels (default: %(default)s)")
    parser.add_argument("--cull-connected", action=argparse.BooleanOptionalAction, default=defaults.cull_connected,
                        help="also shut down idle kernels of pages still open: the page then says it stopped "
                             "(default: on)")
    parser.add_argument("--kernel-start-timeout", type=_seconds, default=defaults.kernel_start_timeout,
                        metavar="SECONDS", help="give up starting a page's kernel after this long "
                                                "(default: %(default)s)")
    parser.add_argument("--preheat", type=_count, default=defaults.preheat, metavar="N",
                        help="kernels kept ready with the dashboard already run, so a new viewer waits less; "
                             "each holds memory while idle; 0 starts one per page view (default: %(default)s)")
    parser.add_argument("--max-kernels", type=_count, default=None, metavar="N",
                        help="viewers served at once, each with a kernel of about 150 MB; others see a page that "
                             "says the dashboard is busy and retries by itself (default: as many as fit in half "
                             "of the memory available at start)")
    parser.add_argument("--max-starting", type=_count, default=None, metavar="N",
                        help="pages starting at once (each costs about a second of CPU on the server and in the "
                             f"browser); others see the busy page (default: 2 per CPU core, {defaults.max_starting} "
                             "here)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests for this host name (as typed in the browser, e.g. the name of "
                             "a proxy in front); loopback names and addresses are always allowed; '*' allows any "
                             "(repeatable)")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default=defaults.log_level, type=str.upper,
                        help="the least serious server messages to print; INFO shows each kernel started and shut "
                             "down (default: %(default)s)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise SpreadlabError(f"--port: {args.port} is not a port number (allowed: 1 to 65535)")
    if args.cull_idle_timeout and args.cull_interval == 0:
        raise SpreadlabError("--cull-interval: must be at least 1 second when --cull-idle-timeout is set")
    if args.preheat and args.cull_idle_timeout and args.cull_interval >= args.cull_idle_timeout:
        raise SpreadlabError("--cull-interval: must be shorter than --cull-idle-timeout when --preheat is used "
                             "(a kernel handed to a page could be culled before the page connects)")
    for flag, value in (("--max-kernels", args.max_kernels), ("--max-starting", args.max_starting)):
        if value == 0:
            raise SpreadlabError(f"{flag}: must be at least 1 (each viewer needs a kernel)")
    allow_hosts = tuple(dict.fromkeys(_checked_host_name(host) for host in args.allow_host))
    if not DASHBOARD.is_file():
        raise SpreadlabError(f"the dashboard notebook is missing from the installed package: {DASHBOARD}")
    data_dir = _checked_data_dir(args.data) if args.data is not None else None
    settings = ServerSettings(
        host=args.host, port=args.port, open_browser=not args.no_browser,
        cull_idle_timeout=args.cull_idle_timeout, cull_interval=args.cull_interval,
        cull_connected=args.cull_connected, kernel_start_timeout=args.kernel_start_timeout, preheat=args.preheat,
        allow_hosts=allow_hosts, data_dir=data_dir, log_level=args.log_level,
        **{name: value for name, value in (("max_kernels", args.max_kernels), ("max_starting", args.max_starting))
           if value is not None},
    )
    if not _is_loopback(settings.host):
        print(f"spreadlab: warning: listening on {settings.host}: anyone who can reach this address can open the "
              "dashboard (there is no login)", file=sys.stderr)
    if ANY_HOST in settings.allow_hosts:
        print("spreadlab: warning: --allow-host '*': the dashboard answers any host name, so a website whose name "
              "resolves to this machine can use it from a visitor's browser (DNS rebinding); name the hosts "
              "viewers use instead", file=sys.stderr)
    _check_port_free(settings)
    print(STARTING, flush=True)
    if settings.open_browser and not _browser_found():  # said in words, not as Voilà's warning
        print(f"spreadlab dashboard: {NO_BROWSER}", flush=True)
        settings = dataclasses.replace(settings, open_browser=False)
    return _serve(settings)


def ready_message(settings: ServerSettings) -> str:
    """What the command prints once the server answers: the address to open, and how to stop it."""
    return f"spreadlab dashboard: open {settings.url} in a browser (Ctrl+C stops the server)"


def _browser_found() -> bool:
    """Whether Python can open a web browser here, as Voilà would try to (it logs a warning when it cannot)."""
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _serve(settings: ServerSettings) -> int:
    from ..serving import DashboardServer

    use_page_template()
    if settings.data_dir is not None:
        os.environ[DATA_ENV] = str(settings.data_dir)  # inherited by every kernel the server starts
    DashboardServer.launch_instance(argv=[], config=server_config(settings))
    return 0


def server_config(settings: ServerSettings) -> Config:
    """The whole configuration: notebooks/voila.json with this run's settings laid over it."""
    from traitlets.config import Config

    config = static_config()
    config.merge(Config(voila_config(settings)))
    return config


def use_page_template() -> None:
    """Let Voilà find the dashboard's page template: it looks in Jupyter's data folders, and the template sits
    beside the notebook (notebooks/voila/templates/spreadlab)."""
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(NOTEBOOKS_DIR), os.environ.get("JUPYTER_PATH")]))


def _checked_data_dir(data: str) -> Path:
    """The data folder, resolved, once it loads as a valid collation: a bad folder fails before the server
    starts, not in each viewer's page."""
    folder = Path(data).resolve()
    try:
        load(folder)
    except CollationError as error:
        first, more = error.problems[0], len(error.problems) - 1
        also = f" (and {more} more; `spreadlab validate {data}` lists them)" if more else ""
        raise SpreadlabError(f"--data {data}: not a valid data folder: {first}{also}") from None
    return folder


def _check_port_free(settings: ServerSettings) -> None:
    """Fail with one line when the port is taken, before the address is printed as if it were served."""
    try:
        addresses = socket.getaddrinfo(settings.host, settings.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise SpreadlabError(f"--host {settings.host}: cannot listen there ({error.strerror})") from None
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise SpreadlabError(f"port {settings.port} on {settings.host} is already in use (another "
                                         "dashboard?); stop it or choose another with --port") from None
                raise SpreadlabError(f"cannot listen on {settings.host} port {settings.port}: "
                                     f"{error.strerror}") from None


def _checked_host_name(host: str) -> str:
    """A host name as jupyter-server compares it: exactly, with the `Host` header browsers send in lower case."""
    if host == ANY_HOST:
        return host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if "*" in host:
            raise SpreadlabError(f"--allow-host: {host!r}: jupyter-server matches host names exactly, so a wildcard "
                                 "would never match; give each name viewers use, or '*' to answer any") from None
        if not host or any(char in host for char in "/:@ "):
            raise SpreadlabError(f"--allow-host: {host!r} is not a host name (allowed: a name such as "
                                 f"dashboard.example.nhs.uk, or '*')") from None
        return host.lower()
    if not address.is_loopback:
        raise SpreadlabError(f"--allow-host: {host} is an IP address; jupyter-server checks names and loopback "
                             "addresses only: give the host name viewers use, or '*' to answer any")
    return host


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
