"""`spreadlab recommend PROFILE.yaml`: every recorded method with its chance for an intervention profile."""

from __future__ import annotations

import argparse
import json

from ..advice import recommend
from ..collation import load
from ..plan_file import PlanFile
from ..views import advice_text, exports
from .data_option import data_option
from .output import exclude_argument, print_alike, write_table

_TABLE_COLUMNS = ["rank", "method_id", "approach_id", "score", "base_rate", "lift", "standing", "lever", "ask",
                  "needs"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recommend", parents=[data_option()], help="rank the methods for an intervention profile",
        description=f"Rank every recorded method for a profile. {advice_text.NOTE}")
    parser.add_argument("profile", metavar="PROFILE.yaml")
    parser.add_argument("--top", type=_positive, metavar="N", help="show only the best N methods")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    exclude_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    collation = load(args.data)
    saved = PlanFile.from_yaml(args.profile, collation=collation)
    advice = recommend(collation, saved.profile, exclude=[*saved.exclude, *args.exclude])
    if args.format == "json":
        print(json.dumps(exports.advice_json(advice, top=args.top), indent=2, ensure_ascii=False))
        return 0
    ranking = exports.ranking_frame(advice).head(args.top or len(advice.methods))
    if args.format == "csv":
        write_table(ranking, "csv")
        return 0
    for warning in advice_text.advice_warnings(advice):
        print(f"Warning: {warning}")
    write_table(ranking[_TABLE_COLUMNS], "table")
    print_alike(advice)
    print(f"\n{advice_text.NOTE}")
    return 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not allowed (allowed: a whole number from 1)")
    return int(value)
