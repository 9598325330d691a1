"""Print finished HTML reports to PDF with Debian's Chromium (driven by Playwright; no browser download): A4,
page numbers in the footer, text selectable in reading order.

The page is printed as it was written (file:// in the output folder, so anything the report loads from
beside it still loads); its own print stylesheet decides the page breaks. Every request that is not a file
in the output folder is refused, so printing never reaches the network. One browser serves a whole batch;
each report gets its own page.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from .. import views
from ..errors import SpreadlabError

if TYPE_CHECKING:  # playwright is imported when a PDF is printed
    from playwright.async_api import Browser, PdfMargins, Playwright

CHROMIUM = Path(os.environ.get("SPREADLAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
FILES = {"html": (".html",), "pdf": (".pdf",), "docx": (".docx",), "both": (".html", ".pdf"),
         "all": (".html", ".pdf", ".docx")}
"""What `--format` asks for: the files of each report (`both` is kept for HTML and PDF, as before `all`)."""
FORMATS = tuple(FILES)
PAGE_FORMATS = ("html", "pdf", "both")
"""The formats of a report that has no Word file (a case example's)."""
PRINT_TIMEOUT = 60.0
CHARTS_TIMEOUT_MS = 10_000
MARGINS: PdfMargins = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
# Charts drawn by a script are drawn once the page has loaded; wait (a while at most) until each is drawn.
_CHARTS_DRAWN = "() => document.querySelectorAll('.plotly-graph-div:not(.js-plotly-plot)').length === 0"


def suffixes(output_format: str) -> tuple[str, ...]:
    """The file suffixes `--format html|pdf|docx|both|all` asks for; checks that Chromium is there when a PDF is
    wanted, so a missing browser is one line before any kernel starts."""
    try:
        kinds = FILES[output_format]
    except KeyError:
        raise SpreadlabError(f"unknown format {output_format!r} (allowed: {', '.join(FORMATS)})") from None
    if ".pdf" in kinds and not CHROMIUM.is_file():
        raise SpreadlabError(_no_chromium())
    return kinds


def _no_chromium() -> str:
    return (f"PDF needs Chromium at {CHROMIUM} (on Debian: apt-get install chromium; elsewhere set "
            "SPREADLAB_CHROMIUM to its path), or choose --format html")


class PdfPrinter:
    """One headless Chromium, started on entering (`async with PdfPrinter(out) as printer`) and stopped on
    leaving, that prints HTML files of the folder `out` to PDF bytes."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    async def __aenter__(self) -> PdfPrinter:
        from playwright.async_api import Error, async_playwright

        if not CHROMIUM.is_file():
            raise SpreadlabError(_no_chromium())
        self._playwright = playwright = await async_playwright().start()
        try:
            self._browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        except Error as error:
            await playwright.stop()
            raise SpreadlabError(f"Chromium ({CHROMIUM}) did not start: {str(error).splitlines()[0]}") from None
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        browser, playwright, self._browser, self._playwright = self._browser, self._playwright, None, None
        try:
            if browser is not None:
                await asyncio.wait_for(browser.close(), 5)
        except (TimeoutError, Exception):  # the browser is going away either way; the driver stops it
            pass
        if playwright is not None:
            await asyncio.wait_for(playwright.stop(), 5)

    async def print(self, html_file: Path) -> bytes:
        """The PDF of `html_file` (a file in the output folder): A4, backgrounds, page numbers."""
        return await asyncio.wait_for(self._print(html_file.resolve()), PRINT_TIMEOUT)

    async def _print(self, html_file: Path) -> bytes:
        if self._browser is None:
            raise RuntimeError("print only inside `async with PdfPrinter(out) as printer`")
        page = await self._browser.new_page()
        try:
            await page.route("**/*", self._only_the_output_folder)
            await page.goto(html_file.as_uri(), wait_until="load")
            # A chart that never draws must not stop the PDF: it prints as the page stands.
            with contextlib.suppress(Exception):
                await page.wait_for_function(_CHARTS_DRAWN, timeout=CHARTS_TIMEOUT_MS)
            return await page.pdf(format="A4", print_background=True, display_header_footer=True,
                                  header_template=" ", footer_template=views.pdf_footer(), margin=MARGINS)
        finally:
            await page.close()

    async def _only_the_output_folder(self, route) -> None:
        url = urlparse(route.request.url)
        if url.scheme == "file" and Path(unquote(url.path)).resolve().is_relative_to(self.out):
            await route.continue_()
        else:
            await route.abort()
