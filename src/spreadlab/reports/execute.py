"""Execute report templates with their parameters in kernels that stay alive across reports.

A `KernelWorker` owns one kernel: start-up, imports and collation loading are paid once, then each report
is its template parameterised by papermill and executed cell by cell (nbclient) in a fresh namespace. Every
kernel start and every cell has a timeout; a kernel that hangs or dies raises `KernelFailure` and is replaced.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from ..errors import SpreadlabError
from ..paths import REPORT_TEMPLATES_DIR
from . import namespace

KERNEL_NAME = "python3"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed for a kernel to start, for one cell to run, and for a kernel to shut down."""

    start: float = 60.0
    cell: float = 120.0
    shutdown: float = 10.0


DEFAULT_TIMEOUTS = Timeouts()


class KernelFailure(SpreadlabError):
    """The kernel did not start, hung past a timeout or died; the report may succeed in a new kernel."""


class ReportError(SpreadlabError):
    """A template cell raised an error: the report cannot be made from these inputs."""


@dataclass(frozen=True, slots=True)
class Template:
    """A report template: its name (file stem), its notebook and the hash of its file's content."""

    name: str
    notebook: NotebookNode
    content_hash: str


@cache
def template(name: str, folder: Path = REPORT_TEMPLATES_DIR) -> Template:
    """Load `folder/<name>.ipynb` once per process (papermill's loader: its parameteriser needs it)."""
    path = folder / f"{name}.ipynb"
    content = path.read_bytes()
    return Template(name, load_notebook_node(str(path)), hashlib.sha256(content).hexdigest())


def parameterize(report_template: Template, parameters: dict[str, Any]) -> NotebookNode:
    """A copy of the template with papermill's `injected-parameters` cell after its `parameters` cell."""
    notebook = copy.deepcopy(report_template.notebook)
    return parameterize_notebook(notebook, parameters, kernel_name=KERNEL_NAME, language="python")


class CellObserver(Protocol):
    """Told as each cell starts, fails and ends: papermill's NotebookExecutionManager is one, so a notebook run
    through the papermill engine records each cell's status as papermill's own engine does."""

    def cell_start(self, cell: NotebookNode, cell_index: int) -> None: ...

    def cell_exception(self, cell: NotebookNode, cell_index: int) -> None: ...

    def cell_complete(self, cell: NotebookNode, cell_index: int) -> None: ...


class KernelWorker:
    """One kernel reused for many reports, driven from an asyncio event loop."""

    def __init__(self, timeouts: Timeouts = DEFAULT_TIMEOUTS, cwd: Path | None = None) -> None:
        self.timeouts = timeouts
        self.cwd = cwd
        self.manager: AsyncKernelManager | None = None
        self.client = None
        self.kernels_started = 0

    async def start(self) -> None:
        """Start the kernel (within the start timeout) and record its fresh namespace."""
        self.manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
        try:
            await asyncio.wait_for(self._start(), self.timeouts.start)
        except Exception as error:  # whatever stops a kernel starting, the report may work in a new one
            await self.stop()
            reason = f"timed out after {self.timeouts.start:g} s" if isinstance(error, TimeoutError) else error
            raise KernelFailure(f"the kernel did not start: {reason}") from None
        self.kernels_started += 1
        await self._run_code(namespace.REMEMBER)

    async def _start(self) -> None:
        await self.manager.start_kernel(cwd=str(self.cwd) if self.cwd else None)
        self.client = self.manager.client()
        self.client.start_channels()
        await self.client.wait_for_ready(timeout=self.timeouts.start)

    async def run(self, notebook: NotebookNode, observer: CellObserver | None = None) -> NotebookNode:
        """Execute every code cell of `notebook` in a fresh namespace, telling `observer` as each starts, fails
        and ends; return it with its outputs. A cell that raises stops the run (ReportError): the error is in its
        outputs, and the cells after it are not run."""
        if self.client is None:
            await self.start()
        await self._run_code(namespace.RESET)
        runner = self._runner(notebook)
        for index, cell in enumerate(notebook.cells):
            if observer is not None:
                observer.cell_start(cell, cell_index=index)
            try:
                await self._guard(runner.async_execute_cell(cell, index, execution_count=index + 1))
            except ReportError:
                if observer is not None:
                    observer.cell_exception(cell, cell_index=index)
                raise
            finally:
                if observer is not None:
                    observer.cell_complete(cell, cell_index=index)
        return notebook

    async def _run_code(self, code: str) -> NotebookNode:
        cell = new_code_cell(code)
        await self._guard(self._runner(NotebookNode(cells=[cell])).async_execute_cell(cell, 0))
        return cell

    def _runner(self, notebook: NotebookNode) -> NotebookClient:
        runner = NotebookClient(notebook, km=self.manager, timeout=int(self.timeouts.cell),
                                kernel_name=KERNEL_NAME)
        runner.kc = self.client
        return runner

    async def _guard(self, execution) -> None:
        try:
            await execution
        except CellTimeoutError:
            await self.stop()
            limit = self.timeouts.cell
            raise KernelFailure(f"a cell ran longer than {limit:g} s; the kernel was stopped") from None
        except DeadKernelError:
            # nbclient reports its task being cancelled (a batch stopped by a signal) as a dead kernel: that is
            # no kernel failure, and must not be retried.
            if asyncio.current_task().cancelling():
                await self.stop(now=True)
                raise asyncio.CancelledError from None
            await self.stop()
            raise KernelFailure("the kernel died while running the report") from None
        except CellExecutionError as error:
            raise ReportError(_last_line(error)) from None

    async def stop(self, *, now: bool = False) -> None:
        """Shut the kernel down (killing it at once when `now`, or if it does not stop in time); a later `run`
        starts a new one."""
        client, manager, self.client, self.manager = self.client, self.manager, None, None
        if client is not None:
            client.stop_channels()
        if manager is None or not manager.has_kernel:
            return
        try:
            await asyncio.wait_for(manager.shutdown_kernel(now=now), self.timeouts.shutdown)
        except (TimeoutError, RuntimeError):
            await manager.shutdown_kernel(now=True)


def _last_line(error: CellExecutionError) -> str:
    """The exception line of a cell error (`ProfileError: ...`), not the whole traceback."""
    name, value = getattr(error, "ename", ""), getattr(error, "evalue", "")
    return f"{name}: {value}" if name else str(error).strip().splitlines()[-1]
