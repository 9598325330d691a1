"""`spreadlab plan PROFILE.yaml`: a phased plan for an intervention profile."""

from __future__ import annotations

import argparse
import json

from ..collation import load
from ..planning import plan
from ..profile import InterventionProfile
from ..views import advice_text, exports
from .output import exclude_argument, print_alike


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("plan", help="a phased plan of methods for an intervention profile",
                                   description="Combine the levers in hand and the likeliest methods into phases "
                                               "within the timescale.")
    parser.add_argument("profile", metavar="PROFILE.yaml")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--data", metavar="DATA_DIR", help="data folder (default: bundled data)")
    exclude_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    the_plan = plan(load(args.data), InterventionProfile.from_yaml(args.profile), exclude=args.exclude)
    if args.format == "json":
        print(json.dumps(exports.plan_json(the_plan), indent=2, ensure_ascii=False))
        return 0
    profile = the_plan.profile
    derived = " (derived from the complexity assessment)" if profile.nature_derived else ""
    print(f"Plan for {profile.name}: {profile.nature}{derived}, {profile.audience_scale} audience, "
          f"{profile.timescale_months} months")
    for notice in the_plan.notices:
        print(f"Warning: {advice_text.notice_sentence(notice)}")
    for phase in the_plan.phases:
        print(f"\n{phase.order}. {phase.name} (months {phase.start_month}–{phase.end_month})")
        for planned in phase.planned:
            ask = " — an ask of others" if planned.is_ask else ""
            print(f"   - {planned.method} [{planned.method_id}]{ask}: {advice_text.summary_line(planned.advice)}")
    print_alike(the_plan.advice)
    print(f"\n{advice_text.NOTE}")
    return 0
