"""spreadlab's reused-kernel execution as a papermill engine (entry point `spreadlab`).

`papermill --engine spreadlab …`, or `papermill.execute_notebook(..., engine_name="spreadlab")` called many times
in one process, runs every notebook in one kernel that stays alive between them, each in a fresh namespace
(`execute.KernelWorker`): start-up and imports are paid once per process instead of once per notebook.
`execute` is imported on first use: papermill loads this module while `execute` itself imports papermill.

Like papermill's own engine, it records each cell's status in the notebook and, when a cell raises, stops there
and leaves the error in that cell's outputs, so that papermill raises its `PapermillExecutionError` for it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
from functools import cache
from typing import TYPE_CHECKING

from papermill.engines import Engine

if TYPE_CHECKING:
    from .execute import KernelWorker


class ReusedKernelEngine(Engine):
    """Execute `nb_man.nb` in this process's reused kernel."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, start_timeout=60, execution_timeout=None, **kwargs):
        from .execute import DEFAULT_TIMEOUTS, ReportError

        loop, worker = _kernel(float(start_timeout), float(execution_timeout or DEFAULT_TIMEOUTS.cell))
        # A cell's error is papermill's to report (it reads it from the cell's outputs once the engine returns).
        with contextlib.suppress(ReportError):
            asyncio.run_coroutine_threadsafe(worker.run(nb_man.nb, nb_man), loop).result()
        return nb_man.nb


@cache
def _kernel(start: float, cell: float) -> tuple[asyncio.AbstractEventLoop, KernelWorker]:
    """An event loop in a helper thread and the kernel it drives, kept for the life of the process."""
    from .execute import KernelWorker, Timeouts

    timeouts = Timeouts(start=start, cell=cell)
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="spreadlab-kernel", daemon=True).start()
    worker = KernelWorker(timeouts)
    atexit.register(lambda: asyncio.run_coroutine_threadsafe(worker.stop(), loop).result(timeouts.shutdown))
    return loop, worker
