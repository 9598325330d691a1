"""`spreadlab batch PORTFOLIO.csv|xlsx|yaml`: one plan report per intervention, an index and a manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data_option import data_option

FAILED_ROWS_EXIT = 2
STOPPED_EXIT = 130


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch", parents=[data_option()], help="write a plan report for every intervention of a portfolio",
        description="Write one plan report per row of a portfolio (an Excel workbook, a CSV file as Excel saves it, "
                    "or YAML), index.html and manifest.json. "
                    "Each row that fails is printed with why, one line per problem, before the summary. "
                    "Reports whose inputs are unchanged are skipped unless --force. Ctrl-C or SIGTERM stops the "
                    "batch, keeping what was made; running it again resumes. Exits "
                    f"{FAILED_ROWS_EXIT} when some rows failed, {STOPPED_EXIT} when stopped.",
    )
    parser.add_argument("portfolio", metavar="PORTFOLIO.csv|xlsx|yaml")
    parser.add_argument("--sheet", metavar="NAME", help="the workbook's sheet to read (default: the first visible one)")
    parser.add_argument("--jobs", type=_positive, default=2, metavar="N",
                        help="kernels working in parallel (default: 2)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: <reports>/<portfolio name>, where "
                        "<reports> is the project's reports/ folder inside the spreadlab checkout, else "
                        "~/spreadlab-reports)")
    parser.add_argument("--force", action="store_true", help="remake reports whose inputs are unchanged")
    parser.add_argument("--format", choices=("html", "pdf", "both"), default="html",
                        help="HTML reports, PDF (A4, printed by Chromium) or both (default: html)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..paths import default_reports_dir
    from ..reports.batch import run_batch

    out = args.out or default_reports_dir() / Path(args.portfolio).stem
    summary = run_batch(args.portfolio, out, workers=args.jobs, force=args.force, data_dir=args.data,
                        sheet=args.sheet, output_format=args.format)
    for line in summary.failures:
        print(line, file=sys.stderr)
    print(summary.line(), file=sys.stderr if summary.failed or summary.stopped_by or summary.problems
          else sys.stdout)
    if summary.stopped_by:
        return STOPPED_EXIT
    return FAILED_ROWS_EXIT if summary.failed or summary.problems else 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)
