"""`spreadlab calibrate [--data DIR] [--check]`: fit the ranking's weights on the programme library."""

from __future__ import annotations

import argparse
import sys

from ..collation import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate", help="fit the ranking's weights on the programme library (writes calibration.yaml)",
        description="Fit the weights of recommend() on the programme library with a fixed, reproducible procedure "
                    "(docs/scoring.md, 'Calibration') and write them to calibration.yaml in the data folder.",
    )
    parser.add_argument("--data", metavar="DATA_DIR", help="data folder (default: bundled data)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if calibration.yaml differs from a fresh fit")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import calibration

    collation = load(args.data)
    fitted = calibration.fit(collation)
    path = collation.data_dir / "calibration.yaml"
    text = calibration.to_yaml(fitted)
    summary = (f"{len(fitted.library)} programmes, mean rank percentile {fitted.objective:.4f} "
               "(each programme ranked with itself left out)")
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"spreadlab: {path} is out of date with the programme library or scoring.yaml: run "
                  "`spreadlab calibrate`", file=sys.stderr)
            return 1
        print(f"OK: {path} matches a fresh fit ({summary})")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}: {summary}")
    return 0
