"""Start a real `spreadlab dashboard` (or plain `voila`) on a free loopback port for a browser test, and stop it
afterwards."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_START_TIMEOUT = 30


@contextmanager
def dashboard_server(exe: Path, folder: Path, *flags: str) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """The project's own command, run from `folder` with `flags`: yields its address, process and log file (every
    message, INFO included, so a test can read what the server did)."""
    with serve(lambda port: [str(exe), "dashboard", "--no-browser", "--port", str(port), "--log-level", "INFO",
                             *flags], folder, folder / "server.log") as server:
        yield server


@contextmanager
def serve(command: Callable[[int], list[str]], folder: Path, log: Path, *, env: dict[str, str] | None = None,
          ready: str | None = None, timeout: float = SERVER_START_TIMEOUT,
          ) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """Run `command(port)` (a list of arguments) from `folder` on a free port, its output in `log`, until the block
    ends; it counts as started when the port listens, or when the path `ready` answers over HTTP."""
    port = _free_port()
    with log.open("w") as output:
        process = subprocess.Popen(command(port), stdout=output, stderr=subprocess.STDOUT, cwd=folder, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_started(lambda: _answers(f"{url}{ready}") if ready else _listens(port), process, log, timeout)
        yield url, process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class Server:
    """A running dashboard server: its address, process and log file."""

    url: str
    process: subprocess.Popen
    log: Path

    def kernel_alive(self, kernel_id: str) -> bool:
        """Whether the server still knows the kernel (Voilà answers GET /api/kernels/<id>)."""
        try:
            with urllib.request.urlopen(f"{self.url}api/kernels/{kernel_id}", timeout=10) as reply:
                return json.load(reply)["id"] == kernel_id
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise

    def kernel_processes(self) -> int:
        return kernel_processes(self.process)

    def wait_for_kernels(self, count: int, timeout: float) -> int:
        """Wait until the server runs `count` kernels or fewer; returns how many it runs then."""
        deadline = time.monotonic() + timeout
        while (running := self.kernel_processes()) > count and time.monotonic() < deadline:
            time.sleep(0.5)
        return running


def kernel_processes(server: subprocess.Popen) -> int:
    """The server's child processes running a kernel."""
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            count += parent == server.pid and b"ipykernel" in (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
    return count


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def _wait_until_started(started: Callable[[], bool], process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        if started():
            return
        time.sleep(0.1)
    pytest.fail(f"the server did not start within {timeout:g} s:\n{log.read_text()}")
