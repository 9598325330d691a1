"""Views of the casebook: the programmes that match a search, a programme's card, and two programmes side by side."""

from __future__ import annotations

from collections.abc import Sequence

from ..casebook import Card, Comparison, Match, MethodUse
from ..profile import FIELD_QUESTIONS
from ..vocabulary import label
from ._env import render, trusted
from .timelines import stage_timeline

FOUND_IN = {"name": "name", "aim": "aim", "profile": "situation before it spread", "methods": "methods used",
            "lead": "who led it", "country": "country", "scale": "scale reached", "figures": "figures",
            "how": "how it used its methods"}
"""Where a searched word was found, in words (keys: `casebook.FIELD_WEIGHTS`)."""


CARD_LINK = "#sl-programme-"
"""The link to a programme's card in the same page, less the programme's id (`views.similar_programmes`'s
`casebook` prefix)."""


def card_anchor(programme_id: str) -> str:
    """The id of a programme's card in a page, for links to it."""
    return f"{CARD_LINK[1:]}{programme_id}"


def casebook_results(matches: Sequence[Match], total: int, *, words: str = "", level: int = 3) -> str:
    """How many programmes match, then each with its lead, country, period, kind and setting and where the words
    were found; a note saying what to change when none matches."""
    return render("casebook/results.html.j2", level=level, total=total, words=words.strip(),
                  items=[_summary(match.card) | {"found_in": [FOUND_IN[where] for where in match.found_in]}
                         for match in matches])


def programme_card(card: Card, *, level: int = 3, detail: bool = True) -> str:
    """Everything the library records about one programme: aim, lead, period, scale reached, its situation before
    it spread with the reasons, figures with sources and caveats, and the methods it used by stage on a timeline
    and in words with the reason and source of each; its id (`card_anchor`) lets other views link to it. Without
    `detail` (a report's appendix) the situation before spread and the words under the timeline are left out."""
    stages: dict[str, list[MethodUse]] = {}
    for use in card.methods:
        stages.setdefault(use.stage, []).append(use)
    profile = [(FIELD_QUESTIONS.get(fact.field, label(fact.field)), _value(fact.field, fact.value), fact.rationale)
               for fact in card.profile] if detail else []
    return render("casebook/card.html.j2", level=level, card=card, summary=_summary(card),
                  anchor=card_anchor(card.programme_id), profile=profile,
                  stages=[(label(stage), uses) for stage, uses in stages.items()] if detail else [],
                  timeline=trusted(stage_timeline(card)) if card.methods else "")


def programme_comparison(comparison: Comparison, *, level: int = 3) -> str:
    """Two programmes side by side: who led them, when, where, their aims and scale, each field of their situation
    before spread, and which methods both used or only one did."""
    left, right = comparison.left, comparison.right
    names = {use.method_id: use.method for card in (left, right) for use in card.methods}
    fields = list(dict.fromkeys([fact.field for fact in left.profile] + [fact.field for fact in right.profile]))
    profile = [(FIELD_QUESTIONS.get(name, label(name)), _value(name, left.fact(name)), _value(name, right.fact(name)))
               for name in fields]
    return render("casebook/compare.html.j2", level=level, left=_summary(left) | {"card": left},
                  right=_summary(right) | {"card": right}, profile=profile,
                  shared=[names[m] for m in comparison.shared_methods],
                  only_left=[names[m] for m in comparison.only_left],
                  only_right=[names[m] for m in comparison.only_right])


def _summary(card: Card) -> dict[str, object]:
    """The facts a results list or a comparison shows first, in words."""
    tags = [label(value) for value in (card.fact("kind"), card.fact("setting")) if value is not None]
    return {"id": card.programme_id, "name": card.name, "lead": card.lead, "country": card.country,
            "period": f"{card.period_start} to {card.period_end or 'now'}", "provenance": card.provenance,
            "case_example": card.record_type == "case-example", "tags": tags,
            "scale": label(scale) if (scale := card.fact("audience_scale")) else None,
            "methods": len(card.method_ids)}


def _value(field: str, value: str | None) -> str:
    """A profile value as a person reads it ("Not recorded" when the library does not say)."""
    if value is None:
        return "Not recorded"
    return f"{value} months" if field == "timescale_months" else label(value)
