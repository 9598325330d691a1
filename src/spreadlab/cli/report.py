"""`spreadlab report case ID` and `spreadlab report plan PROFILE.yaml`: one self-contained HTML report, its PDF,
or both."""

from __future__ import annotations

import argparse

from ..collation import load
from ..profile import InterventionProfile
from .data_option import data_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="write an HTML or PDF report of a case example or of a plan",
        description="Run a report template with papermill and write one self-contained HTML file "
                    "(charts work offline). Parameters are checked before any kernel starts.",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    case = kinds.add_parser("case", parents=[data_option()], help="the report of a case example",
                            description="The programme, its phases and what the collation says of its methods.")
    case.add_argument("case_id", metavar="ID", help="case example id, e.g. atrial-fibrillation")
    plan = kinds.add_parser("plan", parents=[data_option()], help="the plan report of an intervention profile",
                            description="The profile, the phased plan and the ranked methods with reasons.")
    plan.add_argument("profile", metavar="PROFILE.yaml")
    for kind in (case, plan):
        kind.add_argument("--out", metavar="DIR", help="output folder (default: the project's reports/ folder "
                                                       "inside the spreadlab checkout, else ~/spreadlab-reports)")
        kind.add_argument("--format", choices=("html", "pdf", "both"), default="html",
                          help="HTML, PDF (A4, printed by Chromium) or both (default: html)")
        kind.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..paths import default_reports_dir
    from ..reports.batch import make_report_files
    from ..reports.jobs import case_job, plan_job

    collation = load(args.data)
    if args.kind == "case":
        job = case_job(collation, args.case_id)
    else:
        job = plan_job(InterventionProfile.from_yaml(args.profile), data_dir=collation.data_dir)
    for path in make_report_files(job, args.out or default_reports_dir(), output_format=args.format):
        print(path)
    return 0
