"""Safe, unique report file names from what users typed: no path separators, no `..`, no collisions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_STEM = 60
# Names the batch writes itself, and device names some systems refuse as file names.
_RESERVED = frozenset({"index", "manifest", "plotly", "con", "prn", "aux", "nul"})


def slugify(text: str, *, fallback: str = "report") -> str:
    """Lower-case ASCII letters, digits and single hyphens; `fallback` when nothing of `text` survives."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:_MAX_STEM].rstrip("-")
    return slug or fallback


def unique_file_names(names: Iterable[str], *, suffix: str = ".html") -> list[str]:
    """One file name per name, in order: its slug, or `slug-row<N>` (N counted from 1) when already taken."""
    taken: set[str] = set()
    result = []
    for number, name in enumerate(names, start=1):
        stem = slugify(name)
        if stem in taken or stem in _RESERVED:
            stem = f"{stem}-row{number}"
        while stem in taken:
            stem = f"{stem}-{number}"
        taken.add(stem)
        result.append(stem + suffix)
    return result
