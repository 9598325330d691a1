"""Portfolio CSVs for the batch tests: the example portfolio's rows, and a writer."""

from __future__ import annotations

import csv
from pathlib import Path

from spreadlab.paths import DATA_DIR


def example_rows() -> list[dict[str, str]]:
    """The rows of the example portfolio."""
    with (DATA_DIR / "examples" / "portfolio.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_portfolio(path: Path, rows: list[dict[str, str]]) -> Path:
    """A portfolio CSV of `rows` at `path`."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
