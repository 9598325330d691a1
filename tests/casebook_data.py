"""A copy of the data folder in which a few programmes carry the new profile fields `kind` and `setting` (the library
does not record them yet), for the casebook's filters and words."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from spreadlab.paths import DATA_DIR

KINDS_AND_SETTINGS = {
    "covid-oximetry-at-home": ("digital", "community"),
    "electronic-prescription-service": ("digital", "primary-care"),
    "saving-babies-lives-care-bundle": ("clinical-practice", "maternity"),
    "prompt-maternity-training": ("capability", "maternity"),
}


def data_with_kinds(target: Path) -> Path:
    """`target`, made a copy of the bundled data with KINDS_AND_SETTINGS written into those programmes' profiles."""
    shutil.copytree(DATA_DIR, target, symlinks=False)
    for ident, (kind, setting) in KINDS_AND_SETTINGS.items():
        path = target / "programmes" / f"{ident}.yaml"
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        record["profile"]["kind"] = {"value": kind, "rationale": "Set by the casebook tests."}
        record["profile"]["setting"] = {"value": setting, "rationale": "Set by the casebook tests."}
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target
