"""The shape of each data file, as frozen pydantic models that reject unknown fields.

These records are what a YAML file must hold; `collation.py` turns them into pandas tables. They are models rather
than pydantic dataclasses because a dataclass generates and compiles its methods when the module is imported, which
cost every `spreadlab.load()` about 40 ms; models also build their validators only on first use (`defer_build`).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .vocabulary import (
    AdopterCount,
    Adopters,
    AudienceScale,
    Evidence,
    Footnote,
    Kind,
    Level,
    Motivation,
    NasssDomain,
    Nature,
    PlanStage,
    Provenance,
    Setting,
    SpreadLead,
    Stage,
    Timeframe,
    YesNo,
)

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1)]
_MONTH = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")


def _web_address(value: str) -> str:
    # A pattern, not pydantic's HttpUrl: importing pydantic.networks costs about 15 ms on every load.
    if not _WEB_ADDRESS.match(value):
        raise PydanticCustomError(
            "web_address", "'{value}' is not a web address (allowed: http:// or https:// addresses)", {"value": value}
        )
    return value


Url = Annotated[str, AfterValidator(_web_address)]


class _Record(BaseModel):
    """A record of a data file: immutable, unknown fields rejected, surrounding spaces stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)


class _Sourced(_Record):
    """A record with a provenance: curated needs a reason or a source, a summary needs its source."""

    provenance: Provenance
    rationale: str | None = None
    source_url: Url | None = None

    @model_validator(mode="after")
    def _provenance_is_explained(self):
        if self.provenance == "curated" and not (self.rationale or self.source_url):
            raise PydanticCustomError(
                "provenance", "curated values need a rationale or a source_url saying where they come from"
            )
        if self.provenance == "collation-summary" and not self.source_url:
            raise PydanticCustomError("provenance", "collation-summary values need the summary's source_url")
        return self


class Characteristic(_Sourced):
    value: str


class StandardisationCharacteristic(Characteristic):
    value: Level


class MotivationCharacteristic(Characteristic):
    value: Motivation


class Characteristics(_Record):
    central_standardisation: StandardisationCharacteristic
    motivation: MotivationCharacteristic


class Point(_Sourced):
    """A strength or a limitation of an approach."""

    text: Text
    footnote: Footnote | None = None


class Example(_Sourced):
    name: Text
    caveat: str | None = None


class StageConsideration(_Sourced):
    values: Annotated[tuple[Stage, ...], Field(min_length=1)]
    caveat: str | None = None


class AudienceConsideration(_Sourced):
    values: Annotated[tuple[AudienceScale, ...], Field(min_length=1)]
    caveat: str | None = None


class ResourcesConsideration(_Sourced):
    level: Level
    note: Text
    note_provenance: Provenance | None = None
    caveat: str | None = None


class TimeframeConsideration(_Sourced):
    value: Timeframe
    note: Text
    note_provenance: Provenance | None = None
    caveat: str | None = None


class Considerations(_Record):
    stage: StageConsideration
    audience_scale: AudienceConsideration
    resources: ResourcesConsideration
    timeframe: TimeframeConsideration


class Method(_Sourced):
    id: Id
    name: Text
    description: Text
    considerations: Considerations
    examples: tuple[Example, ...] = ()
    caveat: str | None = None


class Approach(_Sourced):
    id: Id
    name: Text
    order: Annotated[int, Field(strict=True, ge=1, le=7)]
    definition: Text
    methods_stated: Annotated[int, Field(strict=True, ge=1)]
    characteristics: Characteristics
    strengths: Annotated[tuple[Point, ...], Field(min_length=1)]
    limitations: Annotated[tuple[Point, ...], Field(min_length=1)]
    methods: Annotated[tuple[Method, ...], Field(min_length=1)]
    caveat: str | None = None

    @model_validator(mode="after")
    def _no_more_methods_than_stated(self):
        if len(self.methods) > self.methods_stated:
            raise PydanticCustomError(
                "methods_count",
                "records {recorded} methods but methods_stated is {stated}",
                {"recorded": len(self.methods), "stated": self.methods_stated},
            )
        return self


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise PydanticCustomError(
            "month", "'{value}' is not a date (allowed: YYYY or YYYY-MM)", {"value": value}
        )
    return value


class Mention(_Sourced):
    method_id: Id
    text: Text


class Figure(_Sourced):
    label: Text
    value: Text
    source_url: Url
    caveat: str | None = None


class Phase(_Sourced):
    order: Annotated[int, Field(strict=True, ge=1)]
    name: Text
    start: str
    end: str
    description: Text
    method_ids: Annotated[tuple[Id, ...], Field(min_length=1)]
    source_urls: tuple[Url, ...] = ()
    stage: PlanStage | None = None  # which stage of a plan this phase was, for the programme library

    _check_start = field_validator("start", "end")(_month)

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end < self.start:
            raise PydanticCustomError(
                "dates", "end {end} is before start {start}", {"end": self.end, "start": self.start}
            )
        return self


class CaseExample(_Sourced):
    id: Id
    name: Text
    lead: Text
    aim: Text
    period_start: str
    period_end: str
    phases: Annotated[tuple[Phase, ...], Field(min_length=1)]
    figures: tuple[Figure, ...] = ()
    collation_mentions: tuple[Mention, ...] = ()
    # Before it spread, and what it reached: together they make the case example part of the programme library.
    profile: ProgrammeProfile | None = None
    scale_reached: Reach | None = None

    _check_period = field_validator("period_start", "period_end")(_month)


class GlossaryTerm(_Sourced):
    term: Text
    definition: Text


class Glossary(_Record):
    terms: Annotated[tuple[GlossaryTerm, ...], Field(min_length=1)]


class ComplexityLevel(_Sourced):
    id: Nature
    name: Text
    description: Text
    analogy: str | None = None


class Domain(_Sourced):
    id: NasssDomain
    name: Text
    description: Text


class Complexity(_Record):
    levels: Annotated[tuple[ComplexityLevel, ...], Field(min_length=3, max_length=3)]
    domains: Annotated[tuple[Domain, ...], Field(min_length=7, max_length=7)]


class _Judged(_Record):
    """One field of a programme's profile before it spread, with the one-line reason for that reading."""

    rationale: Text


class NatureJudged(_Judged):
    value: Nature


class ScaleJudged(_Judged):
    value: AudienceScale


class MotivationJudged(_Judged):
    value: Motivation


class LevelJudged(_Judged):
    value: Level


class EvidenceJudged(_Judged):
    value: Evidence


class MonthsJudged(_Judged):
    value: Annotated[int, Field(strict=True, ge=1, le=120)]


class AdopterCountJudged(_Judged):
    value: AdopterCount


class AdoptersJudged(_Judged):
    value: Adopters


class SpreadLeadJudged(_Judged):
    value: SpreadLead


class YesNoJudged(_Judged):
    value: YesNo


class KindJudged(_Judged):
    value: Kind


class SettingJudged(_Judged):
    value: Setting


class ProgrammeProfile(_Record):
    """A programme's situation before it spread, in the intervention-profile fields (all curated readings)."""

    nature: NatureJudged
    audience_scale: ScaleJudged
    motivators: MotivationJudged
    energy_for_change: LevelJudged
    timescale_months: MonthsJudged
    resources: LevelJudged
    evidence: EvidenceJudged
    kind: KindJudged | None = None
    setting: SettingJudged | None = None
    adopter_count: AdopterCountJudged | None = None
    adopters: AdoptersJudged | None = None
    spread_lead: SpreadLeadJudged | None = None
    central_funding: YesNoJudged | None = None
    mandate: YesNoJudged | None = None
    incentive: YesNoJudged | None = None
    contract: YesNoJudged | None = None
    regulation: YesNoJudged | None = None


class MethodUse(_Sourced):
    """A method (by our id) a programme used, when in its life, why we read it so, and the source (a caveat when
    the source is weak, e.g. a copy of the original document)."""

    method_id: Id
    stage: PlanStage
    period: Text
    rationale: Text
    source_url: Url
    caveat: str | None = None


class Reach(_Sourced):
    value: Text
    source_url: Url
    caveat: str | None = None


class Programme(_Sourced):
    """A real spread programme of the library: who ran it, what it reached, its profile and the methods it used."""

    id: Id
    name: Text
    lead: Text
    country: Text
    period_start: str
    period_end: str | None = None  # None: still running
    aim: Text
    source_url: Url
    scale_reached: Reach
    figures: tuple[Figure, ...] = ()
    profile: ProgrammeProfile
    methods: Annotated[tuple[MethodUse, ...], Field(min_length=1)]

    _check_start = field_validator("period_start")(_month)

    @field_validator("period_end")
    @classmethod
    def _end_is_a_month(cls, value: str | None) -> str | None:
        return None if value is None else _month(value)

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.period_end is not None and self.period_end < self.period_start:
            raise PydanticCustomError(
                "dates", "period_end {end} is before period_start {start}",
                {"end": self.period_end, "start": self.period_start},
            )
        return self
