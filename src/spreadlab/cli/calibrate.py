"""`spreadlab calibrate [--data DIR] [--check]`: fit the advice's settings and models on the programme library."""

from __future__ import annotations

import argparse
import sys

from ..collation import load
from .data_option import data_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate", parents=[data_option()],
        help="fit the advice's models on the programme library (writes calibration.yaml)",
        description="Fit the settings and per-method models of recommend() on the programme library with a fixed, "
                    "reproducible procedure (docs/scoring.md, 'Calibration') and write them to calibration.yaml "
                    "in the data folder.",
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if calibration.yaml differs from a fresh fit")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import calibration, fitting

    collation = load(args.data)
    fresh = fitting.fit(collation)
    path = collation.data_dir / "calibration.yaml"
    summary = (f"{len(fresh.library)} programmes; cross-validated log loss {fresh.log_loss:.4f}, mean rank "
               f"percentile {fresh.rank_percentile:.4f}")
    if args.check:
        differs = calibration.differences(collation.calibration, fresh)
        if differs:
            print(f"spreadlab: {path} is out of date with the programme library or rules.yaml ({', '.join(differs)} "
                  "differ): run `spreadlab calibrate`", file=sys.stderr)
            return 1
        print(f"OK: {path} matches a fresh fit ({summary})")
        return 0
    path.write_text(calibration.to_yaml(fresh), encoding="utf-8")
    print(f"wrote {path}: {summary}")
    return 0
