"""Print tables on the terminal as an aligned table, CSV or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TextIO

import pandas as pd

from ..library import SHOWN, SimilarProgramme

FORMATS = ("table", "csv", "json")


def write_table(table: pd.DataFrame, fmt: str, stream: TextIO | None = None) -> None:
    """Write `table` to `stream` (stdout by default) in one of FORMATS."""
    stream = stream or sys.stdout
    if fmt == "csv":
        table.to_csv(stream, index=False)
    elif fmt == "json":
        records = json.loads(table.to_json(orient="records"))
        json.dump(records, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    else:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            stream.write(table.to_string(index=False) + "\n")


def print_similar(similar: Sequence[SimilarProgramme], stream: TextIO | None = None) -> None:
    """The programmes most like the profile, closest first, with their similarity and main source."""
    stream = stream or sys.stdout
    shown = similar[:SHOWN]
    if not shown:
        return
    stream.write(f"\nProgrammes most like this one (the {len(shown)} closest in the library):\n")
    for programme in shown:
        stream.write(f"  {programme.similarity:.2f}  {programme.name} — used: {', '.join(programme.method_ids)}"
                     f" — {programme.sources[0] if programme.sources else 'no source'}\n")
