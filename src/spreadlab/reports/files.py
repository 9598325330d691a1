"""Report files: safe, unique names from what users typed, and writes that land whole or not at all, inside
the folder the user chose.

Names: lower-case ASCII words joined by hyphens, cut at a word boundary, never a name the batch writes itself
or a device name Windows refuses (`con`, `com1`, `lpt9`, ...). Writes: a temporary file beside the target,
then a rename; temporary names carry the writer's PID so a start-up clean-up removes only what a dead
process left behind, never the files of a batch still running.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import SpreadlabError

TEMP_PREFIX = ".spreadlab-"
TEMP_SUFFIX = ".tmp"
MAX_STEM = 60

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_TEMP_PID = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d+)-.*{re.escape(TEMP_SUFFIX)}$")
# Names the batch writes itself, and the device names Windows reserves whatever the extension.
_RESERVED = frozenset({"index", "manifest", "plotly", "con", "prn", "aux", "nul"}
                      | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)})


def slugify(text: str, *, fallback: str = "report") -> str:
    """Lower-case ASCII words joined by single hyphens, at most MAX_STEM characters cut between words (a
    single longer word is cut); `fallback` when nothing of `text` survives."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_STEM:
        cut = slug[: MAX_STEM + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:MAX_STEM]
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


def inside(out_dir: Path, file_name: str) -> Path:
    """The path of `file_name` in `out_dir`; refuses any name that would land elsewhere."""
    folder = out_dir.resolve()
    path = (folder / file_name).resolve()
    if path.parent != folder or file_name in {"", ".", ".."}:
        raise SpreadlabError(f"refusing to write {file_name!r} outside {folder}")
    return path


def write_atomic(out_dir: Path, file_name: str, content: str | bytes) -> Path:
    """Write `content` to `out_dir/file_name` through a temporary file and a rename; return the path.

    Raises OSError as the system gave it (a full disk: ENOSPC); nothing is left behind then."""
    path = inside(out_dir, file_name)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=path.parent)
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
    """Delete the temporary files that processes no longer running left in `out_dir`; return how many."""
    removed = 0
    for leftover in out_dir.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        match = _TEMP_PID.match(leftover.name)
        if match and pid_alive(int(match.group(1))):
            continue
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (a zombie counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def output_folder(path: str | Path) -> Path:
    """The folder reports go to, created if missing, checked to be a writable folder; one-line
    SpreadlabError otherwise (a file, a dangling link, a read-only folder)."""
    folder = Path(path)
    if folder.is_symlink() and not folder.exists():
        raise SpreadlabError(f"{folder}: the output folder is a symbolic link to {os.readlink(folder)}, "
                             "which does not exist")
    if folder.exists() and not folder.is_dir():
        raise SpreadlabError(f"{folder}: the output folder is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SpreadlabError(f"{folder}: cannot create the output folder: {_reason(error)}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SpreadlabError(f"{folder}: the output folder is not writable (read-only or no permission)")
    return folder


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
