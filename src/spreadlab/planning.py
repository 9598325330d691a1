"""Combine ranked methods into a phased plan that fits the time available, with reasons and limitations."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from .collation import Collation
from .profile import InterventionProfile
from .ranking import RANKING_NOTE, profile_json, ranking_warnings, recommend
from .scoring import PhaseRule

_COMPLEMENT = {"extrinsic": ("intrinsic",), "intrinsic": ("extrinsic",), "mixed": ("intrinsic", "extrinsic")}


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


@dataclass(frozen=True, slots=True)
class Plan:
    """A phased combination of methods for one intervention profile."""

    profile: InterventionProfile
    phases: tuple[PlanPhase, ...]
    warnings: tuple[str, ...]

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
        }


def plan(collation: Collation, profile: InterventionProfile, ranking: pd.DataFrame | None = None) -> Plan:
    """A phased plan for `profile`: the best-ranked methods per phase, complementary where the profile needs it.

    Pass the `ranking` from `recommend()` when you already have it, to avoid ranking twice.
    """
    rules = collation.scoring.plan
    ranking = recommend(collation, profile) if ranking is None else ranking
    approaches = collation.approaches.set_index("approach_id")
    stages = _stages(collation)
    candidates = ranking[ranking["score"] >= rules.min_score].to_dict(orient="records")
    needs_mix = profile.motivators == "mixed" or profile.nature == "complex"
    used: set[str] = set()
    chosen: list[tuple[PhaseRule, list[dict]]] = []
    for phase in rules.phases:
        if phase.when and profile.nature not in phase.when and profile.evidence not in phase.when:
            continue
        matching = [
            row for row in candidates
            if row["method_id"] not in used and _matches(phase, row, stages)
        ]
        picks = _pick(matching, phase.methods, approaches, needs_mix)
        if picks:
            used.update(row["method_id"] for row in picks)
            chosen.append((phase, picks))
    # Fit the phases to the months first, so the mix of approaches is checked on the phases actually kept.
    chosen = _fit_to_months(chosen, profile.timescale_months)
    if needs_mix:
        kept = {row["method_id"] for _, picks in chosen for row in picks}
        _ensure_two_approaches(chosen, candidates, kept, stages)
    months = _months([phase.share for phase, _ in chosen], profile.timescale_months)
    seen_approaches: set[str] = set()
    phases = []
    start = 1
    for order, ((phase, picks), length) in enumerate(zip(chosen, months, strict=True), start=1):
        approach_ids = tuple(dict.fromkeys(row["approach_id"] for row in picks))
        fresh = [a for a in approach_ids if a not in seen_approaches]
        seen_approaches.update(approach_ids)
        phases.append(PlanPhase(
            order=order,
            name=phase.name,
            start_month=start,
            end_month=start + length - 1,
            method_ids=tuple(row["method_id"] for row in picks),
            methods=tuple(row["method"] for row in picks),
            approach_ids=approach_ids,
            why=_why(phase, picks, approaches, profile),
            limitations=_limitations(collation, fresh),
        ))
        start += length
    return Plan(profile=profile, phases=tuple(phases), warnings=tuple(ranking_warnings(profile)))


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


def _pick(matching: list[dict], count: int, approaches: pd.DataFrame, needs_mix: bool) -> list[dict]:
    """The best `count` rows; when the profile needs a mix, the second comes from a complementary approach."""
    if not matching:
        return []
    picks = [matching[0]]
    rest = matching[1:]
    if needs_mix and count > 1:
        first = str(approaches.loc[picks[0]["approach_id"], "motivation"])
        complements = [
            row for row in rest
            if row["approach_id"] != picks[0]["approach_id"]
            and str(approaches.loc[row["approach_id"], "motivation"]) in _COMPLEMENT[first]
        ]
        rest = complements + [row for row in rest if row not in complements]
    picks += rest[: count - 1]
    return picks


def _fit_to_months(chosen: list, months: int) -> list:
    """With fewer months than phases, keep the phases this profile calls for (`when`), then the earliest ones."""
    if len(chosen) <= months:
        return chosen
    keep = sorted(range(len(chosen)), key=lambda i: (not chosen[i][0].when, i))[:months]
    return [chosen[i] for i in sorted(keep)]


def _ensure_two_approaches(chosen: list, candidates: list[dict], used: set[str], stages: dict) -> None:
    """A complex intervention or a mixed audience needs more than one approach; add the best other one."""
    approach_ids = {row["approach_id"] for _, picks in chosen for row in picks}
    if len(approach_ids) >= 2 or not chosen:
        return
    for row in candidates:
        if row["approach_id"] not in approach_ids and row["method_id"] not in used:
            target = next((picks for phase, picks in chosen if _matches(phase, row, stages)), chosen[-1][1])
            target.append(row)
            used.add(row["method_id"])
            return


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


def _why(phase: PhaseRule, picks: list[dict], approaches: pd.DataFrame, profile: InterventionProfile) -> str:
    parts = [f"This phase is to {phase.purpose}."]
    for row in picks:
        motivation = approaches.loc[row["approach_id"], "motivation"]
        parts.append(
            f"{row['method']} ({row['approach']}; rank {row['rank']}, score {row['score']:.2f}; works mainly "
            f"through {motivation} motivation): {row['audience_scale_reason'].split(':', 1)[1].strip()}"
        )
    if profile.evidence == "emerging" and phase.stages and "prototype-testing" in phase.stages:
        parts.append("Evidence is still emerging, so evaluate alongside and decide on wider spread from the results.")
    if profile.motivators == "mixed" and len({approaches.loc[r["approach_id"], "motivation"] for r in picks}) > 1:
        parts.append("The audience has mixed motivators, so levers working through different motivations are paired.")
    return " ".join(parts)


def _limitations(collation: Collation, approach_ids: list[str]) -> tuple[str, ...]:
    limitations = collation.limitations
    rows = limitations[limitations["approach_id"].isin(approach_ids)]
    return tuple(rows["text"])
