"""The ranking rules and weights, read from `scoring.yaml` in the data folder and checked on the way in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

from ._validate import read_file
from .errors import CollationError, Problem
from .vocabulary import Evidence, Level, Motivation, Nature, Stage

_STRICT = ConfigDict(extra="forbid", defer_build=True)  # built on first use, not at import
Fit = Annotated[float, Field(ge=0.0, le=1.0)]
Steps = Annotated[tuple[Fit, ...], Field(min_length=3, max_length=3)]
CRITERIA = ("nature", "motivators", "audience_scale", "energy_for_change", "timescale", "resources", "evidence")


@dataclass(frozen=True, config=_STRICT)
class Weights:
    nature: Annotated[float, Field(ge=0)]
    motivators: Annotated[float, Field(ge=0)]
    audience_scale: Annotated[float, Field(ge=0)]
    energy_for_change: Annotated[float, Field(ge=0)]
    timescale: Annotated[float, Field(ge=0)]
    resources: Annotated[float, Field(ge=0)]
    evidence: Annotated[float, Field(ge=0)]


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


@dataclass(frozen=True, config=_STRICT)
class ShortfallRule:
    by_shortfall: Steps


@dataclass(frozen=True, config=_STRICT)
class EvidenceRule:
    stages: dict[Evidence, Annotated[tuple[Stage, ...], Field(min_length=1)]]
    fit: dict[str, Fit]
    emerging_ranks_building_first: bool


@dataclass(frozen=True, config=_STRICT)
class PhaseRule:
    id: str
    name: str
    purpose: str
    share: Annotated[float, Field(gt=0, le=1)]
    methods: Annotated[int, Field(ge=1, le=5)]
    approaches: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()
    when: tuple[str, ...] = ()


@dataclass(frozen=True, config=_STRICT)
class PlanRule:
    min_score: Fit
    phases: Annotated[tuple[PhaseRule, ...], Field(min_length=1)]


@dataclass(frozen=True, config=_STRICT)
class ScoringRules:
    """Weights and fit tables for each criterion of `recommend()`; see docs/scoring.md."""

    weights: Weights
    nature: NatureRule
    motivators: MotivationRule
    energy_for_change: MotivationRule
    audience_scale: DistanceRule
    timescale: TimescaleRule
    resources: ShortfallRule
    evidence: EvidenceRule
    plan: PlanRule


_ADAPTER = TypeAdapter(ScoringRules)


def load_rules(path: Path) -> ScoringRules:
    """Read and check the scoring rules; problems are reported like any other data problem."""
    problems: list[Problem] = []
    rules = read_file(path.parent, path.name, _ADAPTER, problems)
    if problems:
        raise CollationError(problems)
    return rules
