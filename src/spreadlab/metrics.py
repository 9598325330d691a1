"""How well advice matches what programmes did, written once: the calibration, the evaluation, the tests and the
benchmarks all measure with these functions.

Scores are arrays of one value per method (higher = recommended sooner); `used` marks the methods a programme used.
"""

from __future__ import annotations

import numpy as np


def rank_percentiles(scores: np.ndarray) -> np.ndarray:
    """Each method's position in the ranking of `scores` as a share of the way down (0 = first, 1 = last); tied
    methods count at the middle of their tie, so ties never help."""
    higher = (scores[None, :] > scores[:, None]).sum(axis=1)
    tied = (scores[None, :] == scores[:, None]).sum(axis=1)
    return (higher + (tied - 1) / 2) / max(len(scores) - 1, 1)


def mean_rank_percentile(scores: np.ndarray, used: np.ndarray) -> float:
    """The mean rank percentile of the methods used (0 = all ranked first, 0.5 = a random order)."""
    return float(rank_percentiles(scores)[used].mean())


def recall(planned: np.ndarray, used: np.ndarray) -> float:
    """The share of the methods used that the plan holds."""
    return float((planned & used).sum() / used.sum())


def precision(planned: np.ndarray, used: np.ndarray) -> float:
    """The share of the plan's methods that were used (0 for an empty plan)."""
    return float((planned & used).sum() / planned.sum()) if planned.any() else 0.0


def log_loss(chances: np.ndarray, used: np.ndarray) -> float:
    """The mean log loss of estimated chances against what was used (lower is better), chances kept inside
    [1e-6, 1 - 1e-6]."""
    p = np.clip(chances, 1e-6, 1 - 1e-6)
    return float(-(used * np.log(p) + (~used) * np.log(1 - p)).mean())


def method_auc(scores: np.ndarray, used: np.ndarray) -> float | None:
    """How well one method's scores across programmes separate those that used it from those that did not (area
    under the ROC curve: 0.5 = no better than chance); None when all or none used it."""
    from sklearn.metrics import roc_auc_score

    if used.all() or not used.any():
        return None
    return float(roc_auc_score(used, scores))


def paired_bootstrap(differences: np.ndarray, *, draws: int = 2000, seed: int = 0,
                     level: float = 0.95) -> tuple[float, float]:
    """A percentile bootstrap interval for the mean of per-programme paired differences (fixed seed: the same data
    always give the same interval)."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(differences), size=(draws, len(differences)))
    means = differences[picks].mean(axis=1)
    tail = (1 - level) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))
