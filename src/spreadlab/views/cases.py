"""Views of a case example: its summary (lead, aim, figures), its phases, and the methods it used."""

from __future__ import annotations

from ..collation import Collation
from ..vocabulary import CONSIDERATIONS, label
from ._env import render, trusted


def case_summary(collation: Collation, case_id: str, *, report: bool = False, level: int = 3) -> str:
    """Name, lead, period, aim, the scale it reached and the combination of methods it used, then its public
    figures and where the collation mentions it; `report` gives it the page's title (h1) instead of a heading at
    `level`."""
    case = collation.case_examples.set_index("case_id").loc[case_id]
    names = collation.methods.set_index("method_id")["name"]
    mentions = collation.case_mentions[collation.case_mentions["case_id"] == case_id]
    library = collation.programmes.set_index("programme_id")
    scale = library.loc[case_id, ["scale_reached", "scale_source_url"]].to_dict() if case_id in library.index else {}
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    combination = [{"start": p.start, "end": p.end, "name": p.name,
                    "methods": [names[m] for m in used.loc[used["phase_order"] == p.order, "method_id"]]}
                   for p in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples()]
    return render(
        "cases/summary.html.j2", report=report, level=2 if report else level, scale=scale, combination=combination,
        case=case.to_dict() | {"case_id": case_id},
        figures=collation.case_figures[collation.case_figures["case_id"] == case_id].to_dict(orient="records"),
        mentions=[{"text": m.text, "provenance": m.provenance, "method": names[m.method_id]}
                  for m in mentions.itertuples()] if not report else [],
    )


def case_phases(collation: Collation, case_id: str, *, chart: str = "", level: int = 3,
                named: bool = False) -> str:
    """Each phase with its dates, what happened, the methods it used, why, and its sources."""
    names = collation.methods.set_index("method_id")["name"]
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    phases = [
        {"order": p.order, "name": p.name, "start": p.start, "end": p.end, "description": p.description,
         "provenance": p.provenance, "rationale": p.rationale, "sources": str(p.source_urls or "").split(),
         "methods": [names[m] for m in used.loc[used["phase_order"] == p.order, "method_id"]]}
        for p in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples()
    ]
    name = collation.case_examples.set_index("case_id").loc[case_id, "name"] if named else ""
    return render("cases/phases.html.j2", case_id=case_id, name=name, phases=phases, chart=trusted(chart),
                  level=level)


def case_methods(collation: Collation, case_id: str, *, level: int = 2) -> str:
    """Each method the case used: what the collation says of it and its approach, and its practicalities."""
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    mentions = collation.case_mentions[collation.case_mentions["case_id"] == case_id]
    methods = collation.methods.set_index("method_id")
    summary = collation.method_summary.set_index("method_id")
    approaches = collation.approaches.set_index("approach_id")
    considerations = collation.considerations
    cards = []
    for method_id in dict.fromkeys(used["method_id"]):
        method, practical = methods.loc[method_id], summary.loc[method_id]
        approach = approaches.loc[method.approach_id]
        mine = considerations[considerations["method_id"] == method_id]
        provenance = mine.groupby("consideration", observed=True)["provenance"].first()
        notes = {"resources": practical.resources_note, "timeframe": practical.timeframe_note}
        cards.append({
            "name": method["name"], "provenance": method.provenance, "description": method.description,
            "approach": approach["name"], "approach_url": approach.source_url,
            "mentions": mentions[mentions["method_id"] == method_id].to_dict(orient="records"),
            "considerations": [
                {"name": label(name), "value": ", ".join(label(v) for v in str(practical[name]).split(", ")),
                 "note": notes.get(name), "provenance": provenance.get(name)} for name in CONSIDERATIONS],
            "strengths": collation.strengths[collation.strengths["approach_id"] == method.approach_id]
            .to_dict(orient="records"),
            "limitations": collation.limitations[collation.limitations["approach_id"] == method.approach_id]
            .to_dict(orient="records"),
        })
    return render("cases/methods.html.j2", methods=cards, level=level)
