"""`spreadlab list approaches|methods|programmes`: print the approaches, the methods or the programme library."""

from __future__ import annotations

import argparse

import pandas as pd

from ..collation import load
from .data_option import data_option
from .output import FORMATS, write_table

_COLUMNS = {
    "approaches": ["approach_id", "order", "name", "methods_stated", "methods_recorded", "central_standardisation",
                   "motivation", "provenance"],
    "methods": ["method_id", "approach_id", "name", "stage", "audience_scale", "resources", "timeframe",
                "provenance", "considerations_provenance"],
    "programmes": ["programme_id", "record_type", "name", "lead", "country", "period_start", "period_end",
                   "audience_scale", "methods_used", "scale_reached", "source_url"],
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("list", parents=[data_option()], help="list approaches, methods or programmes",
                                   description="List the approaches, the recorded methods, or the programme "
                                               "library (real spread programmes, the case examples among them).")
    parser.add_argument("what", choices=sorted(_COLUMNS))
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    collation = load(args.data)
    tables = {"approaches": collation.approaches, "methods": collation.method_summary,
              "programmes": _programmes(collation)}
    write_table(tables[args.what][_COLUMNS[args.what]], args.format)
    return 0


def _programmes(collation) -> pd.DataFrame:
    """The programmes with their audience scale before spread and the methods they used, by id."""
    uses = collation.programme_methods.groupby("programme_id", sort=False)["method_id"].agg(
        lambda ids: ", ".join(dict.fromkeys(ids)))
    scales = collation.programme_profiles.set_index("programme_id")["audience_scale"]
    return collation.programmes.assign(audience_scale=lambda t: t["programme_id"].map(scales),
                                       methods_used=lambda t: t["programme_id"].map(uses))
