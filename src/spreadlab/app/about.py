"""The About the data tab: how much of the collation is recorded, the programme library, what is curated, and the
sources."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from .. import charts, views
from ..collation import Collation
from . import fields
from .figures import live

CHART_ALT = "The coverage table above gives the same figures."


def coverage_html(collation: Collation) -> str:
    """Per approach: methods stated by the collation against methods recorded, with the gap in words."""
    return views.coverage(collation)


def programmes_html(collation: Collation) -> str:
    """What the programme library holds, one row per programme with its sources."""
    return views.programmes(collation)


def curation_counts(collation: Collation) -> pd.DataFrame:
    """How many values of each kind come from the collation, a summary of it, or our curation."""
    kinds = {
        "Approaches": collation.approaches["provenance"],
        "Approach characteristics": pd.concat([collation.approaches["central_standardisation_provenance"],
                                               collation.approaches["motivation_provenance"]]),
        "Methods": collation.methods["provenance"],
        "Practical considerations": collation.considerations.drop_duplicates(["method_id", "consideration"])[
            "provenance"],
        "Examples": collation.examples["provenance"],
        "Strengths and limitations": pd.concat([collation.strengths["provenance"],
                                                collation.limitations["provenance"]]),
        "Case example phases": collation.case_phases["provenance"],
        "Programme library facts and readings": pd.concat([collation.programme_methods["provenance"],
                                                           collation.programme_figures["provenance"]]),
        "Case example figures": collation.case_figures["provenance"],
        "Glossary terms": collation.glossary["provenance"],
    }
    rows = [{"kind": kind, **{p: int((values.astype(str) == p).sum())
                              for p in ("collation", "collation-summary", "curated")}}
            for kind, values in kinds.items()]
    return pd.DataFrame(rows)


def curation_html(collation: Collation) -> str:
    """The curation counts as a table, with what each badge means."""
    return views.curation(curation_counts(collation))


def sources_html(collation: Collation) -> str:
    """Links to each approach's collation page and the glossary's terms."""
    return views.sources(collation)


def build(collation: Collation) -> widgets.Widget:
    """Coverage, the programme library, curation and sources, with the approach map and the sunburst."""
    return widgets.VBox([
        fields.table_area(coverage_html(collation)),
        live(charts.approach_map(collation), CHART_ALT),
        live(charts.sunburst(collation), CHART_ALT),
        fields.table_area(programmes_html(collation)),
        fields.table_area(curation_html(collation) + sources_html(collation)),
    ], layout=widgets.Layout(width="100%"))
