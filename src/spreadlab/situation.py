"""A situation as the engine sees it: the profile fields a leader can declare, one indicator per (field, value), and
the programme library as the situations its programmes were in before they spread and the methods they used.

One indicator per value (not an ordered number) keeps every part of a score readable as "because the mandate is
yes"; a field left unknown sets no indicator, so it adds nothing rather than counting as "no".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .profile import CHOICES, InterventionProfile

TIMESCALE = "timescale"
TIMESCALE_BANDS = ("short", "medium", "long")
SITUATION_FIELDS = ("kind", "setting", "nature", "audience_scale", "adopter_count", "adopters", "spread_lead",
                    "motivators", "energy_for_change", TIMESCALE, "resources", "evidence", "central_funding",
                    "mandate", "incentive", "contract", "regulation")
"""The fields that describe a situation, in the order the engine reports them (timescale as its band)."""


def field_values(field: str) -> tuple[str, ...]:
    """The values a situation field can take."""
    return TIMESCALE_BANDS if field == TIMESCALE else CHOICES[field]


FEATURES: tuple[tuple[str, str], ...] = tuple((field, value) for field in SITUATION_FIELDS
                                              for value in field_values(field))
"""Every (field, value) indicator, in a fixed order: the columns of the situation matrix."""
_COLUMN = {feature: i for i, feature in enumerate(FEATURES)}


def timescale_band(months: int, bands: Mapping[str, int]) -> str:
    """The band `months` falls in: short up to `bands['short']` months, medium up to `bands['medium']`, else long."""
    return next((band for band in ("short", "medium") if months <= bands[band]), "long")


def situation_of(profile: InterventionProfile, bands: Mapping[str, int]) -> dict[str, str]:
    """The situation fields a profile declares (unknown fields left out; the timescale as its band)."""
    values = {field: getattr(profile, field) for field in SITUATION_FIELDS if field != TIMESCALE}
    values[TIMESCALE] = timescale_band(profile.timescale_months, bands)
    return {field: values[field] for field in SITUATION_FIELDS if values[field] is not None}


def encode(situation: Mapping[str, str]) -> np.ndarray:
    """The indicator vector of a situation (1.0 for each declared (field, value), else 0)."""
    vector = np.zeros(len(FEATURES))
    for field, value in situation.items():
        vector[_COLUMN[(field, value)]] = 1.0
    return vector


@dataclass(frozen=True, eq=False)
class Library:
    """The programme library as the engine learns from it.

    Attributes:
        programme_ids: the programmes, in id order.
        method_ids: every recorded method, in the collation's order.
        situations: per programme, its declared situation before spread (situation_of).
        matrix: programmes × FEATURES indicators (encode of each situation).
        used: programmes × methods, True where the programme used the method.
        stages: per programme, method id → the stages (prepare|test|spread|sustain) it was used in.
        names, starts: per programme, its name and when it started ("YYYY" or "YYYY-MM").
    """

    programme_ids: tuple[str, ...]
    method_ids: tuple[str, ...]
    situations: tuple[Mapping[str, str], ...]
    matrix: np.ndarray
    used: np.ndarray
    stages: tuple[Mapping[str, tuple[str, ...]], ...]
    names: tuple[str, ...]
    starts: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.programme_ids)

    def without(self, programme_ids: Iterable[str]) -> Library:
        """The library with the given programmes left out (the rest in the same order)."""
        left_out = set(programme_ids)
        if not left_out & set(self.programme_ids):
            return self
        keep = [i for i, ident in enumerate(self.programme_ids) if ident not in left_out]
        return self.subset(keep)

    def subset(self, rows: Iterable[int]) -> Library:
        """The library of the programmes at positions `rows` (in that order)."""
        rows = list(rows)
        return Library(tuple(self.programme_ids[i] for i in rows), self.method_ids,
                       tuple(self.situations[i] for i in rows), self.matrix[rows], self.used[rows],
                       tuple(self.stages[i] for i in rows), tuple(self.names[i] for i in rows),
                       tuple(self.starts[i] for i in rows))

    def base_rates(self) -> np.ndarray:
        """Per method, the share of the library's programmes that used it."""
        return self.used.mean(axis=0) if len(self) else np.zeros(len(self.method_ids))


def build_library(profiles: Iterable[Mapping[str, Any]], method_ids: tuple[str, ...],
                  uses: Mapping[str, Mapping[str, tuple[str, ...]]], names: Mapping[str, str],
                  starts: Mapping[str, str], bands: Mapping[str, int]) -> Library:
    """The library from the programmes' profile rows (`programme_id` and the profile fields), the methods each
    used by stage, and their names and start dates."""
    rows = list(profiles)
    ids = tuple(str(row["programme_id"]) for row in rows)
    situations = tuple(_declared(row, bands) for row in rows)
    matrix = np.array([encode(s) for s in situations]).reshape(len(ids), len(FEATURES))
    used = np.array([[m in uses.get(ident, {}) for m in method_ids] for ident in ids], dtype=bool)
    return Library(ids, method_ids, situations, matrix, used.reshape(len(ids), len(method_ids)),
                   tuple(uses.get(ident, {}) for ident in ids), tuple(names[i] for i in ids),
                   tuple(starts[i] for i in ids))


def _declared(row: Mapping[str, Any], bands: Mapping[str, int]) -> dict[str, str]:
    """A library programme's profile row as a situation (fields the curators left unknown left out)."""
    values: dict[str, str] = {}
    for field in SITUATION_FIELDS:
        value = row.get("timescale_months" if field == TIMESCALE else field)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        values[field] = timescale_band(int(value), bands) if field == TIMESCALE else str(value)
    return values
