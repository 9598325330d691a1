"""Many viewers (issue 6): `spreadlab dashboard` flags → Voilà settings, and the culler that spares pooled kernels.

No server here: the command's handler is run with Voilà's launch replaced, and the kernel manager is given stand-in
kernels. tests/browser/test_culling.py checks the same settings against a real server and browser.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
from jupyter_server._tz import utcnow
from traitlets.config import Config

from spreadlab.cli import dashboard, main
from spreadlab.serving import DashboardKernelManager


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dashboard.ServerSettings]:
    """The settings `spreadlab dashboard` would hand to Voilà, captured instead of starting a server."""
    seen: list[dashboard.ServerSettings] = []
    monkeypatch.setattr(dashboard, "_serve", lambda settings: seen.append(settings) or 0)
    return seen


def test_defaults_cull_closed_pages_after_ten_minutes_and_keep_one_kernel_ready(launched, capsys):
    assert main(["dashboard", "--no-browser"]) == 0
    config = dashboard.voila_config(launched[0])
    assert config["MappingKernelManager"] == {"cull_idle_timeout": 600, "cull_interval": 60, "cull_connected": False}
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    assert config["VoilaConfiguration"]["default_pool_size"] == 1
    assert config["VoilaConfiguration"]["multi_kernel_manager_class"] == "spreadlab.serving.DashboardKernelManager"
    # Voilà loads every extension before it draws a widget; only the widget managers are needed.
    assert config["VoilaConfiguration"]["extension_allowlist"] == ["@jupyter-widgets/jupyterlab-manager",
                                                                   "@voila-dashboards/widgets-manager8"]
    # Closed tabs' shutdown beacons carry no XSRF token; without this they are refused (voila#1458).
    assert config["Voila"]["tornado_settings"] == {"disable_check_xsrf": True}


def test_flags_reach_voila(launched):
    assert main(["dashboard", "--no-browser", "--cull-idle-timeout", "30", "--cull-interval", "5",
                 "--cull-connected", "--preheat", "3"]) == 0
    config = dashboard.voila_config(launched[0])
    assert config["MappingKernelManager"] == {"cull_idle_timeout": 30, "cull_interval": 5, "cull_connected": True}
    assert (config["VoilaConfiguration"]["preheat_kernel"], config["VoilaConfiguration"]["default_pool_size"]) \
        == (True, 3)


def test_preheat_0_starts_a_kernel_per_page_view(launched):
    assert main(["dashboard", "--no-browser", "--preheat", "0"]) == 0
    config = dashboard.voila_config(launched[0])
    assert config["VoilaConfiguration"]["preheat_kernel"] is False
    assert config["VoilaConfiguration"]["default_pool_size"] == 0


def test_the_configuration_is_one_voila_accepts():
    from voila.configuration import VoilaConfiguration

    config = Config(dashboard.voila_config(dashboard.ServerSettings(preheat=2)))
    voila = VoilaConfiguration(config=config)
    assert (voila.preheat_kernel, voila.default_pool_size) == (True, 2)
    assert voila.multi_kernel_manager_class is DashboardKernelManager


@pytest.mark.parametrize(("flags", "message"), [
    (["--preheat", "-1"], "'-1' is negative"),
    (["--preheat", "two"], "'two' is not a whole number"),
])
def test_a_bad_pool_size_is_a_usage_error(launched, capsys, flags, message):
    with pytest.raises(SystemExit) as exit_:
        main(["dashboard", "--no-browser", *flags])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert launched == []


def test_a_cull_interval_as_long_as_the_timeout_is_refused_with_a_pool(launched, capsys):
    assert main(["dashboard", "--no-browser", "--cull-idle-timeout", "10", "--cull-interval", "10"]) == 1
    err = capsys.readouterr().err
    assert "--cull-interval: must be shorter than --cull-idle-timeout when --preheat is used" in err
    assert "Traceback" not in err
    assert main(["dashboard", "--no-browser", "--cull-idle-timeout", "10", "--cull-interval", "10",
                 "--preheat", "0"]) == 0


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
    shut: list[str] = []

    async def shutdown_kernel(kernel_id: str, *args: object, **kwargs: object) -> None:
        shut.append(kernel_id)
        manager._kernels.pop(kernel_id)

    manager.shutdown_kernel = shutdown_kernel
    # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, manager.cull_kernels()).result(timeout=30)
    return shut


def test_a_kernel_handed_over_from_the_pool_is_not_culled_for_its_time_in_the_pool():
    manager = _PoolHoldsBack(cull_idle_timeout=10, cull_interval=2)
    manager._kernels.update(pooled=_kernel(idle_seconds=3600), closed_page=_kernel(idle_seconds=3600))
    manager.pooled = {"pooled"}
    assert _cull_round(manager) == ["closed_page"]  # a page closed an hour ago goes
    manager.pooled = set()  # handed to a page whose websocket has not connected yet
    assert _cull_round(manager) == []
    manager._kernels["pooled"].last_activity -= timedelta(seconds=61)  # ...and the page never connects
    assert _cull_round(manager) == ["pooled"]


def test_a_page_slow_to_connect_keeps_its_kernel_and_a_closed_page_loses_it_after_the_timeout():
    manager = DashboardKernelManager(cull_idle_timeout=10, cull_interval=2)
    manager._kernels.update(loading=_kernel(idle_seconds=30), closed=_kernel(idle_seconds=11))
    manager._kernel_connections.update(loading=0, closed=0)
    manager.notify_connect("closed")
    manager.notify_disconnect("closed")
    assert _cull_round(manager) == ["closed"]
    manager._kernels["loading"].last_activity -= timedelta(seconds=31)  # a minute and the page has not connected
    assert _cull_round(manager) == ["loading"]


def test_a_kernel_still_starting_is_left_alone_without_an_error_in_the_log(caplog):
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    manager = DashboardKernelManager(cull_idle_timeout=10, cull_interval=2)
    manager._kernels["starting"] = ServerKernelManager()  # no last_activity until it is up
    with caplog.at_level("DEBUG"):
        assert _cull_round(manager) == []
    assert [record.message for record in caplog.records if record.levelname == "ERROR"] == []
