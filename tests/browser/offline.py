"""Open generated files in Chromium with the network blocked, to show that a report needs nothing from outside."""

from __future__ import annotations

from playwright.sync_api import Page, Route


def block_network(page: Page) -> list[str]:
    """Let `page` load file:// addresses only; every other request is refused and its URL added to the list
    returned (empty when the page fetched nothing)."""
    refused: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    return refused
