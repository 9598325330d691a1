"""How well advice foresees what real programmes did: leave-one-programme-out over the library, with spreadlab,
popularity and a random order as rankers of the same interface, measured by `spreadlab.metrics`.

For every programme: the ranker is fitted on the library without it, its profile before spread is advised, and the
methods it went on to use are looked up in the ranking and the plan. The calibration, `calibrate --check`, the tests
and benchmarks/quality.py all measure through this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np

from . import metrics
from .calibration import Calibration
from .collation import Collation
from .profile import InterventionProfile


class Advisor(Protocol):
    """A ranker fitted on a library: per method (in the library's method order) a score, and which are planned."""

    def advise(self, profile: InterventionProfile) -> tuple[np.ndarray, np.ndarray]: ...


class Ranker(Protocol):
    """Something that learns from the library and then advises: spreadlab, popularity or a random order."""

    name: str

    def fit(self, collation: Collation, exclude: tuple[str, ...]) -> Advisor: ...


@dataclass(frozen=True, slots=True)
class Spreadlab:
    """spreadlab's own advice: `recommend` and `plan`, with the calibration fitted again without the left-out
    programmes (`refit_settings`) or only its models refitted (faster; the stored settings)."""

    refit_settings: bool = True
    name: str = "spreadlab"

    def fit(self, collation: Collation, exclude: tuple[str, ...]) -> Advisor:
        from .fitting import fit, refit

        library = collation.library.without(exclude)
        fitted = fit(collation, exclude=exclude) if self.refit_settings else refit(collation.calibration, library)
        return _SpreadlabAdvisor(collation, exclude, fitted)


@dataclass(frozen=True, slots=True)
class _SpreadlabAdvisor:
    collation: Collation
    exclude: tuple[str, ...]
    calibration: Calibration

    def advise(self, profile: InterventionProfile) -> tuple[np.ndarray, np.ndarray]:
        from .advice import recommend
        from .planning import plan

        advice = recommend(self.collation, profile, exclude=self.exclude, calibration=self.calibration)
        planned = set(plan(self.collation, profile, advice).method_ids)
        method_ids = self.collation.library.method_ids
        chance = {m.method_id: m.chance for m in advice.methods}
        return np.array([chance[m] for m in method_ids]), np.array([m in planned for m in method_ids])


@dataclass(frozen=True, slots=True)
class Popularity:
    """Methods ordered by how many of the library's programmes used them, whatever the profile; the plan is the
    top `plan_size`."""

    plan_size: int = 7
    name: str = "popularity"

    def fit(self, collation: Collation, exclude: tuple[str, ...]) -> Advisor:
        return _Fixed(collation.library.without(exclude).base_rates(), self.plan_size)


@dataclass(frozen=True, slots=True)
class RandomOrder:
    """A random order of the methods for every profile (a fixed seed per left-out set, so runs repeat); the plan
    is the first `plan_size`."""

    plan_size: int = 7
    seed: int = 0
    name: str = "random order"

    def fit(self, collation: Collation, exclude: tuple[str, ...]) -> Advisor:
        rng = np.random.default_rng([self.seed, *(sum(map(ord, ident)) for ident in exclude)])
        return _Fixed(rng.random(len(collation.library.method_ids)), self.plan_size)


@dataclass(frozen=True, slots=True)
class _Fixed:
    scores: np.ndarray
    plan_size: int

    def advise(self, profile: InterventionProfile) -> tuple[np.ndarray, np.ndarray]:
        planned = np.zeros(len(self.scores), dtype=bool)
        planned[np.argsort(-self.scores, kind="stable")[:self.plan_size]] = True
        return self.scores, planned


@dataclass(frozen=True)
class Evaluation:
    """One ranker's leave-one-out results: per programme (rows, in `programme_ids` order) and method (columns,
    in `method_ids` order) the score, whether it was planned, and whether the programme used it."""

    ranker: str
    programme_ids: tuple[str, ...]
    method_ids: tuple[str, ...]
    scores: np.ndarray
    planned: np.ndarray
    used: np.ndarray

    @cached_property
    def percentiles(self) -> np.ndarray:
        """Per programme, the mean rank percentile of the methods it used."""
        return np.array([metrics.mean_rank_percentile(s, u) for s, u in zip(self.scores, self.used, strict=True)])

    @cached_property
    def recalls(self) -> np.ndarray:
        """Per programme, the share of the methods it used that its plan holds."""
        return np.array([metrics.recall(p, u) for p, u in zip(self.planned, self.used, strict=True)])

    @cached_property
    def precisions(self) -> np.ndarray:
        """Per programme, the share of its plan's methods that it used."""
        return np.array([metrics.precision(p, u) for p, u in zip(self.planned, self.used, strict=True)])

    @property
    def plan_sizes(self) -> np.ndarray:
        """Per programme, how many methods its plan holds."""
        return self.planned.sum(axis=1)

    def method_aucs(self) -> dict[str, float | None]:
        """Per method, how well its scores across programmes separate those that used it (None: all or none)."""
        return {m: metrics.method_auc(self.scores[:, j], self.used[:, j]) for j, m in enumerate(self.method_ids)}

    def mean_auc(self, min_users: int = 2) -> float:
        """The mean AUC over the methods at least `min_users` programmes used (and not all did)."""
        users = self.used.sum(axis=0)
        aucs = [a for (m, a), n in zip(self.method_aucs().items(), users, strict=True)
                if a is not None and n >= min_users]
        return float(np.mean(aucs))

    def method_recalls(self) -> dict[str, float | None]:
        """Per method, the share of the programmes that used it whose plan holds it (None: nobody used it)."""
        users = self.used.sum(axis=0)
        held = (self.planned & self.used).sum(axis=0)
        return {m: (float(held[j] / users[j]) if users[j] else None) for j, m in enumerate(self.method_ids)}

    def plan_shares(self) -> dict[str, float]:
        """Per method, the share of all plans that hold it."""
        return {m: float(share) for m, share in zip(self.method_ids, self.planned.mean(axis=0), strict=True)}


def leave_one_out(collation: Collation, ranker: Ranker, ids: Iterable[str] | None = None) -> Evaluation:
    """Advise every library programme (or those in `ids`) with the ranker fitted on the library without it."""
    library = collation.library
    chosen = tuple(library.programme_ids if ids is None else ids)
    rows = [library.programme_ids.index(ident) for ident in chosen]
    scores, planned = [], []
    for ident in chosen:
        advisor = ranker.fit(collation, (ident,))
        score, plan = advisor.advise(collation.programme_profile(ident))
        scores.append(score)
        planned.append(plan)
    return Evaluation(ranker.name, chosen, library.method_ids, np.array(scores), np.array(planned),
                      library.used[rows])


def gap_interval(better: Evaluation, baseline: Evaluation, measure: str, *, draws: int = 2000,
                 seed: int = 0) -> tuple[float, float, float]:
    """The mean per-programme difference `better − baseline` of a per-programme measure (`percentiles`,
    `recalls` or `precisions`) and its paired bootstrap 95% interval."""
    differences = getattr(better, measure) - getattr(baseline, measure)
    low, high = metrics.paired_bootstrap(differences, draws=draws, seed=seed)
    return float(differences.mean()), low, high

