"""The settings and per-method models fitted on the programme library, as `calibration.yaml` stores them: read,
checked and written here; fitted by `spreadlab.fitting` (`spreadlab calibrate`).

Pages and reports read the stored models, so they never fit anything; the stored models count only for the
library they were fitted on (its fingerprint).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import yaml
from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from ._validate import read_file
from .errors import CollationError, Problem
from .situation import FEATURES, SITUATION_FIELDS
from .usage_model import MethodModel, UsageModel

DECIMALS = 6
HEADER = ("# Written by `spreadlab calibrate` (spreadlab/fitting.py): settings and per-method models fitted on the\n"
          "# programme library. Do not edit by hand; change the library or rules.yaml, then run\n"
          "# `spreadlab calibrate`.\n")
_INDICATOR = {f"{field}={value}": i for i, (field, value) in enumerate(FEATURES)}


@dataclass(frozen=True, slots=True)
class Calibration:
    """The fitted settings and models (docs/scoring.md, "Calibration").

    Attributes:
        procedure: how the fit was made, in words.
        library: the programme ids the fit used; `library_fingerprint` the sha256 of their files and rules.yaml.
        neighbours: how many of the programmes most like a profile count as "programmes like yours".
        alike_weight: how much their share counts in a method's chance beside the model (0–1).
        log_loss, rank_percentile: the cross-validated figures of the chosen setting.
        model: the per-method models fitted on the whole library.
    """

    procedure: str
    library: tuple[str, ...]
    library_fingerprint: str
    neighbours: int
    alike_weight: float
    log_loss: float
    rank_percentile: float
    model: UsageModel

    @property
    def regularisation(self) -> dict[str, float]:
        """Each method's inverse regularisation strength (scikit-learn's C), fitted with its model."""
        return {m.method_id: m.regularisation for m in self.model.methods}


def library_fingerprint(data_dir: Path, files: Mapping[str, str], ids: Iterable[str]) -> str:
    """sha256 of rules.yaml and of the files (`files`: programme id → path in `data_dir`) that hold the
    programmes `ids`: it changes when any of them does."""
    digest = hashlib.sha256((data_dir / "rules.yaml").read_bytes() + b"\0")
    for ident in sorted(ids):
        digest.update(ident.encode("utf-8") + b"\0" + (data_dir / files[ident]).read_bytes() + b"\0")
    return digest.hexdigest()


def blend(model: np.ndarray, alike: np.ndarray, alike_weight: float) -> np.ndarray:
    """The chance of each method: the model's estimate and the share of the programmes like yours that used it,
    the share weighing `alike_weight` (the one rule for advice and for the fit that chooses the weight)."""
    return (1 - alike_weight) * model + alike_weight * alike


def rounded(model: UsageModel) -> UsageModel:
    """The model with every number rounded as calibration.yaml stores it, so that a fit equals its file."""
    return UsageModel(tuple(
        MethodModel(m.method_id, m.regularisation, round(m.intercept, DECIMALS),
                    tuple(round(c, DECIMALS) + 0.0 for c in m.coefficients))  # + 0.0: no -0.0 in the file
        for m in model.methods))


def to_yaml(calibration: Calibration) -> str:
    """calibration.yaml's text: a header saying where it comes from, then the fitted values (each model as its
    intercept and its non-zero coefficients, keyed `field=value`)."""
    document = {
        "procedure": calibration.procedure,
        "library": list(calibration.library),
        "library_fingerprint": calibration.library_fingerprint,
        "neighbours": calibration.neighbours,
        "alike_weight": calibration.alike_weight,
        "cross_validated": {"log_loss": calibration.log_loss, "rank_percentile": calibration.rank_percentile},
        "model": {m.method_id: {"regularisation": m.regularisation, "intercept": m.intercept,
                                "coefficients": {name: c for name, c in zip(_INDICATOR, m.coefficients, strict=True)
                                                 if c}}
                  for m in calibration.model.methods},
    }
    return HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=118)


def differences(stored: Calibration, fresh: Calibration, *, tolerance: float = 1e-4) -> list[str]:
    """The names of what differs between two calibrations (settings, or the ids of methods whose models differ);
    numbers within `tolerance` count as equal, since a fit on another machine may differ in the last decimals."""
    found = [name for name in ("library", "library_fingerprint", "neighbours", "alike_weight")
             if getattr(stored, name) != getattr(fresh, name)]
    found += [m.method_id for m, n in zip(stored.model.methods, fresh.model.methods, strict=True)
              if m.method_id != n.method_id or m.regularisation != n.regularisation
              or not np.allclose([m.intercept, *m.coefficients], [n.intercept, *n.coefficients], atol=tolerance)]
    return found


_STRICT = ConfigDict(extra="forbid", defer_build=True)


@pydantic_dataclass(frozen=True, config=_STRICT)
class _StoredModel:
    regularisation: Annotated[float, Field(gt=0)]
    intercept: float
    coefficients: dict[str, float]


@pydantic_dataclass(frozen=True, config=_STRICT)
class _Figures:
    log_loss: Annotated[float, Field(ge=0)]
    rank_percentile: Annotated[float, Field(ge=0, le=1)]


@pydantic_dataclass(frozen=True, config=_STRICT)
class _Stored:
    """calibration.yaml as `to_yaml` writes it."""

    procedure: str
    library: tuple[str, ...]
    library_fingerprint: str
    neighbours: Annotated[int, Field(ge=1)]
    alike_weight: Annotated[float, Field(ge=0, le=1)]
    cross_validated: _Figures
    model: dict[str, _StoredModel]


_STORED = TypeAdapter(_Stored)


def load_calibration(path: Path, method_ids: tuple[str, ...]) -> Calibration:
    """Read and check calibration.yaml: every recorded method has a model and every coefficient names a known
    `field=value`; problems are reported like any other data problem."""
    problems: list[Problem] = []
    stored: Any = read_file(path.parent, path.name, _STORED, problems)
    if stored is not None:
        problems += [Problem(path.name, "model", m, "no model for this method: run `spreadlab calibrate`")
                     for m in method_ids if m not in stored.model]
        problems += [Problem(path.name, "model", f"{m}.coefficients.{name}",
                             f"unknown indicator (allowed: field=value for {', '.join(SITUATION_FIELDS)})")
                     for m, entry in stored.model.items() for name in entry.coefficients if name not in _INDICATOR]
    if problems:
        raise CollationError(problems)
    models = []
    for method_id in method_ids:
        entry = stored.model[method_id]
        coefficients = [0.0] * len(FEATURES)
        for name, value in entry.coefficients.items():
            coefficients[_INDICATOR[name]] = value
        models.append(MethodModel(method_id, entry.regularisation, entry.intercept, tuple(coefficients)))
    return Calibration(stored.procedure, stored.library, stored.library_fingerprint, stored.neighbours,
                       stored.alike_weight, stored.cross_validated.log_loss, stored.cross_validated.rank_percentile,
                       UsageModel(tuple(models)))
