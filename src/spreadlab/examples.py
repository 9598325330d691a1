"""The example profiles bundled with spreadlab, each known by the name of its intervention: the dashboard's Plan tab
offers them as plans to start from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import EXAMPLE_PROFILES_DIR
from .plan_file import PlanFile


@dataclass(frozen=True, slots=True)
class Example:
    """A bundled example: the intervention's name and the plan file it is read from."""

    name: str
    path: Path

    def read(self) -> PlanFile:
        """The example as a plan file (a profile with no edits)."""
        return PlanFile.from_yaml(self.path)


@cache
def examples(folder: Path = EXAMPLE_PROFILES_DIR) -> tuple[Example, ...]:
    """The example profiles in `folder`, by name."""
    found = (Example(PlanFile.from_yaml(path).profile.name, path) for path in sorted(folder.glob("*.yaml")))
    return tuple(sorted(found, key=lambda example: example.name.casefold()))
