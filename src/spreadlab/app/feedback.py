"""Show what a widget callback did wrong in the page, never only in a log the user cannot see."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from .. import views
from ..errors import ProfileError, SpreadlabError

_log = logging.getLogger(__name__)


def message_area() -> widgets.HTML:
    """An empty HTML widget where a tab shows its errors."""
    return widgets.HTML(value="", layout=widgets.Layout(width="100%"))


def shown_errors(messages: widgets.HTML) -> Callable[[Callable[..., Any]], Callable[..., None]]:
    """Decorate a callback so that its errors appear in `messages` as a red box, one per problem of a profile (and
    the previous ones clear)."""

    def decorate(callback: Callable[..., Any]) -> Callable[..., None]:
        @functools.wraps(callback)
        def run(*args: Any, **kwargs: Any) -> None:
            messages.value = ""
            try:
                callback(*args, **kwargs)
            except ProfileError as error:  # a box per problem, as the Plan form shows its own
                messages.value = "".join(views.error(line) for line in str(error).splitlines())
            except SpreadlabError as error:
                messages.value = views.error(str(error))
            except Exception as error:  # a bug: the user still sees it, and the server log keeps the traceback
                _log.exception("dashboard callback failed")
                messages.value = views.error(f"Something went wrong ({type(error).__name__}: {error}). "
                                           "Please report this with what you did.")

        return run

    return decorate
