"""Views of the data itself: coverage of the collation, what is curated, sources and glossary, report footer."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version

import pandas as pd

from ..collation import Collation
from ..vocabulary import PROVENANCES
from ._env import render


def coverage(collation: Collation, *, level: int = 3) -> str:
    """Per approach: methods the collation states against methods recorded, the gap in words, and the approach's
    characteristics with their badges."""
    approaches = collation.approaches
    gaps = [f"{missing} not recorded ({recorded} of {stated} recorded)" if missing else "none"
            for missing, recorded, stated in zip(approaches["methods_missing"], approaches["methods_recorded"],
                                                 approaches["methods_stated"], strict=True)]
    return render("about/coverage.html.j2", level=level, rows=approaches.assign(gap=gaps).to_dict(orient="records"),
                  stated=approaches["methods_stated"].sum(), recorded=approaches["methods_recorded"].sum())


def curation(counts: pd.DataFrame, *, level: int = 3) -> str:
    """How many values of each kind come from the collation, a summary of it, or our curation (`counts` has a
    `kind` column and one column per provenance), with what each badge means."""
    return render("about/curation.html.j2", level=level, rows=counts.to_dict(orient="records"),
                  provenances=PROVENANCES)


def provenance_legend() -> str:
    """One sentence showing each badge and what it means."""
    return render("about/legend.html.j2")


def sources(collation: Collation, *, level: int = 3) -> str:
    """Links to each approach's collation page."""
    return render("about/sources.html.j2", level=level, approaches=collation.approaches.to_dict(orient="records"))


def glossary(collation: Collation, *, level: int = 3) -> str:
    """The glossary's terms, each with its definition and where it comes from."""
    return render("about/glossary.html.j2", level=level, glossary=collation.glossary.to_dict(orient="records"))


def about_contents(sections: list[tuple[str, str]]) -> str:
    """Links to the sections of a page, as (anchor id, title) pairs, so a long page is never scrolled to be read."""
    return render("about/contents.html.j2", sections=sections)


def programmes(collation: Collation, *, level: int = 3) -> str:
    """What the programme library holds, in a paragraph of counts (how many programmes and case examples, from
    which countries, over what timescales), pointing to the Casebook tab where each can be searched and opened."""
    library = collation.programmes
    profiles = collation.programme_profiles
    return render("about/programmes.html.j2", level=level, count=len(library),
                  kinds=library["record_type"].value_counts().reindex(["programme", "case-example"],
                                                                      fill_value=0).to_dict(),
                  countries=sorted(library["country"].unique()), shortest=int(profiles["timescale_months"].min()),
                  longest=int(profiles["timescale_months"].max()))


def report_footer(collation: Collation) -> str:
    """Where a report's data comes from, what is curated, and which spreadlab made it on which day."""
    return render("about/footer.html.j2", approaches=collation.approaches.to_dict(orient="records"),
                  version=version("spreadlab"), today=dt.date.today().isoformat())
