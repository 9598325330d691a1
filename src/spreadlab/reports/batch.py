"""Make many reports fast and safely: N kernels reused across reports, one bad row never stops the others,
every file written atomically, unchanged reports skipped, and a manifest of what happened to each row.

Retry policy (recorded in the manifest): a report whose kernel fails to start, hangs past a timeout or dies is
retried once in a new kernel; a report whose template raises an error is not retried, nor is one stopped by
a signal. SIGINT or SIGTERM stops the batch within about a second: kernels are killed, the rows not made stay
pending, and index.html and manifest.json are written for what was made, so a rerun resumes. One batch writes
to an output folder at a time (reports/lock.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from ..collation import load
from ..errors import SpreadlabError
from ..inputs import read_text
from ..paths import DATA_DIR
from ..profile import shown_as_typed
from .digest import PlanDigest, glued
from .execute import DEFAULT_TIMEOUTS, KernelFailure, KernelWorker, ReportError, Timeouts, parameterize, template
from .export import inputs_hash_of, to_html
from .files import TEMP_PREFIX, output_folder, remove_leftover_temporaries, unique_file_names, write_atomic
from .index import index_html
from .jobs import ReportJob, plan_job
from .lock import OutputLock
from .pdf import PdfPrinter, suffixes
from .portfolio import PortfolioRow, read_portfolio
from .results import INDEX, MANIFEST, BatchSummary, Manifest, RowResult, Status

MAX_ATTEMPTS = 2
RETRY_POLICY = (
    f"a kernel that fails to start, hangs past a timeout or dies is replaced and the report retried, "
    f"up to {MAX_ATTEMPTS} attempts; errors raised by the template, and reports stopped by a signal, "
    "are not retried"
)
_MANIFEST_LIMIT = 100_000_000  # bytes of a previous manifest read back for its rows' plans


def run_batch(portfolio: str | Path, out_dir: str | Path, *, workers: int = 2, force: bool = False,
              timeouts: Timeouts = DEFAULT_TIMEOUTS, progress: bool = True,
              data_dir: str | Path | None = None, sheet: str | None = None,
              output_format: str = "html") -> BatchSummary:
    """One plan report per portfolio row (of `sheet` in a workbook) in `out_dir`, as HTML, PDF or both
    (`output_format` html|pdf|both), plus index.html and manifest.json; the kernels read the data folder
    `data_dir` (validated first; the bundled data by default), which each report takes as a parameter."""
    kinds = suffixes(output_format)
    rows = read_portfolio(portfolio, sheet=sheet)
    # Absolute: the kernels run in the output folder, where a relative path would name another folder.
    data = Path(data_dir if data_dir is not None else DATA_DIR).resolve()
    load(data)
    out = output_folder(out_dir)
    for name in (INDEX, MANIFEST):
        if (out / name).is_symlink() or (out / name).exists() and not (out / name).is_file():
            raise SpreadlabError(f"{out / name}: is not a regular file; move it away so the batch can write its "
                                 f"{name}")
    with OutputLock(out):
        remove_leftover_temporaries(out)
        return _run_rows(rows, Path(portfolio), out, data, workers=workers, force=force, timeouts=timeouts,
                         progress=progress, kinds=kinds)


def _run_rows(rows: list[PortfolioRow], portfolio: Path, out: Path, data: Path, *, workers: int, force: bool,
              timeouts: Timeouts, progress: bool, kinds: tuple[str, ...]) -> BatchSummary:
    names = unique_file_names(row.name for row in rows)
    previous = _previous_rows(out)
    results: dict[int, RowResult] = {}
    jobs: list[tuple[int, ReportJob]] = []
    for row, file_name in zip(rows, names, strict=True):
        if row.profile is None:
            results[row.number] = RowResult(row.number, row.name, None, None, Status.INVALID, error=row.error)
            continue
        job = plan_job(row.profile, file_name, data_dir=data)
        files = _file_names(job, kinds)
        # An unchanged report keeps the plan its previous run recorded; one without it (a manifest from before
        # plans were recorded, or edited) is made again, so the overview never misses a row.
        kept = None if force else PlanDigest.from_dict(previous.get(files[0], {}).get("plan"))
        if kept is not None and _unchanged(out, job, files, previous):
            results[row.number] = RowResult(row.number, row.name, files[0], job.inputs_hash, Status.UNCHANGED,
                                            files=files, plan=kept)
        else:
            results[row.number] = RowResult(row.number, row.name, files[0], job.inputs_hash, Status.PENDING)
            jobs.append((row.number, job))
    manifest = Manifest(out, {"portfolio": str(portfolio), "data": str(data), "started": _now(),
                              "workers": workers, "formats": [kind.lstrip(".") for kind in kinds],
                              "retry_policy": RETRY_POLICY}, results)
    manifest.write()
    with tqdm(total=len(rows), unit="report", disable=None if progress else True) as bar:
        bar.update(len(rows) - len(jobs))

        def finished(number: int, result: RowResult) -> None:
            results[number] = replace(result, row=number, name=results[number].name)
            manifest.record(number, results[number])
            bar.update(1)

        stopped_by = _run(make_reports(jobs, out, workers=workers, timeouts=timeouts, on_result=finished,
                                       kinds=kinds))
    ordered = tuple(results[number] for number in sorted(results))
    problems = []
    try:
        index = write_atomic(out, INDEX, index_html(f"Spread and scale plans: {portfolio.name}", ordered))
    except OSError as error:
        index = out / INDEX
        problems.append(f"{INDEX} could not be written: {_os_reason(error)}")
    if not manifest.write(finished=_now(), stopped_by=stopped_by):
        problems.append(f"{MANIFEST} could not be written: {_os_reason(manifest.error)}")
    sources = {row.number: row.source for row in rows}
    failures = tuple(line for result in ordered if result.status.failed
                     for line in _failure_lines(sources[result.row], result.error))
    return BatchSummary(ordered, index, out / MANIFEST, stopped_by=stopped_by, problems=tuple(problems),
                        failures=failures)


def _failure_lines(source: str, error: str | None) -> list[str]:
    """Why a row failed, one line per problem, each starting with where the row is (a profile's own message
    already does); characters that would act on a terminal are shown as U+FFFD."""
    lines = (error or "failed").splitlines() or ["failed"]
    return [shown_as_typed(f"{source}: {line.removeprefix(f'{source}: ')}") for line in lines]


def make_report(job: ReportJob, out_dir: str | Path, *, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Path:
    """Make one HTML report in `out_dir` in a new kernel; raise SpreadlabError with the reason if it fails."""
    return make_report_files(job, out_dir, timeouts=timeouts)[0]


def make_report_files(job: ReportJob, out_dir: str | Path, *, timeouts: Timeouts = DEFAULT_TIMEOUTS,
                      output_format: str = "html") -> tuple[Path, ...]:
    """Make one report in `out_dir` as HTML, PDF or both (`output_format` html|pdf|both); return the files. The
    job names its data folder among its parameters."""
    kinds = suffixes(output_format)
    out = output_folder(out_dir)
    results: list[RowResult] = []
    stopped_by = _run(make_reports([(1, job)], out, workers=1, timeouts=timeouts, kinds=kinds,
                                   on_result=lambda _, r: results.append(r)))
    if stopped_by:
        raise KeyboardInterrupt
    if results[0].status != Status.MADE:
        raise SpreadlabError(f"the report could not be made: {results[0].error}")
    return tuple(out / name for name in results[0].files)


async def make_reports(jobs: Sequence[tuple[int, ReportJob]], out: Path, *, workers: int,
                       timeouts: Timeouts = DEFAULT_TIMEOUTS, kinds: tuple[str, ...] = (".html",),
                       on_result: Callable[[int, RowResult], None]) -> None:
    """Make the reports of `jobs` with `workers` kernels, as the files `kinds` names (.html, .pdf: one Chromium
    prints them all); `on_result(key, result)` after each one."""
    queue: asyncio.Queue[tuple[int, ReportJob]] = asyncio.Queue()
    for item in jobs:
        queue.put_nowait(item)
    kernels = [KernelWorker(timeouts, cwd=out) for _ in range(max(1, min(workers, len(jobs))))]

    async def work(kernel: KernelWorker, printer: PdfPrinter | None) -> None:
        while not queue.empty():
            key, job = queue.get_nowait()
            on_result(key, await _make(kernel, key, job, out, kinds, printer))

    try:
        async with PdfPrinter(out) if ".pdf" in kinds and jobs else nullcontext() as printer:
            await asyncio.gather(*(work(kernel, printer) for kernel in kernels))
    finally:
        # Killed, not asked to shut down: the kernels hold nothing worth keeping (every file is written by this
        # process), and a polite shutdown cost about 0.5 s at the end of every batch and of every stop.
        await asyncio.gather(*(kernel.stop(now=True) for kernel in kernels), return_exceptions=True)


async def _make(kernel: KernelWorker, key: int, job: ReportJob, out: Path, kinds: tuple[str, ...],
                printer: PdfPrinter | None) -> RowResult:
    start = time.perf_counter()
    failures: list[str] = []
    status, error, digest = Status.FAILED, None, None
    files = _file_names(job, kinds)
    for _ in range(MAX_ATTEMPTS):
        try:
            executed = await kernel.run(parameterize(template(job.template), job.parameters))
            digest = glued(executed)
            page = to_html(executed, title=job.title, inputs_hash=job.inputs_hash)
            await _write(out, job, page, kinds, printer)
        except KernelFailure as failure:
            failures.append(str(failure))
            error = str(failure)
            continue
        except (ReportError, WriteFailure) as failure:
            error = str(failure)
        except Exception as failure:  # one bad row never stops the others: report it in its row
            error = f"{type(failure).__name__}: {failure}"
        else:
            status, error = Status.MADE, None
        break
    attempts = len(failures) + (0 if len(failures) == MAX_ATTEMPTS else 1)
    made = status == Status.MADE
    return RowResult(key, job.title, files[0], job.inputs_hash, status, error=error,
                     seconds=round(time.perf_counter() - start, 3), attempts=attempts,
                     attempt_errors=tuple(failures), files=files if made else (),
                     plan=digest if made else None)


def _file_names(job: ReportJob, kinds: tuple[str, ...]) -> tuple[str, ...]:
    stem = job.file_name.removesuffix(".html")
    return tuple(stem + kind for kind in kinds)


async def _write(out: Path, job: ReportJob, page: str, kinds: tuple[str, ...], printer: PdfPrinter | None) -> None:
    """Write the report's files: the HTML page, and its PDF printed from the page as written (from a
    temporary copy when only the PDF is wanted). A row's files are all there or none is: an HTML page whose
    PDF failed or was stopped is removed again."""
    html_path = _write_file(out, job.file_name if ".html" in kinds else _temp_name(job), page, job.file_name)
    if ".pdf" not in kinds:
        return
    try:
        try:
            pdf = await printer.print(html_path)
        except Exception as failure:  # Playwright's errors and timeouts: this row has no PDF
            reason = str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__
            raise ReportError(f"the PDF could not be printed: {reason}") from None
        name = job.file_name.removesuffix(".html") + ".pdf"
        _write_file(out, name, pdf, name)
    except BaseException:
        html_path.unlink(missing_ok=True)
        raise
    if ".html" not in kinds:
        html_path.unlink(missing_ok=True)


class WriteFailure(SpreadlabError):
    """A report's file could not be written (a full disk, a folder in the way): its row fails, not the batch."""


def _write_file(out: Path, file_name: str, content: str | bytes, shown_as: str) -> Path:
    try:
        return write_atomic(out, file_name, content)
    except OSError as error:
        raise WriteFailure(f"{shown_as} could not be written: {_os_reason(error)}") from None


def _temp_name(job: ReportJob) -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-{job.file_name}"


def _unchanged(out: Path, job: ReportJob, files: tuple[str, ...], previous: dict[str, dict]) -> bool:
    """Whether every file asked for exists and was made from these inputs (an HTML report says so in its
    meta data, a PDF through the manifest that listed it)."""
    for name in files:
        path = out / name
        if not path.is_file():
            return False
        made_from = inputs_hash_of(path) if name.endswith(".html") else previous.get(name, {}).get("inputs_hash")
        if made_from != job.inputs_hash:
            return False
    return True


def _previous_rows(out: Path) -> dict[str, dict]:
    """File name → its row in the manifest a previous batch left in `out`, so a report skipped as unchanged
    keeps its plan without being planned again, and a PDF is known by the inputs it was made from."""
    try:
        document = json.loads(read_text(out / MANIFEST, what="previous manifest", max_bytes=_MANIFEST_LIMIT))
        return {str(name): row for row in document["rows"] if row.get("status") in {"made", "unchanged"}
                for name in (row.get("files") or [row["output"]])}
    except (SpreadlabError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _run(coroutine) -> str | None:
    """Run the batch on its own event loop (in a helper thread when this thread already runs one, as in a
    notebook); in the main thread SIGINT and SIGTERM cancel it, so kernels are shut down. Returns the name of
    the signal that stopped it, or None when it ran to the end."""
    stopped: list[str] = []

    async def main() -> None:
        task = asyncio.ensure_future(coroutine)
        loop = asyncio.get_running_loop()
        handled = (signal.SIGINT, signal.SIGTERM) if threading.current_thread() is threading.main_thread() else ()

        def stop(signum: int) -> None:
            stopped.append(signal.Signals(signum).name)
            task.cancel()

        def report_unless_stopping(loop: asyncio.AbstractEventLoop, context: dict) -> None:
            # Ctrl-C in a terminal reaches the whole process group: Playwright's driver dies with it and its
            # pending futures fail as they are dropped; after a stop that is expected, not worth a message.
            if not stopped:
                loop.default_exception_handler(context)

        loop.set_exception_handler(report_unless_stopping)
        for signum in handled:
            loop.add_signal_handler(signum, stop, signum)
        try:
            await task
        except asyncio.CancelledError:
            if not stopped:
                raise
        finally:
            for signum in handled:
                loop.remove_signal_handler(signum)

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
    return stopped[0] if stopped else None


def _os_reason(error: OSError | None) -> str:
    return (getattr(error, "strerror", None) or str(error)).lower()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
