"""Where spreadlab's bundled data and notebooks live, found through the installed package, and which files a
data folder is made of."""

from __future__ import annotations

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
CODING_DIR = "coding"
GLOSSARY_FILE = "glossary.yaml"
COMPLEXITY_FILE = "complexity.yaml"
RULES_FILE = "rules.yaml"
CALIBRATION_FILE = "calibration.yaml"
CODEBOOK_FILE = "codebook.yaml"
EXAMPLE_PROFILES_DIR = DATA_DIR / "examples" / "profiles"
"""The example profiles bundled with spreadlab (the dashboard's Plan tab starts from them)."""
DATA_FILES = (GLOSSARY_FILE, COMPLEXITY_FILE, RULES_FILE, CALIBRATION_FILE, CODEBOOK_FILE,
              f"{APPROACHES_DIR}/*.yaml", f"{CASE_EXAMPLES_DIR}/*.yaml", f"{PROGRAMMES_DIR}/*.yaml",
              f"{GUIDANCE_DIR}/*.yaml", f"{CODING_DIR}/*/*.yaml")
"""Every file of a data folder that spreadlab reads, as glob patterns inside it: the fingerprint of a data folder
(report reruns, the load cache) covers these and opens nothing else, so a file the loader reads must match one."""
DATA_ENV = "SPREADLAB_DATA"
"""Environment variable naming the data folder of a dashboard kernel: `spreadlab dashboard --data DIR` sets it for
the kernels Voilà starts, and only the dashboard notebook reads it (reports take the folder as a parameter)."""


def folder_files(data_dir: Path, folder: str) -> list[Path]:
    """The .yaml files of a folder of records inside `data_dir`, in name order (none when it is no folder)."""
    return sorted((data_dir / folder).glob("*.yaml"))


def data_files(data_dir: Path) -> list[Path]:
    """The files of `data_dir` that match DATA_FILES, in a fixed order."""
    return [path for pattern in DATA_FILES for path in sorted(data_dir.glob(pattern))]

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
