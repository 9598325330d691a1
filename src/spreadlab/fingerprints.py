"""Fingerprints of what shapes spreadlab's output: the files of a data folder that spreadlab reads, and spreadlab's
own source.

Only the files `paths.data_files` names are opened, each streamed in chunks: a large or unrelated file beside the
data (a video, a virtual environment, a git history) costs nothing, and no file is ever read whole into memory.
"""

from __future__ import annotations

import hashlib
import os
import stat
from functools import cache
from pathlib import Path

from .paths import PACKAGE_ROOT, data_files

CHUNK_BYTES = 1 << 20


def data_fingerprint(folder: Path) -> str:
    """sha256 of the name and content of every file of `folder` that spreadlab reads: any edit, new file or removed
    file changes it. A name that is no regular file counts by what it is (a hang on a FIFO is impossible)."""
    digest = hashlib.sha256()
    for path in data_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        _add_file(digest, path)
    return digest.hexdigest()


@cache
def source_fingerprint() -> str:
    """sha256 of spreadlab's Python source (once per process): a changed loader, section builder or chart changes
    everything made with it."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_ROOT.glob("**/*.py")):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_ROOT).as_posix().encode("utf-8") + b"\0")
            _add_file(digest, path)
    return digest.hexdigest()


def _add_file(digest: hashlib._Hash, path: Path) -> None:
    """Add the size and content of the regular file at `path` to `digest`, or a marker saying what it is instead."""
    try:
        # Non-blocking: opening a FIFO must not wait for a writer; what the name is gets checked on the open file.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        digest.update(f"<missing or unreadable: {error.errno}>\0".encode())
        return
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            digest.update(f"<not a regular file: {stat.S_IFMT(info.st_mode)}>\0".encode())
            return
        os.set_blocking(handle, True)
        digest.update(f"{info.st_size}\0".encode())
        while chunk := os.read(handle, CHUNK_BYTES):
            digest.update(chunk)
        digest.update(b"\0")
    except OSError as error:
        digest.update(f"<unreadable: {error.errno}>\0".encode())
    finally:
        os.close(handle)
