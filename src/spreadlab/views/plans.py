"""Views of a plan: the profile, the ranked methods with their reasons, the phases, how the ranking is made,
similar programmes, and the ranking's downloads."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..collation import Collation
from ..library import SHOWN
from ..planning import Plan
from ..profile import FIELD_QUESTIONS, InterventionProfile
from ..ranking import RANKING_NOTE, ranking_json
from ..vocabulary import in_sentence, label
from ._env import render, trusted
from .casebook import card_anchor, programme_card


def criteria(ranking: pd.DataFrame) -> list[str]:
    """The criteria a ranking scored, in its column order (whatever criteria `recommend` has)."""
    return [column.removesuffix("_fit") for column in ranking.columns if column.endswith("_fit")]


def nature_words(profile: InterventionProfile) -> str:
    """The nature used, in words, saying when it was derived from the self-assessment."""
    nature = label(profile.nature)
    return f"{nature} (derived from the NASSS self-assessment)" if profile.nature_derived else nature


def profile_summary(the_plan: Plan, *, level: int = 2) -> str:
    """The plan's warnings, then the profile as given in plain words (and the NASSS self-assessment, if any)."""
    profile = the_plan.profile
    answers = [(FIELD_QUESTIONS["nature"], nature_words(profile))]
    # Optional context fields appear when given; a field this view does not know yet shows nothing.
    answers += [(question, _answer(getattr(profile, field, None))) for field, question in FIELD_QUESTIONS.items()
                if field != "nature" and getattr(profile, field, None) is not None]
    assessment = [(label(domain), label(rating)) for domain, rating in profile.complexity or ()]
    return render("plans/profile.html.j2", level=level, warnings=the_plan.warnings, answers=answers,
                  assessment=assessment)


CONTEXT_WORDS = {
    "kind": "the innovation is of this kind: {}",
    "setting": "its main setting: {}",
    "adopter_count": "{} organisations or teams must change",
    "adopters": "the people who must change: {}",
    "spread_lead": "the spread is led by {}",
    "central_funding": {"yes": "central funding is available", "no": "no central funding is available"},
    "mandate": {"yes": "a mandate, contract or regulation requires it", "no": "no mandate requires it"},
    "incentive": {"yes": "an incentive payment is available", "no": "no incentive payment is available"},
    "contract": {"yes": "a contract or service specification can require it", "no": "no contract route is available"},
    "regulation": {"yes": "a regulator, inspection or national audit checks it", "no": "no regulator checks it"},
}
GLANCE_LIMITATIONS = 4


def context_words(profile: InterventionProfile) -> str:
    """The profile as one or two plain sentences a board can read."""
    derived = " (derived from the NASSS self-assessment)" if profile.nature_derived else ""
    sentence = (f"{profile.name}: a {profile.nature}{derived} intervention with {profile.evidence} evidence, "
                f"aimed at a {profile.audience_scale} audience whose motivators are {profile.motivators} and whose "
                f"energy for change is {profile.energy_for_change}, with {profile.timescale_months} months and "
                f"{profile.resources} resources available.")
    known = []
    for field, words in CONTEXT_WORDS.items():
        value = getattr(profile, field)
        if value is not None:
            known.append(words[value] if isinstance(words, dict) else words.format(in_sentence(label(value))))
    return sentence + (f" Also known: {'; '.join(known)}." if known else "")


def at_a_glance(the_plan: Plan, ranked: pd.DataFrame, collation: Collation, *, level: int = 2) -> str:
    """The summary a board can act on first: the intervention in words, the combination by phase with why, what
    similar programmes did, the main limitations to watch, and how much of it rests on curation."""
    purposes = {phase.name: phase.purpose for phase in collation.scoring.plan.phases}
    phases = [{"start_month": p.start_month, "end_month": p.end_month, "name": p.name, "methods": p.methods,
               "purpose": purposes.get(p.name, ""), "programmes": p.programmes[:3]} for p in the_plan.phases]
    limitations = list(dict.fromkeys(text for phase in the_plan.phases for text in phase.limitations[:1]))
    planned = ranked[ranked["method_id"].isin([m for p in the_plan.phases for m in p.method_ids])]
    columns = [f"{criterion}_provenance" for criterion in criteria(ranked) if f"{criterion}_provenance" in ranked]
    inputs = planned[columns].to_numpy().ravel() if columns else []
    similar = [item.to_dict() for item in the_plan.similar_programmes[:3]]
    return render("plans/at_a_glance.html.j2", level=level, context=context_words(the_plan.profile), phases=phases,
                  similar=similar, limitations=limitations[:GLANCE_LIMITATIONS],
                  curated=int(sum(value == "curated" for value in inputs)), inputs=len(inputs))


def ranking(profile: InterventionProfile, ranked: pd.DataFrame, *, top: int | None = None, detailed: int = 10,
            framing: bool = False, collapsible: bool = False, level: int = 2) -> str:
    """The ranked methods (the best `top`, or all) and, for the best `detailed`, every criterion's fit, reason and
    badge. `framing` adds the note on what the ranking is (once) and the warnings; `collapsible` folds each
    method's reasons away."""
    names = criteria(ranked)
    rows = ranked.head(top) if top else ranked
    detail = []
    for row in ranked.head(detailed).to_dict(orient="records"):
        detail.append(row | {"criteria": [
            {"name": label(name), "fit": row[f"{name}_fit"], "reason": row.get(f"{name}_reason", ""),
             "provenance": row.get(f"{name}_provenance")} for name in names]})
    return render("plans/ranking.html.j2", level=level, rows=rows.to_dict(orient="records"), total=len(ranked),
                  detailed=detail, name=profile.name, nature=nature_words(profile), collapsible=collapsible,
                  framing=RANKING_NOTE if framing else "",
                  warnings=ranked.attrs.get("warnings", []) if framing else [])


def phases(the_plan: Plan, ranked: pd.DataFrame | None = None, *, chart: str = "", level: int = 2) -> str:
    """Each phase: its months, methods (with where their reach comes from, when the ranking is given), why, the
    similar programmes it drew on, and the limitations to watch; `chart` is a rendered chart to show above them."""
    reach = {} if ranked is None or "audience_scale_provenance" not in ranked else dict(
        zip(ranked["method_id"], ranked["audience_scale_provenance"], strict=True))
    shown = [
        {"order": phase.order, "name": phase.name, "start_month": phase.start_month, "end_month": phase.end_month,
         "why": phase.why, "limitations": phase.limitations, "programmes": getattr(phase, "programmes", ()),
         "methods": [{"name": name, "provenance": reach.get(ident)}
                     for ident, name in zip(phase.method_ids, phase.methods, strict=True)]}
        for phase in the_plan.phases
    ]
    badges = any(method["provenance"] for phase in shown for method in phase["methods"])
    return render("plans/phases.html.j2", level=level, phases=shown, warnings=(), chart=trusted(chart), badges=badges)


def how_ranked(collation: Collation, ranked: pd.DataFrame, *, level: int = 2) -> str:
    """How the score is made: the note, and the weight of each criterion the ranking used (the weights fitted on
    the programme library when the data has them, else the rules' own)."""
    weights = _weights(collation)
    rows = [(label(name), f"{getattr(weights, name):g}") for name in criteria(ranked) if hasattr(weights, name)]
    return render("plans/how_ranked.html.j2", level=level, note=RANKING_NOTE, weights=rows)


def similar_programmes(ranked: pd.DataFrame, collation: Collation | None = None, *, shown: int = SHOWN,
                       level: int = 2, cards: bool = False) -> str:
    """The `shown` real programmes most like this intervention, from `ranked.attrs["similar_programmes"]` (nothing
    when absent); with `cards` (and `collation`), each programme's name links to its card, shown after the table
    (a report's "programmes like yours", whole in one file).

    Each programme is a record with a `to_dict()` (`library.SimilarProgramme`) or a mapping, with `id`, `name`,
    `similarity`, `method_ids` (or `methods`, names), `scale_reached`, `sources` (URLs) and optionally
    `scale_caveat` and `provenance`; with `collation`, method ids are shown by name and each programme gets its
    record's badge.
    """
    names, provenances = {}, {}
    if collation is not None:
        names = dict(zip(collation.methods["method_id"], collation.methods["name"], strict=True))
        programmes = getattr(collation, "programmes", None)
        if programmes is not None:
            provenances = dict(zip(programmes["programme_id"], programmes["provenance"].astype(str), strict=True))
    items = [_programme(item, names, provenances) for item in list(ranked.attrs.get("similar_programmes", ())
                                                                   or ())[:shown]]
    shown_cards = []
    if cards and collation is not None:
        from ..casebook import casebook  # imported here: only reports show the cards

        book = casebook(collation)
        shown_cards = [trusted(programme_card(book.card(item["id"]), level=level + 2, detail=False))
                       for item in items]
    return render("plans/similar_programmes.html.j2", level=level, programmes=items, cards=shown_cards,
                  anchors={item["id"]: card_anchor(item["id"]) for item in items} if shown_cards else {})


def downloads(profile: InterventionProfile, ranked: pd.DataFrame) -> str:
    """Links that download the ranking as JSON (the `recommend --format json` object) and as CSV."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in profile.name.lower()).strip("-")[:60] or "profile"
    as_json = json.dumps(ranking_json(profile, ranked), indent=2, ensure_ascii=False)
    return render("plans/downloads.html.j2",
                  json_link=trusted(download_link(as_json, f"{stem}-ranking.json", "application/json", "JSON")),
                  csv_link=trusted(download_link(ranked.to_csv(index=False), f"{stem}-ranking.csv", "text/csv",
                                                 "CSV")))


def report_link(content: str, filename: str) -> str:
    """A paragraph with a link that downloads a made report."""
    return render("plans/report_link.html.j2",
                  link=trusted(download_link(content, filename, "text/html", "Download the plan report (HTML)")))


def download_link(content: str, filename: str, mime: str, caption: str) -> str:
    """A link that downloads `content` as a file, held in a data: URI so no server endpoint is needed."""
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return render("download.html.j2", filename=filename, mime=mime, data=data, caption=caption).strip()


def _answer(value: Any) -> str:
    return label(value) if isinstance(value, str) else str(value)


def _weights(collation: Collation) -> Any:
    calibration = getattr(type(collation), "calibration", None)
    return collation.calibration.weights if calibration is not None else collation.scoring.weights


def _programme(item: Any, names: Mapping[str, str], provenances: Mapping[str, str]) -> dict[str, Any]:
    record: Mapping[str, Any] = item.to_dict() if hasattr(item, "to_dict") else item
    methods = record.get("methods") or [names.get(m, m) for m in record.get("method_ids") or ()]
    sources: Iterable[str] = record.get("sources") or ()
    similarity = record.get("similarity")
    ident = record.get("id", "")
    return {"id": ident, "name": record.get("name", ""), "provenance": record.get("provenance", provenances.get(ident)),
            "similarity": f"{similarity:.2f}" if isinstance(similarity, float) else "",
            "methods": [str(m) for m in methods], "scale": record.get("scale_reached") or "",
            "scale_caveat": record.get("scale_caveat"),
            "sources": [str(s) for s in sources]}
