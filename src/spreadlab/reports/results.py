"""What a batch made: the status and result of each row, the batch's summary, and its manifest.json.

Kept apart from the batch driver so the index page and the driver both read these types without importing
each other.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from .. import __version__
from .digest import PlanDigest
from .files import write_atomic

MANIFEST = "manifest.json"
INDEX = "index.html"


class Status(StrEnum):
    """What happened to a row (the values are what manifest.json and the index show)."""

    MADE = "made"
    UNCHANGED = "unchanged"  # skipped: its report exists and its inputs are as before
    FAILED = "failed"  # the report could not be made; `error` says why
    INVALID = "invalid"  # the row is not a valid profile; no report was tried
    PENDING = "pending"  # not made yet: the batch is running, or was stopped before this row

    @property
    def failed(self) -> bool:
        return self in {Status.FAILED, Status.INVALID}

    @property
    def has_report(self) -> bool:
        return self in {Status.MADE, Status.UNCHANGED}


@dataclass(frozen=True, slots=True)
class RowResult:
    """What happened to one row.

    Attributes:
        row: the row as the user sees it (a spreadsheet's row number, the header being row 1; a YAML
            portfolio's item, from 1).
        name: the intervention's name as typed.
        output: the report's file name in the output folder (None for an invalid row).
        inputs_hash: hash of everything that shapes the report (None for an invalid row).
        status: see Status.
        error: why the row failed, in one line.
        seconds: time spent making it.
        attempts: how many times it was run (more than 1 after a kernel failure).
        attempt_errors: the kernel failures that caused retries.
        files: every file made for the row (the HTML report, its PDF).
        plan: the digest of the plan the report made (None without a report), for the index's overview.
    """

    row: int
    name: str
    output: str | None
    inputs_hash: str | None
    status: Status
    error: str | None = None
    seconds: float = 0.0
    attempts: int = 0
    attempt_errors: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    plan: PlanDigest | None = None

    @property
    def top_methods(self) -> tuple[str, ...]:
        """The best-ranked methods, as the executed report ranked them."""
        return self.plan.top_methods if self.plan is not None else ()


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """The outcome of a batch: one result per row, where the index and manifest are, whether it was stopped by a
    signal before every row was made (then a rerun makes the rest), what went wrong with the batch's own files,
    and why each row without a report failed (`failures`: one line per problem, naming the row as the
    spreadsheet shows it)."""

    results: tuple[RowResult, ...]
    index: Path
    manifest: Path
    stopped_by: str | None = None
    problems: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()

    @property
    def failed(self) -> int:
        return sum(result.status.failed for result in self.results)

    def line(self) -> str:
        """A one-line summary for the terminal."""
        count = {status: sum(r.status == status for r in self.results) for status in Status}
        line = (f"{len(self.results)} rows: {count[Status.MADE]} made, {count[Status.UNCHANGED]} unchanged, "
                f"{self.failed} failed")
        if self.stopped_by:
            line += f", {count[Status.PENDING]} not made (stopped by {self.stopped_by}; run again to resume)"
        line += f"; index: {self.index.absolute()}"
        return line + "".join(f"; {problem}" for problem in self.problems)


class Manifest:
    """manifest.json, rewritten atomically after every row so an interrupted batch still says what it did.

    A write that fails (a full disk) never stops the batch: the error is kept, and the next write, which
    holds everything the failed one held, tries again.
    """

    def __init__(self, out: Path, header: dict[str, object], results: dict[int, RowResult]) -> None:
        self.out = out
        self.header = {"spreadlab": __version__, **header, "finished": None, "stopped_by": None}
        self.error: OSError | None = None
        # Rows as JSON text, one line each, converted once each: a 1,000-row batch rewrites the manifest 1,000
        # times, and dumping every row with its plan again each time cost about 80 ms a write at 1,000 rows.
        self._rows = {number: _row_json(result) for number, result in sorted(results.items())}

    def record(self, number: int, result: RowResult) -> bool:
        """Update one row and write the manifest; False if the write failed."""
        self._rows[number] = _row_json(result)
        return self.write()

    def write(self, **final: object) -> bool:
        """Write the manifest (with `final` header fields such as finished=...); False if it failed."""
        self.header.update(final)
        # The header indented for people, then the rows (already JSON) one a line in place of its empty list.
        header = json.dumps(self.header | {"rows": []}, indent=2, ensure_ascii=False)
        rows = ",\n    ".join(self._rows.values())
        document = header.removesuffix("[]\n}") + (f"[\n    {rows}\n  ]\n}}" if rows else "[]\n}")
        try:
            write_atomic(self.out, MANIFEST, document + "\n")
        except OSError as error:
            self.error = error
            return False
        self.error = None
        return True


def _row_json(result: RowResult) -> str:
    return json.dumps(asdict(result), ensure_ascii=False)
