"""The shape of the guidance files (`data/guidance/`), as frozen pydantic models that reject unknown fields.

One file per type of guidance holds `items`; `sources.yaml` holds the documents they cite, so a title and its web
address are written once. What the fields mean is in data/README.md ("Guidance").
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import Field

from ._schema import Id, Text, Url, _Record
from .vocabulary import (
    CommunicationPhase,
    Evidence,
    Kind,
    Level,
    Lever,
    MeasureType,
    NasssDomain,
    PlanStage,
    Setting,
    SpreadLead,
    SustainRoute,
)

SOURCES_FILE = "sources.yaml"


class Source(_Record):
    """A public document that guidance cites: what it is, who published it and where to read it."""

    id: Id
    title: Text
    publisher: Text
    url: Url
    caveat: str | None = None  # e.g. the link is a copy of the original document


class Sources(_Record):
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]


class When(_Record):
    """When an item applies: each key is a list, and an empty list means any value (see guidance.Conditions)."""

    methods: tuple[Id, ...] = ()
    stages: tuple[PlanStage, ...] = ()
    kinds: tuple[Kind, ...] = ()
    settings: tuple[Setting, ...] = ()
    leads: tuple[SpreadLead, ...] = ()
    domains: tuple[NasssDomain, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    levers_in_hand: tuple[Lever, ...] = ()
    levers_not_in_hand: tuple[Lever, ...] = ()


class _Item(_Record):
    """What every item holds: its words, when it applies, and the document that supports it."""

    id: Id
    text: Text
    when: When = When()
    provenance: Literal["collation", "curated"]
    source: Id
    section: str | None = None  # where in the source: a heading, a table or a page
    programme_id: Id | None = None
    programme_note: str | None = None


class Action(_Item):
    type: Literal["action"] = "action"
    first_90_days: bool


class Role(_Item):
    type: Literal["role"] = "role"
    name: Text


class AdopterSegment(_Item):
    type: Literal["adopter-segment"] = "adopter-segment"
    name: Text
    order: Annotated[int, Field(strict=True, ge=1, le=9)]


class Measure(_Item):
    type: Literal["measure"] = "measure"
    measure_type: MeasureType
    data_source: Text


class Gate(_Item):
    type: Literal["gate"] = "gate"


class Cost(_Item):
    type: Literal["cost"] = "cost"
    band: Level
    who_pays: Text


class Risk(_Item):
    type: Literal["risk"] = "risk"
    mitigation: Text
    mitigation_source: Id | None = None  # the advice's source, when the risk itself is the collation's words


class Ask(_Item):
    type: Literal["ask"] = "ask"
    ask_of: Text


class Evaluation(_Item):
    type: Literal["evaluation"] = "evaluation"


class Communication(_Item):
    type: Literal["communication"] = "communication"
    phase: CommunicationPhase
    messenger: Text
    channel: Text


class Sustain(_Item):
    type: Literal["sustain"] = "sustain"
    route: SustainRoute


ItemT = TypeVar("ItemT", bound=_Item)


class Items(_Record, Generic[ItemT]):
    """A guidance file: a list of items of one type."""

    items: Annotated[tuple[ItemT, ...], Field(min_length=1)]


ITEM_FILES: dict[str, type[Items]] = {
    "actions.yaml": Items[Action],
    "roles.yaml": Items[Role],
    "adopter-segments.yaml": Items[AdopterSegment],
    "measures.yaml": Items[Measure],
    "gates.yaml": Items[Gate],
    "costs.yaml": Items[Cost],
    "risks.yaml": Items[Risk],
    "asks.yaml": Items[Ask],
    "evaluation.yaml": Items[Evaluation],
    "communication.yaml": Items[Communication],
    "sustain.yaml": Items[Sustain],
}
"""Each guidance file and the model of its content, one file per type of guidance."""
