"""Rank every recorded method for an intervention profile, with a fit and a plain-language reason per criterion."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .collation import Collation
from .library import (
    SHOWN,
    SimilarProgramme,
    SituationUsage,
    Usage,
    method_usage,
    similar_programmes,
    situation_usage,
)
from .profile import FIELD_QUESTIONS, InterventionProfile
from .scoring import CRITERIA, LIBRARY_CRITERION, SITUATION_CRITERION, Calibration, ScoringRules
from .vocabulary import AUDIENCE_SCALES, LEVELS, TIMEFRAMES, in_sentence, label

RANKING_NOTE = (
    "This ranking is a transparent aid built on the collation's qualitative guidance, spreadlab's own curation "
    "(every curated input is marked) and what similar real programmes did, with weights fitted on that library of "
    "programmes; it is not an evidence-validated prediction. It covers only the methods recorded from the "
    "collation, not all of the methods it states."
)
EMERGING_WARNING = (
    "The collation is meant for interventions with enough evidence to justify spreading them. With emerging "
    "evidence, build that evidence first: methods that test the intervention in real settings are ranked first."
)


SITUATION_PARTS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class _Fit:
    fit: float
    reason: str
    provenance: str


def recommend(collation: Collation, profile: InterventionProfile, *, exclude: Iterable[str] = (),
              calibration: Calibration | None = None) -> pd.DataFrame:
    """Every recorded method ranked for `profile`, best first, with per-criterion fits, reasons and provenance.

    Columns: rank, method_id, method, approach_id, approach, score, provenance, then `<criterion>_fit`,
    `<criterion>_reason` and `<criterion>_provenance` for each of CRITERIA. Tied methods share a rank and keep the
    collation's order. `attrs["warnings"]` holds warnings to show with the ranking, `attrs["similar_programmes"]`
    the library programmes the `similar_programmes` criterion weighed (`SimilarProgramme`s, closest first; views
    name the first `library.SHOWN`). `exclude` leaves library
    programmes out and `calibration` replaces the data's fitted weights (to check the library against itself).
    """
    calibration = calibration or collation.calibration
    weights = {criterion: getattr(calibration.weights, criterion) for criterion in CRITERIA}
    total_weight = sum(weights.values()) or 1.0
    rule = calibration.similarity
    similar = similar_programmes(collation, profile, weights=rule.fields, count=rule.neighbours, power=rule.power,
                                 exclude=exclude)
    situation = situation_usage(collation, profile, collation.methods["method_id"], weights=rule.fields,
                                exclude=exclude)
    fits_by_method = method_fits(collation, profile, similar, situation)
    building = _building(collation)
    rows = []
    for method in collation.method_summary.itertuples(index=False):
        fits = fits_by_method[method.method_id]
        score = sum(weights[c] * fits[c].fit for c in CRITERIA) / total_weight
        row: dict[str, Any] = {
            "method_id": method.method_id,
            "method": method.name,
            "approach_id": method.approach_id,
            "approach": method.approach,
            "score": round(score, 4),
            "provenance": str(method.provenance),
            "_building": method.method_id in building,
        }
        for criterion in CRITERIA:
            row[f"{criterion}_fit"] = fits[criterion].fit
            row[f"{criterion}_reason"] = fits[criterion].reason
            row[f"{criterion}_provenance"] = fits[criterion].provenance
        rows.append(row)
    table = pd.DataFrame(rows)
    first = ["_building"] if profile.evidence == "emerging" and calibration.emerging_ranks_building_first else []
    # `method_summary` lists methods in the collation's order of approaches and methods; a stable sort keeps that
    # order among ties, so a ranking never depends on chance.
    table = table.sort_values([*first, "score"], ascending=False, kind="stable")
    # Methods with equal standing share a rank ("1, 2, 2, 4"): the order among them is only the tie-break.
    standing = list(zip(table["_building"] if first else [False] * len(table), table["score"], strict=True))
    table.insert(0, "rank", [standing.index(key) + 1 for key in standing])
    table = table.drop(columns="_building").reset_index(drop=True)
    table.attrs["warnings"] = ranking_warnings(profile)
    table.attrs["similar_programmes"] = similar
    return table


def method_fits(collation: Collation, profile: InterventionProfile, similar: tuple[SimilarProgramme, ...],
                situation: dict[str, SituationUsage]) -> dict[str, dict[str, _Fit]]:
    """Method id → criterion → fit, reason and provenance: the rules' criteria, how often the similar programmes
    used the method, and how often the programmes in the same situation did."""
    usage = method_usage(similar, collation.methods["method_id"])
    return {method_id: fits | {LIBRARY_CRITERION: _library_fit(usage[method_id], similar,
                                                               situation[method_id].library_size),
                               SITUATION_CRITERION: _situation_fit(situation[method_id])}
            for method_id, fits in rule_fits(collation, profile).items()}


def rule_fits(collation: Collation, profile: InterventionProfile) -> dict[str, dict[str, _Fit]]:
    """Method id → rule criterion → fit, reason and provenance (the criteria that come from the collation)."""
    rules = collation.scoring
    approaches = collation.approaches.set_index("approach_id")
    values = _consideration_values(collation)
    return {method_id: _rule_fits(rules, profile, approaches.loc[approach_id], values[method_id])
            for method_id, approach_id in zip(collation.methods["method_id"], collation.methods["approach_id"],
                                              strict=True)}


def ranking_warnings(profile: InterventionProfile) -> list[str]:
    """Warnings that belong with any ranking or plan for `profile`."""
    return [EMERGING_WARNING] if profile.evidence == "emerging" else []


def ranking_json(profile: InterventionProfile, ranking: pd.DataFrame) -> dict[str, Any]:
    """The ranking as the JSON object of DESIGN.md (`recommend --format json`)."""
    methods = []
    for row in ranking.to_dict(orient="records"):
        methods.append({
            "rank": int(row["rank"]),
            "method_id": row["method_id"],
            "method": row["method"],
            "approach_id": row["approach_id"],
            "approach": row["approach"],
            "score": float(row["score"]),
            "criteria": {c: {"fit": float(row[f"{c}_fit"]), "reason": row[f"{c}_reason"],
                             "provenance": row[f"{c}_provenance"]} for c in CRITERIA if f"{c}_fit" in row},
            "provenance": row["provenance"],
        })
    return {
        "profile": profile_json(profile),
        "warnings": list(ranking.attrs.get("warnings", ranking_warnings(profile))),
        "note": RANKING_NOTE,
        "methods": methods,
        "similar_programmes": [p.to_dict() for p in ranking.attrs.get("similar_programmes", ())[:SHOWN]],
    }


def profile_json(profile: InterventionProfile) -> dict[str, Any]:
    """The profile as given, plus the nature used and whether it was derived."""
    return profile.to_dict() | {"nature": profile.nature, "nature_derived": profile.nature_derived}


def _consideration_values(collation: Collation) -> dict[str, dict[str, Any]]:
    """Per method: the values of each consideration, its note, and each consideration's provenance."""
    values: dict[str, dict[str, Any]] = {}
    for row in collation.considerations.itertuples(index=False):
        entry = values.setdefault(row.method_id, {"provenance": {}})
        entry.setdefault(str(row.consideration), []).append(str(row.value))
        entry.setdefault(f"{row.consideration}_note", row.note)
        entry["provenance"].setdefault(str(row.consideration), str(row.provenance))
    return values


def _building(collation: Collation) -> set[str]:
    """Methods whose stage includes one that builds evidence (ranked first for emerging evidence)."""
    considerations = collation.considerations
    stages = collation.scoring.evidence.stages["emerging"]
    rows = considerations[(considerations["consideration"] == "stage") & considerations["value"].isin(stages)]
    return set(rows["method_id"])


def _library_fit(usage: Usage, similar: tuple[SimilarProgramme, ...], library_size: int) -> _Fit:
    shown = min(SHOWN, len(similar))
    who = f" ({_and(list(usage.users))})" if usage.users else ""
    counted = (f"{len(similar)} programmes in the library" if len(similar) >= library_size
               else f"{len(similar)} programmes most like this one (of {library_size} in the library)")
    return _Fit(round(usage.share, 4),
                f"Used by {usage.count} of the {counted}, {len(usage.users)} of them among the {shown} closest{who}; "
                f"counting the closest most, a weighted share of {usage.share:.0%} — {_share_quality(usage.share)}.",
                "curated")


def _situation_fit(usage: SituationUsage) -> _Fit:
    rate = f"{usage.overall_used} of the {usage.library_size} programmes in the library, {usage.overall:.0%}"
    if not usage.parts:
        return _Fit(round(usage.share, 4), f"Used by {rate}; no profile field compares this one with them — "
                                           f"{_share_quality(usage.share)}.", "curated")
    shares = [f"of the {part.count} with {_situation_words(part.field, part.value)}, {part.used}"
              for part in usage.parts[:SITUATION_PARTS_SHOWN]]
    return _Fit(round(usage.share, 4),
                f"Programmes in the same situation: {'; '.join(shares)} used it. Over the profile's fields, each "
                f"starting from the library's rate ({rate}), a share of {usage.share:.0%} — "
                f"{_share_quality(usage.share)}.", "curated")


def _situation_words(field: str, value: object) -> str:
    if field == "timescale_months":
        return f"{value}-term timescales"
    return f"{in_sentence(FIELD_QUESTIONS[field])}: {in_sentence(label(str(value)))}"


def _rule_fits(rules: ScoringRules, profile: InterventionProfile, approach: pd.Series,
               method: dict) -> dict[str, _Fit]:
    standardisation, motivation = str(approach["central_standardisation"]), str(approach["motivation"])
    standardisation_from = str(approach["central_standardisation_provenance"])
    motivation_from = str(approach["motivation_provenance"])
    return {
        "nature": _nature(rules, profile, standardisation, standardisation_from),
        "motivators": _motivators(rules, profile, motivation, motivation_from),
        "audience_scale": _audience(rules, profile, method),
        "energy_for_change": _energy(rules, profile, motivation, motivation_from),
        "timescale": _timescale(rules, profile, method),
        "resources": _resources(rules, profile, method),
        "evidence": _evidence(rules, profile, method),
    }


def _nature(rules, profile, standardisation: str, provenance: str) -> _Fit:
    fit = rules.nature.fit[profile.nature][standardisation]
    derived = " (derived from the complexity assessment)" if profile.nature_derived else ""
    return _Fit(fit, f"{profile.nature.capitalize()} intervention{derived}: this approach involves {standardisation} "
                     f"central standardisation; {rules.nature.why[profile.nature]} — {_quality(fit)}.", provenance)


def _motivators(rules, profile, motivation: str, provenance: str) -> _Fit:
    fit = rules.motivators.fit[profile.motivators][motivation]
    return _Fit(fit, f"{profile.motivators.capitalize()} motivators in the audience: this approach works mainly "
                     f"through {motivation} motivation — {_quality(fit)}.", provenance)


def _energy(rules, profile, motivation: str, provenance: str) -> _Fit:
    fit = rules.energy_for_change.fit[profile.energy_for_change][motivation]
    return _Fit(fit, f"{profile.energy_for_change.capitalize()} energy for change: this approach relies on "
                     f"{motivation} motivation — {_quality(fit)}.", provenance)


def _audience(rules, profile, method: dict) -> _Fit:
    scales = method["audience_scale"]
    wanted = AUDIENCE_SCALES.index(profile.audience_scale)
    distance = min(abs(AUDIENCE_SCALES.index(scale) - wanted) for scale in scales)
    fit = rules.audience_scale.by_distance[distance]
    ordered = [scale for scale in reversed(AUDIENCE_SCALES) if scale in scales]
    return _Fit(fit, f"{profile.audience_scale.capitalize()} audience: this method works at {_or(ordered)} "
                     f"scale — {_quality(fit)}.", method["provenance"]["audience_scale"])


def _timescale(rules, profile, method: dict) -> _Fit:
    timeframe = method["timeframe"][0]
    available = rules.timescale.band(profile.timescale_months)
    if timeframe == "variable":
        # A timeframe that depends on scope always fits in the long term; otherwise it must be scoped to fit.
        fit = 1.0 if available == "long" else rules.timescale.variable
        how = "can be scoped to fit" if available == "long" else "depends on how it is scoped"
    else:
        shortfall = max(0, TIMEFRAMES.index(timeframe) - TIMEFRAMES.index(available))
        fit = rules.timescale.by_shortfall[shortfall]
        how = "fits the time available" if shortfall == 0 else "usually needs longer than the time available"
    note = _note(method.get("timeframe_note"))
    return _Fit(fit, f"{profile.timescale_months} months available ({available} term): this method's timeframe is "
                     f"{timeframe}{note}, which {how} — {_quality(fit)}.", method["provenance"]["timeframe"])


def _resources(rules, profile, method: dict) -> _Fit:
    needed = method["resources"][0]
    shortfall = max(0, LEVELS.index(needed) - LEVELS.index(profile.resources))
    fit = rules.resources.by_shortfall[shortfall]
    how = "within what is available" if shortfall == 0 else "more than is available"
    return _Fit(fit, f"{profile.resources.capitalize()} resources available: this method needs {needed} resources"
                     f"{_note(method.get('resources_note'))}, {how} — {_quality(fit)}.",
                method["provenance"]["resources"])


def _evidence(rules, profile, method: dict) -> _Fit:
    stages = rules.evidence.stages[profile.evidence]
    matches = any(stage in stages for stage in method["stage"])
    fit = rules.evidence.fit["match" if matches else "other"]
    wanted = _or([in_sentence(label(stage)) for stage in stages])
    provenance = method["provenance"]["stage"]
    if profile.evidence == "proven":
        how = ("is used to spread what already works" if matches
               else "is for testing or finding innovations rather than spreading a proven one")
        verb = "includes" if matches else "is not"
        return _Fit(fit, f"Proven intervention: this method's stage of development {verb} {wanted}, so it "
                         f"{how} — {_quality(fit)}.", provenance)
    how = "can build evidence in real settings, so it comes first" if matches else "spreads what is already shown " \
          "to work; build evidence first"
    return _Fit(fit, f"Emerging evidence: this method's stage of development {'includes' if matches else 'is not'} "
                     f"{wanted}, so it {how} — {_quality(fit)}.", provenance)


def _share_quality(share: float) -> str:
    """Words for how often programmes like this one used a method."""
    if share >= 0.6:
        return "most programmes like this one used it"
    return "some did" if share >= 0.3 else "few did"


def _quality(fit: float) -> str:
    if math.isclose(fit, 1.0) or fit >= 0.9:
        return "a good fit"
    return "a fair fit" if fit >= 0.6 else "a poor fit"


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _note(note: Any) -> str:
    return f" ({note})" if isinstance(note, str) and note else ""
