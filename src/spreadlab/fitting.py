"""Fit the calibration on the programme library, reproducibly (`spreadlab calibrate`), and refit its models when
a leader leaves programmes out.

The procedure (docs/scoring.md, "Calibration"): the library's programmes, in id order, are cut into FOLDS folds by
position, and each fold's programmes get chances from models fitted on the other folds. First, for each method, the
regularisation (scikit-learn's C, on REGULARISATION_GRID) whose chances have the lowest log loss for that method;
then, with those, how many programmes like yours count and how much their share weighs beside the model (the
lowest log loss over every programme and method). Ties go to the earlier value on each grid, the grids being
ordered from the most regularised and the fewest programmes. The models are then fitted on the whole library.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from weakref import WeakKeyDictionary

import numpy as np

from . import metrics
from .alike import alike_share, programmes_alike
from .calibration import Calibration, blend, library_fingerprint, rounded
from .collation import Collation
from .rules import Rules
from .situation import Library
from .usage_model import fit_usage_model

REGULARISATION_GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
NEIGHBOURS_GRID = (6, 10, 15, 25)
ALIKE_WEIGHT_GRID = (0.0, 0.25, 0.5)
FOLDS = 10
PROCEDURE = (
    f"{FOLDS}-fold cross-validation over the programme library (programmes in id order, fold = position mod "
    f"{FOLDS}); every programme's chances come from per-method logistic models fitted without its fold. Each "
    f"method's regularisation C (grid {list(REGULARISATION_GRID)}) is the one with the lowest log loss for that "
    f"method; then the number of programmes like yours that count ({list(NEIGHBOURS_GRID)}) and their weight beside "
    f"the model ({list(ALIKE_WEIGHT_GRID)}) are those with the lowest log loss over every programme and method. Ties "
    "go to the earlier value on each grid. The models are then fitted on the whole library.")


def fit(collation: Collation, *, exclude: Iterable[str] = ()) -> Calibration:
    """The calibration fitted on every library programme except `exclude`."""
    library = collation.library.without(exclude)
    folds = np.arange(len(library)) % FOLDS
    modelled = {c: _cross_validated_model(library, folds, c) for c in REGULARISATION_GRID}

    def method_loss(c: float, j: int) -> float:
        return round(metrics.log_loss(modelled[c][:, j], library.used[:, j]), 6)

    regularisation = {m: min(REGULARISATION_GRID, key=functools.partial(method_loss, j=j))
                      for j, m in enumerate(library.method_ids)}
    model = np.column_stack([modelled[regularisation[m]][:, j] for j, m in enumerate(library.method_ids)])
    shares = {k: _cross_validated_alike(library, folds, collation.rules, k) for k in NEIGHBOURS_GRID}
    scored = [(round(metrics.log_loss(blend(model, shares[k], w), library.used), 6), k, w)
              for k in NEIGHBOURS_GRID for w in ALIKE_WEIGHT_GRID]
    loss, neighbours, weight = min(scored, key=lambda item: item[0])
    estimate = np.round(blend(model, shares[neighbours], weight), 4)  # what cross_validated_chances gives
    percentile = np.mean([metrics.mean_rank_percentile(estimate[i], library.used[i]) for i in range(len(library))])
    files = collation.programmes.set_index("programme_id")["file"].to_dict()
    return Calibration(
        procedure=PROCEDURE, library=library.programme_ids,
        library_fingerprint=library_fingerprint(collation.data_dir, files, library.programme_ids),
        neighbours=neighbours, alike_weight=weight, log_loss=loss, rank_percentile=round(float(percentile), 4),
        model=rounded(fit_usage_model(library, regularisation)))


def cross_validated_chances(library: Library, rules: Rules, regularisation: dict[str, float], neighbours: int,
                            alike_weight: float) -> np.ndarray:
    """Programmes × methods: the chances of one setting, each programme's from outside its fold (what the fit's
    figures are computed from)."""
    folds = np.arange(len(library)) % FOLDS
    modelled = {c: _cross_validated_model(library, folds, c) for c in set(regularisation.values())}
    model = np.column_stack([modelled[regularisation[m]][:, j] for j, m in enumerate(library.method_ids)])
    return blend(model, _cross_validated_alike(library, folds, rules, neighbours), alike_weight)


def _cross_validated_model(library: Library, folds: np.ndarray, regularisation: float) -> np.ndarray:
    """Programmes × methods: each programme's chances from models (all with `regularisation`) fitted without its
    fold."""
    chances = np.zeros(library.used.shape)
    for fold in range(FOLDS):
        tests = np.flatnonzero(folds == fold)
        model = fit_usage_model(library.subset(np.flatnonzero(folds != fold)), regularisation)
        chances[tests] = model.chance(library.matrix[tests])
    return chances


def _cross_validated_alike(library: Library, folds: np.ndarray, rules: Rules, count: int) -> np.ndarray:
    """Programmes × methods: each programme's share of the `count` programmes most like it, outside its fold."""
    shares = np.zeros(library.used.shape)
    for fold in range(FOLDS):
        train = library.subset(np.flatnonzero(folds != fold))
        for i in np.flatnonzero(folds == fold):
            alike = programmes_alike(library.matrix[i], library.situations[i], train, rules.alike.fields,
                                     count=count, max_share=rules.alike.max_share)
            shares[i] = alike_share(alike, library.method_ids)
    return shares


def refit(calibration: Calibration, library: Library) -> Calibration:
    """The same settings with the models fitted on `library` (e.g. without programmes a leader left out)."""
    return Calibration(calibration.procedure, library.programme_ids, "", calibration.neighbours,
                       calibration.alike_weight, calibration.log_loss, calibration.rank_percentile,
                       rounded(fit_usage_model(library, calibration.regularisation)))


_CURRENT: WeakKeyDictionary[Collation, dict[tuple[str, ...], Calibration]] = WeakKeyDictionary()


def current_calibration(collation: Collation, library: Library) -> Calibration:
    """The stored calibration when it was fitted on exactly this library, else its settings refitted on it (kept
    per collation, so a leader's repeated choice costs one fit)."""
    cache = _CURRENT.setdefault(collation, {})
    if library.programme_ids not in cache:
        stored = collation.calibration
        files = collation.programmes.set_index("programme_id")["file"].to_dict()
        same = (stored.library == library.programme_ids and stored.library_fingerprint
                == library_fingerprint(collation.data_dir, files, library.programme_ids))
        cache[library.programme_ids] = stored if same else refit(stored, library)
    return cache[library.programme_ids]
