"""The intervention profile: what a leader knows about the intervention to spread and its context.

One pydantic model serves every way in (a YAML file, a CSV row, the dashboard form, report parameters, or
`InterventionProfile(...)` in code): each value is checked by the same validators, and every problem becomes a
`ProfileError` naming the field, the value and the allowed values. docs/scoring.md lists the fields.
"""

from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .errors import FieldProblem, ProfileError
from .inputs import InputError, load_yaml, shorten
from .suggest import did_you_mean
from .vocabulary import (
    ADOPTER_COUNTS,
    ADOPTERS,
    AUDIENCE_SCALES,
    EVIDENCE_LEVELS,
    KINDS,
    LEVELS,
    MOTIVATIONS,
    NASSS_DOMAINS,
    NATURES,
    SETTINGS,
    SPREAD_LEADS,
    YES_NO,
    AdopterCount,
    Adopters,
    AudienceScale,
    Evidence,
    Kind,
    Level,
    Motivation,
    Nature,
    Setting,
    SpreadLead,
    YesNo,
)

NAME_MAX = 200
TIMESCALE_RANGE = (1, 120)
CHOICES: dict[str, tuple[str, ...]] = {
    "nature": NATURES,
    "audience_scale": AUDIENCE_SCALES,
    "motivators": MOTIVATIONS,
    "energy_for_change": LEVELS,
    "resources": LEVELS,
    "evidence": EVIDENCE_LEVELS,
    "kind": KINDS,
    "setting": SETTINGS,
    "adopter_count": ADOPTER_COUNTS,
    "adopters": ADOPTERS,
    "spread_lead": SPREAD_LEADS,
    "central_funding": YES_NO,
    "mandate": YES_NO,
    "incentive": YES_NO,
    "contract": YES_NO,
    "regulation": YES_NO,
}
FIELD_QUESTIONS: dict[str, str] = {
    "nature": "Nature of the intervention",
    "audience_scale": "Audience and scale",
    "motivators": "What motivates the audience",
    "energy_for_change": "Energy for change in the audience",
    "timescale_months": "Timescale (months)",
    "resources": "Resources available",
    "evidence": "Evidence that the intervention works",
    "kind": "Kind of innovation",
    "setting": "Main care setting",
    "adopter_count": "How many organisations or teams must change",
    "adopters": "Who must change",
    "spread_lead": "Who leads the spread",
    "central_funding": "Central funding available for the spread",
    "mandate": "A mandate, contract or regulation requires the change",
    "incentive": "An incentive payment for adopting it is available",
    "contract": "A contract or service specification can require it",
    "regulation": "A regulator, inspection or national audit checks it",
}
"""Each field as the question a user answers: the form's labels, the profile summaries and the reasons all read it."""
CONTEXT_FIELDS = ("kind", "setting", "adopter_count", "adopters", "spread_lead", "central_funding", "mandate",
                  "incentive", "contract", "regulation")
"""Optional fields about the innovation, the audience and the levers in hand; left out, they count as "not known"."""
LEVER_FIELDS = ("mandate", "incentive", "contract", "regulation")
"""The levers a leader may declare in hand: each yes/no (docs/scoring.md, "Levers")."""
FIELDS = ("name", "nature", "complexity", "audience_scale", "motivators", "energy_for_change", "timescale_months",
          "resources", "evidence", *CONTEXT_FIELDS)
_REQUIRED = ("name", "nature", "audience_scale", "motivators", "energy_for_change", "timescale_months", "resources")
_MISSING = object()
"""Stands in for a required field left out, so that its validator reports it beside every other problem."""
_DEFAULT_EVIDENCE: Evidence = "proven"
# Characters a reader cannot see, or that change how the text around them reads, are refused in a name by their
# Unicode category once line breaks and tabs have been folded into spaces: controls (Cc), formatting characters (Cf:
# bidirectional controls, zero-width spaces, the byte-order mark, soft hyphens, tag characters) and lone surrogates
# (Cs, which no file can hold). The zero-width joiner and non-joiner stay: scripts such as Persian and Hindi need them.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_JOINERS = frozenset("\u200c\u200d")
REPLACEMENT = "\ufffd"


def hidden_character(text: str) -> str | None:
    """The first character of `text` that a name may not hold (a control or invisible formatting character)."""
    return next((ch for ch in text if unicodedata.category(ch) in _HIDDEN_CATEGORIES and ch not in _JOINERS), None)


def shown_as_typed(text: str) -> str:
    """`text` with every character a name may not hold replaced by U+FFFD, so that a refused name can be shown
    (in an index, a manifest or a terminal) without acting on what shows it."""
    return "".join(REPLACEMENT if hidden_character(ch) else ch for ch in text)


class InterventionProfile(BaseModel):
    """An intervention and its context, the fields of docs/scoring.md ("The intervention profile").

    Attributes:
        name: the intervention being spread (1–200 characters on one line, no control characters).
        nature: simple, complicated or complex; derived from `complexity` when not given.
        audience_scale: local, regional or national.
        motivators: extrinsic, intrinsic or mixed — what moves the target audience.
        energy_for_change: low, medium or high — energy already in the audience.
        timescale_months: months available, 1–120.
        resources: low, medium or high — resources available.
        evidence: proven or emerging.
        complexity: optional NASSS self-assessment, domain → simple/complicated/complex, in domain order.
        kind, setting: optional — the kind of innovation and its main care setting (vocabulary.KINDS, SETTINGS).
        adopter_count, adopters, spread_lead, central_funding: optional context about the audience and the lead.
        mandate, incentive, contract, regulation: optional levers in hand, yes or no (LEVER_FIELDS).
        Every optional field is None when not known.
        nature_derived: True when `nature` was worked out from `complexity` rather than given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str = Field(description="The intervention or improvement you want to spread.")
    nature: Nature = Field(description="How predictable the intervention is: simple, complicated or complex.")
    audience_scale: AudienceScale = Field(description="Where the spread is aimed: local, regional or national.")
    motivators: Motivation = Field(description="What moves the people who must change.")
    energy_for_change: Level = Field(description="How much energy for this change the audience already has.")
    timescale_months: int = Field(description="Months available for the spread, 1 to 120.")
    resources: Level = Field(description="Resources available for the spread.")
    evidence: Evidence = Field(_DEFAULT_EVIDENCE, description="Whether the intervention's value is proven or still "
                                                             "emerging.")
    complexity: tuple[tuple[str, Nature], ...] | None = Field(
        None, description="Optional NASSS self-assessment: each of the seven domains rated.")
    kind: Kind | None = Field(None, description="The kind of innovation; not known if left out.")
    setting: Setting | None = Field(None, description="The main care setting where it must be adopted; not known if "
                                                      "left out.")
    adopter_count: AdopterCount | None = Field(
        None, description="How many organisations or teams must change; not known if left out.")
    adopters: Adopters | None = Field(None, description="Who must change; not known if left out.")
    spread_lead: SpreadLead | None = Field(None, description="Who leads the spread; not known if left out.")
    central_funding: YesNo | None = Field(
        None, description="Whether central funding for the spread is available; not known if left out.")
    mandate: YesNo | None = Field(
        None, description="Whether a mandate, contract or regulation requires the change; not known if left out.")
    incentive: YesNo | None = Field(
        None, description="Whether an incentive payment for adopting it is available; not known if left out.")
    contract: YesNo | None = Field(
        None, description="Whether a contract or service specification can require it; not known if left out.")
    regulation: YesNo | None = Field(
        None, description="Whether a regulator, inspection or national audit checks it; not known if left out.")
    nature_derived: bool = False

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], *, source: str = "profile") -> InterventionProfile:
        """Build a profile from a mapping of profile fields; raise one ProfileError naming every bad field."""
        if not isinstance(values, Mapping):
            raise ProfileError(f"{source}: must be a mapping of profile fields, not {type(values).__name__}")
        problems = [FieldProblem(key, f"unknown field {key!r}{did_you_mean(key, FIELDS)} (allowed fields: "
                                      f"{', '.join(FIELDS)})")
                    for key in map(_shown_key, (key for key in values if key not in FIELDS))]
        known = {key: value for key, value in values.items() if key in FIELDS}
        try:
            profile = cls.model_validate(known)
        except ValidationError as error:
            problems += _problems(error, given=known)
        if problems:
            raise ProfileError.listing(source, problems)
        return profile

    @classmethod
    def from_yaml(cls, path: str | Path) -> InterventionProfile:
        """Read a profile from a YAML file of profile fields."""
        path = Path(path)
        values = _read_yaml(path)
        return cls.from_dict(values if values is not None else {}, source=str(path))

    @classmethod
    def from_csv_row(cls, row: Mapping[str, Any], *, source: str = "row") -> InterventionProfile:
        """Build a profile from one CSV row: empty cells mean "not given"; `complexity.<domain>` columns hold
        the optional NASSS self-assessment."""
        values: dict[str, Any] = {}
        complexity: dict[str, Any] = {}
        for key, cell in row.items():
            key = (key or "").strip()
            text = cell.strip() if isinstance(cell, str) else cell
            if text in ("", None):
                continue
            if key.startswith("complexity."):
                complexity[key.removeprefix("complexity.")] = text
            else:
                values[key] = text
        if complexity:
            values["complexity"] = complexity
        return cls.from_dict(values, source=source)

    def to_dict(self) -> dict[str, Any]:
        """The profile as plain values; `from_dict(profile.to_dict()) == profile` (a derived nature is left out,
        and so are context fields that are not known)."""
        values: dict[str, Any] = {"name": self.name}
        if not self.nature_derived:
            values["nature"] = self.nature
        if self.complexity is not None:
            values["complexity"] = dict(self.complexity)
        values |= {
            "audience_scale": self.audience_scale,
            "motivators": self.motivators,
            "energy_for_change": self.energy_for_change,
            "timescale_months": self.timescale_months,
            "resources": self.resources,
            "evidence": self.evidence,
        }
        values |= {field: getattr(self, field) for field in CONTEXT_FIELDS if getattr(self, field) is not None}
        return values

    def to_yaml(self) -> str:
        """The profile as a YAML document that `from_yaml` reads back unchanged."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, values: Any) -> Any:
        """Empty values count as not given; nature is derived from the assessment when it is not given (a bad
        assessment is reported by its own validator, with every other problem)."""
        if not isinstance(values, Mapping):
            return values
        present = {key: value for key, value in values.items() if value is not None}
        if "nature" not in present and "complexity" in present:
            try:
                present["nature"] = derive_nature(_complexity(present["complexity"]))
                present["nature_derived"] = True
            except PydanticCustomError:
                pass  # the assessment's own problem is the one to report, not a missing nature
        return {key: _MISSING for key in _REQUIRED if key not in present and not (
            key == "nature" and "complexity" in present)} | present

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        _given("name", value)
        # Runs of whitespace become one space: a name is one line, and YAML would fold a line break such as U+0085.
        plain = isinstance(value, str | int | float) and not isinstance(value, bool)
        text = " ".join(str(value).split()) if plain else ""
        if not text or len(text) > NAME_MAX:
            shown = _shorten(value) if plain else f"a {type(value).__name__}"
            raise _invalid("name", f"field 'name': {shown} is not allowed (allowed: text of 1–{NAME_MAX} "
                                   "characters)")
        bad = hidden_character(text)
        if bad is not None:
            raise _invalid("name", f"field 'name': contains an invisible or control character (U+{ord(bad):04X}), "
                                   f"which is not allowed in a name (allowed: text of 1–{NAME_MAX} characters without "
                                   "control or invisible formatting characters)")
        return text

    @field_validator(*CHOICES, mode="before")
    @classmethod
    def _choice(cls, value: Any, info: Any) -> Any:
        field = info.field_name
        _given(field, value)
        allowed = CHOICES[field]
        if isinstance(value, bool) and allowed == YES_NO:  # YAML reads an unquoted yes/no as a boolean
            return "yes" if value else "no"
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        hint = did_you_mean(value.strip().lower(), allowed) if isinstance(value, str) else ""
        raise _invalid(field, f"field {field!r}: {_shorten(value)} is not allowed{hint} (allowed: "
                              f"{', '.join(allowed)})")

    @field_validator("timescale_months", mode="before")
    @classmethod
    def _timescale(cls, value: Any) -> int:
        _given("timescale_months", value)
        low, high = TIMESCALE_RANGE
        number: int | None = None
        whole = isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real) and float(value).is_integer())
        if whole and not isinstance(value, bool):  # numpy numbers too
            number = int(value)
        elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # int() takes "²"
            number = int(value.strip())
        if number is None or not low <= number <= high:
            raise _invalid("timescale_months", f"field 'timescale_months': {_shorten(value)} is not allowed "
                                               f"(allowed: a whole number of months from {low} to {high})")
        return number

    @field_validator("complexity", mode="before")
    @classmethod
    def _assessment(cls, value: Any) -> tuple[tuple[str, str], ...] | None:
        return _complexity(value)


def derive_nature(complexity: tuple[tuple[str, str], ...] | None) -> str:
    """Nature from a NASSS self-assessment: any complex domain → complex; two or more complicated → complicated;
    otherwise simple (see docs/scoring.md)."""
    ratings = [rating for _, rating in complexity or ()]
    if "complex" in ratings:
        return "complex"
    if ratings.count("complicated") >= 2:
        return "complicated"
    return "simple"


def _complexity(value: Any) -> tuple[tuple[str, str], ...] | None:
    if value is None or isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise _invalid("complexity", f"field 'complexity': must map each NASSS domain ({', '.join(NASSS_DOMAINS)}) "
                                     f"to simple, complicated or complex, not {_shorten(value)}")
    unknown = [key for key in value if key not in NASSS_DOMAINS]
    if unknown:
        key = _shown_key(unknown[0])
        raise _invalid("complexity", f"field 'complexity': unknown domain {key!r}{did_you_mean(key, NASSS_DOMAINS)} "
                                     f"(allowed: {', '.join(NASSS_DOMAINS)})")
    missing = [domain for domain in NASSS_DOMAINS if domain not in value]
    if missing:
        raise _invalid("complexity", f"field 'complexity': domain {missing[0]!r} is missing (rate all of: "
                                     f"{', '.join(NASSS_DOMAINS)})")
    ratings = []
    for domain in NASSS_DOMAINS:
        rating = value[domain]
        if not (isinstance(rating, str) and rating.strip().lower() in NATURES):
            raise _invalid("complexity", f"field 'complexity.{domain}': {_shorten(rating)} is not allowed "
                                         f"(allowed: {', '.join(NATURES)})")
        ratings.append((domain, rating.strip().lower()))
    return tuple(ratings)


def _given(field: str, value: Any) -> None:
    """Raise the problem of a required field left out (`_MISSING`)."""
    if value is _MISSING:
        hint = " (or give complexity to derive it)" if field == "nature" else ""
        raise _invalid(field, f"required field {field!r} is missing{hint}")


def _invalid(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("profile", "{message}", {"message": message, "field": field})


def _problems(error: ValidationError, *, given: Mapping[str, Any]) -> list[FieldProblem]:
    """Every problem pydantic found, one line each naming the field, in field order."""
    problems = []
    for detail in error.errors(include_url=False, include_input=False):
        context = detail.get("ctx") or {}
        field = str(detail["loc"][0]) if detail["loc"] else ""
        if detail["type"] == "profile":
            problems.append(FieldProblem(context["field"], context["message"]))
        elif detail["type"] == "missing" and field == "nature" and given.get("complexity") is not None:
            continue  # the assessment that would give the nature is wrong, and reported as such
        else:
            problems.append(FieldProblem(field, f"field {field!r}: {detail['msg'][0].lower()}{detail['msg'][1:]}"))
    return problems


def _shorten(value: Any) -> str:
    """A value as a user would recognise it, cut to a readable length without expanding nested aliases."""
    return shorten(value)


def _shown_key(key: Any) -> str:
    return key if isinstance(key, str) and len(key) <= 60 else _shorten(key)


def _read_yaml(path: Path) -> Any:
    """The YAML document of a profile file, read as every file a user hands in is (spreadlab.inputs): a regular
    UTF-8 file of limited size, no duplicate keys, bounded nesting and aliases; any problem is one ProfileError."""
    try:
        return load_yaml(path, what="profile", source=str(path))
    except InputError as error:
        raise ProfileError(str(error)) from None
