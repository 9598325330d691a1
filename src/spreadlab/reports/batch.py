"""Make many reports fast and safely: N kernels reused across reports, one bad row never stops the others,
every file written atomically, unchanged reports skipped, and a manifest of what happened to each row.

Retry policy (recorded in the manifest): a report whose kernel fails to start, hangs past a timeout or dies is
retried once in a new kernel; a report whose template raises an error is not retried.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from .. import __version__
from ..collation import load
from ..errors import SpreadlabError
from ..ranking import recommend
from .execute import (
    DEFAULT_TIMEOUTS,
    KernelFailure,
    KernelWorker,
    ReportError,
    Timeouts,
    parameterize,
    template,
)
from .export import inputs_hash_of, to_html
from .files import remove_leftover_temporaries, write_atomic
from .index import index_html
from .jobs import ReportJob, plan_job
from .naming import unique_file_names
from .portfolio import read_portfolio

MAX_ATTEMPTS = 2
RETRY_POLICY = (
    f"a kernel that fails to start, hangs past a timeout or dies is replaced and the report retried, "
    f"up to {MAX_ATTEMPTS} attempts; errors raised by the template are not retried"
)
MANIFEST = "manifest.json"
INDEX = "index.html"
TOP_METHODS = 3


@dataclass(frozen=True, slots=True)
class RowResult:
    """What happened to one row.

    Attributes:
        row: position in the portfolio, from 1.
        name: the intervention's name as typed.
        output: the report's file name in the output folder (None for an invalid row).
        inputs_hash: hash of everything that shapes the report (None for an invalid row).
        status: made | unchanged (skipped, inputs as before) | failed | invalid (bad profile) | pending.
        error: why the row failed, in one line.
        seconds: time spent making it.
        attempts: how many times it was run (more than 1 after a kernel failure).
        attempt_errors: the kernel failures that caused retries.
        top_methods: the best-ranked methods, for the index.
    """

    row: int
    name: str
    output: str | None
    inputs_hash: str | None
    status: str
    error: str | None = None
    seconds: float = 0.0
    attempts: int = 0
    attempt_errors: tuple[str, ...] = ()
    top_methods: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """The outcome of a batch: one result per row, and where the index and manifest are."""

    results: tuple[RowResult, ...]
    index: Path
    manifest: Path

    @property
    def failed(self) -> int:
        return sum(result.status in {"failed", "invalid"} for result in self.results)

    def line(self) -> str:
        """A one-line summary for the terminal."""
        counts = {status: sum(r.status == status for r in self.results) for status in ("made", "unchanged")}
        return (f"{len(self.results)} rows: {counts['made']} made, {counts['unchanged']} unchanged, "
                f"{self.failed} failed; index: {self.index}")


def run_batch(portfolio: str | Path, out_dir: str | Path, *, workers: int = 2, force: bool = False,
              timeouts: Timeouts = DEFAULT_TIMEOUTS, progress: bool = True) -> BatchSummary:
    """One plan report per portfolio row in `out_dir`, plus index.html and manifest.json."""
    out = Path(out_dir)
    rows = read_portfolio(portfolio)
    collation = load()
    out.mkdir(parents=True, exist_ok=True)
    remove_leftover_temporaries(out)
    names = unique_file_names(row.name for row in rows)
    results: dict[int, RowResult] = {}
    jobs: list[tuple[int, ReportJob]] = []
    for row, file_name in zip(rows, names, strict=True):
        if row.profile is None:
            results[row.number] = RowResult(row.number, row.name, None, None, "invalid", error=row.error)
            continue
        job = plan_job(row.profile, file_name)
        top = tuple(recommend(collation, row.profile)["method"].head(TOP_METHODS))
        if not force and inputs_hash_of(out / file_name) == job.inputs_hash:
            results[row.number] = RowResult(row.number, row.name, file_name, job.inputs_hash, "unchanged",
                                            top_methods=top)
        else:
            results[row.number] = RowResult(row.number, row.name, file_name, job.inputs_hash, "pending",
                                            top_methods=top)
            jobs.append((row.number, job))
    started = _now()
    manifest = Manifest(out, str(portfolio), started, workers, results)
    manifest.write()
    with tqdm(total=len(rows), unit="report", disable=None if progress else True) as bar:
        bar.update(len(rows) - len(jobs))

        def finished(number: int, result: RowResult) -> None:
            pending = results[number]
            results[number] = replace(result, name=pending.name, top_methods=pending.top_methods)
            manifest.write()
            bar.update(1)

        _run(make_reports(jobs, out, workers=workers, timeouts=timeouts, on_result=finished))
    ordered = tuple(results[number] for number in sorted(results))
    title = f"Spread and scale plans: {Path(portfolio).name}"
    index = write_atomic(out, INDEX, index_html(title, ordered))
    manifest.write(finished=_now())
    return BatchSummary(ordered, index, out / MANIFEST)


def make_report(job: ReportJob, out_dir: str | Path, *, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Path:
    """Make one report in `out_dir` in a new kernel; raise SpreadlabError with the reason if it fails."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results: list[RowResult] = []
    _run(make_reports([(1, job)], out, workers=1, timeouts=timeouts, on_result=lambda _, r: results.append(r)))
    if results[0].status != "made":
        raise SpreadlabError(f"the report could not be made: {results[0].error}")
    return out / job.file_name


async def make_reports(jobs: Sequence[tuple[int, ReportJob]], out: Path, *, workers: int,
                       timeouts: Timeouts = DEFAULT_TIMEOUTS,
                       on_result: Callable[[int, RowResult], None]) -> None:
    """Make the reports of `jobs` with `workers` kernels; `on_result(key, result)` after each one."""
    queue: asyncio.Queue[tuple[int, ReportJob]] = asyncio.Queue()
    for item in jobs:
        queue.put_nowait(item)
    kernels = [KernelWorker(timeouts, cwd=out) for _ in range(max(1, min(workers, len(jobs))))]

    async def work(kernel: KernelWorker) -> None:
        while not queue.empty():
            key, job = queue.get_nowait()
            on_result(key, await _make(kernel, key, job, out))

    try:
        await asyncio.gather(*(work(kernel) for kernel in kernels))
    finally:
        await asyncio.gather(*(kernel.stop() for kernel in kernels), return_exceptions=True)


async def _make(kernel: KernelWorker, key: int, job: ReportJob, out: Path) -> RowResult:
    start = time.perf_counter()
    failures: list[str] = []
    status, error = "failed", None
    for _ in range(MAX_ATTEMPTS):
        try:
            executed = await kernel.run(parameterize(template(job.template), job.parameters))
            write_atomic(out, job.file_name, to_html(executed, title=job.title, inputs_hash=job.inputs_hash))
        except KernelFailure as failure:
            failures.append(str(failure))
            error = str(failure)
            continue
        except ReportError as failure:
            error = str(failure)
        except Exception as failure:  # one bad row never stops the others: report it in its row
            error = f"{type(failure).__name__}: {failure}"
        else:
            status, error = "made", None
        break
    attempts = len(failures) + (0 if len(failures) == MAX_ATTEMPTS else 1)
    return RowResult(key, job.title, job.file_name, job.inputs_hash, status, error=error,
                     seconds=round(time.perf_counter() - start, 3), attempts=attempts,
                     attempt_errors=tuple(failures))


class Manifest:
    """manifest.json, rewritten atomically after every row so an interrupted batch still says what it did."""

    def __init__(self, out: Path, portfolio: str, started: str, workers: int,
                 results: dict[int, RowResult]) -> None:
        self.out, self.results = out, results
        self.header = {"spreadlab": __version__, "portfolio": portfolio, "started": started, "finished": None,
                       "workers": workers, "retry_policy": RETRY_POLICY}

    def write(self, finished: str | None = None) -> None:
        if finished:
            self.header["finished"] = finished
        rows = [asdict(self.results[number]) for number in sorted(self.results)]
        document = self.header | {"rows": rows}
        write_atomic(self.out, MANIFEST, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _run(coroutine) -> None:
    """Run the batch on its own event loop (in a helper thread when this thread already runs one, as in a
    notebook); in the main thread SIGTERM cancels it like Ctrl-C, so kernels are shut down."""

    async def main() -> None:
        task = asyncio.ensure_future(coroutine)
        loop = asyncio.get_running_loop()
        in_main_thread = threading.current_thread() is threading.main_thread()
        if in_main_thread:
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            await task
        finally:
            if in_main_thread:
                loop.remove_signal_handler(signal.SIGTERM)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        runner = asyncio.run
    else:
        def runner(work):
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, work).result()
    try:
        runner(main())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
