"""The text a reader sees in a page spreadlab wrote: what the tests assert and the batch benchmark compares."""

from __future__ import annotations

from html.parser import HTMLParser

_HIDDEN = frozenset({"script", "style", "head"})


class _VisibleText(HTMLParser):
    """Collects the text outside <script>, <style> and <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in _HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in _HIDDEN

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The text of `page` outside scripts, styles and the head, each run of whitespace one space."""
    parser = _VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())
