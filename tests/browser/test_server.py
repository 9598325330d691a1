"""What the dashboard's server hands a browser besides the page: plotly.js at one address, cached, and nothing else
from disk; and the page asks for no JupyterLab extension but the widget managers (issue 6: time to first widget)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from spreadlab import plotly_asset

pytestmark = pytest.mark.browser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


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
    _, _, page = _get(dashboard_url)
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
