"""Programmes like yours: how close each programme of the library was to a profile before it spread, and which
methods the closest ones used (overall and per stage); and, field by field, how often the programmes that were in
the same situation used each method.

Closeness compares the profile fields one by one (ordered fields by distance, the others by agreement), weighted
by the fitted `SimilarityRule` of data/calibration.yaml; a field unknown on either side is left out. Each
programme then counts in proportion to its closeness raised to the rule's `power`, so the closest count most.
The same situation is judged one field at a time (the same value; timescales by band), so a trait that few
programmes share with the profile, such as a mandate, still counts although they differ in everything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
PRIOR_PROGRAMMES = 2.0
"""Each field's share starts from the library's overall rate for the method, counted as this many programmes, so
that a value only one or two programmes share cannot decide on its own."""


@dataclass(frozen=True, slots=True)
class SimilarProgramme:
    """A library programme and how close it was to the profile before it spread.

    Attributes:
        programme_id, name, record_type: the programme (record_type: programme or case-example).
        similarity: 0–1, the weighted share of profile fields on which the two agree.
        weight: how much the programme counts in "used by programmes like yours" (similarity ** power).
        method_ids: the methods it used, in the order the data lists them.
        stages: method id → the stages (prepare|test|spread|sustain) it was used in.
        scale_reached: how far it spread, as its source says.
        scale_caveat: what to know about that figure or its source (e.g. that the link is a copy), if anything.
        sources: the programme's main page and the page for its scale.
    """

    programme_id: str
    name: str
    record_type: str
    similarity: float
    weight: float
    method_ids: tuple[str, ...]
    stages: Mapping[str, tuple[str, ...]]
    scale_reached: str | None
    scale_caveat: str | None
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `recommend --format json`'s `similar_programmes` items."""
        return {"id": self.programme_id, "name": self.name, "similarity": round(self.similarity, 4),
                "method_ids": list(self.method_ids), "scale_reached": self.scale_reached,
                "scale_caveat": self.scale_caveat, "sources": list(self.sources)}


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


def same_situation(field: str, mine: Any, theirs: Any, band: Callable[[int], str]) -> bool | None:
    """Whether two values of one profile field describe the same situation (timescales: the same `band` of months);
    None when either is not known."""
    if mine is None or theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return None
    if field == "timescale_months":
        return band(int(mine)) == band(int(theirs))
    return mine == theirs


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
    rows = _library_rows(collation, exclude)
    scored = sorted(((similarity(profile, row, weights), row["programme_id"]) for row in rows),
                    key=lambda item: (-item[0], item[1]))
    uses = collation.programme_stages
    programmes = collation.programmes.set_index("programme_id")
    chosen = []
    for score, ident in scored[:count]:
        info = programmes.loc[ident]
        sources = tuple(dict.fromkeys(url for url in (info["source_url"], info["scale_source_url"])
                                      if isinstance(url, str)))
        stages = uses.get(ident, {})
        chosen.append(SimilarProgramme(
            programme_id=ident, name=str(info["name"]), record_type=str(info["record_type"]), similarity=score,
            weight=score ** power, method_ids=tuple(stages), stages=stages,
            scale_reached=info["scale_reached"] if isinstance(info["scale_reached"], str) else None,
            scale_caveat=info["scale_caveat"] if isinstance(info["scale_caveat"], str) else None,
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


@dataclass(frozen=True, slots=True)
class FieldShare:
    """How often the programmes that shared one of the profile's values used a method.

    Attributes:
        field: the profile field; value: the profile's value (for a timescale, its band: short, medium, long).
        used: how many of those programmes used the method; count: how many shared the value.
    """

    field: str
    value: Any
    used: int
    count: int


@dataclass(frozen=True, slots=True)
class SituationUsage:
    """How often programmes in the same situation used one method.

    Attributes:
        share: 0–1, the weighted mean over the profile's known fields of (used + prior) / (count + prior
            programmes), the prior being PRIOR_PROGRAMMES at the library's overall rate; that rate when no field
            counts.
        overall_used, library_size: how many of the library's programmes used the method, of how many.
        parts: the share of each field that counted, the heaviest field first.
    """

    share: float
    overall_used: int
    library_size: int
    parts: tuple[FieldShare, ...]

    @property
    def overall(self) -> float:
        """The library's overall rate for the method."""
        return self.overall_used / self.library_size if self.library_size else 0.0


def situation_usage(collation: Collation, profile: InterventionProfile, method_ids: Iterable[str], *,
                    weights: Mapping[str, float], exclude: Iterable[str] = ()) -> dict[str, SituationUsage]:
    """Per method: field by field (weighted by `weights`, fields the profile leaves unknown left out), how often
    the library programmes with the profile's value used it, shrunk towards the library's overall rate."""
    rows = _library_rows(collation, exclude)
    uses = collation.programme_stages
    band = collation.scoring.timescale.band
    fields = sorted((field for field in SIMILARITY_FIELDS if weights.get(field, 0.0) > 0
                     and getattr(profile, field) is not None), key=lambda field: -weights[field])
    sharing = {field: [row["programme_id"] for row in rows
                       if same_situation(field, getattr(profile, field), row[field], band)] for field in fields}
    usage = {}
    for method_id in method_ids:
        users = {row["programme_id"] for row in rows if method_id in uses.get(row["programme_id"], {})}
        overall = len(users) / len(rows) if rows else 0.0
        parts = tuple(FieldShare(field, band(profile.timescale_months) if field == "timescale_months"
                                 else getattr(profile, field), len(users.intersection(sharing[field])),
                                 len(sharing[field])) for field in fields)
        total = sum(weights[part.field] for part in parts)
        share = (sum(weights[part.field] * (part.used + PRIOR_PROGRAMMES * overall) / (part.count + PRIOR_PROGRAMMES)
                     for part in parts) / total) if total else overall
        usage[method_id] = SituationUsage(share, len(users), len(rows), parts)
    return usage


def _library_rows(collation: Collation, exclude: Iterable[str]) -> list[Mapping[str, Any]]:
    """The library programmes' profiles as records, without the programmes in `exclude`."""
    left_out = set(exclude)
    return [row for row in collation.programme_profile_records if row["programme_id"] not in left_out]
