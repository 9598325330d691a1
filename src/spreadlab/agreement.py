"""How far two independent codings of the same programmes agree (Cohen's kappa), method by method and overall, and
on the profile fields the forms record: the check that the library's coding is the codebook's, not one reader's.

Each programme coded in both rounds gives one cell per recorded method (used or not). Kappa per method is over the
programmes; overall it is over every programme × method cell. A method that neither round used on any programme
has no kappa (nothing to disagree on) and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .codebook import Coding
from .collation import Collation

PROFILE_FIELDS = ("kind", "setting", "spread_lead", "mandate", "incentive", "contract", "regulation")


@dataclass(frozen=True, slots=True)
class MethodAgreement:
    """One method across the programmes both rounds coded.

    Attributes:
        method_id: the method.
        first, second: how many programmes each round coded it for; both: how many both did.
        kappa: Cohen's kappa (None when neither round coded it anywhere).
        library_users: how many programmes of the whole library use it (the per-method target applies from 5).
    """

    method_id: str
    first: int
    second: int
    both: int
    kappa: float | None
    library_users: int


@dataclass(frozen=True, slots=True)
class FieldAgreement:
    """One profile field: how many programmes the rounds gave the same value, of how many both rounds knew, and
    Cohen's kappa over those."""

    field: str
    same: int
    compared: int
    kappa: float | None


@dataclass(frozen=True, slots=True)
class Agreement:
    """Two rounds compared.

    Attributes:
        rounds: the two rounds' names; programme_ids: the programmes both coded.
        overall: Cohen's kappa over every programme × method cell; observed: the share of cells that agree.
        methods: per recorded method; fields: per profile field on the forms.
        disagreements: per programme, the methods only the first round coded and those only the second did.
    """

    rounds: tuple[str, str]
    programme_ids: tuple[str, ...]
    overall: float
    observed: float
    methods: tuple[MethodAgreement, ...]
    fields: tuple[FieldAgreement, ...]
    disagreements: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]


def compare_rounds(collation: Collation, first: str, second: str, *, blind_only: bool = False) -> Agreement:
    """Compare two rounds of coding forms (`data/coding/<round>/`) on the programmes both coded (only those whose
    second-round form says it was blind, with `blind_only`)."""
    codings = collation.codings
    a = {c.programme_id: c for c in codings[first]}
    b = {c.programme_id: c for c in codings[second] if c.blind or not blind_only}
    ids = tuple(sorted(set(a) & set(b)))
    method_ids = tuple(collation.methods["method_id"])
    used_a = np.array([[m in _used(a[i]) for m in method_ids] for i in ids], dtype=bool)
    used_b = np.array([[m in _used(b[i]) for m in method_ids] for i in ids], dtype=bool)
    users = collation.library.used.sum(axis=0)
    methods = tuple(MethodAgreement(m, int(used_a[:, j].sum()), int(used_b[:, j].sum()),
                                    int((used_a[:, j] & used_b[:, j]).sum()),
                                    _kappa(used_a[:, j], used_b[:, j]), int(users[j]))
                    for j, m in enumerate(method_ids))
    overall = _kappa(used_a.ravel(), used_b.ravel())
    fields = tuple(_field(name, [a[i] for i in ids], [b[i] for i in ids])
                   for name in PROFILE_FIELDS)
    disagreements = {i: (tuple(m for j, m in enumerate(method_ids) if used_a[k, j] and not used_b[k, j]),
                         tuple(m for j, m in enumerate(method_ids) if used_b[k, j] and not used_a[k, j]))
                     for k, i in enumerate(ids)}
    return Agreement((first, second), ids, overall if overall is not None else 1.0,
                     float((used_a == used_b).mean()), methods, fields,
                     {i: d for i, d in disagreements.items() if d[0] or d[1]})


def _used(coding: Coding) -> frozenset[str]:
    return frozenset(method.method_id for method in coding.methods)


def _kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's kappa of two used/not-used columns; None when neither has a positive (nothing to agree on); 1.0
    when they agree on every cell."""
    if not (a.any() or b.any()):
        return None
    if (a == b).all():
        return 1.0
    return _cohen(list(a), list(b))


def _cohen(a: Sequence[object], b: Sequence[object]) -> float:
    from sklearn.metrics import cohen_kappa_score  # only measuring agreement needs scikit-learn

    return float(cohen_kappa_score(a, b))


def _field(name: str, a: list[Coding], b: list[Coding]) -> FieldAgreement:
    pairs = [(getattr(x.profile, name).value, getattr(y.profile, name).value) for x, y in zip(a, b, strict=True)]
    known = [(x, y) for x, y in pairs if "unknown" not in (x, y)]
    same = sum(x == y for x, y in known)
    if not known:
        return FieldAgreement(name, 0, 0, None)
    left, right = [x for x, _ in known], [y for _, y in known]
    kappa = 1.0 if left == right else _cohen(left, right)
    return FieldAgreement(name, same, len(known), kappa)


def library_form(collation: Collation, programme_id: str) -> dict[str, Any]:
    """The library's own coding of one programme as a coding form (data/coding/form.yaml), so that it can be kept
    as a round and compared with others even after the library changes."""
    programmes = collation.programmes.set_index("programme_id")
    info = programmes.loc[programme_id]
    profile = collation.programme_profiles.set_index("programme_id").loc[programme_id]
    uses = collation.programme_methods[collation.programme_methods["programme_id"] == programme_id]
    sources = [url for url in dict.fromkeys([info["source_url"], *uses["source_url"]]) if isinstance(url, str)]
    form: dict[str, Any] = {
        "programme_id": programme_id, "coder": "library", "coded_on": str(date.today()), "blind": False,
        "sources": sources,
        "episode": {"start": str(info["period_start"]), "description": " ".join(str(info["aim"]).split())[:300]},
        "methods": list({(row.method_id, row.stage): {"method_id": row.method_id, "stage": row.stage,
                                                      "evidence": " ".join(str(row.rationale).split()),
                                                      "source_url": row.source_url}
                         for row in uses.itertuples() if isinstance(row.source_url, str)}.values()),
        "profile": {},
    }
    if isinstance(info["period_end"], str):
        form["episode"]["end"] = info["period_end"]
    for field in PROFILE_FIELDS:
        value = profile[field]
        known = isinstance(value, str)
        form["profile"][field] = {"value": value if known else "unknown",
                                  "reason": (" ".join(str(profile[f"{field}_rationale"]).split()) if known
                                             else "Not recorded in the library.")}
    return form


def write_library_round(collation: Collation, name: str, programme_ids: Iterable[str]) -> list[Path]:
    """Write the library's coding of `programme_ids` as round `name` (data/coding/<name>/<id>.yaml)."""
    from .paths import CODING_DIR

    folder = collation.data_dir / CODING_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for ident in sorted(programme_ids):
        path = folder / f"{ident}.yaml"
        path.write_text(yaml.safe_dump(library_form(collation, ident), sort_keys=False, allow_unicode=True,
                                       width=110), encoding="utf-8")
        written.append(path)
    return written
