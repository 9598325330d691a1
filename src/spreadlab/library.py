"""Programmes like yours: how close each programme of the library was to a profile before it spread, and which
methods the closest ones used (overall and per stage).

Closeness compares the profile fields one by one (ordered fields by distance, the others by agreement), weighted
by the fitted `SimilarityRule` of data/calibration.yaml; a field unknown on either side is left out. Each
programme then counts in proportion to its closeness raised to the rule's `power`, so the closest count most.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .collation import Collation
from .profile import InterventionProfile
from .vocabulary import ADOPTER_COUNTS, AUDIENCE_SCALES, LEVELS, NATURES

ORDERED: dict[str, tuple[str, ...]] = {
    "nature": NATURES,
    "audience_scale": AUDIENCE_SCALES,
    "energy_for_change": LEVELS,
    "resources": LEVELS,
    "adopter_count": ADOPTER_COUNTS,
}
MATCHED = ("motivators", "evidence", "adopters", "spread_lead", "central_funding", "mandate")
SIMILARITY_FIELDS = (*ORDERED, "timescale_months", *MATCHED)
_LONGEST_LOG_GAP = math.log(120)  # 1 month against 120
SHOWN = 6
"""How many of the closest programmes a ranking, a plan or their views name."""


@dataclass(frozen=True, slots=True)
class SimilarProgramme:
    """A library programme and how close it was to the profile before it spread.

    Attributes:
        programme_id, name, kind: the programme (kind: programme or case-example).
        similarity: 0–1, the weighted share of profile fields on which the two agree.
        weight: how much the programme counts in "used by programmes like yours" (similarity ** power).
        method_ids: the methods it used, in the order the data lists them.
        stages: method id → the stages (prepare|test|spread|sustain) it was used in.
        scale_reached: how far it spread, as its source says.
        sources: the programme's main page and the page for its scale.
    """

    programme_id: str
    name: str
    kind: str
    similarity: float
    weight: float
    method_ids: tuple[str, ...]
    stages: Mapping[str, tuple[str, ...]]
    scale_reached: str | None
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `recommend --format json`'s `similar_programmes` items."""
        return {"id": self.programme_id, "name": self.name, "similarity": round(self.similarity, 4),
                "method_ids": list(self.method_ids), "scale_reached": self.scale_reached,
                "sources": list(self.sources)}


def field_similarity(field: str, mine: Any, theirs: Any) -> float | None:
    """How far two values of one profile field agree, 0–1; None when either is not known."""
    if mine is None or theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return None
    if field in ORDERED:
        scale = ORDERED[field]
        return 1 - abs(scale.index(mine) - scale.index(theirs)) / (len(scale) - 1)
    if field == "timescale_months":
        return 1 - abs(math.log(float(mine)) - math.log(float(theirs))) / _LONGEST_LOG_GAP
    if field == "motivators" and "mixed" in (mine, theirs) and mine != theirs:
        return 0.5  # a mixed audience shares half of what moves either other kind
    return 1.0 if mine == theirs else 0.0


def similarity(profile: InterventionProfile, programme: Mapping[str, Any], weights: Mapping[str, float]) -> float:
    """The weighted mean agreement over the fields known on both sides (0 when none are)."""
    total = weight_sum = 0.0
    for field in SIMILARITY_FIELDS:
        weight = weights.get(field, 0.0)
        agreement = field_similarity(field, getattr(profile, field), programme.get(field)) if weight else None
        if agreement is not None:
            total += weight * agreement
            weight_sum += weight
    return total / weight_sum if weight_sum else 0.0


def similar_programmes(collation: Collation, profile: InterventionProfile, *, weights: Mapping[str, float],
                       count: int | None = None, power: float = 1.0,
                       exclude: Iterable[str] = ()) -> tuple[SimilarProgramme, ...]:
    """The `count` library programmes closest to `profile` (all when None), closest first (ties in id order);
    `exclude` leaves programmes out, e.g. the one being predicted when the library is checked against itself."""
    left_out = set(exclude)
    profiles = collation.programme_profiles
    rows = [row for row in profiles.to_dict(orient="records") if row["programme_id"] not in left_out]
    scored = sorted(((similarity(profile, row, weights), row["programme_id"]) for row in rows),
                    key=lambda item: (-item[0], item[1]))
    uses = _uses(collation)
    programmes = collation.programmes.set_index("programme_id")
    chosen = []
    for score, ident in scored[:count]:
        info = programmes.loc[ident]
        sources = tuple(dict.fromkeys(url for url in (info["source_url"], info["scale_source_url"])
                                      if isinstance(url, str)))
        stages = uses.get(ident, {})
        chosen.append(SimilarProgramme(
            programme_id=ident, name=str(info["name"]), kind=str(info["kind"]), similarity=score,
            weight=score ** power, method_ids=tuple(stages), stages=stages,
            scale_reached=info["scale_reached"] if isinstance(info["scale_reached"], str) else None,
            sources=sources,
        ))
    return tuple(chosen)


@dataclass(frozen=True, slots=True)
class Usage:
    """How much the similar programmes used one method.

    Attributes:
        share: 0–1, the weighted share of the similar programmes that used it.
        users: names of the SHOWN closest programmes that used it, closest first.
        count: how many of all the similar programmes used it.
    """

    share: float
    users: tuple[str, ...]
    count: int


def method_usage(similar: Iterable[SimilarProgramme], method_ids: Iterable[str],
                 stage: str | None = None) -> dict[str, Usage]:
    """Per method: the share of the similar programmes (each counting by its weight) that used it, in `stage` when
    given, and the names of those among the SHOWN closest that did; a programme counts once however often it lists
    the method."""
    similar = tuple(similar)
    weight_sum = sum(programme.weight for programme in similar)
    usage = {}
    for method_id in method_ids:
        users = [p for p in similar if method_id in p.stages and (stage is None or stage in p.stages[method_id])]
        share = sum(p.weight for p in users) / weight_sum if weight_sum else 0.0
        closest = [p.name for p in users if p in similar[:SHOWN]]
        usage[method_id] = Usage(share, tuple(closest), len(users))
    return usage


def _uses(collation: Collation) -> dict[str, dict[str, tuple[str, ...]]]:
    """Programme id → method id → the stages it was used in, in the data's order."""
    uses: dict[str, dict[str, list[str]]] = {}
    table: pd.DataFrame = collation.programme_methods
    for ident, method_id, stage in zip(table["programme_id"], table["method_id"], table["stage"], strict=True):
        stages = uses.setdefault(ident, {}).setdefault(method_id, [])
        if isinstance(stage, str) and stage not in stages:
            stages.append(stage)
    return {ident: {m: tuple(s) for m, s in methods.items()} for ident, methods in uses.items()}
