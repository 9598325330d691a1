"""The sections of a plan report, as HTML: the profile, the phased plan, the ranked methods with their
reasons, and how the ranking is made."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..collation import Collation
from ..planning import Plan
from ..ranking import RANKING_NOTE
from ..scoring import CRITERIA
from ..vocabulary import label
from .render import badge, bullets, section, table, text

DETAILED_METHODS = 10
_PROFILE_FIELDS = {
    "audience_scale": "Audience and scale",
    "motivators": "What motivates the audience",
    "energy_for_change": "Energy for change",
    "timescale_months": "Months available",
    "resources": "Resources available",
    "evidence": "Evidence",
}


def reason(value: str) -> str:
    """A reason from the ranking, escaped, with its `[curated]` tags shown as provenance badges."""
    return text(value).replace("[curated]", badge("curated"))


def summary(the_plan: Plan) -> str:
    """Title, the profile as given (with the nature derived from a NASSS self-assessment), and warnings."""
    profile = the_plan.profile
    nature = text(profile.nature)
    if profile.nature_derived:
        nature += " (derived from the NASSS self-assessment)"
    rows = [("Nature", nature)]
    rows += [(text(words), text(getattr(profile, field))) for field, words in _PROFILE_FIELDS.items()]
    body = table(("Field", "Value"), rows, css_class="profile")
    if profile.complexity:
        assessment = [(text(label(domain)), text(rating)) for domain, rating in profile.complexity]
        body += "<h3>NASSS complexity self-assessment</h3>" + table(("Domain", "Rating"), assessment)
    header = (
        '<header class="report-title"><p class="kicker">Spread and scale plan</p>'
        f"<h1>{text(profile.name)}</h1></header>"
    )
    return header + _warnings(the_plan.warnings) + section("The intervention and its context", body)


def phases(the_plan: Plan) -> str:
    """Each phase: its months, methods, why they were chosen and the limitations to watch."""
    items = []
    for phase in the_plan.phases:
        limitations = phase.limitations
        watch = bullets(text(item) for item in limitations) if limitations else "<p>None recorded.</p>"
        months = (f"Month {phase.start_month}" if phase.start_month == phase.end_month
                  else f"Months {phase.start_month} to {phase.end_month}")
        items.append(
            f'<div class="phase"><h3>Phase {phase.order}: {text(phase.name)}</h3><p class="meta">{months}</p>'
            f"<p><strong>Methods:</strong> {', '.join(text(method) for method in phase.methods)}</p>"
            f'<p class="why"><strong>Why:</strong> {reason(phase.why)}</p>'
            f"<h4>Limitations to watch</h4>{watch}</div>"
        )
    return section("The phased plan", "".join(items))


def ranking(ranked: pd.DataFrame) -> str:
    """Every recorded method in rank order, then the per-criterion reasons of the best ones."""
    rows = [
        (str(row.rank), text(row.method), text(row.approach), f"{row.score:.2f}", badge(row.provenance))
        for row in ranked.itertuples()
    ]
    overview = table(("Rank", "Method", "Approach", "Score", "Provenance"), rows, css_class="ranking")
    details = []
    for row in ranked.head(DETAILED_METHODS).to_dict(orient="records"):
        reasons = [
            (text(label(criterion)), f"{row[f'{criterion}_fit']:.2f}", reason(row[f"{criterion}_reason"]))
            for criterion in CRITERIA
        ]
        details.append(
            f'<article class="method"><h3>{row["rank"]}. {text(row["method"])} '
            f'{badge(row["provenance"])}</h3>'
            f'<p class="meta">{text(row["approach"])} · score {row["score"]:.2f}</p>'
            + table(("Criterion", "Fit", "Reason"), reasons, css_class="reasons")
            + "</article>"
        )
    shown = min(DETAILED_METHODS, len(ranked))
    return section("Methods ranked for this intervention", overview) + section(
        f"Why the top {shown} methods rank where they do", "".join(details)
    )


def how_ranked(collation: Collation) -> str:
    """How the score is made (the weights fitted on the programme library, data/calibration.yaml) and what in it is
    curated."""
    weights = collation.calibration.weights
    rows = [(text(label(criterion)), f"{getattr(weights, criterion):g}") for criterion in CRITERIA]
    body = (
        f"<p>{text(RANKING_NOTE)}</p><p>Each method gets a fit from 0 to 1 on every criterion; its score is "
        "the weighted mean of those fits. Ties share a rank and keep the collation's order.</p>"
        + table(("Criterion", "Weight"), rows)
        + f"<p>Reasons marked {badge('curated')} rest on spreadlab's curated judgements rather than on "
        "statements of the collation.</p>"
    )
    return section("How the ranking is made", body)


def _warnings(warnings: Iterable[str]) -> str:
    return "".join(f'<p class="warning">{text(warning)}</p>' for warning in warnings)
