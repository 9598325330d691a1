"""Where spreadlab's bundled data and notebooks live, found through the installed package."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PACKAGE_ROOT = Path(str(files("spreadlab")))
DATA_DIR = PACKAGE_ROOT / "data"
NOTEBOOKS_DIR = PACKAGE_ROOT / "notebooks"
REPORT_TEMPLATES_DIR = NOTEBOOKS_DIR / "reports"
APPROACHES_DIR = "approaches"
CASE_EXAMPLES_DIR = "case_examples"
PROGRAMMES_DIR = "programmes"
GUIDANCE_DIR = "guidance"
DATA_ENV = "SPREADLAB_DATA"
"""Environment variable naming a data folder to use instead of the bundled one (set by `--data` for the kernels
that the dashboard and the reports start, so they read the folder the user chose)."""


def default_data_dir() -> Path:
    """The data folder `load()` reads when given none: `$SPREADLAB_DATA` when set, else the bundled data."""
    chosen = os.environ.get(DATA_ENV)
    return Path(chosen) if chosen else DATA_DIR

PROJECT_NAME = "spreadlab"
REPORTS_FOLDER = "reports"
HOME_REPORTS_FOLDER = "spreadlab-reports"


def project_root(start: Path) -> Path | None:
    """The spreadlab checkout that `start` lies in (a folder whose pyproject.toml names the spreadlab project),
    or None."""
    import tomllib

    from .errors import SpreadlabError
    from .inputs import read_text  # imported here: most users of paths never read a file

    for folder in (start, *start.parents):
        if not (folder / "pyproject.toml").is_file():
            continue
        try:
            project = tomllib.loads(read_text(folder / "pyproject.toml", what="pyproject.toml"))
        except (SpreadlabError, tomllib.TOMLDecodeError):  # not a project file spreadlab can use
            continue
        if isinstance(project.get("project"), dict) and project["project"].get("name") == PROJECT_NAME:
            return folder
    return None


def default_reports_dir(start: Path | None = None) -> Path:
    """Where reports go without --out: the checkout's `reports/` when run inside the spreadlab project, else
    `~/spreadlab-reports`, never the working directory of whatever the user was doing."""
    root = project_root((start or Path.cwd()).resolve())
    return root / REPORTS_FOLDER if root else Path.home() / HOME_REPORTS_FOLDER
