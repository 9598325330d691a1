"""Filter the recorded methods by practical considerations and compare methods or approaches side by side."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from .collation import Collation
from .errors import SpreadlabError, UnknownIdError
from .suggest import unknown_id_message
from .vocabulary import AUDIENCE_SCALES, CONSIDERATIONS, LEVELS, MOTIVATIONS, STAGES, TIMEFRAMES, label

COMPARE_MIN, COMPARE_MAX = 2, 5


def filter_methods(
    collation: Collation,
    *,
    approach: str | Iterable[str] | None = None,
    stage: str | Iterable[str] | None = None,
    audience_scale: str | Iterable[str] | None = None,
    resources_max: str | None = None,
    timeframe: str | Iterable[str] | None = None,
    motivation: str | Iterable[str] | None = None,
    text: str | None = None,
    include_curated: bool = True,
) -> pd.DataFrame:
    """Rows of `collation.method_summary` that meet every criterion given; a criterion left as None is ignored.

    A list means "any of these". `text` searches names, descriptions, examples and the approach's strengths and
    limitations, case-insensitively. `include_curated=False` matches only values the collation itself states:
    methods with no stated consideration drop out, and a criterion is met only by a stated value (so a criterion on
    a value that only spreadlab's curation supplies, such as motivation, leaves nothing).
    """
    summary = collation.method_summary
    keep = pd.Series(True, index=summary.index)
    if approach is not None:
        keep &= summary["approach_id"].isin(_known(approach, collation.approaches["approach_id"], "approach"))
    considerations = collation.considerations
    if not include_curated:
        considerations = considerations[considerations["provenance"] != "curated"]
        keep &= summary["method_id"].isin(considerations["method_id"])
    keep &= _has_consideration(considerations, summary, "stage", _allowed("stage", stage, STAGES))
    keep &= _has_consideration(considerations, summary, "audience_scale",
                               _allowed("audience_scale", audience_scale, AUDIENCE_SCALES))
    keep &= _has_consideration(considerations, summary, "timeframe", _allowed("timeframe", timeframe, TIMEFRAMES))
    if resources_max is not None:
        if resources_max not in LEVELS:
            raise SpreadlabError(f"resources_max: {resources_max!r} is not allowed (allowed: {', '.join(LEVELS)})")
        affordable = LEVELS[: LEVELS.index(resources_max) + 1]
        keep &= _has_consideration(considerations, summary, "resources", affordable)
    if motivation is not None:
        approaches = collation.approaches
        if not include_curated:
            approaches = approaches[approaches["motivation_provenance"] != "curated"]
        wanted = _allowed("motivation", motivation, MOTIVATIONS)
        matching = approaches.loc[approaches["motivation"].astype(str).isin(wanted), "approach_id"]
        keep &= summary["approach_id"].isin(matching)
    if text:
        keep &= summary["method_id"].isin(_text_matches(collation, text))
    return summary[keep].reset_index(drop=True)


ASPECTS = {
    "kind": "Method or approach",
    "approach": "Approach",
    "description": "What it is",
    "strengths": "Strengths of the approach",
    "limitations": "Limitations of the approach",
    "stage": "Stage of development",
    "audience_scale": "Audience and scale",
    "resources": "Resources needed",
    "timeframe": "Timeframe",
    "examples": "Examples",
    "methods_recorded": "Methods recorded",
}
"""The aspects `compare` reports, in order, with the words a user sees for each."""
COMPARE_COLUMNS = ["id", "name", "aspect", "value", "provenance"]


def compare(collation: Collation, ids: Sequence[str]) -> pd.DataFrame:
    """2–5 methods or approaches side by side, as a tidy frame: one row per value of each aspect of each id.

    Columns: id, name, aspect (a key of ASPECTS), value (text), provenance (collation, collation-summary or
    curated; None where nothing is recorded). Lists (strengths, limitations, examples) give one row per item.
    """
    ids = list(dict.fromkeys(ids))
    if not COMPARE_MIN <= len(ids) <= COMPARE_MAX:
        raise SpreadlabError(f"compare takes {COMPARE_MIN} to {COMPARE_MAX} different ids, got {len(ids)}")
    method_ids = set(collation.methods["method_id"])
    approach_ids = set(collation.approaches["approach_id"])
    unknown = [ident for ident in ids if ident not in method_ids | approach_ids]
    if unknown:
        raise UnknownIdError(unknown_id_message("method or approach", unknown, sorted(method_ids | approach_ids)))
    rows = []
    for ident in ids:
        card = _method_card(collation, ident) if ident in method_ids else _approach_card(collation, ident)
        rows += [(ident, card.name, aspect, value, provenance) for aspect, value, provenance in card.values]
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS, dtype=object)


@dataclass(frozen=True, slots=True)
class _Card:
    name: str
    values: list[tuple[str, str, str | None]]


def _method_card(collation: Collation, method_id: str) -> _Card:
    row = collation.method_summary.set_index("method_id").loc[method_id]
    method = collation.methods.set_index("method_id").loc[method_id]
    approach = collation.approaches.set_index("approach_id").loc[row["approach_id"]]
    considerations = collation.considerations[collation.considerations["method_id"] == method_id]
    values = [
        ("kind", "Method", str(method["provenance"])),
        ("approach", str(row["approach"]), str(approach["provenance"])),
        ("description", str(method["description"]), str(method["provenance"])),
        *_points(collation.strengths, "strengths", [row["approach_id"]]),
        *_points(collation.limitations, "limitations", [row["approach_id"]]),
    ]
    for name in CONSIDERATIONS:
        chosen = considerations[considerations["consideration"] == name]
        text = ", ".join(label(str(value)) for value in chosen["value"])
        note = chosen["note"].dropna()
        values.append((name, f"{text} — {note.iloc[0]}" if len(note) else text, _provenance(chosen["provenance"])))
    examples = collation.examples[collation.examples["method_id"] == method_id]
    values += _examples(examples)
    return _Card(str(row["name"]), values)


def _approach_card(collation: Collation, approach_id: str) -> _Card:
    row = collation.approaches.set_index("approach_id").loc[approach_id]
    method_ids = collation.methods.loc[collation.methods["approach_id"] == approach_id, "method_id"]
    provenance = str(row["provenance"])
    values = [
        ("kind", "Approach", provenance),
        ("approach", str(row["name"]), provenance),
        ("description", str(row["definition"]), provenance),
        *_points(collation.strengths, "strengths", [approach_id]),
        *_points(collation.limitations, "limitations", [approach_id]),
    ]
    considerations = collation.considerations[collation.considerations["method_id"].isin(method_ids)]
    for name in CONSIDERATIONS:
        chosen = considerations[considerations["consideration"] == name]
        text = ", ".join(label(str(v)) for v in dict.fromkeys(chosen["value"].astype(str)))
        values.append((name, f"{text} (across its recorded methods)", _provenance(chosen["provenance"])))
    values += _examples(collation.examples[collation.examples["method_id"].isin(method_ids)])
    values.append(("methods_recorded", f"{row['methods_recorded']} of the {row['methods_stated']} methods the "
                   "collation states", "collation"))
    return _Card(str(row["name"]), values)


def _points(points: pd.DataFrame, aspect: str, approach_ids: list[str]) -> list[tuple[str, str, str | None]]:
    chosen = points[points["approach_id"].isin(approach_ids)]
    return [(aspect, str(text), str(provenance)) for text, provenance in zip(chosen["text"], chosen["provenance"],
                                                                               strict=True)]


def _examples(examples: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    if examples.empty:
        return [("examples", "None recorded", None)]
    return [("examples", str(name), str(provenance))
            for name, provenance in zip(examples["name"], examples["provenance"], strict=True)]


def _provenance(values: pd.Series) -> str | None:
    """One provenance for a value built from several records: curated if any part is, so none passes as stated."""
    found = set(values.astype(str))
    for provenance in ("curated", "collation-summary", "collation"):
        if provenance in found:
            return provenance
    return None


def _has_consideration(considerations: pd.DataFrame, summary: pd.DataFrame, name: str, wanted) -> pd.Series:
    """Methods with at least one of the `wanted` values for consideration `name` (all methods when None)."""
    if wanted is None:
        return pd.Series(True, index=summary.index)
    rows = considerations[
        (considerations["consideration"] == name) & considerations["value"].astype(str).isin(_as_list(wanted))
    ]
    return summary["method_id"].isin(rows["method_id"])


def _text_matches(collation: Collation, text: str) -> set[str]:
    needle = text.strip().lower()
    methods = collation.methods
    hits = set(methods.loc[
        methods["name"].str.lower().str.contains(needle, regex=False)
        | methods["description"].str.lower().str.contains(needle, regex=False),
        "method_id",
    ])
    examples = collation.examples
    hits |= set(examples.loc[examples["name"].str.lower().str.contains(needle, regex=False), "method_id"])
    for points in (collation.strengths, collation.limitations):
        approach_ids = points.loc[points["text"].str.lower().str.contains(needle, regex=False), "approach_id"]
        hits |= set(methods.loc[methods["approach_id"].isin(approach_ids), "method_id"])
    return hits


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _allowed(criterion: str, value: str | Iterable[str] | None, allowed: tuple[str, ...]) -> list[str] | None:
    """The values asked for, or an error naming the criterion when one is not in its vocabulary."""
    if value is None:
        return None
    values = _as_list(value)
    for item in values:
        if item not in allowed:
            raise SpreadlabError(f"{criterion}: {item!r} is not allowed (allowed: {', '.join(allowed)})")
    return values


def _known(value: str | Iterable[str], known: Iterable[str], what: str) -> list[str]:
    values, known = _as_list(value), list(known)
    unknown = [v for v in values if v not in known]
    if unknown:
        raise UnknownIdError(unknown_id_message(what, unknown, known))
    return values

