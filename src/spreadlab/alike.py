"""Programmes really like yours: the library programmes whose situation before spread agreed most with a profile,
weighted by what a leader would call alike (the kind of innovation first, then the setting and who must change),
and how much each counts when "programmes like yours" are asked what they did.

Similarity is the weighted share of the profile's declared fields on which a programme agrees (a field the
programme's curators left unknown counts as not agreeing). The closest programmes count in proportion to their
similarity, but none counts for more than `max_share` of the whole, so one programme can never carry the advice.
Ties are broken in a stated order: similarity, then agreement on the kind, the setting and who must change, then
the more recent start, then the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .situation import FEATURES, Library

TIE_BREAK_FIELDS = ("kind", "setting", "adopters")


@dataclass(frozen=True, slots=True)
class Alike:
    """One library programme and how alike it is to the profile.

    Attributes:
        programme_id, name: the programme.
        similarity: 0–1, the weighted share of the profile's declared fields it agrees on.
        weight: its share of "programmes like yours" (0 when it is not among those counted; at most max_share).
        shared: the profile's (field, value) pairs it agrees on, heaviest field first.
        differs: the profile's fields it differs on, heaviest first, as (field, yours, theirs); theirs is None
            when its curators left the field unknown.
        method_ids: the methods it used, in the data's order.
        stages: method id → the stages it used the method in.
    """

    programme_id: str
    name: str
    similarity: float
    weight: float
    shared: tuple[tuple[str, str], ...]
    differs: tuple[tuple[str, str, str | None], ...]
    method_ids: tuple[str, ...]
    stages: Mapping[str, tuple[str, ...]]


def field_weights(weights: Mapping[str, float]) -> np.ndarray:
    """Per FEATURES column, the weight of its field (fields not named weigh 0)."""
    return np.array([weights.get(field, 0.0) for field, _ in FEATURES])


def similarities(vector: np.ndarray, library: Library, weights: Mapping[str, float]) -> np.ndarray:
    """Per library programme, its similarity to the situation `vector` (0 when the profile declares no weighted
    field)."""
    columns = field_weights(weights)
    declared = float((vector * columns).sum())
    if declared == 0:
        return np.zeros(len(library))
    return (library.matrix @ (vector * columns)) / declared


def capped_weights(similarity: np.ndarray, max_share: float) -> np.ndarray:
    """Weights proportional to `similarity` that sum to 1 with none above `max_share` (the excess of a capped
    programme goes to the others in proportion, or equally when they have no similarity); all equal when no
    programme has any similarity."""
    if len(similarity) == 0:
        return similarity
    raw = np.where(similarity > 1e-9, similarity, 0.0)  # no weight from rounding dust
    raw = raw if raw.sum() > 0 else np.ones(len(similarity))
    weights = raw / raw.sum()
    cap = max(max_share, 1.0 / len(weights))
    capped = np.zeros(len(weights), dtype=bool)
    while (weights > cap + 1e-12).any():
        capped |= weights > cap + 1e-12
        free = raw * ~capped if (raw * ~capped).sum() > 0 else (~capped).astype(float)
        weights = np.where(capped, cap, (1 - cap * capped.sum()) * free / free.sum())
    return weights


def closest(vector: np.ndarray, library: Library, weights: Mapping[str, float]) -> np.ndarray:
    """Positions of the library programmes, closest first, ties broken in the stated order (see the module)."""
    sims = similarities(vector, library, weights)
    tie_fields = [_agrees(vector, library, field) for field in TIE_BREAK_FIELDS]
    keys = [(-round(float(sims[i]), 9), *(-float(t[i]) for t in tie_fields),
             _negated(library.starts[i]), library.names[i]) for i in range(len(library))]
    return np.array(sorted(range(len(library)), key=lambda i: keys[i]), dtype=int)


def programmes_alike(vector: np.ndarray, situation: Mapping[str, str], library: Library,
                     weights: Mapping[str, float], *, count: int, max_share: float) -> tuple[Alike, ...]:
    """Every library programme, closest first; the first `count` carry weights (capped at `max_share`)."""
    order = closest(vector, library, weights)
    sims = similarities(vector, library, weights)
    counted = order[:count]
    shares = np.zeros(len(library))
    shares[counted] = capped_weights(sims[counted], max_share)
    ranked = sorted((field for field in situation if weights.get(field, 0) > 0), key=lambda f: -weights[f])
    result = []
    for i in order:
        theirs = library.situations[i]
        result.append(Alike(
            programme_id=library.programme_ids[i], name=library.names[i], similarity=float(sims[i]),
            weight=float(shares[i]),
            shared=tuple((f, situation[f]) for f in ranked if theirs.get(f) == situation[f]),
            differs=tuple((f, situation[f], theirs.get(f)) for f in ranked if theirs.get(f) != situation[f]),
            method_ids=tuple(library.stages[i]), stages=library.stages[i]))
    return tuple(result)


def alike_share(alike: tuple[Alike, ...], method_ids: tuple[str, ...]) -> np.ndarray:
    """Per method, the weighted share of the counted programmes like yours that used it."""
    return np.array([sum(p.weight for p in alike if m in p.stages) for m in method_ids])


def _agrees(vector: np.ndarray, library: Library, field: str) -> np.ndarray:
    columns = np.array([f == field for f, _ in FEATURES], dtype=float)
    return library.matrix @ (vector * columns)


def _negated(text: str) -> tuple[int, ...]:
    """A sort key that puts later starts first; a bare year counts as its January."""
    return tuple(-ord(ch) for ch in (text if len(text) > 4 else f"{text}-01"))
