"""The chance that a programme in a given situation uses each method: one L2-regularised logistic model per method
over the situation's indicators, fitted on the programme library.

A method's log-odds are its intercept plus one coefficient per declared (field, value), so every estimate splits
into parts a leader can read ("a mandate in hand multiplies the odds by 3"). Fitting needs scikit-learn; using a
fitted model needs only numpy, so pages and reports that read the stored model never import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .situation import FEATURES, Library


@dataclass(frozen=True, slots=True)
class MethodModel:
    """One method's fitted model: log-odds = intercept + coefficients · indicators (one per FEATURES entry), fitted
    with inverse regularisation strength `regularisation` (scikit-learn's C)."""

    method_id: str
    regularisation: float
    intercept: float
    coefficients: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Part:
    """One declared (field, value) and how much it moves a method's log-odds."""

    field: str
    value: str
    log_odds: float

    @property
    def odds_ratio(self) -> float:
        """The factor this part multiplies the odds by."""
        return float(np.exp(self.log_odds))


@dataclass(frozen=True, slots=True)
class UsageModel:
    """A fitted model per method, in the library's method order."""

    methods: tuple[MethodModel, ...]

    def log_odds(self, matrix: np.ndarray) -> np.ndarray:
        """Situations (rows of indicators) × methods: the log-odds of each method being used."""
        weights = np.array([m.coefficients for m in self.methods]).T
        intercepts = np.array([m.intercept for m in self.methods])
        return np.atleast_2d(matrix) @ weights + intercepts

    def chance(self, matrix: np.ndarray) -> np.ndarray:
        """Situations × methods: the estimated chance that a programme in each situation uses each method."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(matrix)))

    def parts(self, vector: np.ndarray, method_index: int) -> tuple[Part, ...]:
        """The declared (field, value) indicators of one situation and how each moves one method's log-odds,
        largest effect first."""
        coefficients = self.methods[method_index].coefficients
        parts = [Part(field, value, coefficients[i]) for i, (field, value) in enumerate(FEATURES) if vector[i]]
        return tuple(sorted(parts, key=lambda part: -abs(part.log_odds)))


def fit_usage_model(library: Library, regularisation: float | Mapping[str, float]) -> UsageModel:
    """Fit one logistic model per method on `library`, each with its inverse regularisation strength (one value for
    all, or per method id; scikit-learn's C). A method no programme (or every programme) used gets a constant,
    smoothed rate."""
    from sklearn.linear_model import LogisticRegression  # only fitting needs scikit-learn

    count = len(library)
    models = []
    for j, method_id in enumerate(library.method_ids):
        strength = regularisation if isinstance(regularisation, float | int) else regularisation[method_id]
        target = library.used[:, j]
        users = int(target.sum())
        if users in (0, count):
            rate = (users + 0.5) / (count + 1)
            models.append(MethodModel(method_id, float(strength), float(np.log(rate / (1 - rate))),
                                      (0.0,) * len(FEATURES)))
            continue
        fitted = LogisticRegression(C=float(strength), solver="newton-cholesky", max_iter=200)
        fitted.fit(library.matrix, target)
        models.append(MethodModel(method_id, float(strength), float(fitted.intercept_[0]),
                                  tuple(float(c) for c in fitted.coef_[0])))
    return UsageModel(tuple(models))
