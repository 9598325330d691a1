"""What the dashboard's server hands a browser besides the page: plotly.js at one address, cached, and nothing else
from disk; the page asks for no JupyterLab extension but the widget managers (issue 6: time to first widget), has
a title and needs nothing from outside this machine (issue 12); the server answers only the host names it is meant
to (DNS rebinding), refuses kernel shutdowns without the XSRF token (issue 14), serves the data folder it is given,
and plain `voila` gets the same settings from notebooks/voila.json (issue 11).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from servers import dashboard_server, serve

from spreadlab import plotly_asset

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VOILA = Path(sys.executable).parent / "voila"
KERNEL_SOCKET = re.compile(r"/api/kernels/([0-9a-f-]{36})/channels")
REBIND = "rebind.test"
APP_READY = ".sl-table"
PAGE_READY_TIMEOUT = 60_000


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, method=method, headers=headers, data=b"" if method == "POST" else None)
    try:
        with opener.open(request, timeout=30) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def rebinding_browser(browser: Browser) -> Iterator[Browser]:
    """A second Chromium like the first, resolving rebind.test to 127.0.0.1 as a DNS-rebinding attacker's name
    would."""
    executable = Path("/usr/bin/chromium")
    rebinding = browser.browser_type.launch(
        executable_path=str(executable) if executable.exists() else None,
        args=["--headless", "--no-sandbox", "--disable-gpu", f"--host-resolver-rules=MAP {REBIND} 127.0.0.1"])
    yield rebinding
    rebinding.close()


def _rebound(url: str) -> str:
    """The Host header a browser sends for the server's address under the rebinding name."""
    return f"{REBIND}:{urllib.parse.urlsplit(url).port}"


def _viewer(browser: Browser, url: str) -> tuple[Page, str]:
    """A page loaded until the app shows, and its kernel's id."""
    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    kernels: list[str] = []
    page.on("websocket", lambda socket_: kernels.extend(KERNEL_SOCKET.findall(socket_.url)))
    page.goto(url)
    page.wait_for_selector(APP_READY, timeout=PAGE_READY_TIMEOUT)
    assert kernels
    return page, kernels[0]


def test_plotly_js_is_served_once_for_all_charts_and_kept_by_the_browser(dashboard_url: str):
    status, headers, body = _get(f"{dashboard_url}{plotly_asset.URL_PATH}?v={plotly_asset.cache_key()}")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript"
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 365 * 24 * 3600
    assert body == plotly_asset.plotly_js().read_bytes()


@pytest.mark.parametrize("path", [
    "spreadlab/static/widgetbundle.js",  # beside plotly.min.js in plotly's package
    "spreadlab/static/../package_data/plotly.min.js",
    "spreadlab/static/%2e%2e/__init__.py",
    "voila/files/dashboard.ipynb",
])
def test_no_other_file_is_served(dashboard_url: str, path: str):
    status, _, body = _get(f"{dashboard_url}{path}")
    assert status != 200 or b"plotly" not in body.lower()
    assert status in {302, 403, 404}


def test_the_page_loads_only_the_widget_managers(dashboard_url: str):
    _, _, page = _get(dashboard_url, **{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
    config = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    extensions = {extension["name"] for extension in json.loads(config.group(1))["federated_extensions"]}
    assert extensions == {"@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"}


def test_a_chart_says_so_when_plotly_js_cannot_be_fetched(browser, dashboard_url: str):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        context.route(f"**/{plotly_asset.URL_PATH}*", lambda route: route.abort())
        page = context.new_page()
        page.goto(dashboard_url)
        expect(page.locator(".sl-chart .sl-plotly").first).to_have_text(
            "The chart could not be drawn: plotly.js could not be fetched from the dashboard's server.", timeout=60_000)
        expect(page.locator(".sl-table").first).to_be_visible()  # the rest of the page works
    finally:
        context.close()


def test_the_tab_title_says_what_the_page_is(dashboard: Page):
    assert dashboard.title() == "spreadlab: spreading a proven health innovation"


def test_the_page_asks_nothing_of_any_other_machine(browser, dashboard_url: str):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(dashboard_url)
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=PAGE_READY_TIMEOUT)
        assert any(plotly_asset.URL_PATH in url for url in requested)
        assert [url for url in requested if not url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:"))] == []
        # JupyterLab's icons still have Font Awesome: Voilà's own bundle carries it.
        assert page.evaluate("[...document.fonts].some(font => font.family.includes('Font Awesome 5 Free'))")
    finally:
        context.close()


def test_another_host_name_for_this_machine_gets_nothing(browser, rebinding_browser, dashboard_url: str):
    page, kernel_id = _viewer(browser, dashboard_url)
    try:
        rebound = dashboard_url.replace("127.0.0.1", REBIND)
        attacker = rebinding_browser.new_page()
        assert attacker.goto(rebound).status == 403
        expect(attacker.locator(APP_READY)).to_have_count(0)
        for path, method in ((f"api/kernels/{kernel_id}", "GET"), (f"voila/api/shutdown/{kernel_id}", "POST")):
            assert _get(f"{dashboard_url}{path}", method, Host=_rebound(dashboard_url))[0] == 403
        assert _get(f"{dashboard_url}api/kernels/{kernel_id}")[0] == 200  # the viewer's kernel lives on
        expect(page.locator(".sl-count")).to_be_visible()
    finally:
        page.context.close()


def test_a_host_name_given_with_allow_host_is_served_whatever_its_case(rebinding_browser, spreadlab_exe, tmp_path):
    with dashboard_server(spreadlab_exe, tmp_path, "--preheat", "0", "--allow-host", REBIND.title()) as (url, _, _):
        page, _ = _viewer(rebinding_browser, url.replace("127.0.0.1", REBIND))
        page.context.close()


def test_a_kernel_shutdown_without_the_xsrf_token_is_refused(browser, dashboard_url: str):
    page, kernel_id = _viewer(browser, dashboard_url)
    try:
        status, _, body = _get(f"{dashboard_url}voila/api/shutdown/{kernel_id}", "POST")
        assert status == 403 and b"_xsrf" in body
        assert _get(f"{dashboard_url}api/kernels/{kernel_id}")[0] == 200
        assert "_xsrf" in {cookie["name"] for cookie in page.context.cookies()}  # what the page's beacon sends back
    finally:
        page.context.close()


def test_what_the_xsrf_check_stops_and_what_it_does_not_is_what_the_deployment_guide_says(browser, dashboard_url):
    """A forged `_xsrf` cookie and field pass the double-submit check (issue 23): it stops other websites, whose
    requests carry their Origin, not a local program that knows a kernel's id; ids are never listed."""
    page, kernel_id = _viewer(browser, dashboard_url)
    forged = {"Cookie": "_xsrf=forged", "Content-Type": "application/x-www-form-urlencoded"}
    try:
        shutdown = f"{dashboard_url}voila/api/shutdown/{kernel_id}"
        status, _, _ = _post(shutdown, b"_xsrf=forged", Origin="http://evil.example", **forged)
        assert status == 404 and _get(f"{dashboard_url}api/kernels/{kernel_id}")[0] == 200  # a website: refused
        for listing in ("api/kernels", "api/sessions", "api/kernels/"):
            assert kernel_id.encode() not in _get(f"{dashboard_url}{listing}")[2], f"{listing} lists kernels"
        assert _post(shutdown, b"_xsrf=forged", **forged)[0] == 204  # a local program that knows the id: accepted
        assert _get(f"{dashboard_url}api/kernels/{kernel_id}")[0] == 404
    finally:
        page.context.close()
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "This does not stop a local program" in guide and "a local program (no `Origin` header) could" not in guide


def _post(url: str, body: bytes, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method="POST", headers=headers, data=body)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_kernels_read_the_data_folder_given_with_data(browser, spreadlab_exe, tmp_path, data_copy):
    approach = data_copy / "approaches" / "1-capacity-capability.yaml"
    approach.write_text(approach.read_text().replace("National skills and coaching development programmes",
                                                     "Skills programmes renamed in a copy of the data"))
    with dashboard_server(spreadlab_exe, tmp_path, "--preheat", "1", "--data", str(data_copy)) as (url, _, _):
        page, _ = _viewer(browser, url)
        try:
            expect(page.locator(".sl-table").first).to_contain_text("Skills programmes renamed in a copy of the data")
            expect(page.locator(".sl-table").first).not_to_contain_text("National skills and coaching")
        finally:
            page.context.close()


def test_plain_voila_gets_the_dashboards_settings_from_the_file_beside_the_notebook(browser, tmp_path):
    def command(port: int) -> list[str]:
        # As a user would type it in the project's folder; one setting more so the test need not wait 30 s.
        return [str(VOILA), "notebooks/dashboard.ipynb", "--no-browser", f"--port={port}",
                "--DashboardKernelManager.page_connect_timeout=1"]

    with serve(command, ROOT, tmp_path / "voila.log") as (url, _, log):
        _, _, body = _get(url)
        config = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
        extensions = {extension["name"] for extension in json.loads(config.group(1))["federated_extensions"]}
        assert extensions == {"@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"}
        assert _get(f"{url}voila/files/dashboard.ipynb")[0] == 403  # no file serving
        assert _get(url, Host=_rebound(url))[0] == 403  # loopback names only
        page, kernel_id = _viewer(browser, url)
        page.close(run_before_unload=False)
        page.context.close()
        deadline = time.monotonic() + 10
        while _get(f"{url}api/kernels/{kernel_id}")[0] == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(f"{url}api/kernels/{kernel_id}")[0] == 404  # the dashboard's kernel manager shut it down
        assert "no page connected to it" in log.read_text()


def test_the_command_says_what_it_is_doing_and_prints_no_warning_a_first_user_would_take_for_an_error(
        browser, spreadlab_exe, tmp_path):
    """Issue 21, item 8: `make dashboard` said nothing while it started, then printed "Notebook dashboard.ipynb is
    not trusted" and "No web browser found" among server log lines that buried the address."""
    jupyter = tmp_path / "jupyter-data"
    env = {name: value for name, value in os.environ.items() if name not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                                             "BROWSER")}
    env |= {"JUPYTER_DATA_DIR": str(jupyter)}  # where jupyter-server would write its signing key and signatures

    with serve(lambda port: [str(spreadlab_exe), "dashboard", "--port", str(port)], tmp_path, tmp_path / "out.log",
               env=env, ready="spreadlab/static/plotly.min.js") as (url, _, log):
        page, _ = _viewer(browser, url)
        page.context.close()
        lines = log.read_text().splitlines()
    assert lines[:3] == ["spreadlab dashboard: starting the server (the first start after installing takes longer)…",
                         "spreadlab dashboard: no web browser was found on this machine: open the address below in "
                         "one", f"spreadlab dashboard: open {url} in a browser (Ctrl+C stops the server)"], lines
    assert not [line for line in lines if re.search(r"WARNING|ERROR|not trusted|No web browser|Traceback", line)]
    assert not (jupyter / "notebook_secret").exists() and not (jupyter / "nbsignatures.db").exists()
