"""Run something once, shortly after a page has loaded this kernel's widgets, as told by the page itself.

A `jslink` is carried out by the page: when the page creates the link it copies the source's value into the
target and sends it back, the first message a kernel gets from a page that shows its widgets.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
from tornado.ioloop import IOLoop


def when_page_connects(callback: Callable[[], None], *, delay: float = 0.0) -> None:
    """Call `callback` once, `delay` seconds after the first page has loaded the widgets (never without a page)."""
    page = widgets.IntText(value=0)
    loaded = widgets.IntText(value=1)
    widgets.jslink((loaded, "value"), (page, "value"))

    def once(change: object) -> None:
        page.unobserve(once, names="value")
        IOLoop.current().call_later(delay, callback)

    page.observe(once, names="value")
