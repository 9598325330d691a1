"""A plan a leader keeps: the profile, the programmes they left out of the advice, and their edits to the plan
(methods dropped, added at a stage, moved to another stage), in one YAML file that the dashboard saves and loads and
the CLI reads (`spreadlab plan saved-plan.yaml` gives the same plan).

A plain profile file is a plan file with no edits, so every profile written before keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .advice import recommend
from .collation import Collation
from .errors import ProfileError
from .inputs import MAX_BYTES, InputError, load_yaml
from .planning import Plan, edited, plan
from .profile import InterventionProfile
from .vocabulary import PLAN_STAGES

EDITS = "plan_edits"
EXCLUDE = "exclude_programmes"
EDIT_KEYS = ("drop", "add", "move")


@dataclass(frozen=True, slots=True)
class PlanEdits:
    """What a leader changed in a plan: methods dropped, methods added (method id → stage) and methods moved
    (method id → stage)."""

    drop: tuple[str, ...] = ()
    add: tuple[tuple[str, str], ...] = ()
    move: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.drop or self.add or self.move)

    def to_dict(self) -> dict[str, Any]:
        """The edits as YAML-ready values (empty kinds left out)."""
        values: dict[str, Any] = {}
        if self.drop:
            values["drop"] = list(self.drop)
        if self.add:
            values["add"] = dict(self.add)
        if self.move:
            values["move"] = dict(self.move)
        return values


@dataclass(frozen=True, slots=True)
class PlanFile:
    """A profile, the programmes left out of its advice, and the leader's edits to its plan."""

    profile: InterventionProfile
    edits: PlanEdits = field(default_factory=PlanEdits)
    exclude: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], *, source: str = "plan file",
                  collation: Collation | None = None) -> PlanFile:
        """Read a plan file's values: the profile fields, and optionally `exclude_programmes` (programme ids) and
        `plan_edits` (`drop`: method ids; `add` and `move`: method id → stage). With `collation`, ids are checked
        against it; every problem is a ProfileError naming the field."""
        if not isinstance(values, Mapping):
            raise ProfileError(f"{source}: must be a mapping of profile fields, not {type(values).__name__}")
        profile = InterventionProfile.from_dict({k: v for k, v in values.items() if k not in (EDITS, EXCLUDE)},
                                                source=source)
        exclude = _ids(values.get(EXCLUDE, []), EXCLUDE, source)
        edits = _edits(values.get(EDITS, {}), source)
        if collation is not None:
            _check_ids(collation, exclude, edits, source)
        return cls(profile, edits, exclude)

    @classmethod
    def from_yaml(cls, path: str | Path, *, collation: Collation | None = None) -> PlanFile:
        """Read a plan file (or a plain profile file) from YAML."""
        path = Path(path)
        try:
            values = load_yaml(path, what="profile", source=str(path))
        except InputError as error:
            raise ProfileError(str(error)) from None
        return cls.from_dict(values if values is not None else {}, source=str(path), collation=collation)

    @classmethod
    def from_text(cls, content: str | bytes, *, source: str, collation: Collation | None = None) -> PlanFile:
        """Read a plan file (or a plain profile file) from YAML text or its UTF-8 bytes, e.g. an uploaded file;
        every problem is a ProfileError starting with `source`."""
        if isinstance(content, bytes):
            if len(content) > MAX_BYTES:
                raise ProfileError(f"{source}: is {len(content):,} bytes, more than a plan file can be "
                                   f"({MAX_BYTES:,})")
            try:
                content = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ProfileError(f"{source}: is not UTF-8 text (byte 0x{content[error.start]:02x} at position "
                                   f"{error.start}); save it as UTF-8 YAML") from None
        try:
            values = load_yaml(content, what="plan file", source=source)
        except InputError as error:
            raise ProfileError(str(error)) from None
        return cls.from_dict(values if values is not None else {}, source=source, collation=collation)

    def dropping(self, method_id: str) -> PlanFile:
        """The plan file with `method_id` dropped from the plan (a method the leader added is no longer added)."""
        added = dict(self.edits.add)
        if method_id in added:
            del added[method_id]
            return replace(self, edits=replace(self.edits, add=tuple(added.items())))
        return replace(self, edits=replace(self.edits, drop=tuple(dict.fromkeys((*self.edits.drop, method_id))),
                                           move=tuple((m, s) for m, s in self.edits.move if m != method_id)))

    def moving(self, method_id: str, stage: str) -> PlanFile:
        """The plan file with `method_id` moved to the phase of `stage`."""
        _check_stage(stage)
        added = dict(self.edits.add)
        if method_id in added:
            return replace(self, edits=replace(self.edits, add=tuple((added | {method_id: stage}).items())))
        return replace(self, edits=replace(self.edits, move=tuple((dict(self.edits.move) | {method_id: stage})
                                                                  .items())))

    def adding(self, method_id: str, stage: str) -> PlanFile:
        """The plan file with `method_id` added at `stage` (a method the leader dropped comes back there)."""
        _check_stage(stage)
        if method_id in self.edits.drop:
            edits = replace(self.edits, drop=tuple(m for m in self.edits.drop if m != method_id))
            return replace(self, edits=edits).moving(method_id, stage)
        return replace(self, edits=replace(self.edits, add=tuple((dict(self.edits.add) | {method_id: stage})
                                                                 .items())))

    def leaving_out(self, programme_id: str) -> PlanFile:
        """The plan file with the programme `programme_id` left out of the advice."""
        return replace(self, exclude=tuple(dict.fromkeys((*self.exclude, programme_id))))

    def putting_back(self, programme_id: str) -> PlanFile:
        """The plan file with the programme `programme_id` counted in the advice again."""
        return replace(self, exclude=tuple(ident for ident in self.exclude if ident != programme_id))

    def to_dict(self) -> dict[str, Any]:
        """The plan file as YAML-ready values: the profile's fields, then the left-out programmes and the edits."""
        values = self.profile.to_dict()
        if self.exclude:
            values[EXCLUDE] = list(self.exclude)
        if self.edits:
            values[EDITS] = self.edits.to_dict()
        return values

    def to_yaml(self) -> str:
        """The YAML document that `from_yaml` reads back unchanged."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def plan(self, collation: Collation) -> Plan:
        """The plan: advice with the left-out programmes excluded, then the leader's edits."""
        made = plan(collation, self.profile, recommend(collation, self.profile, exclude=self.exclude))
        if not self.edits:
            return made
        return edited(made, collation, drop=self.edits.drop, add=dict(self.edits.add), move=dict(self.edits.move))


def _check_stage(stage: str) -> None:
    if stage not in PLAN_STAGES:
        raise ProfileError(f"{stage!r} is not a stage of a plan (allowed: {', '.join(PLAN_STAGES)})", field=EDITS)


def _ids(value: Any, field_name: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProfileError(f"{source}: field {field_name!r}: must be a list of ids", field=field_name)
    return tuple(dict.fromkeys(value))


def _edits(value: Any, source: str) -> PlanEdits:
    where = f"{source}: field {EDITS!r}"
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}: must map drop, add and move to methods", field=EDITS)
    unknown = [key for key in value if key not in EDIT_KEYS]
    if unknown:
        raise ProfileError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(EDIT_KEYS)})", field=EDITS)
    staged = {}
    for key in ("add", "move"):
        entries = value.get(key, {})
        if not isinstance(entries, Mapping):
            raise ProfileError(f"{where}.{key}: must map method ids to stages", field=EDITS)
        bad = next(((m, s) for m, s in entries.items() if s not in PLAN_STAGES), None)
        if bad is not None:
            raise ProfileError(f"{where}.{key}.{bad[0]}: {bad[1]!r} is not allowed (allowed: "
                               f"{', '.join(PLAN_STAGES)})", field=EDITS)
        staged[key] = tuple((str(m), str(s)) for m, s in entries.items())
    return PlanEdits(_ids(value.get("drop", []), f"{EDITS}.drop", source), staged["add"], staged["move"])


def _check_ids(collation: Collation, exclude: tuple[str, ...], edits: PlanEdits, source: str) -> None:
    programmes = set(collation.programmes["programme_id"])
    unknown = [ident for ident in exclude if ident not in programmes]
    if unknown:
        raise ProfileError(f"{source}: field {EXCLUDE!r}: {unknown[0]!r} is not a programme of the library "
                           "(`spreadlab list programmes` lists them)", field=EXCLUDE)
    methods = set(collation.methods["method_id"])
    named = [*edits.drop, *(m for m, _ in edits.add), *(m for m, _ in edits.move)]
    unknown = [ident for ident in named if ident not in methods]
    if unknown:
        raise ProfileError(f"{source}: field {EDITS!r}: {unknown[0]!r} is not a recorded method (allowed: "
                           f"{', '.join(sorted(methods))})", field=EDITS)
