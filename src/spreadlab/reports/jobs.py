"""What one report is made from: its template, its parameters (the data folder among them), its title, its file
name and its inputs hash.

The inputs hash covers the parameters, the template's content, spreadlab's version and source, and the files the
kernel reads in the data folder, so a rerun can skip a report only when nothing that shapes it has changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..collation import Collation
from ..fingerprints import data_fingerprint, source_fingerprint
from ..paths import DATA_DIR
from ..plan_file import EDITS, EXCLUDE, PlanFile
from ..profile import FIELDS, InterventionProfile
from .case_sections import check_case_id
from .execute import template
from .files import slugify
from .plan_sections import EDITION_PARAMETER, check_edition

CASE_TEMPLATE = "case_example"
PLAN_TEMPLATE = "plan"
DATA_PARAMETER = "data_dir"
"""The templates' parameter naming the data folder their kernel loads."""


@dataclass(frozen=True, slots=True)
class ReportJob:
    """One report to make.

    Attributes:
        template: template name in notebooks/reports (without `.ipynb`).
        parameters: values papermill injects into the template's parameters cell, the data folder's absolute path
            (DATA_PARAMETER) among them.
        title: the page title (what the report is about).
        file_name: the HTML file's name in the output folder.
        inputs_hash: sha256 of everything that shapes the report.
    """

    template: str
    parameters: dict[str, Any] = field(hash=False)
    title: str
    file_name: str
    inputs_hash: str


def case_job(collation: Collation, case_id: str) -> ReportJob:
    """The case example report of `case_id` (checked first: UnknownIdError with close matches), from the
    collation's data folder."""
    check_case_id(collation, case_id)
    name = collation.case_examples.set_index("case_id").loc[case_id, "name"]
    return _job(CASE_TEMPLATE, {"case_id": case_id}, str(name), f"{slugify(case_id)}.html", collation.data_dir)


def plan_job(saved: PlanFile | InterventionProfile, file_name: str | None = None, *,
             data_dir: Path = DATA_DIR, edition: str = "full") -> ReportJob:
    """The plan report of a validated profile or saved plan (its profile, programmes left out and edits), in the
    `edition` asked for (board or full; the board edition's file name ends in `-board`), from `data_dir` (the
    bundled data by default); every profile field is injected (None when not given) so no template default can leak
    into a report."""
    saved = saved if isinstance(saved, PlanFile) else PlanFile(saved)
    profile = saved.profile
    parameters = (dict.fromkeys(FIELDS) | profile.to_dict()
                  | {EDITION_PARAMETER: check_edition(edition), EXCLUDE: list(saved.exclude) or None,
                     EDITS: saved.edits.to_dict() or None})
    stem = (file_name or f"{slugify(profile.name)}.html").removesuffix(".html")
    return _job(PLAN_TEMPLATE, parameters, profile.name, f"{stem}-board.html" if edition == "board" else f"{stem}.html",
                data_dir)


def _job(template_name: str, parameters: dict[str, Any], title: str, file_name: str, data_dir: Path) -> ReportJob:
    # Absolute: kernels run in the output folder, where a relative path would name another folder.
    folder = Path(data_dir).resolve()
    inputs = {
        "template": template(template_name).content_hash,
        "parameters": parameters,  # the folder's content counts below, not where it is
        "spreadlab": __version__,
        "source": source_fingerprint(),
        "data": _data_fingerprint(folder),
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return ReportJob(template_name, parameters | {DATA_PARAMETER: str(folder)}, title, file_name, digest)


@cache
def _data_fingerprint(folder: Path) -> str:
    """The data folder's fingerprint, once per folder and process: a batch reads its data once."""
    return data_fingerprint(folder)
