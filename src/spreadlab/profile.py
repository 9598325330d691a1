"""The intervention profile: what a leader knows about the intervention to spread and its context."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ProfileError
from .vocabulary import AUDIENCE_SCALES, EVIDENCE_LEVELS, LEVELS, MOTIVATIONS, NASSS_DOMAINS, NATURES

NAME_MAX = 200
TIMESCALE_RANGE = (1, 120)
_CHOICES: dict[str, tuple[str, ...]] = {
    "nature": NATURES,
    "audience_scale": AUDIENCE_SCALES,
    "motivators": MOTIVATIONS,
    "energy_for_change": LEVELS,
    "resources": LEVELS,
    "evidence": EVIDENCE_LEVELS,
}
FIELDS = ("name", "nature", "complexity", "audience_scale", "motivators", "energy_for_change", "timescale_months",
          "resources", "evidence")
_REQUIRED = ("name", "audience_scale", "motivators", "energy_for_change", "timescale_months", "resources")
_DEFAULT_EVIDENCE = "proven"


@dataclass(frozen=True, slots=True)
class InterventionProfile:
    """An intervention and its context, as DESIGN.md defines the profile.

    Attributes:
        name: the intervention being spread (1–200 characters).
        nature: simple, complicated or complex; derived from `complexity` when not given.
        audience_scale: local, regional or national.
        motivators: extrinsic, intrinsic or mixed — what moves the target audience.
        energy_for_change: low, medium or high — energy already in the audience.
        timescale_months: months available, 1–120.
        resources: low, medium or high — resources available.
        evidence: proven or emerging.
        complexity: optional NASSS self-assessment, domain → simple/complicated/complex, in domain order.
        nature_derived: True when `nature` was worked out from `complexity` rather than given.
    """

    name: str
    nature: str
    audience_scale: str
    motivators: str
    energy_for_change: str
    timescale_months: int
    resources: str
    evidence: str = _DEFAULT_EVIDENCE
    complexity: tuple[tuple[str, str], ...] | None = None
    nature_derived: bool = False

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], *, source: str = "profile") -> InterventionProfile:
        """Build a profile from a mapping of DESIGN.md fields; raise ProfileError naming any bad field."""
        if not isinstance(values, Mapping):
            raise ProfileError(f"{source}: must be a mapping of profile fields, not {type(values).__name__}")
        unknown = [key for key in values if key not in FIELDS]
        if unknown:
            key = str(unknown[0])
            raise ProfileError(f"{source}: unknown field {key!r}{_did_you_mean(key, FIELDS)} "
                               f"(allowed fields: {', '.join(FIELDS)})", field=key)
        present = {key: value for key, value in values.items() if value is not None}
        missing = [key for key in _REQUIRED if key not in present]
        if "nature" not in present and "complexity" not in present:
            missing.insert(1, "nature")
        if missing:
            hint = " (or give complexity to derive it)" if missing[0] == "nature" else ""
            raise ProfileError(f"{source}: required field {missing[0]!r} is missing{hint}", field=missing[0])
        complexity = _complexity(present.get("complexity"), source)
        given_nature = "nature" in present
        return cls(
            name=_name(present["name"], source),
            nature=_choice("nature", present["nature"], source) if given_nature else derive_nature(complexity),
            audience_scale=_choice("audience_scale", present["audience_scale"], source),
            motivators=_choice("motivators", present["motivators"], source),
            energy_for_change=_choice("energy_for_change", present["energy_for_change"], source),
            timescale_months=_timescale(present["timescale_months"], source),
            resources=_choice("resources", present["resources"], source),
            evidence=_choice("evidence", present.get("evidence", _DEFAULT_EVIDENCE), source),
            complexity=complexity,
            nature_derived=not given_nature,
        )

    @classmethod
    def from_yaml(cls, path: str | Path) -> InterventionProfile:
        """Read a profile from a YAML file of DESIGN.md fields."""
        path = Path(path)
        try:
            values = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ProfileError(f"{path}: profile file not found") from None
        except (UnicodeDecodeError, IsADirectoryError) as error:
            raise ProfileError(f"{path}: cannot read the profile ({error})") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            at = f" at line {mark.line + 1}" if mark else ""
            raise ProfileError(f"{path}: not valid YAML{at}: {getattr(error, 'problem', error)}") from None
        return cls.from_dict(values if values is not None else {}, source=str(path))

    @classmethod
    def from_csv_row(cls, row: Mapping[str, str], *, source: str = "row") -> InterventionProfile:
        """Build a profile from one CSV row: empty cells mean "not given"; `complexity.<domain>` columns hold
        the optional NASSS self-assessment."""
        values: dict[str, Any] = {}
        complexity: dict[str, str] = {}
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
        """The profile as plain values; `from_dict(profile.to_dict()) == profile` (a derived nature is left out)."""
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
        return values

    def to_yaml(self) -> str:
        """The profile as a YAML document that `from_yaml` reads back unchanged."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def derive_nature(complexity: tuple[tuple[str, str], ...] | None) -> str:
    """Nature from a NASSS self-assessment: any complex domain → complex; two or more complicated → complicated;
    otherwise simple (see docs/scoring.md)."""
    ratings = [rating for _, rating in complexity or ()]
    if "complex" in ratings:
        return "complex"
    if ratings.count("complicated") >= 2:
        return "complicated"
    return "simple"


def _did_you_mean(value: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _choice(field: str, value: Any, source: str) -> str:
    allowed = _CHOICES[field]
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    hint = _did_you_mean(str(value).lower(), allowed) if isinstance(value, str) else ""
    raise ProfileError(f"{source}: field {field!r}: {value!r} is not allowed{hint} (allowed: {', '.join(allowed)})",
                       field=field)


def _name(value: Any, source: str) -> str:
    # Runs of whitespace become one space: a name is one line, and YAML would fold a line break such as U+0085.
    plain = isinstance(value, str | int | float) and not isinstance(value, bool)
    text = " ".join(str(value).split()) if plain else None
    if not text or len(text) > NAME_MAX:
        raise ProfileError(f"{source}: field 'name': {value!r} is not allowed (allowed: text of 1–{NAME_MAX} "
                           "characters)", field="name")
    return text


def _timescale(value: Any, source: str) -> int:
    low, high = TIMESCALE_RANGE
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # int() fails on "²"
        number = int(value.strip())
    if number is None or not low <= number <= high:
        raise ProfileError(f"{source}: field 'timescale_months': {value!r} is not allowed (allowed: a whole "
                           f"number of months from {low} to {high})", field="timescale_months")
    return number


def _complexity(value: Any, source: str) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ProfileError(f"{source}: field 'complexity': must map each NASSS domain ({', '.join(NASSS_DOMAINS)}) "
                           f"to simple, complicated or complex, not {value!r}", field="complexity")
    unknown = [key for key in value if key not in NASSS_DOMAINS]
    if unknown:
        key = str(unknown[0])
        raise ProfileError(f"{source}: field 'complexity': unknown domain {key!r}{_did_you_mean(key, NASSS_DOMAINS)} "
                           f"(allowed: {', '.join(NASSS_DOMAINS)})", field="complexity")
    missing = [domain for domain in NASSS_DOMAINS if domain not in value]
    if missing:
        raise ProfileError(f"{source}: field 'complexity': domain {missing[0]!r} is missing (rate all of: "
                           f"{', '.join(NASSS_DOMAINS)})", field="complexity")
    ratings = []
    for domain in NASSS_DOMAINS:
        rating = value[domain]
        if not (isinstance(rating, str) and rating.strip().lower() in NATURES):
            raise ProfileError(f"{source}: field 'complexity.{domain}': {rating!r} is not allowed "
                               f"(allowed: {', '.join(NATURES)})", field="complexity")
        ratings.append((domain, rating.strip().lower()))
    return tuple(ratings)
