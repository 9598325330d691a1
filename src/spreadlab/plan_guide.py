"""What a leader needs beside the methods: for each phase of a plan, the first actions, who to involve, what to
measure, the gates, the costs and the risks; for the whole plan, the aim, the adopters in order, the measures of
adoption, fidelity, outcome and balance, the evaluation, the communication, the asks of others, the route to
sustain the change and what complex NASSS domains add. Every item is a guidance record with its source
(`data/guidance/`); where the data say nothing for this plan, the gap is recorded rather than filled.

Selection is deterministic: within a type, the most specific items first (`guidance.guidance_for`), then the data's
order, up to the limits below, which keep a plan readable on a page per phase.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .collation import Collation
from .guidance import GuidanceMatch, Situation, guidance_for
from .planning import Plan, PlanPhase
from .vocabulary import NASSS_DOMAINS, GuidanceType

PHASE_LIMITS = {"action": 5, "role": 3, "measure": 3, "gate": 3, "risk": 4}
PLAN_LIMITS = {"role": 8, "adopter-segment": 6, "evaluation": 5, "communication": 6, "sustain": 4, "ask": 6,
               "risk": 4}
MEASURE_TYPES = ("adoption", "fidelity", "outcome", "balancing")
REQUIRED_IN_PHASE = ("action", "role", "measure", "risk")
REQUIRED_IN_PLAN = ("evaluation", "communication", "sustain")


@dataclass(frozen=True, slots=True)
class PhaseGuide:
    """What to do in one phase.

    Attributes:
        phase: the plan's phase.
        actions: what to do (in the first phase, the first 90 days come first).
        roles: who to involve for this phase's methods and stage.
        measures: what to track in this phase.
        gates: go/no-go criteria before moving on (test phases).
        costs: per planned method, its cost band and who pays.
        risks: the risks of this phase's methods and stage, each with what to do about it.
        gaps: the required types (action, role, measure, risk) the data hold nothing for here.
    """

    phase: PlanPhase
    actions: tuple[GuidanceMatch, ...]
    roles: tuple[GuidanceMatch, ...]
    measures: tuple[GuidanceMatch, ...]
    gates: tuple[GuidanceMatch, ...]
    costs: tuple[GuidanceMatch, ...]
    risks: tuple[GuidanceMatch, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanGuide:
    """A plan and everything a leader needs to start on it.

    Attributes:
        plan: the phased methods.
        phases: one PhaseGuide per phase, in order.
        team: everyone to involve over the whole plan.
        adopters: the segments of adopters, in the order to approach them.
        measures: one measure of each type (adoption, fidelity, outcome, balancing) for the whole spread, the most
            specific first; a type with none is in `gaps`.
        evaluation, communication, sustain: the evaluation plan, the communication plan (awareness first, then
            how-to) and the routes to sustain the change.
        asks: what to ask of those who hold levers the spread lead cannot pull.
        risks: the risks of this kind of innovation and setting (the phases carry those of their methods).
        domains: per NASSS domain rated complex, the actions it adds.
        gaps: what the data hold nothing for in this plan (e.g. "measure: balancing").
    """

    plan: Plan
    phases: tuple[PhaseGuide, ...]
    team: tuple[GuidanceMatch, ...]
    adopters: tuple[GuidanceMatch, ...]
    measures: tuple[GuidanceMatch, ...]
    evaluation: tuple[GuidanceMatch, ...]
    communication: tuple[GuidanceMatch, ...]
    sustain: tuple[GuidanceMatch, ...]
    asks: tuple[GuidanceMatch, ...]
    risks: tuple[GuidanceMatch, ...]
    domains: tuple[tuple[str, tuple[GuidanceMatch, ...]], ...]
    gaps: tuple[str, ...]

    def items(self) -> Iterable[GuidanceMatch]:
        """Every guidance item the guide shows (for checks that each traces to a sourced record)."""
        for phase in self.phases:
            yield from (*phase.actions, *phase.roles, *phase.measures, *phase.gates, *phase.costs, *phase.risks)
        yield from (*self.team, *self.adopters, *self.measures, *self.evaluation, *self.communication,
                    *self.sustain, *self.asks, *self.risks)
        for _, actions in self.domains:
            yield from actions


def guide(collation: Collation, plan: Plan) -> PlanGuide:
    """Everything a leader needs beside the methods of `plan`, from the guidance data."""
    profile = plan.profile
    everything = Situation.from_profile(profile, method_ids=plan.method_ids,
                                        stages=[s for phase in plan.phases for s in phase.stages])
    phases = tuple(_phase(collation, plan, phase) for phase in plan.phases)
    candidates = guidance_for(collation, "measure", everything)
    measures = tuple(match for kind in MEASURE_TYPES
                     for match in [next((m for m in candidates if m.item.measure_type == kind), None)] if match)
    communication = sorted(guidance_for(collation, "communication", everything),
                           key=lambda match: match.item.phase != "awareness")[:PLAN_LIMITS["communication"]]
    general = Situation.from_profile(profile)
    kind_risks = [m for m in guidance_for(collation, "risk", general) if m.specificity > 0]
    domains = tuple((domain, tuple(m for m in guidance_for(collation, "action", everything)
                                   if domain in dict(m.because).get("domains", ())))
                    for domain in NASSS_DOMAINS if domain in everything.complex_domains)
    found = {
        "team": _top(collation, "role", everything, PLAN_LIMITS["role"]),
        "adopters": tuple(sorted(_top(collation, "adopter-segment", everything, PLAN_LIMITS["adopter-segment"]),
                                 key=lambda match: match.item.order or 0)),
        "evaluation": _top(collation, "evaluation", everything, PLAN_LIMITS["evaluation"]),
        "sustain": _top(collation, "sustain", everything, PLAN_LIMITS["sustain"]),
        "asks": _top(collation, "ask", everything, PLAN_LIMITS["ask"]),
    }
    gaps = [f"measure: {kind}" for kind in MEASURE_TYPES if all(m.item.measure_type != kind for m in measures)]
    gaps += [kind for kind in REQUIRED_IN_PLAN if not (communication if kind == "communication" else found[kind])]
    gaps += [f"phase {p.phase.order}: {gap}" for p in phases for gap in p.gaps]
    return PlanGuide(plan, phases, measures=measures, communication=tuple(communication),
                     risks=tuple(kind_risks[:PLAN_LIMITS["risk"]]), domains=domains, gaps=tuple(gaps), **found)


def _phase(collation: Collation, plan: Plan, phase: PlanPhase) -> PhaseGuide:
    situation = Situation.from_profile(plan.profile, method_ids=phase.method_ids, stages=phase.stages)
    actions = guidance_for(collation, "action", situation)
    if phase.order == 1:  # the first 90 days come first, in their own order of specificity
        actions = tuple(sorted(actions, key=lambda match: not match.item.first_90_days))
    costs = tuple(cost for cost in (_cost(collation, method) for method in phase.method_ids) if cost is not None)
    chosen = {
        "actions": _with_each_method(actions, phase.method_ids, PHASE_LIMITS["action"]),
        "roles": _top(collation, "role", situation, PHASE_LIMITS["role"]),
        "measures": _top(collation, "measure", situation, PHASE_LIMITS["measure"]),
        "gates": _top(collation, "gate", situation, PHASE_LIMITS["gate"]),
        "risks": _covering(guidance_for(collation, "risk", situation), phase.method_ids, PHASE_LIMITS["risk"]),
    }
    gaps = tuple(kind for kind in REQUIRED_IN_PHASE if not chosen[f"{kind}s"])
    return PhaseGuide(phase, costs=costs, gaps=gaps, **chosen)


def _top(collation: Collation, kind: GuidanceType, situation: Situation, limit: int) -> tuple[GuidanceMatch, ...]:
    return guidance_for(collation, kind, situation)[:limit]


def _covering(matches: tuple[GuidanceMatch, ...], method_ids: tuple[str, ...],
              limit: int) -> tuple[GuidanceMatch, ...]:
    """The most specific matches up to `limit`, but first each method's own most specific one, so that no method in
    the phase goes without its risks (a phase of more methods than `limit` shows one for each)."""
    own: list[GuidanceMatch] = []
    for method_id in method_ids:
        first = next((m for m in matches if _its_own(m, method_id) and m not in own), None)
        if first is not None:
            own.append(first)
    rest = [m for m in matches if m not in own][:max(0, limit - len(own))]
    return tuple(m for m in matches if m in own or m in rest)


def _with_each_method(matches: tuple[GuidanceMatch, ...], method_ids: tuple[str, ...],
                      limit: int) -> tuple[GuidanceMatch, ...]:
    """The `limit` most specific matches, and beside them each method's own most specific one where none of them is
    its own: a lever in hand gets its action (drafting the contract requirement) without crowding out the first 90
    days' work."""
    top = matches[:limit]
    own = [next(m for m in matches if _its_own(m, method_id)) for method_id in method_ids
           if any(_its_own(m, method_id) for m in matches) and not any(_its_own(m, method_id) for m in top)]
    return tuple(m for m in matches if m in top or m in own)


def _its_own(match: GuidanceMatch, method_id: str) -> bool:
    """The match was chosen for this method (its guidance names the method)."""
    return method_id in dict(match.because).get("methods", ())


def _cost(collation: Collation, method_id: str) -> GuidanceMatch | None:
    """The method's own cost band and who pays (the most specific cost item for it)."""
    return next(iter(guidance_for(collation, "cost", Situation(method_ids=frozenset({method_id})))), None)
