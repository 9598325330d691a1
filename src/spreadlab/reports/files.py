"""Write report files atomically inside one output folder: an interrupted run leaves no half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import SpreadlabError

TEMP_PREFIX = ".spreadlab-"
TEMP_SUFFIX = ".tmp"


def inside(out_dir: Path, file_name: str) -> Path:
    """The path of `file_name` in `out_dir`; refuses any name that would land elsewhere."""
    folder = out_dir.resolve()
    path = (folder / file_name).resolve()
    if path.parent != folder or file_name in {"", ".", ".."}:
        raise SpreadlabError(f"refusing to write {file_name!r} outside {folder}")
    return path


def write_atomic(out_dir: Path, file_name: str, content: str | bytes) -> Path:
    """Write `content` to `out_dir/file_name` through a temporary file and a rename; return the path."""
    path = inside(out_dir, file_name)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def remove_leftover_temporaries(out_dir: Path) -> int:
    """Delete temporary files a killed run left in `out_dir`; return how many."""
    leftovers = list(out_dir.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return len(leftovers)
