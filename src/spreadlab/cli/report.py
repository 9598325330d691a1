"""`spreadlab report case ID` and `spreadlab report plan PROFILE_OR_PLAN.yaml`: one self-contained HTML report, its
PDF, or both; for a plan, in the board or the full edition, and its Word file."""

from __future__ import annotations

import argparse

from ..collation import load
from ..plan_file import PlanFile
from ..reports.pdf import FORMATS, PAGE_FORMATS
from ..reports.plan_sections import EDITIONS
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
                            description="The plan of a profile, or of a plan saved from the dashboard (the profile "
                                        "with its edits), in the board edition (at most four A4 pages) or the full "
                                        "report (every phase, then the ranking in a marked appendix).")
    plan.add_argument("profile", metavar="PROFILE_OR_PLAN.yaml")
    plan.add_argument("--edition", choices=EDITIONS, default="full",
                      help="board (at most four A4 pages; its files end in -board) or full (default: full)")
    for kind, formats, words in ((case, PAGE_FORMATS, "HTML, PDF (A4, printed by Chromium) or both"),
                                 (plan, FORMATS, "HTML, PDF (A4, printed by Chromium), docx (the full plan as an "
                                                 "editable Word file), both (HTML and PDF) or all three")):
        kind.add_argument("--out", metavar="DIR", help="output folder (default: the project's reports/ folder "
                                                       "inside the spreadlab checkout, else ~/spreadlab-reports)")
        kind.add_argument("--format", choices=formats, default="html", help=f"{words} (default: html)")
        kind.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..paths import default_reports_dir
    from ..reports.batch import make_report_files
    from ..reports.jobs import case_job, plan_job

    collation = load(args.data)
    if args.kind == "case":
        job = case_job(collation, args.case_id)
    else:
        job = plan_job(PlanFile.from_yaml(args.profile, collation=collation), data_dir=collation.data_dir,
                       edition=args.edition)
    for path in make_report_files(job, args.out or default_reports_dir(), output_format=args.format):
        print(path)
    return 0
