"""One batch per output folder at a time: an exclusive lock on a file in the folder that holds the PID of the
batch holding it.

The lock is the kernel's (`flock`), so it dies with its holder: the lock file of a killed batch is simply
taken over by the next one, and the PID inside is only there to name the holder in the error. The lock file is
never followed through a symbolic link, and must be a regular file: a link planted there would otherwise have the
batch overwrite the file it points to with its PID.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path
from types import TracebackType

from ..errors import SpreadlabError

LOCK_FILE = ".spreadlab-batch.lock"


class BatchLockedError(SpreadlabError):
    """Another batch is writing to the same output folder."""


class OutputLock:
    """Held while a batch writes to `out_dir`; `with OutputLock(out):` raises BatchLockedError when taken."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_FILE
        self._handle: int | None = None

    def __enter__(self) -> OutputLock:
        while True:
            handle = self._open()
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "unknown"
                os.close(handle)
                raise BatchLockedError(
                    f"{self.path.parent}: another spreadlab batch (PID {holder}) is writing to this folder; "
                    "wait for it to finish, stop it, or choose another --out") from None
            except OSError as error:  # a file system without locks (some network shares)
                os.close(handle)
                raise SpreadlabError(f"{self.path.parent}: cannot lock the output folder "
                                     f"({(error.strerror or str(error)).lower()}); choose a local folder") from None
            # The holder before us may have removed the file between our open and our lock: then we hold a
            # lock on a file nobody else will look at, and must lock the file now at that path instead.
            try:
                same = os.stat(self.path).st_ino == os.fstat(handle).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(handle)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        self._handle = handle
        return self

    def _open(self) -> int:
        """The lock file, opened without following a symbolic link and checked to be a regular file (a FIFO
        there must not block the open)."""
        try:
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as error:
            kind = {errno.ELOOP: "a symbolic link", errno.EISDIR: "a folder"}.get(error.errno)
            if kind is None:
                raise SpreadlabError(f"{self.path}: cannot create the batch's lock file: "
                                     f"{(error.strerror or str(error)).lower()}") from None
            raise self._not_regular(kind) from None
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            raise self._not_regular("not a regular file")
        os.set_blocking(handle, True)
        return handle

    def _not_regular(self, kind: str) -> SpreadlabError:
        return SpreadlabError(f"{self.path}: is {kind}; move it away so the batch can write its lock file")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        self.path.unlink(missing_ok=True)  # while still locked, so no other batch can have it open and locked
        os.close(handle)
