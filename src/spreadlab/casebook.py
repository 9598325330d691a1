"""The casebook: the programme library as cards to search by words, filter, sort and compare two at a time.

"Who has done something like this, and how?" Each card holds a programme's facts as the library records them (aim,
lead, period, scale reached, figures with sources and caveats, its situation before it spread and the methods it
used by stage); the views write the sentences. Words are matched on their stems (`mandated` finds `mandate`, `wards`
finds `ward`) and reach the words of the vocabulary too: a programme whose profile says `kind: digital` is found by
"digital", one with `mandate: yes` by "mandated".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import pandas as pd
import snowballstemmer

from .collation import Collation
from .errors import UnknownIdError
from .profile import CHOICES, FIELD_QUESTIONS
from .suggest import unknown_id_message
from .vocabulary import PLAN_STAGES, YES_NO, label

PROFILE_FIELDS = ("nature", "audience_scale", "motivators", "energy_for_change", "timescale_months", "resources",
                  "evidence", "kind", "setting", "adopter_count", "adopters", "spread_lead", "central_funding",
                  "mandate", "incentive", "contract", "regulation")
"""The profile fields a card shows, in the order of the profile form."""
SORTS = {"best": "Best match first", "name": "Name (A to Z)", "newest": "Newest first", "oldest": "Oldest first"}
"""The orders results can be sorted in (value: the words a user sees)."""
FILTERS = ("method", "kind", "setting", "scale", "country", "lead", "period")
"""What the results can be filtered by: a `Query` field each, with the values found in the data."""
# Where a word was found, and how much a match there counts towards "best match first".
FIELD_WEIGHTS = {"name": 5, "aim": 3, "profile": 3, "methods": 2, "lead": 2, "country": 2, "scale": 1, "figures": 1,
                 "how": 1}
_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


@dataclass(frozen=True, slots=True)
class ProgrammeFigure:
    """A figure a programme published or was reported with: what it measures, its value, source and caveat."""

    label: str
    value: str
    source_url: str | None
    provenance: str
    caveat: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileFact:
    """One field of the programme's situation before it spread, as the library reads it, with the reason."""

    field: str
    value: str
    rationale: str | None


@dataclass(frozen=True, slots=True)
class MethodUse:
    """A method the programme used at one stage of its life, with when, why we read it so, and the source."""

    method_id: str
    method: str
    approach_id: str
    approach: str
    stage: str
    period: str | None
    rationale: str | None
    source_url: str | None
    provenance: str
    caveat: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """Everything the library records about one programme (a case example of the collation is one too).

    Attributes:
        programme_id, name, lead, country, aim: as recorded; `record_type` is `programme` or `case-example`.
        period_start, period_end: `YYYY` or `YYYY-MM`; `period_end` is None while it still runs.
        scale_reached, scale_source_url, scale_caveat: the scale it reached, its source and any caveat.
        source_url, provenance: the record's main source and where the record comes from.
        profile: its situation before it spread, field by field (only the fields the library records).
        figures: public figures with their sources and caveats.
        methods: the methods it used, stage by stage (`vocabulary.PLAN_STAGES` order, then the data's order).
    """

    programme_id: str
    record_type: str
    name: str
    lead: str
    country: str
    period_start: str
    period_end: str | None
    aim: str
    scale_reached: str | None
    scale_source_url: str | None
    scale_caveat: str | None
    source_url: str | None
    provenance: str
    profile: tuple[ProfileFact, ...] = ()
    figures: tuple[ProgrammeFigure, ...] = ()
    methods: tuple[MethodUse, ...] = ()

    def fact(self, name: str) -> str | None:
        """The value of profile field `name`, or None when the library does not record it."""
        return next((fact.value for fact in self.profile if fact.field == name), None)

    @property
    def method_ids(self) -> tuple[str, ...]:
        """The methods it used, each once, in the card's order."""
        return tuple(dict.fromkeys(use.method_id for use in self.methods))

    @property
    def start_year(self) -> int:
        return int(self.period_start[:4])

    @property
    def decade(self) -> str:
        """The decade it started in, e.g. `2010s`."""
        return f"{self.start_year // 10 * 10}s"


@dataclass(frozen=True, slots=True)
class Query:
    """What a user asks the casebook: words, a value per filter (empty: any) and an order (a key of SORTS)."""

    words: str = ""
    method: str = ""
    kind: str = ""
    setting: str = ""
    scale: str = ""
    country: str = ""
    lead: str = ""
    period: str = ""
    sort: str = "best"


@dataclass(frozen=True, slots=True)
class Match:
    """A card that meets a query: how well its words match, and in which parts of the card they were found."""

    card: Card
    score: int = 0
    found_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two programmes side by side: their cards, and the methods both used or only one used."""

    left: Card
    right: Card
    shared_methods: tuple[str, ...]
    only_left: tuple[str, ...]
    only_right: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Casebook:
    """The programme library's cards, built once per collation (`casebook(collation)`); the word index behind
    `search` is built on the first search (a report that only shows cards never pays for it)."""

    cards: tuple[Card, ...]

    @classmethod
    def from_collation(cls, collation: Collation) -> Casebook:
        return cls(tuple(_cards(collation)))

    @cached_property
    def _index(self) -> tuple[tuple[str, ...], dict[str, tuple[tuple[int, str], ...]]]:
        """Every stem, sorted (for prefix look-ups), and stem → (card index, where found)."""
        postings: dict[str, set[tuple[int, str]]] = {}
        for index, card in enumerate(self.cards):
            for where, text in _searchable(card):
                for word in _words(text):
                    postings.setdefault(word, set()).add((index, where))
        return tuple(sorted(postings)), {word: tuple(sorted(found)) for word, found in postings.items()}

    def card(self, programme_id: str) -> Card:
        """The card of `programme_id`; UnknownIdError, with close matches, for an id the library lacks."""
        for card in self.cards:
            if card.programme_id == programme_id:
                return card
        raise UnknownIdError(unknown_id_message("programme", programme_id, [c.programme_id for c in self.cards]))

    def options(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Per filter, the values the cards hold with how many cards hold each (methods in the collation's order,
        vocabularies in theirs, countries by count, decades in time order): a filter never offers a value that
        matches nothing, and a new value in the data appears without a code change."""
        counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
        for card in self.cards:
            for name in FILTERS:
                for value in _filter_values(card, name):
                    counts[name][value] = counts[name].get(value, 0) + 1
        orders = {"kind": CHOICES["kind"], "setting": CHOICES["setting"], "scale": CHOICES["audience_scale"],
                  "lead": CHOICES["spread_lead"]}
        method_order = list(dict.fromkeys(use.method_id for card in self.cards for use in card.methods))
        result = {}
        for name, found in counts.items():
            if name in orders:
                keys = _in_order(found, orders[name])
            elif name == "method":
                keys = sorted(found, key=method_order.index)
            elif name == "period":
                keys = sorted(found)
            else:
                keys = _most_first(found)
            result[name] = tuple((key, found[key]) for key in keys)
        return result

    def search(self, query: Query) -> list[Match]:
        """The cards that contain every word of `query.words` (by stem, a word's start is enough) and meet every
        filter, in `query.sort` order."""
        if query.sort not in SORTS:
            raise UnknownIdError(unknown_id_message("sort order", query.sort, list(SORTS)))
        hits = self._word_hits(query.words)
        matches = []
        for index, card in enumerate(self.cards):
            if hits is not None and index not in hits:
                continue
            if all(not getattr(query, name) or getattr(query, name) in _filter_values(card, name) for name in FILTERS):
                found = hits.get(index, {}) if hits is not None else {}
                matches.append(Match(card, sum(found.values()), tuple(sorted(found, key=list(FIELD_WEIGHTS).index))))
        return _sorted(matches, query.sort)

    def compare(self, left: str, right: str) -> Comparison:
        """Programmes `left` and `right` side by side, with the methods both used and those only one used."""
        one, other = self.card(left), self.card(right)
        mine, theirs = one.method_ids, other.method_ids
        return Comparison(one, other, tuple(m for m in mine if m in theirs), tuple(m for m in mine if m not in theirs),
                          tuple(m for m in theirs if m not in mine))

    def _word_hits(self, words: str) -> dict[int, dict[str, int]] | None:
        """Card index → {where found: weight} for cards holding every word; None when no word was given."""
        stems = _words(words)
        if not stems:
            return None
        hits: dict[int, dict[str, int]] | None = None
        every, postings = self._index
        for stem in dict.fromkeys(stems):
            found: dict[int, dict[str, int]] = {}
            first = bisect.bisect_left(every, stem)
            for word in every[first:bisect.bisect_left(every, stem + "\uffff")]:
                for index, where in postings[word]:
                    found.setdefault(index, {})[where] = FIELD_WEIGHTS[where]
            if hits is None:
                hits = found
            else:
                hits = {index: {**hits[index], **{w: hits[index].get(w, 0) + n for w, n in found[index].items()}}
                        for index in hits.keys() & found.keys()}
        return hits


@lru_cache(maxsize=4)
def casebook(collation: Collation) -> Casebook:
    """The casebook of `collation`, built on first use and kept (each dashboard page and report reuses it)."""
    return Casebook.from_collation(collation)


def filter_label(name: str, value: str, collation: Collation | None = None) -> str:
    """A filter value as a user reads it: a method's name, a vocabulary label, `Started in the 2010s`."""
    if name == "method" and collation is not None:
        return str(collation.methods.set_index("method_id")["name"].get(value, value))
    if name == "period":
        return f"Started in the {value}"
    return value if name == "country" else label(value)


_STEMMER = snowballstemmer.stemmer("english")


def _words(text: str) -> list[str]:
    """The words of `text`, lower-cased and stemmed (Snowball's English stemmer), stop words left out."""
    return [_stem(word) for word in _WORD.findall(text.casefold()) if word not in _STOP_WORDS]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def _filter_values(card: Card, name: str) -> tuple[str, ...]:
    """The values `card` has for filter `name` (several for `method`, none when not recorded)."""
    if name == "method":
        return card.method_ids
    if name == "period":
        return (card.decade,)
    if name == "country":
        return (card.country,)
    value = card.fact({"scale": "audience_scale", "lead": "spread_lead"}.get(name, name))
    return (value,) if value else ()


def _searchable(card: Card) -> Iterable[tuple[str, str]]:
    """(where, text) for every part of a card a word can be found in; a profile's vocabulary values count by their
    raw value and their label, a yes/no field by its question when the answer is yes (never by a "no")."""
    yield "name", card.name
    yield "aim", card.aim
    yield "lead", card.lead
    yield "country", card.country
    yield "scale", card.scale_reached or ""
    for figure in card.figures:
        yield "figures", f"{figure.label} {figure.value}"
    for use in card.methods:
        yield "methods", f"{use.method} {use.approach}"
        yield "how", f"{use.period or ''} {use.rationale or ''}"
    if card.record_type == "case-example":
        yield "profile", "case example of the collation"
    for fact in card.profile:
        if fact.field in CHOICES and CHOICES[fact.field] == YES_NO:
            if fact.value == "yes":
                yield "profile", FIELD_QUESTIONS[fact.field]
        elif fact.field in CHOICES:
            yield "profile", f"{fact.value} {label(fact.value)}"


def _sorted(matches: list[Match], order: str) -> list[Match]:
    by_name = sorted(matches, key=lambda match: match.card.name.casefold())
    if order == "best":
        return sorted(by_name, key=lambda match: -match.score)
    if order in ("newest", "oldest"):
        return sorted(by_name, key=lambda match: match.card.period_start, reverse=order == "newest")
    return by_name


def _cards(collation: Collation) -> Iterable[Card]:
    """A card per programme of the library, the case examples among them, in the library's order (the tables are
    read as records once: a pandas look-up per row cost about a second for the library)."""
    methods = {row["method_id"]: row for row in collation.methods.to_dict(orient="records")}
    approaches = dict(zip(collation.approaches["approach_id"], collation.approaches["name"], strict=True))
    profiles = {row["programme_id"]: row for row in collation.programme_profile_records}
    uses = _grouped(collation.programme_methods, "programme_id")
    figures = _grouped(collation.programme_figures, "programme_id") | _grouped(collation.case_figures, "case_id")
    stage_order = {stage: i for i, stage in enumerate(PLAN_STAGES)}
    for row in collation.programmes.to_dict(orient="records"):
        ident = row["programme_id"]
        profile = profiles.get(ident, {})
        used = sorted(uses.get(ident, []), key=lambda use: stage_order.get(use["stage"], len(stage_order)))
        yield Card(
            programme_id=ident, record_type=row["record_type"], name=row["name"], lead=row["lead"],
            country=row["country"], period_start=str(row["period_start"]), period_end=_text(row["period_end"]),
            aim=row["aim"],
            scale_reached=_text(row["scale_reached"]), scale_source_url=_text(row["scale_source_url"]),
            scale_caveat=_text(row["scale_caveat"]), source_url=_text(row["source_url"]),
            provenance=str(row["provenance"]),
            profile=tuple(ProfileFact(name, str(profile[name]), _text(profile.get(f"{name}_rationale")))
                          for name in PROFILE_FIELDS if _text(profile.get(name)) is not None),
            figures=tuple(ProgrammeFigure(f["label"], str(f["value"]), _text(f["source_url"]), str(f["provenance"]),
                                          _text(f["caveat"])) for f in figures.get(ident, [])),
            methods=tuple(MethodUse(use["method_id"], methods[use["method_id"]]["name"],
                                    methods[use["method_id"]]["approach_id"],
                                    approaches[methods[use["method_id"]]["approach_id"]], str(use["stage"]),
                                    _text(use["period"]), _text(use["rationale"]), _text(use["source_url"]),
                                    str(use["provenance"]), _text(use["caveat"])) for use in used),
        )


def _grouped(table: pd.DataFrame, key: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of `table` as records, grouped by `key`, in the table's order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in table.to_dict(orient="records"):
        groups.setdefault(row[key], []).append(row)
    return groups


def _text(value: object) -> str | None:
    """A value as text, or None when missing (None, NaN, pandas' NA or an empty string)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    return text or None


def _in_order(values: Iterable[str], order: Sequence[str]) -> list[str]:
    """Values in the vocabulary's order; any the vocabulary lacks last."""
    return sorted(values, key=lambda v: order.index(v) if v in order else len(order))


def _most_first(counts: Mapping[str, int]) -> list[str]:
    """Keys by count, largest first, then by name."""
    return sorted(counts, key=lambda v: (-counts[v], v))
