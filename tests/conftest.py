"""Fixtures shared by the tests: the bundled collation, a writable copy of the data, the command line (in this
process, or the installed console script) and a typical profile."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import spreadlab
from portfolios import example_rows, write_portfolio
from spreadlab.cli import main
from spreadlab.paths import DATA_DIR


@pytest.fixture(scope="session")
def collation() -> spreadlab.Collation:
    """The bundled collation, loaded once for the whole session (tables are read-only by convention)."""
    return spreadlab.load()


@pytest.fixture(scope="session")
def profile_values() -> dict[str, object]:
    """A typical intervention profile, as the dashboard form or a YAML file gives it."""
    return {
        "name": "AF detection in primary care",
        "nature": "complicated",
        "audience_scale": "national",
        "motivators": "mixed",
        "energy_for_change": "medium",
        "timescale_months": 24,
        "resources": "medium",
        "evidence": "proven",
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, with symlinks replaced by the files they point to."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, symlinks=False)
    return target


@pytest.fixture(scope="session")
def spreadlab_exe() -> Path:
    """The installed `spreadlab` console script of the interpreter running the tests."""
    exe = Path(sys.executable).parent / "spreadlab"
    found = exe if exe.exists() else shutil.which("spreadlab")
    assert found, "the spreadlab console script is not installed (run `make setup`)"
    return Path(found)


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path) -> Callable[..., Ran]:
    """`spreadlab ARGS…` run in this process through `main(argv)`, in `tmp_path` as the working folder: what the
    console script does, without starting an interpreter (tests of the script itself use `spreadlab_exe`)."""
    monkeypatch.chdir(tmp_path)

    def run(*args: object) -> Ran:
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


@pytest.fixture
def portfolio_20(tmp_path) -> Path:
    """Twenty rows: the example portfolio, with copies renamed."""
    rows = example_rows()
    rows = [dict(row, name=f"{row['name']} ({n // len(rows) + 1})") for n, row in
            enumerate(rows * 2)][:20]
    return write_portfolio(tmp_path / "portfolio.csv", rows)
