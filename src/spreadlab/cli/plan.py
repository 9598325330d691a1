"""`spreadlab plan PROFILE.yaml`: a phased combination of methods for an intervention profile."""

from __future__ import annotations

import argparse
import json

from ..collation import load
from ..planning import plan
from ..profile import InterventionProfile
from ..ranking import RANKING_NOTE
from .output import print_similar


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("plan", help="a phased plan of methods for an intervention profile",
                                   description="Combine the best-ranked methods into phases within the timescale.")
    parser.add_argument("profile", metavar="PROFILE.yaml")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--data", metavar="DATA_DIR", help="data folder (default: bundled data)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    the_plan = plan(load(args.data), InterventionProfile.from_yaml(args.profile))
    if args.format == "json":
        print(json.dumps(the_plan.to_dict(), indent=2, ensure_ascii=False))
        return 0
    profile = the_plan.profile
    derived = " (derived from the complexity assessment)" if profile.nature_derived else ""
    print(f"Plan for {profile.name}: {profile.nature}{derived}, {profile.audience_scale} audience, "
          f"{profile.timescale_months} months")
    for warning in the_plan.warnings:
        print(f"Warning: {warning}")
    for phase in the_plan.phases:
        print(f"\n{phase.order}. {phase.name} (months {phase.start_month}–{phase.end_month})")
        for method_id, name in zip(phase.method_ids, phase.methods, strict=True):
            print(f"   - {name} [{method_id}]")
        print(f"   Why: {phase.why}")
        if phase.programmes:
            print(f"   Drawn from: {'; '.join(phase.programmes)}")
        for limitation in phase.limitations:
            print(f"   Watch: {limitation}")
    print_similar(the_plan.similar_programmes)
    print(f"\n{RANKING_NOTE}")
    return 0
