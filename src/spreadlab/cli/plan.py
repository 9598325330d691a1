"""`spreadlab plan PROFILE.yaml`: a phased plan for an intervention profile."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from ..collation import load
from ..plan_file import PlanFile
from ..plan_guide import guide
from ..views import advice_text, exports, outline
from .data_option import data_option
from .output import exclude_argument, print_alike


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan", parents=[data_option()], help="a phased plan of methods for an intervention profile",
        description="Combine the levers in hand and the likeliest methods into phases within the timescale.")
    parser.add_argument("profile", metavar="PROFILE.yaml",
                        help="a profile, or a plan saved from the dashboard (the profile with its edits)")
    parser.add_argument("--format", choices=("table", "json", "markdown"), default="table",
                        help="table (the default), json, or markdown: the full plan with what to do in each phase")
    exclude_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    collation = load(args.data)
    saved = PlanFile.from_yaml(args.profile, collation=collation)
    if args.exclude:
        saved = replace(saved, exclude=tuple(dict.fromkeys([*saved.exclude, *args.exclude])))
    plan = saved.plan(collation)
    if args.format == "json":
        print(json.dumps(exports.plan_json(plan), indent=2, ensure_ascii=False))
        return 0
    if args.format == "markdown":
        print(outline.to_markdown(outline.full_outline(guide(collation, plan), collation)), end="")
        return 0
    profile = plan.profile
    derived = " (derived from the complexity assessment)" if profile.nature_derived else ""
    print(f"Plan for {profile.name}: {profile.nature}{derived}, {profile.audience_scale} audience, "
          f"{profile.timescale_months} months")
    for notice in plan.notices:
        print(f"Warning: {advice_text.notice_sentence(notice)}")
    for phase in plan.phases:
        print(f"\n{phase.order}. {phase.name} (months {phase.start_month}–{phase.end_month})")
        for planned in phase.planned:
            ask = " — an ask of others" if planned.is_ask else ""
            print(f"   - {planned.method} [{planned.method_id}]{ask}: {advice_text.summary_line(planned.advice)}")
    print_alike(plan.advice)
    print(f"\n{advice_text.NOTE}")
    return 0
