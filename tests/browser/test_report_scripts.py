"""A hand-made notebook turned into a report page by `jupyter nbconvert --to spreadlab_report`, opened in Chromium:
the reports documentation promises that no script runs and that the page needs nothing from elsewhere, so neither
may happen whatever the notebook holds (issue 23): scripts, event handlers, `javascript:` links, SVG scripts,
markdown and raw cells, images, stylesheets, frames, a refresh to another page and prefetches."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

pytestmark = pytest.mark.browser


def hostile_notebook(origin: str) -> nbformat.NotebookNode:
    """Every way we know for a notebook's outputs and cells to run a script or reach `origin` when opened."""
    html = [
        "<p>Visible text stays.</p><script>alert('script')</script>",
        "<img src=x onerror=\"alert('handler')\">",
        "<svg onload=\"alert('svg')\"></svg>",
        "<a id='js-link' href=\"javascript:alert('link')\">click</a>",
        f"<img src='{origin}/image.png'>",
        f"<link rel='stylesheet' href='{origin}/style.css'><style>@import url('{origin}/import.css');</style>",
        f"<iframe src='{origin}/frame.html'></iframe><iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
        f"<meta http-equiv='refresh' content='1;url={origin}/away.html'>",
        f"<link rel='prefetch' href='{origin}/prefetch.html'><link rel='preconnect' href='{origin}'>",
        f"<form id='form' action='{origin}/form'><input name='q'></form>",
        f"<object data='{origin}/object.html'></object><base href='{origin}/'>",
    ]
    cell = new_code_cell("", outputs=[new_output("display_data", {"text/html": part}) for part in html] + [
        new_output("display_data", {"application/javascript": "alert('javascript output')"}),
        new_output("display_data", {"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'>"
                                                     "<script>alert('svg output')</script></svg>"}),
    ])
    return new_notebook(cells=[cell, new_markdown_cell(f"<script>alert('markdown')</script>![x]({origin}/md.png)"),
                               new_raw_cell("<script>alert('raw')</script>", metadata={"format": "text/html"})])


@pytest.fixture
def origin():
    """A web server on loopback that records every request made to it."""
    seen: list[str] = []

    class Recording(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<script>alert('from the origin')</script>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_a_hand_made_notebook_runs_no_script_and_reaches_nothing_once_made_a_report(browser, tmp_path, origin):
    address, seen = origin
    notebook = tmp_path / "hand-made.ipynb"
    nbformat.write(hostile_notebook(address), notebook)
    jupyter = Path(sys.executable).parent / "jupyter"
    done = subprocess.run([str(jupyter), "nbconvert", "--to", "spreadlab_report", str(notebook)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = tmp_path / "hand-made.html"
    page = browser.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Chromium reports a request the page's policy blocks as one that failed; only one that was answered counts.
    page.on("requestfinished", lambda request: requests.append(request.url))
    try:
        page.goto(report.as_uri(), wait_until="load")
        if page.locator("#js-link").count():
            page.locator("#js-link").click()
        time.sleep(3)  # the refresh asks for a second
        assert page.url == report.as_uri(), "the page was taken elsewhere"
        assert "Visible text stays." in page.locator("main").inner_text()
    finally:
        page.close()
    assert dialogs == [], "a script ran"
    assert [url for url in requests if not url.startswith("file:")] == [] and seen == []
