"""Print tables on the terminal as an aligned table, CSV or JSON; the programmes like yours; the shared
`--exclude` option."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

import pandas as pd

from ..advice import Advice
from ..views import advice_text

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


def print_alike(advice: Advice, stream: TextIO | None = None) -> None:
    """The programmes most like the profile, closest first, with their similarity, why they are alike and their
    share of "programmes like yours"."""
    stream = stream or sys.stdout
    shown = advice.closest
    if not shown:
        return
    stream.write(f"\nProgrammes most like this one (the {len(shown)} closest of {advice.library_size}):\n")
    for programme in shown:
        stream.write(f"  {programme.similarity:.2f}  {programme.name} [{programme.programme_id}] — weight "
                     f"{programme.weight:.0%} — {advice_text.alike_why(programme)}\n")


def exclude_argument(parser: argparse.ArgumentParser) -> None:
    """`--exclude ID` (repeatable): leave a library programme out of the advice."""
    parser.add_argument("--exclude", action="append", default=[], metavar="PROGRAMME_ID",
                        help="leave this library programme out of the advice (repeat for more; ids as "
                             "`spreadlab list programmes` shows them)")
