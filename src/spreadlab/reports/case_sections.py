"""The sections of a case example report, as HTML: the programme, its phases and the methods it used."""

from __future__ import annotations

import pandas as pd

from ..collation import Collation
from ..errors import UnknownIdError
from ..suggest import unknown_id_message
from ..vocabulary import label
from .render import badge, bullets, link, section, table, text


def check_case_id(collation: Collation, case_id: str) -> None:
    """Raise UnknownIdError, with close matches, unless `case_id` names a case example."""
    known = list(collation.case_examples["case_id"])
    if case_id not in known:
        raise UnknownIdError(unknown_id_message("case example", case_id, known, list_known=True))


def summary(collation: Collation, case_id: str) -> str:
    """Title, lead, aim, period and the public figures with their sources."""
    check_case_id(collation, case_id)
    case = collation.case_examples.set_index("case_id").loc[case_id]
    figures = collation.case_figures[collation.case_figures["case_id"] == case_id]
    figure_rows = [
        (text(row.label), f"<strong>{text(row.value)}</strong>", link(row.source_url, "source"),
         badge(row.provenance), text(row.caveat))
        for row in figures.itertuples()
    ]
    curated = ""
    if case.provenance == "curated":
        curated = f'<p class="note">{badge("curated")} {text(case.rationale)}</p>'
    header = (
        f'<header class="report-title"><p class="kicker">Case example</p><h1>{text(case["name"])}</h1>'
        f'<p class="meta">Led by {text(case.lead)} · {text(case.period_start)} to {text(case.period_end)} '
        f"{badge(case.provenance)}</p></header>"
    )
    aim = section("Aim", f"<p>{text(case.aim)}</p>{curated}")
    headers = ("Figure", "Value", "Source", "Provenance", "Caveat")
    facts = section("Public figures", table(headers, figure_rows))
    return header + aim + facts


def phases(collation: Collation, case_id: str) -> str:
    """Each phase with its dates, what happened, the methods it used and its sources."""
    check_case_id(collation, case_id)
    method_names = collation.methods.set_index("method_id")["name"]
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    items = []
    for phase in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples():
        ids = used.loc[used["phase_order"] == phase.order, "method_id"]
        sources = " · ".join(link(url, f"source {n}") for n, url in enumerate(phase.source_urls.split(), 1))
        items.append(
            f'<div class="phase"><h3>Phase {phase.order}: {text(phase.name)} {badge(phase.provenance)}</h3>'
            f'<p class="meta">{text(phase.start)} to {text(phase.end)}</p><p>{text(phase.description)}</p>'
            f"<p><strong>Methods used:</strong> {', '.join(text(method_names[i]) for i in ids)}</p>"
            f'<p class="why"><strong>Why these methods:</strong> {text(phase.rationale)}</p>'
            f'<p class="sources">{sources}</p></div>'
        )
    return section("Phases", "".join(items))


def methods(collation: Collation, case_id: str) -> str:
    """Each method the case used: what the collation says of it and its approach, and its practicalities."""
    check_case_id(collation, case_id)
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    mentions = collation.case_mentions[collation.case_mentions["case_id"] == case_id]
    method_table = collation.methods.set_index("method_id")
    summary_table = collation.method_summary.set_index("method_id")
    approaches = collation.approaches.set_index("approach_id")
    cards = []
    for method_id in dict.fromkeys(used["method_id"]):
        method, practical = method_table.loc[method_id], summary_table.loc[method_id]
        approach = approaches.loc[method.approach_id]
        mention = "".join(
            f'<p class="mention">{badge(row.provenance)} {text(row.text)}</p>'
            for row in mentions[mentions["method_id"] == method_id].itertuples()
        )
        cards.append(
            f'<article class="method"><h3>{text(method["name"])} {badge(method.provenance)}</h3>'
            f'<p class="meta">Approach: {link(approach.source_url, approach["name"])}</p>'
            f"<p>{text(method.description)}</p>{mention}"
            f"{_practicalities(collation, method_id, practical)}"
            f'<div class="points"><div><h4>Strengths of this approach</h4>'
            f"{_points(collation.strengths, method.approach_id)}</div>"
            "<div><h4>Limitations of this approach</h4>"
            f"{_points(collation.limitations, method.approach_id)}</div>"
            "</div></article>"
        )
    return section("Methods used and what the collation says about them", "".join(cards))


def _practicalities(collation: Collation, method_id: str, practical: pd.Series) -> str:
    considerations = collation.considerations[collation.considerations["method_id"] == method_id]
    provenance = considerations.groupby("consideration", observed=True)["provenance"].first()
    rows = [
        (text(label("stage")), text(", ".join(label(v) for v in practical.stage.split(", "))), ""),
        (text(label("audience_scale")), text(practical.audience_scale), ""),
        (text(label("resources")), text(practical.resources), text(practical.resources_note)),
        (text(label("timeframe")), text(practical.timeframe), text(practical.timeframe_note)),
    ]
    names = ("stage", "audience_scale", "resources", "timeframe")
    rows = [(*row, badge(provenance.get(name, ""))) for row, name in zip(rows, names, strict=True)]
    return "<h4>Practical considerations</h4>" + table(("Consideration", "Value", "Note", "Provenance"), rows)


def _points(points: pd.DataFrame, approach_id: str) -> str:
    chosen = points[points["approach_id"] == approach_id]
    return bullets(f"{text(row.text)} {badge(row.provenance)}" for row in chosen.itertuples())
