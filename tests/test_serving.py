"""`spreadlab dashboard` flags → Voilà settings (issues 6 and 14), the settings file plain `voila` reads too (issue
11), and the kernel manager's rules: the culler that spares pooled kernels, the limit on pages' kernels and the
shutdown of kernels no page is connected to.

No server here: the command's handler is run with Voilà's launch replaced, and the kernel manager is given stand-in
kernels. tests/browser/test_culling.py and test_server.py check the same settings against a real server and browser.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyter_server._tz import utcnow

from spreadlab.cli import dashboard, main
from spreadlab.serving import DashboardKernelManager, DashboardServer, is_page_navigation


@pytest.fixture(autouse=True, scope="module")
def default_port_taken() -> Iterator[None]:
    """Port 8866 is taken, as when `make dashboard` runs while `make test` does (the README's order, issue 21 item 7):
    every test here asks for a free port of its own."""
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", dashboard.ServerSettings().port))
            taken.listen()
        except OSError:  # a dashboard already holds it: the same condition
            pass
        yield


def dashboard_command(*flags: str) -> int:
    """`spreadlab dashboard --no-browser` with `flags`, on a free port (never the default one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return main(["dashboard", "--no-browser", "--port", str(port), *flags])


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dashboard.ServerSettings]:
    """The settings `spreadlab dashboard` would hand to Voilà, captured instead of starting a server."""
    seen: list[dashboard.ServerSettings] = []
    monkeypatch.setattr(dashboard, "_serve", lambda settings: seen.append(settings) or 0)
    return seen


def test_defaults_cull_pages_unused_for_half_an_hour_and_keep_one_kernel_ready(launched, capsys):
    assert dashboard_command() == 0
    config = dashboard.voila_config(launched[0])
    # Connected pages too: a program holding a kernel's connection open must not keep it for ever.
    assert config["MappingKernelManager"] == {"cull_idle_timeout": 1800, "cull_interval": 60, "cull_connected": True}
    assert dashboard_command("--no-cull-connected") == 0
    assert dashboard.voila_config(launched[1])["MappingKernelManager"]["cull_connected"] is False
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    assert config["VoilaConfiguration"]["default_pool_size"] == 1
    # Loopback only, and the XSRF check stays on (the page handler sets the cookie the shutdown beacon needs).
    assert config["Voila"]["tornado_settings"] == {"allow_remote_access": False, "local_hostnames": ["localhost"]}
    # nbclient's 4 s wait for a cell's output left pages blank under a burst of viewers.
    assert config["VoilaExecutor"]["iopub_timeout"] == 60
    assert config["VoilaExecutor"]["raise_on_iopub_timeout"] is True


def test_the_fixed_settings_are_in_the_file_plain_voila_reads_and_the_command_reads_only_that_one(launched):
    static = dashboard.static_config()
    assert dashboard.VOILA_CONFIG.parent == dashboard.DASHBOARD.parent
    # Plain `voila notebooks/dashboard.ipynb` reads voila.json in the folder it runs in: the project's root.
    assert (Path(__file__).parents[1] / "voila.json").resolve() == dashboard.VOILA_CONFIG.resolve()
    assert static.VoilaConfiguration.multi_kernel_manager_class == "spreadlab.serving.DashboardKernelManager"
    # Voilà loads every extension before it draws a widget; only the widget managers are needed.
    assert static.VoilaConfiguration.extension_allowlist == ["@jupyter-widgets/jupyterlab-manager",
                                                             "@voila-dashboards/widgets-manager8"]
    assert static.VoilaConfiguration.file_allowlist == []
    assert dashboard_command() == 0
    per_run = dashboard.voila_config(launched[0])
    assert per_run["Voila"]["config_file_paths"] == []  # no voila.json of the working directory on top
    assert not set(per_run["VoilaConfiguration"]) & set(static.VoilaConfiguration)


def test_allowed_hosts_add_to_the_loopback_names_in_lower_case_and_star_allows_any_with_a_warning(launched, capsys):
    assert dashboard_command("--allow-host", "Dash.Example.NHS.uk", "--allow-host", "proxy",
                             "--allow-host", "dash.example.nhs.uk") == 0
    # Browsers send the Host header in lower case, and jupyter-server compares names exactly.
    assert dashboard.voila_config(launched[0])["Voila"]["tornado_settings"]["local_hostnames"] == [
        "localhost", "dash.example.nhs.uk", "proxy"]
    assert "warning" not in capsys.readouterr().err
    assert dashboard_command("--allow-host", "*") == 0
    assert dashboard.voila_config(launched[1])["Voila"]["tornado_settings"]["allow_remote_access"] is True
    assert capsys.readouterr().err == (
        "spreadlab: warning: --allow-host '*': the dashboard answers any host name, so a website whose name resolves "
        "to this machine can use it from a visitor's browser (DNS rebinding); name the hosts viewers use instead\n")


@pytest.mark.parametrize(("host", "message"), [
    ("192.168.1.5", "--allow-host: 192.168.1.5 is an IP address"),
    ("http://dash.example", "--allow-host: 'http://dash.example' is not a host name"),
    ("*.example.nhs.uk", "--allow-host: '*.example.nhs.uk': jupyter-server matches host names exactly, so a "
                         "wildcard would never match"),
])
def test_a_host_jupyter_server_cannot_check_is_refused(launched, capsys, host, message):
    assert dashboard_command("--allow-host", host) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert launched == []


def test_the_kernel_limit_defaults_to_what_fits_in_memory_and_can_be_set(launched):
    assert dashboard_command() == 0
    assert launched[0].max_kernels == dashboard.default_max_kernels() >= 1
    assert dashboard_command("--max-kernels", "3") == 0
    assert dashboard.voila_config(launched[1])["DashboardKernelManager"]["max_kernels"] == 3
    assert dashboard_command("--max-kernels", "0") == 1
    assert len(launched) == 2


def test_pages_starting_at_once_default_to_two_per_core_and_can_be_set(launched):
    assert dashboard_command("--max-starting", "3") == 0
    assert dashboard_command() == 0
    assert dashboard.voila_config(launched[0])["DashboardKernelManager"]["max_starting"] == 3
    assert launched[1].max_starting == 2 * os.cpu_count()


def test_a_bad_data_folder_is_one_line_before_any_server_starts(launched, capsys, data_copy):
    (data_copy / "glossary.yaml").unlink()
    assert dashboard_command("--data", str(data_copy)) == 1
    err = capsys.readouterr().err
    assert err == f"spreadlab: error: --data {data_copy}: not a valid data folder: glossary.yaml: file is missing\n"
    assert launched == []


def test_a_good_data_folder_is_handed_on_resolved(launched, data_copy, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    assert dashboard_command("--data", data_copy.name) == 0
    assert launched[0].data_dir == data_copy.resolve()


def test_a_taken_port_is_one_line_and_no_address_is_printed(launched, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dashboard", "--no-browser", "--port", str(port)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"spreadlab: error: port {port} on 127.0.0.1 is already in use (another dashboard?); stop it or "
                   "choose another with --port\n")
    assert launched == []


@pytest.mark.parametrize(("headers", "page"), [
    ({}, True),  # curl, or a browser too old to say
    ({"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}, True),
    ({"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "cross-site"}, True),  # a link
    ({"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "cross-site"}, False),
    ({"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}, False),
    ({"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}, False),
    ({"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}, False),
    ({"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Purpose": "prefetch;prerender"}, False),
])
def test_only_a_tab_opening_the_page_counts_as_a_viewer(headers, page):
    assert is_page_navigation(headers) is page


def test_flags_reach_voila(launched):
    assert dashboard_command("--cull-idle-timeout", "30", "--cull-interval", "5",
                 "--cull-connected", "--preheat", "3") == 0
    config = dashboard.voila_config(launched[0])
    assert config["MappingKernelManager"] == {"cull_idle_timeout": 30, "cull_interval": 5, "cull_connected": True}
    assert (config["VoilaConfiguration"]["preheat_kernel"], config["VoilaConfiguration"]["default_pool_size"]) \
        == (True, 3)


def test_preheat_0_starts_a_kernel_per_page_view(launched):
    assert dashboard_command("--preheat", "0") == 0
    config = dashboard.voila_config(launched[0])
    assert config["VoilaConfiguration"]["preheat_kernel"] is False
    assert config["VoilaConfiguration"]["default_pool_size"] == 0


def test_the_configuration_is_one_voila_accepts():
    import nbformat
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor

    config = dashboard.server_config(dashboard.ServerSettings(preheat=2, max_kernels=4))
    voila = VoilaConfiguration(config=config)
    assert (voila.preheat_kernel, voila.default_pool_size, voila.template) == (True, 2, "spreadlab")
    assert voila.multi_kernel_manager_class is DashboardKernelManager
    assert DashboardKernelManager(config=config).max_kernels == 4
    assert VoilaExecutor(nbformat.v4.new_notebook(), config=config).iopub_timeout == 60
    server = DashboardServer(config=config)
    assert server.log_level == logging.WARN and server.ready_message.endswith("(Ctrl+C stops the server)")


@pytest.mark.parametrize("level", dashboard.LOG_LEVELS)
def test_every_log_level_the_command_offers_is_one_voila_takes(launched, level):
    assert dashboard_command("--log-level", level.lower()) == 0
    assert DashboardServer(config=dashboard.server_config(launched[0])).log_level == getattr(logging, level)


@pytest.mark.parametrize(("flags", "message"), [
    (["--preheat", "-1"], "'-1' is negative"),
    (["--preheat", "two"], "'two' is not a whole number"),
])
def test_a_bad_pool_size_is_a_usage_error(launched, capsys, flags, message):
    with pytest.raises(SystemExit) as exit_:
        dashboard_command(*flags)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert launched == []


def test_a_cull_interval_as_long_as_the_timeout_is_refused_with_a_pool(launched, capsys):
    assert dashboard_command("--cull-idle-timeout", "10", "--cull-interval", "10") == 1
    err = capsys.readouterr().err
    assert "--cull-interval: must be shorter than --cull-idle-timeout when --preheat is used" in err
    assert "Traceback" not in err
    assert dashboard_command("--cull-idle-timeout", "10", "--cull-interval", "10",
                 "--preheat", "0") == 0


class _PoolHoldsBack(DashboardKernelManager):
    """Stands in for Voilà's pool, which returns early for the kernels it holds instead of asking the culler."""

    pooled: set[str] = set()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self.pooled:
            return
        await super().cull_kernel_if_idle(kernel_id)


def _kernel(idle_seconds: int) -> SimpleNamespace:
    return SimpleNamespace(last_activity=utcnow() - timedelta(seconds=idle_seconds), execution_state="idle",
                           kernel_name="python3", kernel_spec=SimpleNamespace(metadata={}))


def _cull_round(manager: DashboardKernelManager) -> list[str]:
    return _kernels_shut_down(manager, manager.cull_kernels)


def _kernels_shut_down(manager: DashboardKernelManager, round_: Callable[[], Awaitable[object]]) -> list[str]:
    """The kernels `round_()` (one culling or reaping round) shuts down, recorded instead of stopped."""
    shut: list[str] = []

    async def shutdown_kernel(kernel_id: str, *args: object, **kwargs: object) -> None:
        shut.append(kernel_id)
        manager._kernels.pop(kernel_id)

    manager.shutdown_kernel = shutdown_kernel
    # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, round_()).result(timeout=30)
    return shut


def test_a_kernel_handed_over_from_the_pool_is_not_culled_for_its_time_in_the_pool():
    manager = _PoolHoldsBack(cull_idle_timeout=10, cull_interval=2)
    manager._kernels.update(pooled=_kernel(idle_seconds=3600), closed_page=_kernel(idle_seconds=3600))
    manager.pooled = {"pooled"}
    assert _cull_round(manager) == ["closed_page"]  # a page closed an hour ago goes
    manager.pooled = set()  # handed to a page whose websocket has not connected yet
    assert _cull_round(manager) == []
    manager._kernels["pooled"].last_activity -= timedelta(seconds=31)  # ...and the page never connects
    assert _cull_round(manager) == ["pooled"]


def test_a_page_slow_to_connect_keeps_its_kernel_and_a_closed_page_loses_it_after_the_timeout():
    manager = DashboardKernelManager(cull_idle_timeout=10, cull_interval=2)
    manager._kernels.update(loading=_kernel(idle_seconds=12), closed=_kernel(idle_seconds=11))
    manager._kernel_connections.update(loading=0, closed=0)
    manager.notify_connect("closed")
    manager.notify_disconnect("closed")
    assert _cull_round(manager) == ["closed"]
    manager._kernels["loading"].last_activity -= timedelta(seconds=19)  # 31 s and the page has not connected
    assert _cull_round(manager) == ["loading"]


def test_a_kernel_still_starting_is_left_alone_without_an_error_in_the_log(caplog):
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    manager = DashboardKernelManager(cull_idle_timeout=10, cull_interval=2)
    manager._kernels["starting"] = ServerKernelManager()  # no last_activity until it is up
    with caplog.at_level("DEBUG"):
        assert _cull_round(manager) == []
    assert [record.message for record in caplog.records if record.levelname == "ERROR"] == []


def test_pages_beyond_the_limit_are_not_admitted_until_a_page_kernel_goes():
    manager = DashboardKernelManager(max_kernels=2)
    assert manager.admit_page() and manager.admit_page()
    assert not manager.admit_page()  # two requests on their way, even before either has a kernel
    manager._kernels.update(a=_kernel(idle_seconds=0), pool=_kernel(idle_seconds=0))
    manager.page_given("a")
    manager.page_done(None)  # the other request ended without a kernel (an error, a redirect)
    assert manager.admit_page()
    assert not manager.admit_page()
    del manager._kernels["a"]  # its tab closed
    assert manager.admit_page()


def test_pages_starting_beyond_the_limit_are_not_admitted_until_one_connects():
    manager = DashboardKernelManager(max_starting=2)
    manager._kernels.update(a=_kernel(idle_seconds=0), b=_kernel(idle_seconds=0))
    manager._kernel_connections.update(a=0, b=0)
    for kernel_id in ("a", "b"):
        assert manager.admit_page()
        manager.page_given(kernel_id)
    assert not manager.admit_page()
    manager.notify_connect("a")  # its page is up: the next viewer may start
    assert manager.admit_page()
    assert not manager.admit_page()


def test_a_kernel_no_page_connects_to_is_shut_down_after_the_timeout_and_a_connected_one_is_kept():
    manager = DashboardKernelManager(page_connect_timeout=1)
    manager._kernels.update(never=_kernel(idle_seconds=0), closed=_kernel(idle_seconds=0),
                            open=_kernel(idle_seconds=0), pooled=_kernel(idle_seconds=0))
    manager._kernel_connections.update(never=0, closed=0, open=0, pooled=0)
    for kernel_id in ("never", "closed", "open"):
        assert manager.admit_page()
        manager.page_given(kernel_id)
    manager.notify_connect("closed")
    manager.notify_connect("open")
    for kernel_id in ("never", "closed", "open"):
        manager.page_done(kernel_id)
    manager.notify_disconnect("closed")
    assert _reap(manager) == []  # not yet a second
    time.sleep(1.1)
    assert sorted(_reap(manager)) == ["closed", "never"]
    assert set(manager._kernels) == {"open", "pooled"}


def test_a_page_that_reconnects_in_time_keeps_its_kernel():
    manager = DashboardKernelManager(page_connect_timeout=1)
    manager._kernels["page"] = _kernel(idle_seconds=0)
    manager._kernel_connections["page"] = 0
    manager.notify_connect("page")
    manager.notify_disconnect("page")  # a network blip
    manager.notify_connect("page")
    time.sleep(1.1)
    assert _reap(manager) == []


def test_a_page_still_loading_keeps_its_kernel_while_it_asks_for_it_and_loses_it_once_it_stops():
    manager = DashboardKernelManager(page_connect_timeout=1, page_load_timeout=3)
    manager._kernels.update(loading=_kernel(idle_seconds=0), script=_kernel(idle_seconds=0),
                            closed=_kernel(idle_seconds=0))
    manager._kernel_connections.update(loading=0, script=0, closed=0)
    for kernel_id in ("loading", "script", "closed"):
        assert manager.admit_page()
        manager.page_given(kernel_id)
        manager.page_done(kernel_id)
    manager.notify_connect("closed")
    manager.notify_disconnect("closed")  # a page that had connected, then went
    for _ in range(3):  # the page's script asks for its kernel while Voilà's scripts load (slowly)
        time.sleep(0.6)
        for kernel_id in ("loading", "closed", "never-handed-out"):  # asking for another kernel changes nothing
            manager.page_alive(kernel_id)
    assert sorted(_reap(manager)) == ["closed", "script"]  # nor does a client that reads the page and runs no script
    time.sleep(1.1)
    assert _reap(manager) == ["loading"]  # it stopped asking (its tab closed) and never connected


def test_a_page_that_asks_for_its_kernel_but_never_connects_keeps_it_only_for_the_page_load_timeout():
    manager = DashboardKernelManager(page_connect_timeout=2, page_load_timeout=2)
    manager._kernels["polling"] = _kernel(idle_seconds=0)
    manager._kernel_connections["polling"] = 0
    assert manager.admit_page()
    manager.page_given("polling")
    manager.page_done("polling")
    for _ in range(12):  # a program asking for its kernel's model four times a second, for 3 s
        time.sleep(0.25)
        manager.page_alive("polling")
    assert _reap(manager) == []  # it asked within the load timeout about a second ago
    time.sleep(1.5)
    assert _reap(manager) == ["polling"]  # its asking after 2 s did not count
    assert manager.admit_page(), "its starting slot is free again"


def _reap(manager: DashboardKernelManager) -> list[str]:
    manager._start_reaper = lambda: None  # no IOLoop here: the round is run by hand
    return _kernels_shut_down(manager, manager._shut_down_unattended)
