"""What one report is made from: its template, its parameters, its title, its file name and its inputs hash.

The inputs hash covers the parameters, the template's content, spreadlab's version and source, and the data
folder the kernels read, so a rerun can skip a report only when nothing that shapes it has changed.
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
from ..paths import PACKAGE_ROOT, default_data_dir
from ..profile import FIELDS, InterventionProfile
from .case_sections import check_case_id
from .execute import template
from .files import slugify

CASE_TEMPLATE = "case_example"
PLAN_TEMPLATE = "plan"


@dataclass(frozen=True, slots=True)
class ReportJob:
    """One report to make.

    Attributes:
        template: template name in notebooks/reports (without `.ipynb`).
        parameters: values papermill injects into the template's parameters cell.
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


def plan_job(profile: InterventionProfile, file_name: str | None = None, *,
             data_dir: Path | None = None) -> ReportJob:
    """The plan report of a validated profile, from `data_dir` (`$SPREADLAB_DATA` or the bundled data by
    default); every profile field is injected (None when not given) so no template default can leak into a
    report."""
    parameters = dict.fromkeys(FIELDS) | profile.to_dict()
    return _job(PLAN_TEMPLATE, parameters, profile.name, file_name or f"{slugify(profile.name)}.html",
                data_dir or default_data_dir())


def _job(template_name: str, parameters: dict[str, Any], title: str, file_name: str, data_dir: Path) -> ReportJob:
    inputs = {
        "template": template(template_name).content_hash,
        "parameters": parameters,
        "spreadlab": __version__,
        "source": source_fingerprint(),
        "data": data_fingerprint(Path(data_dir).resolve()),
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return ReportJob(template_name, parameters, title, file_name, digest)


@cache
def source_fingerprint() -> str:
    """sha256 of spreadlab's Python source: a changed section builder or chart changes every report."""
    return _hash_files(PACKAGE_ROOT, "*.py")


@cache
def data_fingerprint(folder: Path) -> str:
    """sha256 of the files of a data folder (once per folder and process: a batch reads its data once)."""
    return _hash_files(folder, "*")


def _hash_files(folder: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
