"""The codebook (`codebook.yaml`): the rules that decide which recorded methods a programme used and how its profile
is read, and the coding forms (`coding/<round>/<programme-id>.yaml`) in which a second coder records a reading.

Both are read on first use (`Collation.codebook`, `Collation.codings`) and checked against the rest of the data:
every recorded method has exactly one entry, every method and programme named exists, every value is in its
vocabulary. `spreadlab validate` reads them with everything else; `spreadlab codebook` prints the coder's guide.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from ._schema import Id, ProgrammeProfile, Text, Url, _month, _Record, _Sourced
from ._validate import read_file
from .errors import CollationError, Problem
from .paths import CODEBOOK_FILE, CODING_DIR
from .vocabulary import Kind, PlanStage, Setting, SpreadLead, YesNo

RECODING_DIR = "recoding"  # coding/recoding/<branch>.yaml: change logs of the library's re-coding, not coding forms
FORM_FILE = "form.yaml"
Month = Annotated[str, AfterValidator(_month)]


class Definition(_Sourced):
    """What the method is for coding, in our words; the rationale says what it builds on and what we added."""

    text: Text


class NearMiss(_Record):
    """Something that looks like the method but is not it, and what to code instead (None: nothing)."""

    text: Text
    instead: Id | None = None


class Boundary(_Record):
    """The rule that decides between this method and a neighbour (stated once per pair of methods)."""

    method_id: Id
    rule: Text


class CodingExample(_Record):
    """A library programme that clearly used the method (`used: true`) or looks as if it did but did not."""

    programme_id: Id
    used: bool
    reason: Text


class MethodEntry(_Record):
    """The codebook entry of one recorded method. Counts, near misses, boundaries and examples are spreadlab's own
    coding rules (the collation gives none); the definition carries its provenance."""

    method_id: Id
    definition: Definition
    counts: Annotated[tuple[Text, ...], Field(min_length=1)]
    does_not_count: Annotated[tuple[NearMiss, ...], Field(min_length=1)]
    boundaries: tuple[Boundary, ...] = ()
    examples: Annotated[tuple[CodingExample, ...], Field(min_length=1)]


class RuleExample(_Record):
    """How a general rule reads one library programme."""

    programme_id: Id
    reading: Text


class Rule(_Sourced):
    """A general coding rule: the decisive sentence, the tests a coder applies, and worked readings."""

    id: Id
    title: Text
    rule: Text
    tests: tuple[Text, ...] = ()
    examples: tuple[RuleExample, ...] = ()


class Step(_Record):
    """One step of coding a programme, in order."""

    id: Id
    text: Text


class ValueRule(_Record):
    """When a profile field takes one of its values."""

    value: Text
    rule: Text


class FieldRule(_Sourced):
    """How to code one profile field from the sources, as it stood at the start of the episode."""

    field: Text
    rule: Text
    values: tuple[ValueRule, ...] = ()
    unknown: str | None = None  # when the field may be left unknown; None: always code it


class Codebook(_Record):
    """The whole codebook: the procedure, the general rules, one rule per profile field, one entry per method."""

    procedure: Annotated[tuple[Step, ...], Field(min_length=1)]
    rules: Annotated[tuple[Rule, ...], Field(min_length=1)]
    profile_fields: Annotated[tuple[FieldRule, ...], Field(min_length=1)]
    methods: Annotated[tuple[MethodEntry, ...], Field(min_length=1)]

    def entry(self, method_id: str) -> MethodEntry:
        """The entry of one method (KeyError when it has none)."""
        for entry in self.methods:
            if entry.method_id == method_id:
                return entry
        raise KeyError(method_id)

    def boundaries_of(self, method_id: str) -> tuple[tuple[str, str], ...]:
        """(neighbour id, rule) for every boundary of a method, whichever of the two entries states it."""
        own = [(boundary.method_id, boundary.rule) for boundary in self.entry(method_id).boundaries]
        stated_by_others = [(entry.method_id, boundary.rule) for entry in self.methods
                            for boundary in entry.boundaries if boundary.method_id == method_id]
        return tuple(own + stated_by_others)


LeverValue = Literal["yes", "no", "unknown"]  # a yes/no lever (vocabulary.YesNo), or not known from the sources


class Reading(_Record):
    """One profile field as a coder read it, with the one-line reason."""

    reason: Text


class KindReading(Reading):
    value: Kind


class SettingReading(Reading):
    value: Setting


class LeadReading(Reading):
    value: SpreadLead


class YesNoReading(Reading):
    value: YesNo


class LeverReading(Reading):
    value: LeverValue


class CodedProfile(_Record):
    """The profile fields a coding form compares, as they stood at the start of the episode."""

    kind: KindReading
    setting: SettingReading
    spread_lead: LeadReading
    mandate: YesNoReading
    incentive: LeverReading
    contract: LeverReading
    regulation: LeverReading


class Episode(_Record):
    """The one spread the coding describes: when it ran and who spread what to whom."""

    start: Month
    end: Month | None = None  # None: still running
    description: Text

    @model_validator(mode="after")
    def _ends_after_start(self) -> Episode:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError("dates", "end {end} is before start {start}",
                                      {"end": self.end, "start": self.start})
        return self


class CodedMethod(_Record):
    """One use of a method: its stage, the evidence in one line and the source that shows it."""

    method_id: Id
    stage: PlanStage
    evidence: Text
    source_url: Url


class ConsideredMethod(_Record):
    """A method the coder weighed and did not code, and why (helps resolve disagreements)."""

    method_id: Id
    why_not: Text


class Coding(_Record):
    """One coder's reading of one programme, as filled in on `coding/form.yaml`."""

    programme_id: Id
    coder: Text
    coded_on: datetime.date
    blind: bool  # True: the coder had not seen the programme's coded methods and profile
    sources: Annotated[tuple[Url, ...], Field(min_length=1)]
    episode: Episode
    methods: tuple[CodedMethod, ...] = ()
    considered: tuple[ConsideredMethod, ...] = ()
    profile: CodedProfile
    notes: str | None = None


_CODEBOOK = TypeAdapter(Codebook)
_CODING = TypeAdapter(Coding)


def read_codebook(data_dir: Path, method_ids: Iterable[str], programme_ids: Iterable[str]) -> Codebook | None:
    """The codebook of a data folder (None when the folder has none, as folders from before it do), checked
    against the recorded methods and the programme library; raise one CollationError listing every problem."""
    if not (data_dir / CODEBOOK_FILE).exists():
        return None
    problems: list[Problem] = []
    codebook = read_file(data_dir, CODEBOOK_FILE, _CODEBOOK, problems)
    if codebook is not None:
        problems += codebook_problems(codebook, tuple(method_ids), frozenset(programme_ids))
    if problems:
        raise CollationError(problems)
    return codebook


def codebook_problems(codebook: Codebook, method_ids: tuple[str, ...], programme_ids: frozenset[str]) -> list[Problem]:
    """What is wrong across records: entries against the recorded methods, names that resolve, each rule once."""
    problems: list[Problem] = []

    def problem(record: str, field: str, text: str) -> None:
        problems.append(Problem(CODEBOOK_FILE, record, field, text))

    known = frozenset(method_ids)
    entries = Counter(entry.method_id for entry in codebook.methods)
    for method_id in method_ids:
        if method_id not in entries:
            problem("methods", "", f"no entry for the recorded method {method_id!r}")
    for method_id, count in entries.items():
        if method_id not in known:
            problem(f"methods[{method_id}]", "method_id", f"{method_id!r} is not a recorded method id")
        elif count > 1:
            problem(f"methods[{method_id}]", "method_id", f"{count} entries for {method_id!r} (allowed: one)")
    pairs: Counter[frozenset[str]] = Counter()
    for entry in codebook.methods:
        record = f"methods[{entry.method_id}]"
        for boundary in entry.boundaries:
            pairs[frozenset((entry.method_id, boundary.method_id))] += 1
            if boundary.method_id == entry.method_id:
                problem(record, f"boundaries[{boundary.method_id}]", "a method has no boundary with itself")
            elif boundary.method_id not in known:
                problem(record, f"boundaries[{boundary.method_id}]", f"{boundary.method_id!r} is not a recorded "
                        "method id")
        for near_miss in entry.does_not_count:
            if near_miss.instead is not None and near_miss.instead not in known:
                problem(record, "does_not_count.instead", f"{near_miss.instead!r} is not a recorded method id")
        used = sum(example.used for example in entry.examples)
        if not 1 <= used <= 3 or len(entry.examples) - used > 1:
            problem(record, "examples", f"needs 1 to 3 programmes that used the method and at most 1 that did not "
                    f"(got {used} and {len(entry.examples) - used})")
        for example in entry.examples:
            if example.programme_id not in programme_ids:
                problem(record, f"examples[{example.programme_id}]", f"{example.programme_id!r} is not a programme "
                        "of the library")
    for pair, count in pairs.items():
        if count > 1 and len(pair) == 2:
            first, second = sorted(pair)
            problem("methods", "boundaries", f"the boundary between {first!r} and {second!r} is stated {count} "
                    "times (state it once, in either entry)")
    problems += _duplicates("rules", [rule.id for rule in codebook.rules])
    problems += _duplicates("procedure", [step.id for step in codebook.procedure])
    for rule in codebook.rules:
        problems += [Problem(CODEBOOK_FILE, f"rules[{rule.id}]", f"examples[{example.programme_id}]",
                             f"{example.programme_id!r} is not a programme of the library")
                     for example in rule.examples if example.programme_id not in programme_ids]
    problems += _profile_field_problems(codebook.profile_fields)
    return problems


def _duplicates(section: str, ids: list[str]) -> list[Problem]:
    return [Problem(CODEBOOK_FILE, f"{section}[{ident}]", "id", f"duplicate id {ident!r}")
            for ident, count in Counter(ids).items() if count > 1]


def _profile_field_problems(rules: tuple[FieldRule, ...]) -> list[Problem]:
    """One rule per profile field of the programme library, values only from the field's vocabulary."""
    from .profile import CHOICES  # imported here: reading the codebook does not otherwise need profiles

    fields = tuple(ProgrammeProfile.model_fields)
    problems = []
    counts = Counter(rule.field for rule in rules)
    problems += [Problem(CODEBOOK_FILE, "profile_fields", "", f"no rule for the profile field {name!r}")
                 for name in fields if name not in counts]
    for rule in rules:
        record = f"profile_fields[{rule.field}]"
        if rule.field not in fields:
            problems.append(Problem(CODEBOOK_FILE, record, "field", f"{rule.field!r} is not a profile field "
                                    f"(allowed: {', '.join(fields)})"))
            continue
        if counts[rule.field] > 1:
            problems.append(Problem(CODEBOOK_FILE, record, "field", f"{counts[rule.field]} rules for "
                                    f"{rule.field!r} (allowed: one)"))
        allowed = CHOICES.get(rule.field, ())
        problems += [Problem(CODEBOOK_FILE, record, f"values[{value.value}]", f"{value.value!r} is not allowed "
                             f"(allowed: {', '.join(allowed) if allowed else 'none: the field is not a choice'})")
                     for value in rule.values if value.value not in allowed]
    return problems


def read_codings(data_dir: Path, method_ids: Iterable[str],
                 programme_ids: Iterable[str]) -> Mapping[str, tuple[Coding, ...]]:
    """Every filled coding form under `coding/<round>/`, by round; raise one CollationError listing every problem
    (a file named for a programme it does not describe, unknown ids, values outside their vocabulary)."""
    folder = data_dir / CODING_DIR
    if not folder.is_dir():
        return {}
    known_methods, known_programmes = frozenset(method_ids), frozenset(programme_ids)
    problems: list[Problem] = []
    rounds: dict[str, list[Coding]] = {}
    for path in sorted(path for path in folder.glob("*/*.yaml") if path.parent.name != RECODING_DIR):
        name = path.relative_to(data_dir).as_posix()
        coding = read_file(data_dir, name, _CODING, problems)
        if coding is None:
            continue
        problems += _coding_problems(name, path.stem, coding, known_methods, known_programmes)
        rounds.setdefault(path.parent.name, []).append(coding)
    if problems:
        raise CollationError(problems)
    return {round_name: tuple(codings) for round_name, codings in rounds.items()}


def _coding_problems(name: str, stem: str, coding: Coding, known_methods: frozenset[str],
                     known_programmes: frozenset[str]) -> list[Problem]:
    problems = []
    if coding.programme_id != stem:
        problems.append(Problem(name, "", "programme_id", f"{coding.programme_id!r} differs from the file name "
                                f"(allowed: {stem!r}, one file per programme named after it)"))
    if coding.programme_id not in known_programmes:
        problems.append(Problem(name, "", "programme_id", f"{coding.programme_id!r} is not a programme of the "
                                "library"))
    named = [(f"methods[{use.method_id}]", use.method_id) for use in coding.methods]
    named += [(f"considered[{item.method_id}]", item.method_id) for item in coding.considered]
    problems += [Problem(name, record, "method_id", f"{method_id!r} is not a recorded method id")
                 for record, method_id in named if method_id not in known_methods]
    uses = Counter((use.method_id, use.stage) for use in coding.methods)
    problems += [Problem(name, f"methods[{method_id}]", "stage", f"method {method_id!r} is coded {count} times "
                         f"for stage {stage!r}") for (method_id, stage), count in uses.items() if count > 1]
    coded = {use.method_id for use in coding.methods}
    problems += [Problem(name, f"considered[{item.method_id}]", "method_id", f"{item.method_id!r} is also coded "
                         "as used (a method is either used or considered and not coded)")
                 for item in coding.considered if item.method_id in coded]
    return problems
