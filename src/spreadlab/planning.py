"""Combine ranked methods into a phased plan that fits the time available, with reasons and limitations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from .collation import Collation
from .library import SHOWN, SimilarProgramme, method_usage
from .profile import InterventionProfile
from .ranking import RANKING_NOTE, profile_json, ranking_warnings, recommend
from .scoring import PhaseRule


@dataclass(frozen=True, slots=True)
class PlanPhase:
    """One phase of a plan.

    Attributes:
        order: position of the phase, from 1.
        name: what the phase is for, in a few words.
        start_month, end_month: months from the start of the plan, inclusive, within the timescale.
        method_ids, methods, approach_ids: the methods chosen (ids and names) and their approaches.
        why: why this phase and these methods, in plain language.
        limitations: limitations of the chosen methods' approaches to watch, from the collation.
        programmes: the similar programmes that used these methods at this stage (names), which the phase drew on.
    """

    order: int
    name: str
    start_month: int
    end_month: int
    method_ids: tuple[str, ...]
    methods: tuple[str, ...]
    approach_ids: tuple[str, ...]
    why: str
    limitations: tuple[str, ...]
    programmes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """A phased combination of methods for one intervention profile, and the programmes like it that it drew on."""

    profile: InterventionProfile
    phases: tuple[PlanPhase, ...]
    warnings: tuple[str, ...]
    similar_programmes: tuple[SimilarProgramme, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per phase; list fields joined with "; "."""
        rows = [
            {key: "; ".join(value) if isinstance(value, tuple) else value for key, value in asdict(phase).items()}
            for phase in self.phases
        ]
        return pd.DataFrame(rows, columns=[field for field in PlanPhase.__slots__])

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready values."""
        return {
            "profile": profile_json(self.profile),
            "warnings": list(self.warnings),
            "note": RANKING_NOTE,
            "phases": [
                {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(phase).items()}
                for phase in self.phases
            ],
            "similar_programmes": [programme.to_dict() for programme in self.similar_programmes[:SHOWN]],
        }


def plan(collation: Collation, profile: InterventionProfile, ranking: pd.DataFrame | None = None, *,
         exclude: Iterable[str] = ()) -> Plan:
    """A phased plan for `profile`: the best-ranked methods, each in the phase where the programmes most like the
    profile used it, complementary where the profile needs it.

    Pass the `ranking` from `recommend()` when you already have it, to avoid ranking twice; `exclude` leaves
    library programmes out, as in `recommend()`.
    """
    rules = collation.scoring.plan
    ranking = recommend(collation, profile, exclude=exclude) if ranking is None else ranking
    similar: tuple[SimilarProgramme, ...] = tuple(ranking.attrs.get("similar_programmes", ()))
    approaches = collation.approaches.set_index("approach_id")
    candidates = ranking[ranking["score"] >= rules.min_score].to_dict(orient="records")
    needs_mix = profile.motivators == "mixed" or profile.nature == "complex"
    picks = candidates[: rules.methods]
    if needs_mix:
        picks = _with_complement(picks, candidates, approaches)
    phase_rules = [phase for phase in rules.phases
                   if not phase.when or profile.nature in phase.when or profile.evidence in phase.when]
    stages = _stages(collation)
    by_phase: dict[str, list[dict]] = {phase.id: [] for phase in phase_rules}
    for row in picks:
        by_phase[_phase_of(row, phase_rules, similar, stages)].append(row)
    if profile.evidence == "emerging":
        _build_evidence_first(by_phase, phase_rules, ranking.to_dict(orient="records"), stages, rules.methods)
    chosen = _fit_to_months([(phase, by_phase[phase.id]) for phase in phase_rules if by_phase[phase.id]],
                            profile.timescale_months)
    if needs_mix:
        _ensure_two_approaches(chosen, candidates, stages)
    months = _months([phase.share for phase, _ in chosen], profile.timescale_months)
    seen_approaches: set[str] = set()
    phases = []
    start = 1
    for order, ((phase, rows), length) in enumerate(zip(chosen, months, strict=True), start=1):
        approach_ids = tuple(dict.fromkeys(row["approach_id"] for row in rows))
        fresh = [a for a in approach_ids if a not in seen_approaches]
        seen_approaches.update(approach_ids)
        usage = {row["method_id"]: method_usage(similar, [row["method_id"]], stage=phase.id)[row["method_id"]]
                 for row in rows}
        phases.append(PlanPhase(
            order=order,
            name=phase.name,
            start_month=start,
            end_month=start + length - 1,
            method_ids=tuple(row["method_id"] for row in rows),
            methods=tuple(row["method"] for row in rows),
            approach_ids=approach_ids,
            why=_why(phase, rows, usage, approaches, profile, len(similar)),
            limitations=_limitations(collation, fresh),
            programmes=tuple(dict.fromkeys(name for item in usage.values() for name in item.users)),
        ))
        start += length
    return Plan(profile=profile, phases=tuple(phases), warnings=tuple(ranking_warnings(profile)),
                similar_programmes=similar)


def _with_complement(picks: list[dict], candidates: list[dict], approaches: pd.DataFrame) -> list[dict]:
    """A complex intervention or a mixed audience needs levers working through different motivations across at
    least two approaches: when the picks lack that, the best-ranked method that supplies it replaces the last."""
    motivations = {str(approaches.loc[row["approach_id"], "motivation"]) for row in picks}
    approach_ids = {row["approach_id"] for row in picks}
    if len(approach_ids) >= 2 and (len(motivations) >= 2 or "mixed" in motivations) or not picks:
        return picks
    for row in candidates:
        if row in picks:
            continue
        if row["approach_id"] not in approach_ids and (
                len(approach_ids) < 2 or str(approaches.loc[row["approach_id"], "motivation"]) not in motivations):
            return [*picks[:-1], row] if len(picks) > 1 else [*picks, row]
    return picks


def _build_evidence_first(by_phase: dict[str, list[dict]], phases: list[PhaseRule], candidates: list[dict],
                          stages: dict[str, set[str]], limit: int) -> None:
    """With emerging evidence, the collation says building that evidence comes first: the first phase that tests
    the intervention gets the best-ranked method that tests it in real settings, if it has none, whatever its
    score (the plan's last method makes way when the plan is full)."""
    testing = next((phase for phase in phases if phase.stages and _is_building(phase)), None)
    if testing is None or any(_matches(testing, row, stages) for row in by_phase[testing.id]):
        return
    planned = {row["method_id"] for rows in by_phase.values() for row in rows}
    best = next((row for row in candidates if _matches(testing, row, stages)), None)
    if best is None:
        return
    if best["method_id"] in planned:
        for rows in by_phase.values():
            rows[:] = [row for row in rows if row["method_id"] != best["method_id"]]
    elif len(planned) >= limit:
        last = max((row for rows in by_phase.values() for row in rows), key=lambda row: row["rank"])
        for rows in by_phase.values():
            rows[:] = [row for row in rows if row is not last]
    by_phase[testing.id].append(best)


def _is_building(phase: PhaseRule) -> bool:
    """A phase for trying the intervention in real settings: it takes methods at the prototype/testing stage."""
    return "prototype-testing" in phase.stages


def _ensure_two_approaches(chosen: list, candidates: list[dict], stages: dict[str, set[str]]) -> None:
    """After the phases are fitted to the months, a complex intervention or a mixed audience still needs more than
    one approach: add the best-ranked method of another approach to the phase it matches (else the last)."""
    approach_ids = {row["approach_id"] for _, rows in chosen for row in rows}
    if len(approach_ids) >= 2 or not chosen:
        return
    planned = {row["method_id"] for _, rows in chosen for row in rows}
    for row in candidates:
        if row["approach_id"] not in approach_ids and row["method_id"] not in planned:
            target = next((rows for phase, rows in chosen if _matches(phase, row, stages)), chosen[-1][1])
            target.append(row)
            return


def _phase_of(row: dict, phases: list[PhaseRule], similar: tuple[SimilarProgramme, ...],
              stages: dict[str, set[str]]) -> str:
    """The phase where the similar programmes used the method most (by similarity); for a method none of them
    used, the first phase it matches by the rules, else spreading."""
    shares = [(method_usage(similar, [row["method_id"]], stage=phase.id)[row["method_id"]].share, -i, phase.id)
              for i, phase in enumerate(phases)]
    best = max(shares)
    if best[0] > 0:
        return best[2]
    matching = next((phase.id for phase in phases if _matches(phase, row, stages)), None)
    return matching or ("spread" if any(phase.id == "spread" for phase in phases) else phases[-1].id)


def _stages(collation: Collation) -> dict[str, set[str]]:
    considerations = collation.considerations
    rows = considerations[considerations["consideration"] == "stage"]
    stages: dict[str, set[str]] = {}
    for method_id, value in zip(rows["method_id"], rows["value"].astype(str), strict=True):
        stages.setdefault(method_id, set()).add(value)
    return stages


def _matches(phase: PhaseRule, row: dict, stages: dict[str, set[str]]) -> bool:
    in_approach = not phase.approaches or row["approach_id"] in phase.approaches
    at_stage = not phase.stages or bool(stages[row["method_id"]] & set(phase.stages))
    return in_approach and at_stage


def _fit_to_months(chosen: list, months: int) -> list:
    """With fewer months than phases, keep the phases this profile calls for (`when`), then the earliest ones."""
    if len(chosen) <= months:
        return chosen
    keep = sorted(range(len(chosen)), key=lambda i: (not chosen[i][0].when, i))[:months]
    return [chosen[i] for i in sorted(keep)]


def _months(shares: list[float], total: int) -> list[int]:
    """Split `total` months across phases in proportion to their shares, each phase at least one month."""
    if not shares:
        return []
    scale = sum(shares)
    lengths = [max(1, int(total * share / scale)) for share in shares]
    # Hand the months lost to rounding to the longest phases first, or take extra months back from them.
    order = sorted(range(len(shares)), key=lambda i: -shares[i])
    i = 0
    while sum(lengths) != total:
        index = order[i % len(order)]
        if sum(lengths) < total:
            lengths[index] += 1
        elif lengths[index] > 1:
            lengths[index] -= 1
        i += 1
    return lengths


def _why(phase: PhaseRule, rows: list[dict], usage: dict, approaches: pd.DataFrame, profile: InterventionProfile,
         neighbours: int) -> str:
    parts = [f"This phase is to {phase.purpose}."]
    for row in rows:
        motivation = approaches.loc[row["approach_id"], "motivation"]
        used = usage[row["method_id"]]
        evidence = (f"{len(used.users)} of the {min(SHOWN, neighbours)} programmes most like this one used it at "
                    f"this stage ({', '.join(used.users)})" if used.users
                    else row["audience_scale_reason"].split(":", 1)[1].strip().rstrip("."))
        parts.append(f"{row['method']} ({row['approach']}; rank {row['rank']}, score {row['score']:.2f}; works "
                     f"mainly through {motivation} motivation): {evidence}.")
    if profile.evidence == "emerging" and phase.stages and "prototype-testing" in phase.stages:
        parts.append("Evidence is still emerging, so evaluate alongside and decide on wider spread from the results.")
    if profile.motivators == "mixed" and len({approaches.loc[r["approach_id"], "motivation"] for r in rows}) > 1:
        parts.append("The audience has mixed motivators, so levers working through different motivations are paired.")
    return " ".join(parts)


def _limitations(collation: Collation, approach_ids: list[str]) -> tuple[str, ...]:
    limitations = collation.limitations
    rows = limitations[limitations["approach_id"].isin(approach_ids)]
    return tuple(rows["text"])
