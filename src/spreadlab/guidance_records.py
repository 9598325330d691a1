"""The guidance for plans as records, read and checked from `data/guidance/`: each item with its conditions and
source (`GuidanceItem`, `Conditions`, `Source`), the situation it is matched against (`Situation`), and the rule
that matches them (`Conditions.match`; `spreadlab.guidance` says it in words and finds the items for a situation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _guidance_schema as schema
from ._validate import read_file
from .errors import CollationError, Problem
from .paths import GUIDANCE_DIR
from .vocabulary import LEVERS, GuidanceType

if TYPE_CHECKING:
    from .profile import InterventionProfile

COLLATION_HOME = "https://horizonsnhs.com/spread-approaches/"
"""The collation's landing page; its approach pages are the `source_url`s of the approach files."""


@dataclass(frozen=True, slots=True)
class Source:
    """A public document that guidance cites.

    Attributes:
        id: the source's id in `sources.yaml`.
        title, publisher, url: what it is, who published it and where to read it.
        caveat: what a reader should know about the link (e.g. that it is a copy), or None.
    """

    id: str
    title: str
    publisher: str
    url: str
    caveat: str | None


@dataclass(frozen=True, slots=True)
class Conditions:
    """When an item applies; each key is a tuple of vocabulary values and an empty tuple means any value."""

    methods: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    levers_in_hand: tuple[str, ...] = ()
    levers_not_in_hand: tuple[str, ...] = ()

    def match(self, situation: Situation) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
        """None when the item does not apply to `situation`; otherwise each filled key with the situation's values
        that met it (for a lever not in hand: the levers listed)."""
        because: list[tuple[str, tuple[str, ...]]] = []
        shared = (("methods", situation.method_ids), ("stages", situation.stages),
                  ("domains", situation.complex_domains))
        single = (("kinds", situation.kind), ("settings", situation.setting), ("leads", situation.spread_lead),
                  ("evidence", situation.evidence))
        for key, values in shared:
            wanted = getattr(self, key)
            if wanted:
                met = tuple(value for value in wanted if value in values)
                if not met:
                    return None
                because.append((key, met))
        for key, value in single:
            wanted = getattr(self, key)
            if wanted:
                if value is None or value not in wanted:
                    return None
                because.append((key, (value,)))
        if self.levers_in_hand:
            if not set(self.levers_in_hand) <= situation.levers_in_hand:
                return None
            because.append(("levers_in_hand", self.levers_in_hand))
        if self.levers_not_in_hand:
            if set(self.levers_not_in_hand) & situation.levers_in_hand:
                return None
            because.append(("levers_not_in_hand", self.levers_not_in_hand))
        return tuple(because)


@dataclass(frozen=True, slots=True)
class GuidanceItem:
    """One piece of guidance, in spreadlab's words, with when it applies and where it comes from.

    Attributes:
        id: stable id, unique across all guidance.
        type: action, role, adopter-segment, measure, gate, cost, risk, ask, evaluation, communication or sustain.
        text: one or two plain sentences a programme team can act on.
        when: the conditions under which it applies.
        provenance: `collation` when the Horizons collation itself says it, else `curated`.
        source: the document that supports it; `section` says where in it.
        programme_id, programme_note: a library programme that did it, and what it did (None when none is named).
        file: the data file it came from, relative to the data folder.
        first_90_days: actions only, whether it belongs in the first 90 days.
        name: roles (the role's name) and adopter segments (the segment's name).
        order: adopter segments only, their place in the order of adoption (1 first).
        measure_type, data_source: measures only: adoption, fidelity, outcome or balancing, and where the data come
            from.
        band, who_pays: costs only: low, medium or high, and who pays.
        mitigation, mitigation_source: risks only: what to do about it, and the source of that advice when the
            risk itself is the collation's words (else the item's source supports both).
        ask_of: asks only, whom to ask.
        phase, messenger, channel: communication only: awareness or how-to, who carries it and through what.
        route: sustain only: commissioning, contract, tariff, ownership or routine.
    """

    id: str
    type: GuidanceType
    text: str
    when: Conditions
    provenance: str
    source: Source
    section: str | None
    programme_id: str | None
    programme_note: str | None
    file: str
    first_90_days: bool | None = None
    name: str | None = None
    order: int | None = None
    measure_type: str | None = None
    data_source: str | None = None
    band: str | None = None
    who_pays: str | None = None
    mitigation: str | None = None
    mitigation_source: Source | None = None
    ask_of: str | None = None
    phase: str | None = None
    messenger: str | None = None
    channel: str | None = None
    route: str | None = None


@dataclass(frozen=True, slots=True)
class Situation:
    """What guidance is asked for: a plan's phase (or the whole plan) and what is known of the profile.

    Attributes:
        method_ids: the methods in the phase or plan; stages: its stages (prepare, test, spread, sustain).
        kind, setting, spread_lead, evidence: from the profile; None when not known.
        complex_domains: the NASSS domains the profile rates complex.
        levers_in_hand: the levers the profile says are in hand (`vocabulary.LEVERS`).
    """

    method_ids: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    kind: str | None = None
    setting: str | None = None
    spread_lead: str | None = None
    evidence: str | None = None
    complex_domains: frozenset[str] = frozenset()
    levers_in_hand: frozenset[str] = frozenset()

    @classmethod
    def from_profile(cls, profile: InterventionProfile, *, method_ids: Iterable[str] = (),
                     stages: Iterable[str] = ()) -> Situation:
        """The situation of `profile` for the given methods and stages: a lever is in hand when the profile says
        yes, a domain is complex when its NASSS self-assessment says so."""
        return cls(
            method_ids=frozenset(method_ids), stages=frozenset(stages), kind=profile.kind, setting=profile.setting,
            spread_lead=profile.spread_lead, evidence=profile.evidence,
            complex_domains=frozenset(domain for domain, level in profile.complexity or () if level == "complex"),
            levers_in_hand=frozenset(lever for lever in LEVERS if getattr(profile, lever) == "yes"),
        )


@dataclass(frozen=True, slots=True)
class Guidance:
    """Every guidance item of a data folder, in the data's order, and the sources they cite (id → Source)."""

    items: tuple[GuidanceItem, ...]
    sources: Mapping[str, Source]


def load_guidance(data_dir: Path, known: References) -> Guidance:
    """Read and check `guidance/` in the data folder against what its items may refer to; raise one
    CollationError listing every problem.

    A data folder without a `guidance/` folder (kept from before guidance existed) has no guidance.
    """
    folder = data_dir / GUIDANCE_DIR
    if not folder.is_dir():
        return Guidance((), {})
    problems: list[Problem] = []
    allowed = [schema.SOURCES_FILE, *schema.ITEM_FILES]
    problems += [Problem(f"{GUIDANCE_DIR}/{path.name}", "", "",
                         f"is not a guidance file (allowed: {', '.join(allowed)})")
                 for path in sorted(folder.glob("*.yaml")) if path.name not in allowed]
    sources_file = read_file(data_dir, _SOURCES, _adapter(schema.Sources), problems)
    records: list[tuple[str, Any]] = []
    for name, model in schema.ITEM_FILES.items():
        document = read_file(data_dir, f"{GUIDANCE_DIR}/{name}", _adapter(model), problems)
        if document is not None:
            records += [(f"{GUIDANCE_DIR}/{name}", item) for item in document.items]
    all_read = not problems
    for file, record in records:
        problems += _item_problems(known, file, record)
    problems += _duplicates("guidance id", [(file, f"items[{record.id}]", record.id) for file, record in records])
    # Sources are checked against the items only when their file was readable; uncited ones only when every item
    # file was, as an unreadable file's items cite nothing.
    if sources_file is not None:
        problems += _duplicates("source id", [(_SOURCES, f"sources[{s.id}]", s.id) for s in sources_file.sources])
        problems += _duplicates("source url", [(_SOURCES, f"sources[{s.id}]", s.url) for s in sources_file.sources],
                                field="url")
        problems += _source_problems(known, records, sources_file.sources, check_cited=all_read)
    if problems:
        raise CollationError(problems)
    sources = {record.id: _source(record) for record in sources_file.sources} if sources_file else {}
    return Guidance(tuple(_item(file, record, sources) for file, record in records), sources)


_SOURCES = f"{GUIDANCE_DIR}/{schema.SOURCES_FILE}"


def _adapter(model: type) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(model)


def _source(record: schema.Source) -> Source:
    return Source(record.id, record.title, record.publisher, record.url, record.caveat)


def _item(file: str, record: Any, sources: Mapping[str, Source]) -> GuidanceItem:
    """The public record of a valid file record, its sources looked up."""
    own = {f.name for f in fields(GuidanceItem)} & set(type(record).model_fields) - _COMMON
    mitigation = getattr(record, "mitigation_source", None)
    return GuidanceItem(
        id=record.id, type=record.type, text=record.text,
        when=Conditions(**{key: getattr(record.when, key) for key in schema.When.model_fields}),
        provenance=record.provenance, source=sources[record.source], section=record.section,
        programme_id=record.programme_id, programme_note=record.programme_note, file=file,
        mitigation_source=sources[mitigation] if mitigation else None,
        **{name: getattr(record, name) for name in own},
    )


_COMMON = frozenset({"id", "type", "text", "when", "provenance", "source", "section", "programme_id",
                     "programme_note", "mitigation_source"})


@dataclass(frozen=True, slots=True)
class References:
    """What items may refer to: recorded method ids with their resources level, library programme ids, and the
    collation's pages (its approach pages' URLs), which guidance in the collation's words must cite."""

    method_resources: Mapping[str, str]
    programme_ids: frozenset[str]
    approach_pages: frozenset[str]


def _item_problems(known: References, file: str, record: Any) -> list[Problem]:
    """What is wrong with one item beyond its file's schema: unknown methods or programme, repeated or
    contradictory conditions, a collation risk without the source of its advice, a method's cost band that
    disagrees with the resources level recorded for the method."""
    problems: list[Problem] = []

    def problem(field: str, text: str) -> None:
        problems.append(Problem(file, f"items[{record.id}]", field, text))

    for method_id in record.when.methods:
        if method_id not in known.method_resources:
            problem("when.methods", f"{method_id!r} is not a recorded method id")
    for key in schema.When.model_fields:
        repeated = sorted(value for value, count in Counter(getattr(record.when, key)).items() if count > 1)
        if repeated:
            problem(f"when.{key}", f"{', '.join(map(repr, repeated))} listed more than once")
    both = sorted(set(record.when.levers_in_hand) & set(record.when.levers_not_in_hand))
    if both:
        problem("when", f"{', '.join(both)} cannot be both in hand and not in hand")
    if (record.programme_id is None) != (record.programme_note is None):
        problem("programme_note", "programme_id and programme_note go together (give both or neither)")
    if record.programme_id is not None and record.programme_id not in known.programme_ids:
        problem("programme_id", f"{record.programme_id!r} is not a programme of the library")
    if record.provenance == "collation" and record.type == "risk" and record.mitigation_source is None:
        problem("mitigation_source", "a risk in the collation's words needs the source of its mitigation")
    if record.type == "cost" and len(record.when.methods) == 1:
        # One place for a method's resources: its cost band must be the level its considerations record.
        level = known.method_resources.get(record.when.methods[0])
        if level is not None and record.band != level:
            problem("band", f"{record.band!r} differs from the resources level {level!r} recorded for method "
                            f"{record.when.methods[0]!r} (allowed: {level})")
    return problems


def _source_problems(known: References, records: list[tuple[str, Any]], sources: Iterable[schema.Source], *,
                     check_cited: bool) -> list[Problem]:
    """Every source an item names exists; collation guidance cites the collation; every source is cited."""
    problems: list[Problem] = []
    urls = {source.id: source.url for source in sources}
    collation_pages = {COLLATION_HOME, *known.approach_pages}
    cited: set[str] = set()
    for file, record in records:
        for field in ("source", "mitigation_source"):
            ident = getattr(record, field, None)
            if ident is None:
                continue
            cited.add(ident)
            if ident not in urls:
                problems.append(Problem(file, f"items[{record.id}]", field, f"{ident!r} is not a source in {_SOURCES}"))
        if record.provenance == "collation" and record.source in urls and urls[record.source] not in collation_pages:
            problems.append(Problem(file, f"items[{record.id}]", "provenance",
                                    "collation guidance must cite a page of the collation (allowed: the landing page "
                                    "or an approach page)"))
    if check_cited:
        problems += [Problem(_SOURCES, f"sources[{ident}]", "", "is not cited by any guidance item")
                     for ident in urls if ident not in cited]
    return problems


def _duplicates(what: str, rows: list[tuple[str, str, str]], *, field: str = "id") -> list[Problem]:
    counts = Counter(value for _, _, value in rows)
    return [Problem(file, record, field, f"duplicate {what} {value!r}") for file, record, value in rows
            if counts[value] > 1]

