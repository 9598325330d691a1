"""Views of advice and a plan: the profile, the summary a board reads first, the methods (foundations apart from
distinctive choices, one line each, details folded), the phases with what to do in each, the whole plan's aim,
team, measures, evaluation, communication, asks and route to sustain, the programmes like yours, how the advice is
made, and the downloads."""

from __future__ import annotations

import base64
import json
from typing import Any

from ..advice import Advice, MethodAdvice
from ..collation import Collation
from ..fitting import FOLDS
from ..plan_guide import PlanGuide
from ..planning import Plan, PlannedMethod
from ..profile import FIELD_QUESTIONS, InterventionProfile
from ..vocabulary import in_sentence, label
from . import advice_text, exports
from ._env import render, trusted
from .casebook import CARD_LINK, programme_card

STANDING_GROUPS = (
    ("distinctive", "Distinctive choices for this situation",
     "Methods programmes in a situation like yours used far more often than programmes in general."),
    ("foundation", "Foundations", f"{advice_text.FOUNDATION_WORDS.capitalize()}."),
    ("other", "Other methods", "Neither a foundation nor distinctive here."),
)
WHY_PLANNED = {
    "lever": "a lever you have in hand",
    "chance": "among the likeliest methods for this situation",
    "evidence": "tests the intervention while its evidence is emerging",
    "complement": "a second approach, for a complex intervention or a mixed audience",
    "leader": "your choice",
}
PHASE_PARTS = (("actions", "What to do"), ("roles", "Who to involve"), ("measures", "What to measure"),
               ("gates", "Go or no-go before moving on"), ("costs", "Costs and who pays"),
               ("risks", "Risks to watch"))
GLANCE_PROGRAMMES = 3
GLANCE_RISKS = 4


def nature_words(profile: InterventionProfile) -> str:
    """The nature used, in words, saying when it was derived from the self-assessment."""
    nature = label(profile.nature)
    return f"{nature} (derived from the NASSS self-assessment)" if profile.nature_derived else nature


def profile_summary(plan: Plan, *, level: int = 2) -> str:
    """The plan's warnings, then the profile as given in plain words (and the NASSS self-assessment, if any)."""
    profile = plan.profile
    answers = [(FIELD_QUESTIONS["nature"], nature_words(profile))]
    answers += [(question, _answer(getattr(profile, field))) for field, question in FIELD_QUESTIONS.items()
                if field != "nature" and getattr(profile, field) is not None]
    assessment = [(label(domain), label(rating)) for domain, rating in profile.complexity or ()]
    return render("plans/profile.html.j2", level=level, answers=answers, assessment=assessment,
                  warnings=[advice_text.notice_sentence(n) for n in plan.notices])


CONTEXT_WORDS: dict[str, str | dict[str, str]] = {
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


COUNT_WORDS = {"few": "up to 10", "dozens": "11 to 100", "hundreds": "over 100"}


def aim(profile: InterventionProfile) -> str:
    """A first draft of the spread's aim from what the profile says (to be made specific by the team)."""
    who = in_sentence(label(profile.adopters)) if profile.adopters else "organisations or teams"
    how_many = f" ({COUNT_WORDS[profile.adopter_count]})" if profile.adopter_count else ""
    where = ("" if profile.setting is None else " across the whole system" if profile.setting == "whole-system"
             else f" in {in_sentence(label(profile.setting))}")
    return (f"By month {profile.timescale_months}, every one of the {who} in scope{how_many}{where}, across the "
            f"{profile.audience_scale} audience, has adopted {profile.name} and keeps to its core, with its main "
            "outcome improving and no harm showing on the balancing measures. Write in the numbers: how many, by "
            "when, and by how much the outcome should change.")


def at_a_glance(guide: PlanGuide, collation: Collation, *, level: int = 2) -> str:
    """The page a board reads first: the intervention in words, the combination by phase, the asks of others,
    what programmes like yours did, and the main risks."""
    plan = guide.plan
    phases = [{"start_month": p.start_month, "end_month": p.end_month, "name": p.name, "methods": p.methods}
              for p in plan.phases]
    asks = [advice_text.summary_line(p.advice).split(" — ", 1)[1] + f": {p.method}" for p in plan.asks]
    asks += [match.item.text for match in guide.asks]
    closest = plan.advice.closest[:GLANCE_PROGRAMMES]
    programmes = [{"name": p.name, "why": advice_text.alike_why(p)} for p in closest]
    risks = [match.item.text for match in (*guide.risks, *(r for ph in guide.phases for r in ph.risks))]
    return render("plans/at_a_glance.html.j2", level=level, context=context_words(plan.profile), phases=phases,
                  aim=aim(plan.profile), asks=asks, programmes=programmes,
                  risks=list(dict.fromkeys(risks))[:GLANCE_RISKS],
                  warnings=[advice_text.notice_sentence(n) for n in plan.notices])


def ranking(advice: Advice, *, top: int | None = None, detailed: int = 10, framing: bool = False,
            collapsible: bool = False, level: int = 2) -> str:
    """The methods (the likeliest `top`, or all) in three groups — distinctive choices, foundations, others — one
    line each; for the likeliest `detailed`, the facts behind the line. `framing` adds the note on what the advice
    is and the warnings; `collapsible` folds each method's facts away."""
    shown = advice.methods[:top] if top else advice.methods
    rows = [_row(m) for m in shown]
    groups = [{"key": key, "title": title, "meaning": meaning, "rows": [r for r in rows if r["standing"] == key]}
              for key, title, meaning in STANDING_GROUPS]
    detail = [_row(m) | {"details": advice_text.details(m, advice.shown)} for m in advice.methods[:detailed]]
    return render("plans/ranking.html.j2", level=level, groups=groups, rows=rows, total=len(advice.methods),
                  detailed=detail, name=advice.profile.name, library_size=advice.library_size,
                  collapsible=collapsible, framing=advice_text.NOTE if framing else "",
                  warnings=advice_text.advice_warnings(advice) if framing else [])


def phases(guide: PlanGuide, collation: Collation, *, chart: str = "", level: int = 2,
           casebook: str | None = None) -> str:
    """Each phase: its months and purpose, its methods with why each is there, then what to do, who to involve,
    what to measure, the gates, the costs and the risks; `chart` is a rendered chart shown above them."""
    shown = []
    for part in guide.phases:
        phase = part.phase
        shown.append({
            "order": phase.order, "stage": phase.stage, "name": phase.name, "purpose": phase.purpose,
            "start_month": phase.start_month, "end_month": phase.end_month,
            "methods": [{"method_id": p.method_id, "method": p.method, "ask": p.is_ask, "why": _why(p)}
                        for p in phase.planned],
            "parts": [{"title": title, "entries": getattr(part, key)} for key, title in PHASE_PARTS],
            "gaps": part.gaps})
    return render("plans/phases.html.j2", level=level, phases=shown, chart=trusted(chart),
                  programme_names=_programme_names(collation), casebook=casebook)


def plan_guide(guide: PlanGuide, collation: Collation, *, level: int = 2, casebook: str | None = None) -> str:
    """The whole plan beyond its phases: aim, team, adopters in order, measures, evaluation, communication, asks,
    risks of this kind of innovation, complex NASSS domains, the route to sustain it, and the gaps."""
    parts = [
        {"key": "team", "title": "Who to involve", "entries": guide.team},
        {"key": "adopters", "title": "Which adopters first", "entries": guide.adopters, "ordered": True,
         "intro": "Approach adopters in this order."},
        {"key": "measures", "title": "Measures for the whole spread", "entries": guide.measures,
         "intro": "One measure each of adoption, fidelity, outcome and balance, with where the data come from."},
        {"key": "evaluation", "title": "Evaluation plan", "entries": guide.evaluation},
        {"key": "communication", "title": "Communication plan", "entries": guide.communication,
         "intro": "Awareness first, then the technical how-to."},
        {"key": "asks", "title": "What to ask of others", "entries": guide.asks},
        {"key": "risks", "title": "Risks of this kind of innovation", "entries": guide.risks},
        {"key": "domains", "title": "What the complex NASSS domains add",
         "entries": [(label(domain), items) for domain, items in guide.domains]},
        {"key": "sustain", "title": "How the change lasts when programme support ends", "entries": guide.sustain},
    ]
    return render("plans/guide.html.j2", level=level, aim=aim(guide.plan.profile), parts=parts, gaps=guide.gaps,
                  programme_names=_programme_names(collation), casebook=casebook)


def how_ranked(collation: Collation, advice: Advice, *, level: int = 2) -> str:
    """How the advice is made, with the fitted settings it used."""
    calibration = collation.calibration
    rules = collation.rules.advice
    return render("plans/how_ranked.html.j2", level=level, note=advice_text.NOTE, library_size=advice.library_size,
                  model_weight=f"{1 - calibration.alike_weight:.0%}", alike_weight=f"{calibration.alike_weight:.0%}",
                  neighbours=calibration.neighbours, foundation=f"{rules.foundation_rate:.0%}",
                  lift=f"{rules.distinctive_lift:g}", folds=FOLDS, log_loss=f"{calibration.log_loss:.3f}")


def similar_programmes(advice: Advice, collation: Collation, *, level: int = 2, casebook: str | None = None,
                       cards: bool = False) -> str:
    """The programmes most like this intervention, closest first, with why each is alike and what it did; each
    links to its casebook card when `casebook` (a link prefix) is given. With `cards` (a report, whole in one
    file), their cards follow the table and each name links to its card there."""
    programmes = collation.programmes.set_index("programme_id")
    names = dict(zip(collation.methods["method_id"], collation.methods["name"], strict=True))
    items = []
    for alike in advice.closest:
        info = programmes.loc[alike.programme_id]
        sources = [url for url in dict.fromkeys((info["source_url"], info["scale_source_url"])) if isinstance(url, str)]
        items.append({"id": alike.programme_id, "name": alike.name, "provenance": str(info["provenance"]),
                      "similarity": f"{alike.similarity:.2f}", "weight": f"{alike.weight:.0%}",
                      "why": advice_text.alike_why(alike), "methods": [names[m] for m in alike.method_ids],
                      "scale": info["scale_reached"] if isinstance(info["scale_reached"], str) else "",
                      "scale_caveat": info["scale_caveat"], "sources": sources})
    shown_cards = []
    if cards:
        from ..casebook import casebook as casebook_of  # imported here: only reports show the cards

        book = casebook_of(collation)
        shown_cards = [trusted(programme_card(book.card(item["id"]), level=level + 2, detail=False))
                       for item in items]
        casebook = CARD_LINK
    return render("plans/similar_programmes.html.j2", level=level, programmes=items, casebook=casebook,
                  cards=shown_cards)


def downloads(advice: Advice) -> str:
    """Links that download the advice as JSON (the `recommend --format json` object) and the ranking as CSV."""
    stem = file_stem(advice.profile.name)
    as_json = json.dumps(exports.advice_json(advice), indent=2, ensure_ascii=False)
    frame = exports.ranking_frame(advice)
    return render("plans/downloads.html.j2",
                  json_link=trusted(download_link(as_json, f"{stem}-ranking.json", "application/json", "JSON")),
                  csv_link=trusted(download_link(frame.to_csv(index=False), f"{stem}-ranking.csv", "text/csv",
                                                 "CSV")))


def file_stem(name: str) -> str:
    """A file name stem from an intervention's name: lower-case letters and digits joined by hyphens."""
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:60] or "profile"


def report_link(content: str, filename: str, pdf: bytes | None = None, pdf_name: str = "") -> str:
    """A paragraph with links that download a made report (HTML, and its PDF when given)."""
    links = [download_link(content, filename, "text/html", "Download the plan report (HTML)")]
    if pdf is not None:
        links.append(download_link(pdf, pdf_name, "application/pdf", "Download the plan report (PDF)"))
    return render("plans/report_link.html.j2", links=[trusted(link) for link in links])


def download_link(content: str | bytes, filename: str, mime: str, caption: str) -> str:
    """A link that downloads `content` (text, sent as UTF-8, or the bytes of a file) as a file, held in a data: URI
    so no server endpoint is needed."""
    data = base64.b64encode(content.encode("utf-8") if isinstance(content, str) else content).decode("ascii")
    return render("download.html.j2", filename=filename, mime=mime, data=data, caption=caption,
                  text=isinstance(content, str)).strip()


def _row(method: MethodAdvice) -> dict[str, Any]:
    return {"rank": method.rank, "method_id": method.method_id, "method": method.method,
            "approach": method.approach, "chance": method.chance, "base_rate": method.base_rate,
            "standing": method.standing, "evidence": advice_text.summary_line(method).split(" — ", 1)[1],
            "summary": advice_text.summary_line(method), "provenance": method.provenance}


def _why(planned: PlannedMethod) -> str:
    reason = WHY_PLANNED[planned.why]
    line = advice_text.summary_line(planned.advice)
    rules = " ".join(advice_text.rule_sentences(planned.advice))
    return f"{reason}; {line}." + (f" {rules}" if rules else "")


def _answer(value: Any) -> str:
    return label(value) if isinstance(value, str) else str(value)


def _programme_names(collation: Collation) -> dict[str, str]:
    return dict(zip(collation.programmes["programme_id"], collation.programmes["name"].astype(str), strict=True))
