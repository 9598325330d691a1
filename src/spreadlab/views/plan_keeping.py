"""Views of a plan the leader keeps and changes: what they changed in the advice's plan (methods dropped, added or
moved, programmes left out) and the files that keep it — the plan file to load again, the plan as Word, Excel and
CSV, and the ranking."""

from __future__ import annotations

from ..collation import Collation
from ..plan_file import PlanFile
from ..plan_guide import PlanGuide
from ._env import render, trusted
from .documents import plan_csv, plan_workbook, to_docx
from .outline import full_outline
from .plans import download_link, downloads, file_stem

YAML_MIME = "application/yaml"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stage_names(collation: Collation) -> dict[str, str]:
    """Each stage of a plan by id, with the name its phase is shown by."""
    return {phase.id: phase.name for phase in collation.rules.plan.phases}


def plan_changes(saved: PlanFile, collation: Collation, *, level: int = 3) -> str:
    """The plan's heading and, in words, what the leader changed in the advice's plan and which programmes they
    left out of the advice."""
    methods = dict(zip(collation.methods["method_id"], collation.methods["name"], strict=True))
    programmes = dict(zip(collation.programmes["programme_id"], collation.programmes["name"].astype(str),
                          strict=True))
    stages = stage_names(collation)
    changes = [*(f"dropped {methods[m]}" for m in saved.edits.drop),
               *(f"added {methods[m]} to “{stages[s]}”" for m, s in saved.edits.add),
               *(f"moved {methods[m]} to “{stages[s]}”" for m, s in saved.edits.move)]
    return render("plans/changes.html.j2", level=level, name=saved.profile.name, changes=changes,
                  left_out=[programmes[p] for p in saved.exclude])


def plan_downloads(saved: PlanFile, guide: PlanGuide, collation: Collation, *, level: int = 3) -> str:
    """Links that keep the plan: the plan file (YAML that the dashboard and `spreadlab plan` read back), the plan
    as Word, Excel (the plan and the ranking on separate sheets) and CSV, and the ranking as JSON and CSV."""
    stem = file_stem(saved.profile.name)
    advice = guide.plan.advice  # the advice after the programmes left out
    links = {
        "yaml": download_link(saved.to_yaml(), f"{stem}-plan.yaml", YAML_MIME, "Save the plan (YAML)"),
        "docx": download_link(to_docx(full_outline(guide, collation)), f"{stem}-plan.docx", DOCX_MIME, "Word"),
        "xlsx": download_link(plan_workbook(guide), f"{stem}-plan.xlsx", XLSX_MIME, "Excel"),
        "csv": download_link(plan_csv(guide), f"{stem}-plan.csv", "text/csv", "CSV"),
        "ranking": downloads(advice),
    }
    return render("plans/keep.html.j2", level=level, changed=bool(saved.edits or saved.exclude),
                  **{key: trusted(link) for key, link in links.items()})
