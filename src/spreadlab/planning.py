"""Combine the advice into a phased plan: the levers in hand first, then the methods programmes in this situation
most often used, each in the phase where it belongs, over the months available.

Sequencing that always holds (rules.yaml `plan.placements`): a signal, a mandate or a need comes first; demonstrator
sites test before spread and never after it; capability comes before or with spread; rolling out is the spread
itself. A mandated standard with proven evidence has no test phase; emerging evidence gets one that starts with a
method that tests the intervention. Every other method goes to the stage where the programmes like yours used it
most, else where its stage of development says. Facts only: the views write the sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from .advice import Advice, MethodAdvice, Notice, Standing, recommend
from .collation import Collation
from .profile import InterventionProfile
from .rules import PhaseRule, Rules
from .vocabulary import PLAN_STAGES

Why = Literal["lever", "chance", "evidence", "complement", "leader"]
STAGE_OF_DEVELOPMENT = {"prototype-testing": "test", "spread": "spread", "adoption-scale": "sustain"}


@dataclass(frozen=True, slots=True)
class PlannedMethod:
    """A method in a plan and why it is there.

    Attributes:
        method_id, method, approach_id, approach: the method.
        why: lever (a lever in hand), chance (among the likeliest for this situation), evidence (tests an intervention
            whose evidence is emerging), complement (a second approach for a complex intervention or a mixed
            audience), leader (added or moved by the leader).
        placed: why it is in its phase: a placement rule's reason, "alike" (where the programmes like yours used it),
            "stage" (its stage of development) or "leader".
        advice: the method's advice (chance, base rate, standing, lever, ask, resources).
        alike_users: the named programmes like yours that used it in this phase's stage.
    """

    method_id: str
    method: str
    approach_id: str
    approach: str
    why: Why
    placed: str
    advice: MethodAdvice
    alike_users: tuple[str, ...]

    @property
    def is_ask(self) -> bool:
        """The spread lead cannot use it themselves: it is an ask of those who hold it."""
        return bool(self.advice.ask)

    @property
    def standing(self) -> Standing:
        return self.advice.standing


@dataclass(frozen=True, slots=True)
class PlanPhase:
    """One phase of a plan: its stages (one, unless the months were too few to keep stages apart), name, purpose,
    months (inclusive, from 1) and methods."""

    order: int
    stages: tuple[str, ...]
    name: str
    purpose: str
    start_month: int
    end_month: int
    planned: tuple[PlannedMethod, ...]

    @property
    def stage(self) -> str:
        """The phase's (first) stage."""
        return self.stages[0]

    @property
    def method_ids(self) -> tuple[str, ...]:
        return tuple(p.method_id for p in self.planned)

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods' names."""
        return tuple(p.method for p in self.planned)

    @property
    def approach_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.approach_id for p in self.planned))


@dataclass(frozen=True, slots=True)
class Plan:
    """A phased combination of methods for one profile, the advice it came from and what the leader should know.

    Attributes:
        profile: the profile planned for.
        phases: the phases in order.
        notices: the advice's notices and the plan's own (e.g. that it starts by testing the intervention).
        advice: the advice the plan was made from.
    """

    profile: InterventionProfile
    phases: tuple[PlanPhase, ...]
    notices: tuple[Notice, ...]
    advice: Advice

    @property
    def method_ids(self) -> tuple[str, ...]:
        """Every planned method, in phase order."""
        return tuple(m for phase in self.phases for m in phase.method_ids)

    @property
    def planned(self) -> tuple[PlannedMethod, ...]:
        return tuple(p for phase in self.phases for p in phase.planned)

    @property
    def asks(self) -> tuple[PlannedMethod, ...]:
        """The planned methods the spread lead must ask others for."""
        return tuple(p for p in self.planned if p.is_ask)

    def to_frame(self) -> pd.DataFrame:
        """One row per planned method: phase order, stage, phase name, months, the method, why, standing, chance,
        base rate, lever, ask."""
        rows = [{"phase": phase.order, "stage": phase.stage, "phase_name": phase.name,
                 "start_month": phase.start_month, "end_month": phase.end_month, "method_id": p.method_id,
                 "method": p.method, "approach": p.approach, "why": p.why, "standing": p.standing,
                 "chance": p.advice.chance, "base_rate": p.advice.base_rate, "lever": p.advice.lever,
                 "ask": "; ".join(p.advice.ask)} for phase in self.phases for p in phase.planned]
        return pd.DataFrame(rows)


def plan(collation: Collation, profile: InterventionProfile, advice: Advice | None = None, *,
         exclude: Iterable[str] = ()) -> Plan:
    """A phased plan for `profile` from `advice` (made with `recommend(collation, profile, exclude=exclude)` when
    not given)."""
    rules = collation.rules
    advice = recommend(collation, profile, exclude=exclude) if advice is None else advice
    stages = _stages(profile, rules)
    chosen = _choose(collation, profile, rules, advice, stages)
    placed = {stage: [] for stage in stages}  # type: dict[str, list[PlannedMethod]]
    for method, why in chosen:
        stage, reason = _place(collation, rules, advice, method, stages)
        placed[stage].append(_planned(method, why, reason, advice, stage))
    phases = _phases(rules, [(stage, placed[stage]) for stage in stages if placed[stage]], profile.timescale_months)
    return Plan(profile, phases, advice.notices + _notices(profile, rules, phases), advice)


def _stages(profile: InterventionProfile, rules: Rules) -> list[str]:
    """The stages this plan may have: a test phase only for emerging evidence or an intervention that is not simple,
    and never for a mandated standard with proven evidence."""
    mandated_standard = profile.mandate == "yes" and profile.evidence == "proven"
    testing = not mandated_standard and (profile.evidence == "emerging" or profile.nature != "simple")
    return [phase.id for phase in rules.plan.phases if phase.id != "test" or testing]


def _choose(collation: Collation, profile: InterventionProfile, rules: Rules, advice: Advice,
            stages: list[str]) -> list[tuple[MethodAdvice, Why]]:
    """The plan's methods: levers in hand, a test of the intervention when evidence is emerging, then the likeliest
    methods that can be placed, a second approach where the profile needs it; at most `plan.methods`."""
    limit = rules.plan.methods
    placeable = [m for m in advice.methods if _allowed(rules, m.method_id, stages)]
    floors = {(rule.lever, method): rule.min_chance for rule in rules.levers for method in rule.methods}
    chosen: list[tuple[MethodAdvice, Why]] = [(m, "lever") for m in placeable
                                              if m.lever and m.chance >= floors[(m.lever, m.method_id)]][:limit]
    if profile.evidence == "emerging" and "test" in stages:
        test = next((m for m in placeable if m.method_id in rules.plan.test_methods), None)
        if test is not None and all(m is not test for m, _ in chosen) and len(chosen) < limit:
            chosen.append((test, "evidence"))
    for method in placeable:
        if len(chosen) >= limit or method.chance < rules.plan.min_chance:
            break
        if all(m is not method for m, _ in chosen):
            chosen.append((method, "chance"))
    if profile.nature == "complex" or profile.motivators == "mixed":
        chosen = _with_second_approach(chosen, placeable, limit)
    return chosen


def _with_second_approach(chosen: list[tuple[MethodAdvice, Why]], placeable: list[MethodAdvice],
                          limit: int) -> list[tuple[MethodAdvice, Why]]:
    """A complex intervention or a mixed audience needs more than one approach: when the plan has one, the likeliest
    method of another approach takes the place of the last method chosen by chance."""
    if len({m.approach_id for m, _ in chosen}) >= 2 or not chosen:
        return chosen
    other = next((m for m in placeable if m.approach_id != chosen[0][0].approach_id), None)
    if other is None:
        return chosen
    last_by_chance = max((i for i, (_, why) in enumerate(chosen) if why == "chance"), default=None)
    if len(chosen) < limit or last_by_chance is None:
        return [*chosen, (other, "complement")][:max(limit, len(chosen))]
    return [*chosen[:last_by_chance], *chosen[last_by_chance + 1:], (other, "complement")]


def _allowed(rules: Rules, method_id: str, stages: list[str]) -> bool:
    """Whether a method can go in a plan with these stages (a placement rule naming none of them forbids it)."""
    rule = next((r for r in rules.plan.placements if method_id in r.methods), None)
    return rule is None or any(stage in stages for stage in rule.stages)


def _place(collation: Collation, rules: Rules, advice: Advice, method: MethodAdvice,
           stages: list[str]) -> tuple[str, str]:
    """The stage a method goes to, and why: within the stages a placement rule allows (else any), where the
    programmes like yours used it most; else the stage its lever is used at; else its stage of development; else
    spread. Among allowed stages none of them used it at, the first."""
    rule = next((r for r in rules.plan.placements if method.method_id in r.methods), None)
    allowed = [stage for stage in stages if rule is None or stage in rule.stages]
    weights = {stage: sum(p.weight for p in advice.alike if stage in p.stages.get(method.method_id, ()))
               for stage in allowed}
    best = max(allowed, key=lambda stage: (weights[stage], -allowed.index(stage)))
    if rule is not None:
        return (best if weights[best] > 0 else allowed[0]), rule.why
    if weights[best] > 0:
        return best, "alike"
    if method.lever:
        lever_stage = next(r.stage for r in rules.levers if r.lever == method.lever)
        if lever_stage in stages:
            return lever_stage, "lever"
    for value in collation.consideration_values[method.method_id]["stage"]:
        if STAGE_OF_DEVELOPMENT[value] in stages:
            return STAGE_OF_DEVELOPMENT[value], "stage"
    return ("spread" if "spread" in stages else stages[-1]), "stage"


def _planned(method: MethodAdvice, why: Why, placed: str, advice: Advice, stage: str) -> PlannedMethod:
    users = tuple(p.name for p in advice.closest if stage in p.stages.get(method.method_id, ()))
    return PlannedMethod(method.method_id, method.method, method.approach_id, method.approach, why, placed, method,
                         users)


def _phases(rules: Rules, placed: list[tuple[str, list[PlannedMethod]]], months: int) -> tuple[PlanPhase, ...]:
    """Months split across the phases by their shares, each at least one month; with fewer months than phases,
    the later phases are merged into the one before them (the merged phase keeps every stage it holds)."""
    by_id: dict[str, PhaseRule] = {phase.id: phase for phase in rules.plan.phases}
    shares = _shares(rules, [stage for stage, _ in placed])
    groups = [([stage], methods) for stage, methods in placed]
    while len(groups) > months:
        (stages, earlier), (later_stages, later) = groups[-2], groups[-1]
        groups = [*groups[:-2], ([*stages, *later_stages], earlier + later)]
    lengths = _months([sum(shares[s] for s in stages) for stages, _ in groups], months)
    phases, start = [], 1
    for order, ((stages, methods), length) in enumerate(zip(groups, lengths, strict=True), start=1):
        rules_of = [by_id[s] for s in stages]
        phases.append(PlanPhase(order, tuple(stages), "; ".join(r.name for r in rules_of),
                                "; ".join(r.purpose for r in rules_of), start, start + length - 1, tuple(methods)))
        start += length
    return tuple(phases)


def _shares(rules: Rules, present: list[str]) -> dict[str, float]:
    """Each present stage's share of the months: its own plus those of the absent stages just before it; absent
    stages after the last present one give theirs to it (a plan with no test or sustain phase spreads for longer;
    preparing never takes their time)."""
    shares = dict.fromkeys(present, 0.0)
    waiting = 0.0
    for phase in rules.plan.phases:
        waiting += phase.share
        if phase.id in shares:
            shares[phase.id], waiting = waiting, 0.0
    if present:
        shares[present[-1]] += waiting
    return shares


def _months(shares: list[float], total: int) -> list[int]:
    """Split `total` months across phases in proportion to their shares, each phase at least one month; months left
    by rounding down go to the largest remainders first (2.7 months is 3), then to the longest phases."""
    if not shares:
        return []
    exact = [total * share / sum(shares) for share in shares]
    lengths = [max(1, int(months)) for months in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - int(exact[i])), -shares[i]))
    i = 0
    while sum(lengths) != total:
        index = order[i % len(order)]
        if sum(lengths) < total:
            lengths[index] += 1
        elif lengths[index] > 1:
            lengths[index] -= 1
        i += 1
    return lengths


def _notices(profile: InterventionProfile, rules: Rules, phases: tuple[PlanPhase, ...]) -> tuple[Notice, ...]:
    """What the plan itself did that the leader should know, each true of this plan."""
    found = []
    first_test = next((p for p in phases if "test" in p.stages), None)
    tests = [p.method for p in first_test.planned if p.method_id in rules.plan.test_methods] if first_test else []
    if profile.evidence == "emerging":
        found.append(Notice("tests-first", {"methods": tests}) if tests else Notice("no-test-method"))
    if profile.mandate == "yes" and profile.evidence == "proven":
        found.append(Notice("no-test-phase"))
    asks = [p.method for phase in phases for p in phase.planned if p.is_ask]
    if asks:
        found.append(Notice("asks", {"methods": asks}))
    return tuple(found)


def edited(original: Plan, collation: Collation, *, drop: Iterable[str] = (), add: dict[str, str] | None = None,
           move: dict[str, str] | None = None) -> Plan:
    """The plan with the leader's edits: methods dropped, methods added at a stage, methods moved to another stage
    (stages must be among the plan's; months are split again)."""
    rules = collation.rules
    entries = [(phase.stage, p) for phase in original.phases for p in phase.planned if p.method_id not in set(drop)]
    for method_id, stage in [*(move or {}).items(), *(add or {}).items()]:
        entries = _at_leaders_stage(entries, original.advice, method_id, stage)
    stages = [s for s in PLAN_STAGES if any(stage == s for stage, _ in entries)]
    phases = _phases(rules, [(s, [p for stage, p in entries if stage == s]) for s in stages],
                     original.profile.timescale_months)
    return Plan(original.profile, phases, original.advice.notices + _notices(original.profile, rules, phases),
                original.advice)


def _at_leaders_stage(entries: list[tuple[str, PlannedMethod]], advice: Advice, method_id: str,
                      stage: str) -> list[tuple[str, PlannedMethod]]:
    """The method at the stage the leader chose: moved there if planned, else added. Edits are applied to the advice
    of the day, so a method the leader moved or added stays where they put it even when that advice (e.g. after a
    programme was left out) plans it elsewhere or not at all."""
    if any(p.method_id == method_id for _, p in entries):
        return [(stage, replace(p, placed="leader")) if p.method_id == method_id else (s, p) for s, p in entries]
    return [*entries, (stage, _planned(advice.method(method_id), "leader", "leader", advice, stage))]
