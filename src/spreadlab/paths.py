"""Where spreadlab's bundled data and notebooks live, found through the installed package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_ROOT = Path(str(files("spreadlab")))
DATA_DIR = PACKAGE_ROOT / "data"
NOTEBOOKS_DIR = PACKAGE_ROOT / "notebooks"
REPORT_TEMPLATES_DIR = NOTEBOOKS_DIR / "reports"
APPROACHES_DIR = "approaches"
CASE_EXAMPLES_DIR = "case_examples"
