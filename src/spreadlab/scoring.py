"""The ranking rules (`scoring.yaml`, written by hand) and the weights fitted on the programme library
(`calibration.yaml`, written by `spreadlab calibrate`), read from the data folder and checked on the way in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

from ._validate import read_file
from .errors import CollationError, Problem
from .vocabulary import Evidence, Level, Motivation, Nature, PlanStage, Stage

_STRICT = ConfigDict(extra="forbid", defer_build=True)  # built on first use, not at import
Fit = Annotated[float, Field(ge=0.0, le=1.0)]
Steps = Annotated[tuple[Fit, ...], Field(min_length=3, max_length=3)]
RULE_CRITERIA = ("nature", "motivators", "audience_scale", "energy_for_change", "timescale", "resources", "evidence")
LIBRARY_CRITERION = "similar_programmes"
SITUATION_CRITERION = "same_situation"
CRITERIA = (*RULE_CRITERIA, LIBRARY_CRITERION, SITUATION_CRITERION)
Weight = Annotated[float, Field(ge=0)]


@dataclass(frozen=True, config=_STRICT)
class Weights:
    """How much each criterion counts in a method's score."""

    nature: Weight
    motivators: Weight
    audience_scale: Weight
    energy_for_change: Weight
    timescale: Weight
    resources: Weight
    evidence: Weight
    similar_programmes: Weight
    same_situation: Weight


@dataclass(frozen=True, config=_STRICT)
class NatureRule:
    fit: dict[Nature, dict[Level, Fit]]
    why: dict[Nature, str]


@dataclass(frozen=True, config=_STRICT)
class MotivationRule:
    fit: dict[str, dict[Motivation, Fit]]


@dataclass(frozen=True, config=_STRICT)
class DistanceRule:
    by_distance: Steps


@dataclass(frozen=True, config=_STRICT)
class TimescaleRule:
    bands: dict[str, Annotated[int, Field(ge=1)]]
    by_shortfall: Steps
    variable: Fit

    def band(self, months: int) -> str:
        """The timeframe `months` falls in: short, medium or long term."""
        return next((band for band in ("short", "medium") if months <= self.bands[band]), "long")


@dataclass(frozen=True, config=_STRICT)
class ShortfallRule:
    by_shortfall: Steps


@dataclass(frozen=True, config=_STRICT)
class EvidenceRule:
    stages: dict[Evidence, Annotated[tuple[Stage, ...], Field(min_length=1)]]
    fit: dict[str, Fit]


@dataclass(frozen=True, config=_STRICT)
class PhaseRule:
    id: PlanStage
    name: str
    purpose: str
    share: Annotated[float, Field(gt=0, le=1)]
    approaches: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()
    when: tuple[str, ...] = ()


@dataclass(frozen=True, config=_STRICT)
class PlanRule:
    min_score: Fit
    methods: Annotated[int, Field(ge=1, le=12)]
    phases: Annotated[tuple[PhaseRule, ...], Field(min_length=1)]


@dataclass(frozen=True, config=_STRICT)
class ScoringRules:
    """Fit tables for each rule criterion of `recommend()` and how plans are cut into phases; see
    docs/scoring.md."""

    nature: NatureRule
    motivators: MotivationRule
    energy_for_change: MotivationRule
    audience_scale: DistanceRule
    timescale: TimescaleRule
    resources: ShortfallRule
    evidence: EvidenceRule
    plan: PlanRule


@dataclass(frozen=True, config=_STRICT)
class SimilarityRule:
    """How programmes like yours are found: the weight of each profile field, how many of the closest programmes
    count (None: all of them), and how sharply closeness counts (each programme weighs similarity ** power)."""

    neighbours: Annotated[int, Field(ge=1, le=100)] | None
    power: Annotated[float, Field(ge=0, le=32)]
    fields: dict[str, Weight]


@dataclass(frozen=True, config=_STRICT)
class Calibration:
    """Weights fitted on the programme library by `spreadlab calibrate` (docs/scoring.md, "Calibration").

    Attributes:
        procedure: how the fit was made, in words.
        library: the programme ids the fit used; `library_fingerprint` the sha256 of their data.
        objective: mean rank percentile of the methods each programme used, each ranked with the programme left
            out (0 = always first, 0.5 = a random order).
        emerging_ranks_building_first: whether, for emerging evidence, methods that build evidence are ranked above
            all others whatever their score (otherwise the evidence criterion alone favours them).
    """

    procedure: str
    library: tuple[str, ...]
    library_fingerprint: str
    objective: Annotated[float, Field(ge=0, le=1)]
    weights: Weights
    similarity: SimilarityRule
    emerging_ranks_building_first: bool


_RULES = TypeAdapter(ScoringRules)
_CALIBRATION = TypeAdapter(Calibration)


def load_rules(path: Path) -> ScoringRules:
    """Read and check the scoring rules; problems are reported like any other data problem."""
    return _read(path, _RULES)


def load_calibration(path: Path) -> Calibration:
    """Read and check the fitted weights."""
    return _read(path, _CALIBRATION)


def _read(path: Path, adapter: TypeAdapter) -> Any:
    problems: list[Problem] = []
    record = read_file(path.parent, path.name, adapter, problems)
    if problems:
        raise CollationError(problems)
    return record
