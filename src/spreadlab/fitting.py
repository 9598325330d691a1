"""Fit the calibration on the programme library, reproducibly (`spreadlab calibrate`), and refit its models when
a leader leaves programmes out.

The procedure (docs/scoring.md, "Calibration"): the library's programmes, in id order, are cut into FOLDS folds by
position; for every setting on the fixed grids, each fold's programmes get chances from models fitted on the other
folds and from the programmes like them in the other folds; the setting with the lowest mean log loss of those
chances wins (ties: the earlier setting, the grids being ordered from the most regularised and the fewest
programmes). The models are then fitted on the whole library.
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakKeyDictionary

import numpy as np

from . import metrics
from .alike import alike_share, programmes_alike
from .calibration import Calibration, library_fingerprint, rounded
from .collation import Collation
from .rules import Rules
from .situation import Library
from .usage_model import fit_usage_model

REGULARISATION_GRID = (0.1, 0.3, 1.0, 3.0)
NEIGHBOURS_GRID = (6, 10, 15, 25)
ALIKE_WEIGHT_GRID = (0.0, 0.25, 0.5)
FOLDS = 10
PROCEDURE = (
    f"{FOLDS}-fold cross-validation over the programme library (programmes in id order, fold = position mod "
    f"{FOLDS}): for each setting on the grids (regularisation C {list(REGULARISATION_GRID)}, programmes like yours "
    f"counted {list(NEIGHBOURS_GRID)}, their weight beside the model {list(ALIKE_WEIGHT_GRID)}), every programme's "
    "chances come from per-method logistic models fitted without its fold and from the programmes like it in the "
    "other folds; the lowest mean log loss over every programme and method wins (ties: the earlier setting). The "
    "models are then fitted on the whole library.")
Setting = tuple[float, int, float]


def fit(collation: Collation, *, exclude: Iterable[str] = ()) -> Calibration:
    """The calibration fitted on every library programme except `exclude`."""
    library = collation.library.without(exclude)
    chances = cross_validated_chances(library, collation.rules)
    scored = [(round(metrics.log_loss(estimate, library.used), 6), setting) for setting, estimate in chances.items()]
    loss, (regularisation, neighbours, weight) = min(scored, key=lambda item: item[0])
    estimate = np.round(chances[(regularisation, neighbours, weight)], 4)
    percentile = np.mean([metrics.mean_rank_percentile(estimate[i], library.used[i]) for i in range(len(library))])
    files = collation.programmes.set_index("programme_id")["file"].to_dict()
    return Calibration(
        procedure=PROCEDURE, library=library.programme_ids,
        library_fingerprint=library_fingerprint(collation.data_dir, files, library.programme_ids),
        regularisation=regularisation, neighbours=neighbours, alike_weight=weight, log_loss=loss,
        rank_percentile=round(float(percentile), 4), model=rounded(fit_usage_model(library, regularisation)))


def cross_validated_chances(library: Library, rules: Rules) -> dict[Setting, np.ndarray]:
    """For every setting on the grids, each programme's chance of using each method (programmes × methods), from
    models and programmes like it outside its fold."""
    folds = np.arange(len(library)) % FOLDS
    settings = [(c, k, w) for c in REGULARISATION_GRID for k in NEIGHBOURS_GRID for w in ALIKE_WEIGHT_GRID]
    chances = {setting: np.zeros(library.used.shape) for setting in settings}
    for fold in range(FOLDS):
        train = library.subset(np.flatnonzero(folds != fold))
        tests = np.flatnonzero(folds == fold)
        modelled = {c: fit_usage_model(train, c).chance(library.matrix[tests]) for c in REGULARISATION_GRID}
        for k in NEIGHBOURS_GRID:
            shares = np.array([
                alike_share(programmes_alike(library.matrix[i], library.situations[i], train, rules.alike.fields,
                                             count=k, max_share=rules.alike.max_share), library.method_ids)
                for i in tests])
            for c, k_, w in settings:
                if k_ == k:
                    chances[(c, k, w)][tests] = (1 - w) * modelled[c] + w * shares
    return chances


def refit(calibration: Calibration, library: Library) -> Calibration:
    """The same settings with the models fitted on `library` (e.g. without programmes a leader left out)."""
    return Calibration(calibration.procedure, library.programme_ids, "", calibration.regularisation,
                       calibration.neighbours, calibration.alike_weight, calibration.log_loss,
                       calibration.rank_percentile, rounded(fit_usage_model(library, calibration.regularisation)))


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
