"""Views of the recorded methods: the filtered table, one method's card, and a side-by-side comparison."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..collation import Collation
from ..selection import ASPECTS, compare
from ..vocabulary import label
from ._env import render


def method_results(collation: Collation, rows: pd.DataFrame, *, include_curated: bool = True) -> str:
    """The methods that matched a filter (rows of `method_summary`) as a table with provenance badges, or a note
    saying why nothing matched."""
    shown = rows.assign(
        stage=rows["stage"].map(_labels), audience_scale=rows["audience_scale"].map(_labels),
        resources=rows["resources"].astype(str).map(label), timeframe=rows["timeframe"].astype(str).map(label),
    )
    return render("methods/results.html.j2", rows=shown.to_dict(orient="records"), shown=len(rows),
                  total=len(collation.method_summary), include_curated=include_curated)


def method_card(collation: Collation, method_id: str, *, level: int = 3) -> str:
    """Everything recorded about one method, each value with where it comes from; `level` is its heading's."""
    method = collation.methods.set_index("method_id").loc[method_id]
    approach = collation.approaches.set_index("approach_id").loc[method["approach_id"]]
    considerations = collation.considerations[collation.considerations["method_id"] == method_id]
    items = []
    for name, group in considerations.groupby("consideration", observed=True, sort=False):
        first = group.iloc[0]
        items.append({"name": label(str(name)), "value": ", ".join(label(str(v)) for v in group["value"]),
                      "note": first["note"], "provenance": first["provenance"], "rationale": first["rationale"]})
    of_approach = {"approach_id": method["approach_id"]}
    return render(
        "methods/card.html.j2", level=level, method=method.to_dict() | {"method_id": method_id},
        approach=approach.to_dict(), considerations=items,
        examples=_records(collation.examples, method_id=method_id),
        strengths=_records(collation.strengths, **of_approach), limitations=_records(collation.limitations,
                                                                                        **of_approach),
    )


def comparison(collation: Collation, ids: Sequence[str]) -> str:
    """2–5 methods or approaches side by side (`selection.compare`'s tidy frame), one column each, one row per
    aspect, each value with its badge."""
    table = compare(collation, ids)
    items = table.drop_duplicates("id")[["id", "name"]].to_dict(orient="records")
    aspects = []
    for aspect, heading in ASPECTS.items():
        rows = table[table["aspect"] == aspect]
        if rows.empty:
            continue
        cells = [list(zip(rows.loc[rows["id"] == item["id"], "value"],
                          rows.loc[rows["id"] == item["id"], "provenance"], strict=True)) for item in items]
        aspects.append({"heading": heading, "cells": [cell or [("—", None)] for cell in cells]})
    return render("methods/compare.html.j2", items=items, aspects=aspects)


def _records(table: pd.DataFrame, **match: str) -> list[dict]:
    chosen = table
    for column, value in match.items():
        chosen = chosen[chosen[column] == value]
    return chosen.to_dict(orient="records")


def _labels(values: str) -> str:
    return ", ".join(label(value) for value in str(values).split(", "))
