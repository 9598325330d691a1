"""The About the data tab: how much of the collation is recorded, what is curated, and the sources."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from .. import charts
from ..collation import Collation
from . import fields, html
from .figures import live

COVERAGE_COLUMNS = {
    "name": "Approach",
    "methods_stated": "Methods the collation states",
    "methods_recorded": "Methods recorded here",
    "gap": "Gap",
    "central_standardisation": "Central standardisation",
    "central_standardisation_provenance": "from",
    "motivation": "Motivation",
    "motivation_provenance": "from ",
    "provenance": "Approach from",
}


def coverage_html(collation: Collation) -> str:
    """Per approach: methods stated by the collation against methods recorded, with the gap in words."""
    approaches = collation.approaches
    stated, recorded = approaches["methods_stated"].sum(), approaches["methods_recorded"].sum()
    rows = approaches.assign(gap=[
        f"{missing} not recorded ({recorded_} of {stated_} recorded)" if missing else "none"
        for missing, recorded_, stated_ in zip(approaches["methods_missing"], approaches["methods_recorded"],
                                               approaches["methods_stated"], strict=True)
    ])
    return (f"<p>The collation states {stated} methods across seven approaches; {recorded} are recorded here. "
            "The others were not recoverable from the collation's pages and are left out rather than guessed.</p>"
            + html.table(rows, COVERAGE_COLUMNS, row_id="approach_id", badges=(
                "central_standardisation_provenance", "motivation_provenance", "provenance")))


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
        "Case example figures": collation.case_figures["provenance"],
        "Glossary terms": collation.glossary["provenance"],
    }
    rows = [{"kind": kind, **{p: int((values.astype(str) == p).sum())
                              for p in ("collation", "collation-summary", "curated")}}
            for kind, values in kinds.items()]
    return pd.DataFrame(rows)


def curation_html(collation: Collation) -> str:
    """The curation counts as a table, with what each badge means."""
    counts = curation_counts(collation)
    return ("<p>Every value carries where it comes from: "
            f"{html.badge('collation')} stated by the Horizons collation pages; "
            f"{html.badge('collation-summary')} named by a public summary of the collation; "
            f"{html.badge('curated')} spreadlab's editorial judgement or another public source, with its "
            "reason. Nothing curated is presented as the collation's.</p>"
            + html.table(counts, {"kind": "What", "collation": "Collation", "collation-summary": "Summary",
                                  "curated": "Curated"}))


def sources_html(collation: Collation) -> str:
    """Links to each approach's collation page and the glossary's terms."""
    links = "".join(
        f'<li><a href="{html.text(row.source_url)}" target="_blank" rel="noopener">{html.text(row.name)}</a></li>'
        for row in collation.approaches.itertuples() if isinstance(row.source_url, str)
    )
    glossary = "".join(f"<dt><b>{html.text(row.term)}</b> {html.badge(row.provenance)}</dt>"
                       f"<dd>{html.text(row.definition)}</dd>" for row in collation.glossary.itertuples())
    return f"<h4>Sources</h4><ul>{links}</ul><h4>Glossary</h4><dl>{glossary}</dl>"


def build(collation: Collation) -> widgets.Widget:
    """Coverage, curation and sources, with the approach map and the approach → method sunburst."""
    return widgets.VBox([
        fields.table_area("<h3>Coverage of the collation</h3>" + coverage_html(collation)),
        live(charts.approach_map(collation)),
        live(charts.sunburst(collation)),
        fields.table_area("<h3>What is curated</h3>" + curation_html(collation) + sources_html(collation)),
    ], layout=widgets.Layout(width="100%"))
