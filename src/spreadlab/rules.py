"""The advice rules (`rules.yaml`, written by hand): what counts as alike, which levers put which methods in a plan,
who can pull which lever, what is feasible, and how a plan is cut into phases; read and checked on the way in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

from ._validate import read_file
from .errors import CollationError, Problem
from .vocabulary import Level, Nature, PlanStage, SpreadLead

_STRICT = ConfigDict(extra="forbid", defer_build=True)  # built on first use, not at import
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Weight = Annotated[float, Field(ge=0)]
Months = Annotated[int, Field(ge=1, le=120)]
LEVERS = ("mandate", "incentive", "contract", "regulation")


@dataclass(frozen=True, config=_STRICT)
class AdviceRule:
    """How a method's chance is read: a foundation is what most programmes do, in this situation too (base rate and
    chance both at least `foundation_rate`); a distinctive choice is a method whose chance is at least
    `distinctive_lift` times its base rate and at least `min_chance`."""

    foundation_rate: Share
    distinctive_lift: Annotated[float, Field(ge=1)]
    min_chance: Share


@dataclass(frozen=True, config=_STRICT)
class AlikeRule:
    """What makes programmes alike: the weight of each situation field; no programme counts for more than
    `max_share` of "programmes like yours"; `shown` of the closest are named."""

    fields: dict[str, Weight]
    max_share: Annotated[float, Field(gt=0, le=1)]
    shown: Annotated[int, Field(ge=1, le=20)]


@dataclass(frozen=True, config=_STRICT)
class LeverRule:
    """A lever a leader declares in hand puts `methods` in the plan, at `stage`, when their chance in this
    situation is at least `min_chance` (0: always)."""

    lever: str
    methods: Annotated[tuple[str, ...], Field(min_length=1)]
    stage: PlanStage
    min_chance: Share = 0.0


@dataclass(frozen=True, config=_STRICT)
class ReachRule:
    """A method only some spread leads can use themselves (`leads`), unless its `lever` is declared in hand;
    any other lead asks `holders` for it."""

    method: str
    leads: Annotated[tuple[SpreadLead, ...], Field(min_length=1)]
    holders: Annotated[tuple[SpreadLead, ...], Field(min_length=1)]
    lever: str | None = None


@dataclass(frozen=True, config=_STRICT)
class FeasibilityRule:
    """What a plan can do in the time and with the means available: the fewest months for a spread by the
    intervention's nature and by how many organisations must change."""

    months_by_nature: dict[Nature, Months]
    months_by_adopters: dict[str, Months]
    costly: Level


@dataclass(frozen=True, config=_STRICT)
class PhaseRule:
    """One phase a plan may have: its stage, name, purpose and share of the months."""

    id: PlanStage
    name: str
    purpose: str
    share: Annotated[float, Field(gt=0, le=1)]


@dataclass(frozen=True, config=_STRICT)
class PlacementRule:
    """Sequencing that always holds: `methods` go to one of `stages` (the first that the plan has)."""

    methods: Annotated[tuple[str, ...], Field(min_length=1)]
    stages: Annotated[tuple[PlanStage, ...], Field(min_length=1)]
    why: str


@dataclass(frozen=True, config=_STRICT)
class PlanRule:
    """How plan() combines methods into phases (docs/scoring.md, "The plan")."""

    methods: Annotated[int, Field(ge=1, le=12)]
    min_chance: Share
    phases: Annotated[tuple[PhaseRule, ...], Field(min_length=1)]
    test_methods: Annotated[tuple[str, ...], Field(min_length=1)]
    placements: tuple[PlacementRule, ...]


@dataclass(frozen=True, config=_STRICT)
class Rules:
    """Everything in rules.yaml; see docs/scoring.md."""

    timescale_bands: dict[str, Months]
    advice: AdviceRule
    alike: AlikeRule
    levers: tuple[LeverRule, ...]
    reach: tuple[ReachRule, ...]
    feasibility: FeasibilityRule
    plan: PlanRule


_RULES = TypeAdapter(Rules)


def load_rules(path: Path, method_ids: tuple[str, ...] | None) -> Rules:
    """Read and check the advice rules against the recorded methods (not when `method_ids` is None, e.g. when the
    methods themselves failed to load); problems are reported like any other data problem (file, record, field,
    allowed values)."""
    problems: list[Problem] = []
    rules: Any = read_file(path.parent, path.name, _RULES, problems)
    if rules is not None and method_ids is not None:
        problems += _unknown_names(path.name, rules, method_ids)
    if problems:
        raise CollationError(problems)
    return rules


def _unknown_names(file: str, rules: Rules, method_ids: tuple[str, ...]) -> list[Problem]:
    """Method ids, levers and fields the rules name that do not exist."""
    from .situation import SITUATION_FIELDS

    methods = [(f"levers[{i}]", "methods", m) for i, rule in enumerate(rules.levers) for m in rule.methods]
    methods += [(f"reach[{i}]", "method", rule.method) for i, rule in enumerate(rules.reach)]
    methods += [("plan", "test_methods", m) for m in rules.plan.test_methods]
    methods += [(f"plan.placements[{i}]", "methods", m) for i, rule in enumerate(rules.plan.placements)
                for m in rule.methods]
    problems = [Problem(file, record, field, f"unknown method id {method!r}") for record, field, method in methods
                if method not in method_ids]
    levers = [(f"levers[{i}]", "lever", rule.lever) for i, rule in enumerate(rules.levers)]
    levers += [(f"reach[{i}]", "lever", rule.lever) for i, rule in enumerate(rules.reach) if rule.lever]
    problems += [Problem(file, record, field, f"unknown lever {lever!r} (allowed: {', '.join(LEVERS)})")
                 for record, field, lever in levers if lever not in LEVERS]
    problems += [Problem(file, "alike", f"fields.{name}", f"unknown field (allowed: {', '.join(SITUATION_FIELDS)})")
                 for name in rules.alike.fields if name not in SITUATION_FIELDS]
    return problems
