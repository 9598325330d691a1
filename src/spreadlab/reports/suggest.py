"""Messages for an unknown id that suggest the closest known ones."""

from __future__ import annotations

import difflib
from collections.abc import Sequence


def unknown_id_message(what: str, value: str, known: Sequence[str]) -> str:
    """`unknown <what> id: 'x' (did you mean 'y'?; known: ...)`."""
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    return f"unknown {what} id: {value!r} ({hint}known: {', '.join(known)})"
