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
DATA_ENV = "SPREADLAB_DATA"
"""Environment variable naming a data folder to use instead of the bundled one (set by `--data` for the kernels
that the dashboard and the reports start, so they read the folder the user chose)."""


def default_data_dir() -> Path:
    """The data folder `load()` reads when given none: `$SPREADLAB_DATA` when set, else the bundled data."""
    chosen = os.environ.get(DATA_ENV)
    return Path(chosen) if chosen else DATA_DIR
