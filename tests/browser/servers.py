"""Start a real `spreadlab dashboard` on a free loopback port for a browser test, and stop it afterwards."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SERVER_START_TIMEOUT = 30


@contextmanager
def dashboard_server(exe: Path, folder: Path, *flags: str) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """The project's own command, run from `folder` with `flags`: yields its address, process and log file."""
    port = _free_port()
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen([str(exe), "dashboard", "--no-browser", "--port", str(port), *flags],
                                   stdout=output, stderr=subprocess.STDOUT, cwd=folder)
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}/", process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"spreadlab dashboard exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"spreadlab dashboard did not listen on port {port} within {SERVER_START_TIMEOUT} s:\n"
                f"{log.read_text()}")
