"""Fit the ranking's weights on the programme library, reproducibly (`spreadlab calibrate`).

The procedure (docs/scoring.md, "Calibration"): every programme of the library is ranked for its own profile
before spread, with itself left out of "programmes like yours"; the score to minimise is the mean rank percentile
of the methods it went on to use (0 = all ranked first, 0.5 = a random order; tied methods count at their middle
position, so ties never help). Coordinate descent over fixed grids, in a fixed order, from fixed starting values,
accepting only strict improvements: the same library always gives the same weights.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml

from .collation import Collation
from .library import PRIOR_PROGRAMMES, SIMILARITY_FIELDS, field_similarity, same_situation
from .ranking import rule_fits
from .scoring import (
    CRITERIA,
    LIBRARY_CRITERION,
    RULE_CRITERIA,
    SITUATION_CRITERION,
    Calibration,
    SimilarityRule,
    Weights,
)

CRITERION_GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
FIELD_GRID = (0.0, 0.5, 1.0, 2.0, 4.0)
NEIGHBOUR_GRID = (None, 6, 10, 15)  # None: every other programme counts, the closest most
POWER_GRID = (1.0, 2.0, 4.0, 8.0, 16.0)
SWEEPS = 4
# Where the search starts: the hand-set rule weights spreadlab had before the library, the library criterion
# as heavy as the heaviest rule, the same-situation criterion at 1, every profile field alike, every programme
# counting by its similarity, and evidence-building methods first for emerging evidence (the rule before the
# library).
START_WEIGHTS = {"nature": 1.0, "motivators": 1.0, "audience_scale": 1.5, "energy_for_change": 0.5,
                 "timescale": 1.0, "resources": 1.0, "evidence": 2.0, LIBRARY_CRITERION: 2.0,
                 SITUATION_CRITERION: 1.0}
PROCEDURE = ("Leave-one-programme-out over the programme library: each programme is ranked for its profile before "
             "spread with itself left out of the similar programmes; coordinate descent over fixed grids "
             f"(criterion weights {list(CRITERION_GRID)}, field weights {list(FIELD_GRID)}, neighbours "
             f"{['all' if n is None else n for n in NEIGHBOUR_GRID]}, power {list(POWER_GRID)}, evidence-building "
             f"first for emerging evidence or not; {SWEEPS} sweeps at most, strict improvements only) minimises the "
             "mean rank percentile of the methods each programme used, ties counted at their middle position.")
HEADER = ("# Written by `spreadlab calibrate` (spreadlab/calibration.py): weights fitted on the programme library.\n"
          "# Do not edit by hand; change the library or data/scoring.yaml, then run `spreadlab calibrate` again.\n")


@dataclass(frozen=True, slots=True)
class LibraryProblem:
    """Everything the objective needs about a library, computed once: per programme its rule fits (programme ×
    method × rule criterion), its agreement with every other programme per profile field (NaN where unknown),
    whether the two are in the same situation per field (False where unknown), which of its fields are known,
    the methods it used, whether its evidence is emerging, and which methods build evidence."""

    ids: tuple[str, ...]
    rule_fits: np.ndarray
    agreement: np.ndarray
    same: np.ndarray
    known: np.ndarray
    used: np.ndarray
    emerging: np.ndarray
    building: np.ndarray


def library_problem(collation: Collation, ids: Iterable[str]) -> LibraryProblem:
    """The arrays for the programmes `ids` (sorted), built with the same rules as `recommend()`."""
    ids = tuple(sorted(ids))
    method_ids = list(collation.methods["method_id"])
    profiles = [collation.programme_profile(ident) for ident in ids]
    fitted = np.array([
        [[fits[method_id][criterion].fit for criterion in RULE_CRITERIA] for method_id in method_ids]
        for fits in (rule_fits(collation, profile) for profile in profiles)
    ])
    band = collation.scoring.timescale.band
    agreement = np.full((len(ids), len(ids), len(SIMILARITY_FIELDS)), np.nan)
    same = np.zeros(agreement.shape, dtype=bool)
    for i, profile in enumerate(profiles):
        for j, other in enumerate(profiles):
            for f, field in enumerate(SIMILARITY_FIELDS):
                mine, theirs = getattr(profile, field), getattr(other, field)
                value = field_similarity(field, mine, theirs)
                agreement[i, j, f] = np.nan if value is None else value
                same[i, j, f] = i != j and bool(same_situation(field, mine, theirs, band))
    known = np.array([[getattr(profile, field) is not None for field in SIMILARITY_FIELDS] for profile in profiles])
    stages = collation.programme_stages
    used = np.array([[m in stages.get(ident, {}) for m in method_ids] for ident in ids])
    considerations = collation.considerations
    stage_rows = considerations[(considerations["consideration"] == "stage")
                                & considerations["value"].isin(collation.scoring.evidence.stages["emerging"])]
    building = np.array([m in set(stage_rows["method_id"]) for m in method_ids])
    emerging = np.array([p.evidence == "emerging" for p in profiles])
    return LibraryProblem(ids, fitted, agreement, same, known, used, emerging, building)


@dataclass(frozen=True, slots=True)
class Setting:
    """One point of the search: criterion weights, field weights, neighbours, power and the building-first rule."""

    weights: np.ndarray
    fields: np.ndarray
    neighbours: int | None
    power: float
    building_first: bool


def rank_percentiles(problem: LibraryProblem, setting: Setting) -> np.ndarray:
    """Per programme, the mean rank percentile of the methods it used, ranked with itself left out."""
    known = ~np.isnan(problem.agreement)
    numerator = np.nansum(problem.agreement * setting.fields, axis=2)
    denominator = (known * setting.fields).sum(axis=2)
    sims = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    np.fill_diagonal(sims, -np.inf)
    count = len(problem.ids) - 1 if setting.neighbours is None else min(setting.neighbours, len(problem.ids) - 1)
    order = np.argsort(-sims, axis=1, kind="stable")[:, :count]  # ties: the earlier id, as in recommend()
    weights = np.take_along_axis(sims, order, axis=1) ** setting.power
    totals = weights.sum(axis=1, keepdims=True)
    usage = np.divide((weights[:, :, None] * problem.used[order]).sum(axis=1), totals,
                      out=np.zeros(problem.used.shape), where=totals > 0)
    fits = np.concatenate([problem.rule_fits, np.round(usage, 4)[:, :, None],
                           np.round(_situation(problem, setting.fields), 4)[:, :, None]], axis=2)
    scores = np.round(fits @ setting.weights / max(setting.weights.sum(), 1e-12), 4)
    first = problem.emerging[:, None] & problem.building[None, :] & setting.building_first
    keys = scores + 10.0 * first
    higher = (keys[:, None, :] > keys[:, :, None]).sum(axis=2)
    tied = (keys[:, None, :] == keys[:, :, None]).sum(axis=2)
    percentiles = (higher + (tied - 1) / 2) / (keys.shape[1] - 1)
    return np.array([percentiles[p][problem.used[p]].mean() for p in range(len(problem.ids))])


def _situation(problem: LibraryProblem, fields: np.ndarray) -> np.ndarray:
    """Per programme and method, the same-situation share (`library.situation_usage`) with the programme left
    out of the library."""
    used = problem.used.astype(float)
    overall = (used.sum(axis=0)[None, :] - used) / max(len(problem.ids) - 1, 1)
    total = np.zeros(used.shape)
    weight = np.zeros((len(problem.ids), 1))
    for f in np.flatnonzero(fields):
        sharing = problem.same[:, :, f].astype(float)
        share = (sharing @ used + PRIOR_PROGRAMMES * overall) / (sharing.sum(axis=1, keepdims=True) + PRIOR_PROGRAMMES)
        counts = fields[f] * problem.known[:, f:f + 1]
        total += counts * share
        weight += counts
    return np.where(weight > 0, total / np.where(weight > 0, weight, 1), overall)


def fit(collation: Collation, *, exclude: Iterable[str] = ()) -> Calibration:
    """The calibration fitted on every library programme except `exclude`."""
    left_out = set(exclude)
    ids = [ident for ident in collation.programmes["programme_id"] if ident not in left_out]
    problem = library_problem(collation, ids)
    best = Setting(np.array([START_WEIGHTS[c] for c in CRITERIA]), np.ones(len(SIMILARITY_FIELDS)),
                   NEIGHBOUR_GRID[0], POWER_GRID[0], building_first=True)
    objective = rank_percentiles(problem, best).mean()
    for _ in range(SWEEPS):
        start = objective
        for move in _moves(len(CRITERIA), len(SIMILARITY_FIELDS)):
            trial = move(best)
            if trial.weights.sum() == 0 or trial.fields.sum() == 0:
                continue
            value = rank_percentiles(problem, trial).mean()
            if value < objective - 1e-9:
                best, objective = trial, value
        if objective >= start - 1e-9:
            break
    return Calibration(
        procedure=PROCEDURE,
        library=problem.ids,
        library_fingerprint=library_fingerprint(collation, problem.ids),
        objective=round(float(objective), 4),
        weights=Weights(**{c: float(w) for c, w in zip(CRITERIA, best.weights, strict=True)}),
        similarity=SimilarityRule(
            neighbours=best.neighbours, power=best.power,
            fields={f: float(w) for f, w in zip(SIMILARITY_FIELDS, best.fields, strict=True)}),
        emerging_ranks_building_first=best.building_first,
    )


def _moves(size: int, fields: int):
    """Every one-step change, in a fixed order, as functions of the current best setting: each criterion weight,
    each field weight, the neighbours, the power, the building-first rule."""
    for index in range(size):
        for value in CRITERION_GRID:
            yield lambda s, i=index, v=value: replace(s, weights=_set(s.weights, i, v))
    for index in range(fields):
        for value in FIELD_GRID:
            yield lambda s, i=index, v=value: replace(s, fields=_set(s.fields, i, v))
    for neighbours in NEIGHBOUR_GRID:
        yield lambda s, n=neighbours: replace(s, neighbours=n)
    for power in POWER_GRID:
        yield lambda s, p=power: replace(s, power=p)
    yield lambda s: replace(s, building_first=not s.building_first)


def _set(values: np.ndarray, index: int, value: float) -> np.ndarray:
    changed = values.copy()
    changed[index] = value
    return changed


def library_fingerprint(collation: Collation, ids: Iterable[str]) -> str:
    """sha256 of the files that hold the programmes `ids`: it changes when any of their data does."""
    files = collation.programmes.set_index("programme_id")["file"]
    digest = hashlib.sha256()
    for ident in sorted(ids):
        digest.update(ident.encode("utf-8") + b"\0" + (collation.data_dir / files[ident]).read_bytes() + b"\0")
    return digest.hexdigest()


def to_yaml(calibration: Calibration) -> str:
    """calibration.yaml's text: a header saying where it comes from, then the fitted values."""
    document = {
        "procedure": calibration.procedure,
        "library": list(calibration.library),
        "library_fingerprint": calibration.library_fingerprint,
        "objective": calibration.objective,
        "weights": {c: getattr(calibration.weights, c) for c in CRITERIA},
        "similarity": {"neighbours": calibration.similarity.neighbours, "power": calibration.similarity.power,
                       "fields": dict(calibration.similarity.fields)},
        "emerging_ranks_building_first": calibration.emerging_ranks_building_first,
    }
    return HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=118)


def write(calibration: Calibration, path: Path) -> None:
    """Write calibration.yaml at `path`."""
    path.write_text(to_yaml(calibration), encoding="utf-8")
