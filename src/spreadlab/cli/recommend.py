"""`spreadlab recommend PROFILE.yaml`: rank every recorded method for an intervention profile."""

from __future__ import annotations

import argparse
import json

from ..collation import load
from ..profile import InterventionProfile
from ..ranking import RANKING_NOTE, ranking_json, recommend
from .output import print_similar, write_table

_TABLE_COLUMNS = ["rank", "method_id", "approach_id", "score", "similar_programmes_fit", "same_situation_fit",
                  "audience_scale_fit", "timescale_fit", "resources_fit", "nature_fit", "motivators_fit",
                  "energy_for_change_fit", "evidence_fit"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("recommend", help="rank the methods for an intervention profile",
                                   description=f"Rank every recorded method for a profile. {RANKING_NOTE}")
    parser.add_argument("profile", metavar="PROFILE.yaml")
    parser.add_argument("--top", type=_positive, metavar="N", help="show only the best N methods")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--data", metavar="DATA_DIR", help="data folder (default: bundled data)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    profile = InterventionProfile.from_yaml(args.profile)
    ranking = recommend(load(args.data), profile)
    if args.top is not None:
        ranking = ranking.head(args.top)
    if args.format == "json":
        print(json.dumps(ranking_json(profile, ranking), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        write_table(ranking, "csv")
    else:
        for warning in ranking.attrs.get("warnings", []):
            print(f"Warning: {warning}")
        write_table(ranking[_TABLE_COLUMNS], "table")
        print_similar(ranking.attrs.get("similar_programmes", ()))
        print(f"\n{RANKING_NOTE}")
    return 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not allowed (allowed: a whole number from 1)")
    return int(value)
