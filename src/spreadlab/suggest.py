"""Did-you-mean hints for every message about an unknown field, value or id, with one cut-off project-wide."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

CUTOFF = 0.6
"""How alike (difflib's ratio, 0 to 1) a known option must be to be suggested; below it no hint is given."""


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """` (did you mean 'x'?)` naming the closest option, or "" when none is close enough."""
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=CUTOFF)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_id_message(what: str, unknown: str | Sequence[str], known: Sequence[str], *,
                       list_known: bool = False) -> str:
    """`unknown <what> id: 'x' (did you mean 'y'?); 'z'`, and the known ids when `list_known`."""
    values = [unknown] if isinstance(unknown, str) else list(unknown)
    parts = "; ".join(f"{value!r}{did_you_mean(value, known)}" for value in values)
    return f"unknown {what} id: {parts}" + (f" (known: {', '.join(known)})" if list_known else "")
