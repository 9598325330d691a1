"""Copies of the data folder with known profile fields for the casebook's tests: in one, only four programmes carry
a kind and a setting (and one a mandate), so the filters' options and the words' matches are known whatever the
library records; in the other, no programme carries a kind or a setting."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from spreadlab.paths import DATA_DIR

KINDS_AND_SETTINGS = {
    "covid-oximetry-at-home": ("digital", "community"),
    "electronic-prescription-service": ("digital", "primary-care"),
    "saving-babies-lives-care-bundle": ("clinical-practice", "maternity"),
    "prompt-maternity-training": ("capability", "maternity"),
}
MANDATED = "electronic-prescription-service"
REASON = "Set by the casebook tests."


def data_with_kinds(target: Path) -> Path:
    """`target`: a copy of the bundled data in which only KINDS_AND_SETTINGS carry a kind and a setting, and only
    MANDATED has `mandate: yes` (every other mandate is `no`)."""
    def edit(ident: str, profile: dict) -> None:
        if ident in KINDS_AND_SETTINGS:
            kind, setting = KINDS_AND_SETTINGS[ident]
            profile["kind"] = {"value": kind, "rationale": REASON}
            profile["setting"] = {"value": setting, "rationale": REASON}
        profile["mandate"] = {"value": "yes" if ident == MANDATED else "no", "rationale": REASON}

    return _copy(target, edit)


def data_without_kinds(target: Path) -> Path:
    """`target`: a copy of the bundled data in which no programme carries a kind or a setting."""
    return _copy(target, lambda ident, profile: None)


def _copy(target: Path, edit: Callable[[str, dict], None]) -> Path:
    shutil.copytree(DATA_DIR, target, symlinks=False)
    for path in [*(target / "programmes").glob("*.yaml"), *(target / "case_examples").glob("*.yaml")]:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not record.get("profile"):  # a case example without a profile is not in the library
            continue
        record["profile"].pop("kind", None)
        record["profile"].pop("setting", None)
        edit(record["id"], record["profile"])
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target
