"""Advice for a profile: for every recorded method, the estimated chance that a programme in this situation uses
it, the library's base rate and the lift, with the facts behind them (the model's parts, the counts in the
library, what the programmes really like yours did) and the rules the leader's declarations trigger (a lever in
hand, a lever the lead must ask for, resources to secure). Facts only: the views write the sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from .alike import Alike, alike_share, programmes_alike
from .calibration import Calibration, blend
from .collation import Collation
from .fitting import current_calibration
from .profile import InterventionProfile
from .rules import Rules
from .situation import Library, encode, situation_of
from .usage_model import Part
from .vocabulary import LEVELS

Standing = Literal["foundation", "distinctive", "other"]
COUNTS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Counts:
    """How often the library's programmes with one declared value used a method, against the others.

    Attributes:
        field, value: the declared (field, value).
        used_with, with_total: how many of the programmes with that value used the method, of how many.
        used_others, others_total: the same for the programmes known to have another value.
    """

    field: str
    value: str
    used_with: int
    with_total: int
    used_others: int
    others_total: int


@dataclass(frozen=True, slots=True)
class MethodAdvice:
    """One method's advice for the profile.

    Attributes:
        rank: 1 for the highest chance; methods with equal chance share a rank.
        method_id, method, approach_id, approach, provenance: the method as the collation records it.
        chance: 0–1, the estimated chance that a programme in this situation uses the method (the score).
        base_rate: the share of the library's programmes that used it.
        model_chance: the situation model's estimate; alike_share: the weighted share of the programmes like yours
            that used it; chance blends the two with the calibrated weight.
        standing: foundation (what most programmes do, in this situation too), distinctive (far more likely in this
            situation), or other.
        parts: each declared (field, value) and how it moves the model's log-odds, largest first.
        counts: the library counts behind the parts that move it most.
        alike_users: the named programmes like yours (the closest `shown`) that used it, closest first.
        lever: the declared lever that puts it in the plan, if any.
        ask: who to ask for it when the spread lead cannot use it themselves (empty otherwise).
        needs: the resources it needs when they exceed those available (None otherwise).
        unfunded: it needs costly resources and no central funding is available.
        scales: the audience scales it works at (the collation's practical considerations).
    """

    rank: int
    method_id: str
    method: str
    approach_id: str
    approach: str
    provenance: str
    chance: float
    base_rate: float
    model_chance: float
    alike_share: float
    standing: Standing
    parts: tuple[Part, ...]
    counts: tuple[Counts, ...]
    alike_users: tuple[str, ...]
    lever: str | None
    ask: tuple[str, ...]
    needs: str | None
    unfunded: bool
    scales: tuple[str, ...]

    @property
    def lift(self) -> float:
        """How many times more likely than in the library as a whole."""
        return self.chance / self.base_rate if self.base_rate else float("inf")


@dataclass(frozen=True, slots=True)
class Notice:
    """Something to tell the leader with the advice: a `code` the views turn into words, and its facts."""

    code: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Advice:
    """Every recorded method for one profile, highest chance first, and what the advice rests on.

    Attributes:
        profile: the profile advised.
        methods: every recorded method, ranked.
        alike: the library programmes, closest first; those with weight > 0 are the "programmes like yours".
        excluded: programme ids the leader left out of the library for this advice.
        library_size: how many programmes the advice learnt from.
        notices: warnings and notes that belong with the advice.
        shown: how many of the closest programmes views name.
    """

    profile: InterventionProfile
    methods: tuple[MethodAdvice, ...]
    alike: tuple[Alike, ...]
    excluded: tuple[str, ...]
    library_size: int
    notices: tuple[Notice, ...]
    shown: int

    @property
    def closest(self) -> tuple[Alike, ...]:
        """The programmes like yours that views name (closest first)."""
        return self.alike[:self.shown]

    def method(self, method_id: str) -> MethodAdvice:
        """One method's advice."""
        return next(m for m in self.methods if m.method_id == method_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per method, ranked: rank, method_id, method, approach_id, approach, score (the chance),
        base_rate, lift, model_chance, alike_share, standing, lever, ask, needs, unfunded, provenance."""
        rows = [{"rank": m.rank, "method_id": m.method_id, "method": m.method, "approach_id": m.approach_id,
                 "approach": m.approach, "score": m.chance, "base_rate": m.base_rate,
                 "lift": round(m.lift, 4) if m.base_rate else None, "model_chance": m.model_chance,
                 "alike_share": m.alike_share, "standing": m.standing, "lever": m.lever,
                 "ask": "; ".join(m.ask), "needs": m.needs, "unfunded": m.unfunded, "provenance": m.provenance}
                for m in self.methods]
        return pd.DataFrame(rows)


def recommend(collation: Collation, profile: InterventionProfile, *, exclude: Iterable[str] = (),
              calibration: Calibration | None = None) -> Advice:
    """Advice on every recorded method for `profile`, highest chance first.

    `exclude` leaves library programmes out (a leader's choice, or the programme being predicted when the library
    is checked against itself); `calibration` replaces the data's fitted settings. The per-method models are
    refitted when programmes are left out or the stored fit no longer matches the library.
    """
    rules = collation.rules
    left_out = tuple(sorted(set(exclude)))
    library = collation.library.without(left_out)
    fitted = calibration or current_calibration(collation, library)
    situation = situation_of(profile, rules.timescale_bands)
    vector = encode(situation)
    alike = programmes_alike(vector, situation, library, rules.alike.fields, count=fitted.neighbours,
                             max_share=rules.alike.max_share)
    model_chance = fitted.model.chance(vector)[0]
    shares = alike_share(alike, library.method_ids)
    chance = np.round(blend(model_chance, shares, fitted.alike_weight), 4)
    base = library.base_rates()
    methods = _methods(collation, profile, rules, library, fitted, vector, situation, alike, chance, model_chance,
                       shares, base)
    return Advice(profile=profile, methods=methods, alike=alike, excluded=left_out, library_size=len(library),
                  notices=notices(profile, rules), shown=rules.alike.shown)


def notices(profile: InterventionProfile, rules: Rules) -> tuple[Notice, ...]:
    """What the leader should know whatever the plan: evidence still emerging, and a timescale shorter than the
    nature of the intervention or the number of organisations that must change allows."""
    found: list[Notice] = []
    if profile.evidence == "emerging":
        found.append(Notice("emerging-evidence"))
    feasible = rules.feasibility
    needed = {"nature": feasible.months_by_nature[profile.nature]}
    if profile.adopter_count is not None:
        needed["adopter_count"] = feasible.months_by_adopters[profile.adopter_count]
    reason, months = max(needed.items(), key=lambda item: item[1])
    if profile.timescale_months < months:
        found.append(Notice("short-timescale", {"months": profile.timescale_months, "needed": months,
                                                "because": reason, "value": getattr(profile, reason)}))
    return tuple(found)


def _methods(collation: Collation, profile: InterventionProfile, rules: Rules, library: Library,
             fitted: Calibration, vector: np.ndarray, situation: Mapping[str, str], alike: tuple[Alike, ...],
             chance: np.ndarray, model_chance: np.ndarray, shares: np.ndarray,
             base: np.ndarray) -> tuple[MethodAdvice, ...]:
    summary = collation.method_summary.set_index("method_id")
    considerations = collation.consideration_values
    order = sorted(range(len(library.method_ids)), key=lambda j: -chance[j])  # stable: collation order among ties
    levers: dict[str, str] = {}
    for rule in rules.levers:  # the first lever in hand that puts a method in the plan is the one it names
        if getattr(profile, rule.lever) == "yes":
            for method in rule.methods:
                levers.setdefault(method, rule.lever)
    reach = {rule.method: rule for rule in rules.reach}
    shown = alike[:rules.alike.shown]
    advice = []
    for j in order:
        method_id = library.method_ids[j]
        row = summary.loc[method_id]
        parts = fitted.model.parts(vector, j)
        needed = considerations[method_id]["resources"][0]
        advice.append(MethodAdvice(
            rank=1 + int((chance > chance[j]).sum()),
            method_id=method_id, method=str(row["name"]), approach_id=str(row["approach_id"]),
            approach=str(row["approach"]), provenance=str(row["provenance"]),
            chance=float(chance[j]), base_rate=round(float(base[j]), 4), model_chance=round(float(model_chance[j]), 4),
            alike_share=round(float(shares[j]), 4),
            standing=_standing(float(chance[j]), float(base[j]), rules),
            parts=parts,
            counts=tuple(_counts(library, part.field, part.value, j) for part in parts[:COUNTS_SHOWN]),
            alike_users=tuple(p.name for p in shown if method_id in p.stages),
            lever=levers.get(method_id),
            ask=_ask(profile, reach.get(method_id)),
            needs=needed if LEVELS.index(needed) > LEVELS.index(profile.resources) else None,
            unfunded=needed == rules.feasibility.costly and profile.central_funding == "no",
            scales=considerations[method_id]["audience_scale"],
        ))
    return tuple(advice)


def _standing(chance: float, base: float, rules: Rules) -> Standing:
    if base >= rules.advice.foundation_rate and chance >= rules.advice.foundation_rate:
        return "foundation"
    if chance >= rules.advice.min_chance and chance >= rules.advice.distinctive_lift * base:
        return "distinctive"
    return "other"


def _ask(profile: InterventionProfile, rule: Any) -> tuple[str, ...]:
    """Who holds a method the spread lead cannot use themselves (nothing when the lead can, when its lever is in
    hand, or when the lead is not known)."""
    if rule is None or profile.spread_lead is None or profile.spread_lead in rule.leads:
        return ()
    if rule.lever is not None and getattr(profile, rule.lever) == "yes":
        return ()
    return tuple(rule.holders)


def _counts(library: Library, field_name: str, value: str, method: int) -> Counts:
    """The library counts for one declared (field, value) and one method."""
    known = np.array([field_name in s for s in library.situations], dtype=bool)
    with_value = np.array([s.get(field_name) == value for s in library.situations], dtype=bool)
    others = known & ~with_value
    used = library.used[:, method]
    return Counts(field_name, value, int((used & with_value).sum()), int(with_value.sum()),
                  int((used & others).sum()), int(others.sum()))

