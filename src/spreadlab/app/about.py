"""The About the data tab: how much of the collation is recorded, the glossary, what the programme library holds,
what is curated, and the sources, with links to each at the top."""

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
    """What the programme library holds, in counts, pointing to the Casebook tab for the programmes themselves."""
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
    """Links to each approach's collation page."""
    return views.sources(collation)


def glossary_html(collation: Collation) -> str:
    """The glossary's terms."""
    return views.glossary(collation)


SECTIONS = [("sl-coverage-heading", "Coverage of the collation"), ("sl-glossary-heading", "Glossary"),
            ("sl-programmes-heading", "The programme library"), ("sl-curation-heading", "What is curated"),
            ("sl-sources-heading", "Sources")]
"""The tab's sections in order, by the id of their heading, with links to each at the top."""


def build(collation: Collation) -> widgets.Widget:
    """Links to each section; coverage with the approach map and the sunburst; the glossary; what the programme
    library holds; what is curated; the sources."""
    return widgets.VBox([
        widgets.HTML(views.about_contents(SECTIONS)),
        fields.table_area(coverage_html(collation)),
        live(charts.approach_map(collation), CHART_ALT),
        live(charts.sunburst(collation), CHART_ALT),
        fields.table_area(glossary_html(collation)),
        fields.table_area(programmes_html(collation)),
        fields.table_area(curation_html(collation) + sources_html(collation)),
    ], layout=widgets.Layout(width="100%"))
