"""The tables `load()` built from a data folder, kept between processes so that the next `load()` of the same files
skips reading and validating them (every dashboard page and report kernel loads the collation).

An entry is found by a key covering the name and content of every file spreadlab reads in the data folder
(`fingerprints.data_fingerprint`), spreadlab's source, and the Python and pandas versions: any edit, new
or removed data file, or change of code gives another key, so an entry never stands in for different files. Only a
collation that validated is written. Entries live in the user's cache folder (`platformdirs.user_cache_dir`, on
Linux `~/.cache/spreadlab`), never in the installed package or the data folder, and are read only from a folder
and files that this user owns and nobody else can write (an entry is a pickle). Concurrent writers each write a
temporary file and rename it into place, so a reader sees a whole entry or none; an entry that cannot be read is a
miss, and a cache that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import stat
import time
from pathlib import Path
from typing import Any

from .fingerprints import data_fingerprint, source_fingerprint

KEEP_ENTRIES = 16
"""Entries kept; older ones (by last use) are removed when a new one is written."""
_SUFFIX = ".pickle"
_WRITING = ".writing"
_ABANDONED_SECONDS = 3600
"""A temporary file this old was left by a writer that was killed; pruning removes it."""


def cache_dir() -> Path:
    """The folder holding the entries: the user's cache folder for spreadlab."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("spreadlab")) / "collations"


def key(data_dir: Path) -> str:
    """The key of the collation in `data_dir`, as its files and spreadlab's code are now."""
    import pandas as pd

    parts = (data_fingerprint(data_dir), source_fingerprint(), platform.python_version(), pd.__version__)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def read(entry_key: str) -> dict[str, Any] | None:
    """The tables stored under `entry_key`, or None when there is no trustworthy, readable entry."""
    folder = cache_dir()
    path = folder / f"{entry_key}{_SUFFIX}"
    if not (_private(folder) and _private(path)):
        return None
    try:
        with path.open("rb") as stream:
            stored = pickle.load(stream)  # noqa: S301 (a file only this user can write, checked above)
        os.utime(path)  # marks it recently used, for pruning
    except Exception:  # a truncated, foreign or outdated entry is a miss, whatever unpickling raises
        return None
    if not isinstance(stored, dict) or stored.get("key") != entry_key or not isinstance(stored.get("tables"), dict):
        return None
    return stored["tables"]


def write(entry_key: str, tables: dict[str, Any]) -> None:
    """Store `tables` under `entry_key` (atomically), then prune old entries; any failure leaves the cache as is."""
    import tempfile

    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=_WRITING)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump({"key": entry_key, "tables": tables}, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"{entry_key}{_SUFFIX}")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder)
    except (OSError, pickle.PicklingError):  # a read-only home or a full disk: loading works, uncached
        return


def _prune(folder: Path) -> None:
    """Remove all but the KEEP_ENTRIES most recently used entries, and temporary files abandoned by killed writers
    (another process may be removing them too)."""
    entries, now = [], time.time()
    for path in folder.iterdir():
        try:
            used = path.stat().st_mtime
        except FileNotFoundError:
            continue
        if path.name.endswith(_SUFFIX):
            entries.append((used, path))
        elif path.name.endswith(_WRITING) and now - used > _ABANDONED_SECONDS:
            path.unlink(missing_ok=True)
    for _, path in sorted(entries, reverse=True)[KEEP_ENTRIES:]:
        path.unlink(missing_ok=True)


def _private(path: Path) -> bool:
    """Whether `path` exists, belongs to this user and nobody else can write to it."""
    try:
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
