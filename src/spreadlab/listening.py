"""How the dashboard's server holds its connections, so that idle ones cannot use up its open files.

Every connection costs the server a file descriptor, and so does every kernel (its five sockets). With tornado's
defaults a connection that sends half a request is kept for an hour, and once the process has no descriptor left
tornado's accept loop logs a traceback and tries again at once, for ever: 1,100 half-open requests from one local
script, under the common limit of 1,024 open files, timed every viewer out and wrote 250 MB of log in 25 s. So:

- the soft limit on open files is raised to the hard one when the server starts, as jupyter-server does with its
  `ServerApp.min_open_files_limit` (Voilà's own app has no such setting);
- a connection that has not sent a whole request within `REQUEST_TIMEOUT` seconds is closed (tornado's
  `HTTPServer` settings `idle_connection_timeout` and `body_timeout`, set through its `configure`, since Voilà
  starts the server itself);
- when no descriptor is left, accepting pauses for `ACCEPT_PAUSE` seconds and says so once a minute, instead of
  spinning; the connections waiting meanwhile stay in the listening queue.
"""

from __future__ import annotations

import errno
import logging
import resource
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

_LOG = logging.getLogger(__name__)
"""Where a server made without `use_bounded_connections` (a test's) writes; that function passes Voilà's log."""

REQUEST_TIMEOUT = 10.0
"""Seconds a connection may take to send a whole request (a browser sends one in milliseconds)."""
ACCEPT_PAUSE = 1.0
"""Seconds accepting waits when the process has no file descriptor left."""
_REPORT_EVERY = 60.0
_OUT_OF_FILES = {errno.EMFILE, errno.ENFILE}
_ACCEPTS_AT_ONCE = 128  # as tornado: at most a listening queue's worth per turn of the event loop



def raise_open_files_limit() -> tuple[int, int]:
    """Raise this process's soft limit on open files to its hard limit; returns (before, after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft >= hard:
        return soft, soft
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return soft, hard


def use_bounded_connections(log: logging.Logger) -> None:
    """Have every tornado HTTP server this process starts close slow requests and pause when out of files,
    saying so to `log`."""
    HTTPServer.configure(BoundedHTTPServer, idle_connection_timeout=REQUEST_TIMEOUT, body_timeout=REQUEST_TIMEOUT,
                         log=log)


class BoundedHTTPServer(HTTPServer):
    """tornado's HTTP server, whose accept loop pauses when the process is out of file descriptors."""

    def initialize(self, *args: Any, log: logging.Logger = _LOG, **kwargs: Any) -> None:  # tornado's own arguments
        super().initialize(*args, **kwargs)
        self._log = log

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = _pausing_accept_handler(sock, self._handle_connection, self._log)


def _pausing_accept_handler(sock: socket.socket, callback: Callable[[socket.socket, object], None],
                            log: logging.Logger) -> Callable[[], None]:
    """tornado's `netutil.add_accept_handler`, except that running out of file descriptors pauses accepting
    instead of raising (and being retried at once, for ever) in the event loop."""
    loop = IOLoop.current()
    state = {"removed": False, "listening": True, "reported": 0.0}

    def accept(_fd: object, _events: int) -> None:
        for _ in range(_ACCEPTS_AT_ONCE):
            if state["removed"]:
                return
            try:
                connection, address = sock.accept()
            except BlockingIOError:
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:
                if error.errno not in _OUT_OF_FILES:
                    raise
                pause()
                return
            callback(connection, address)

    def pause() -> None:
        loop.remove_handler(sock)
        state["listening"] = False
        loop.call_later(ACCEPT_PAUSE, resume)
        if time.monotonic() - state["reported"] >= _REPORT_EVERY:
            state["reported"] = time.monotonic()
            log.warning("No file descriptor left for new connections (the open-files limit is %d): accepting "
                        "paused for %g s at a time until some close", resource.getrlimit(resource.RLIMIT_NOFILE)[0],
                        ACCEPT_PAUSE)

    def resume() -> None:
        if not state["removed"] and not state["listening"]:
            state["listening"] = True
            loop.add_handler(sock, accept, IOLoop.READ)

    def remove() -> None:
        if state["listening"]:
            loop.remove_handler(sock)
        state["removed"] = True

    loop.add_handler(sock, accept, IOLoop.READ)
    return remove
