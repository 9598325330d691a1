"""`spreadlab list approaches|methods`: print the approaches or methods."""

from __future__ import annotations

import argparse

from ..collation import load
from .output import FORMATS, write_table

_COLUMNS = {
    "approaches": ["approach_id", "order", "name", "methods_stated", "methods_recorded", "central_standardisation",
                   "motivation", "provenance"],
    "methods": ["method_id", "approach_id", "name", "stage", "audience_scale", "resources", "timeframe",
                "provenance", "considerations_provenance"],
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("list", help="list approaches or methods",
                                   description="List the approaches or the recorded methods.")
    parser.add_argument("what", choices=sorted(_COLUMNS))
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--data", metavar="DATA_DIR", help="data folder (default: bundled data)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    collation = load(args.data)
    table = collation.approaches if args.what == "approaches" else collation.method_summary
    write_table(table[_COLUMNS[args.what]], args.format)
    return 0
