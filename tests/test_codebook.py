"""The codebook (data/codebook.yaml), the coder's guide written from it (docs/codebook.md) and the coding forms
(data/coding/): what the bundled files hold, and the exact problem a user reads for each way of breaking them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

import spreadlab
from spreadlab._schema import ProgrammeProfile
from spreadlab.codebook import CodedProfile, Coding
from spreadlab.codebook_guide import markdown
from spreadlab.vocabulary import KINDS, SETTINGS
from test_collation import METHOD_IDS
from test_data_errors import change, delete

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = "codebook.yaml"
FORM = "coding/pilot/end-pj-paralysis.yaml"
ALL_METHOD_IDS = [method_id for ids in METHOD_IDS.values() for method_id in ids]
GENERAL_RULES = ("episode", "intervention-is-not-a-method", "used", "learning-audit-evaluation", "capability-methods",
                 "coordination-networks", "champion-roles", "national-signals", "governing-levers", "piloting",
                 "stages")
# The neighbours issue 19 names, each of which must have a stated rule.
NEIGHBOURS = [
    ("learning-systems", "regulation-inspection-audit"),
    ("innovation-specific-capacity-building", "broad-education-personal-development"),
    ("innovation-specific-capacity-building", "dedicated-resource-provision"),
    ("innovation-specific-capacity-building", "national-skills-coaching-programmes"),
    ("central-coordination", "network"),
    ("collaboratives", "network"),
    ("partner-networks", "network"),
    ("central-coordination", "partner-networks"),
    ("demonstrator-sites", "rolling-out"),
    ("contractual-obligation", "regulation-inspection-audit"),
    ("performance-related-funding", "regulation-inspection-audit"),
    ("contractual-obligation", "performance-related-funding"),
    ("contractual-obligation", "national-signals-campaigns"),
]
# The programmes kept out of the library for an independent check (DESIGN.md): the codebook must not use them.
KEPT_OUT = ("escape-pain", "pincer", "precept", "emergency laparotomy", "productive ward", "releasing time to care",
            "feno", "stop the pressure", "20,000 days", "cancer services collaborative", "primary care collaborative",
            "expert patients", "e-referral", "rightcare", "whole system demonstrator", "3millionlives", "psirf",
            "patient safety incident response", "time to change", "butterfly scheme", "prime minister's challenge",
            "friends and family test", "scottish improvement leader", "scil", "best practice spotlight",
            "hospital elder life", "buurtzorg", "kaiser permanente", "patient aligned care", "family health strategy")


@pytest.fixture(scope="module")
def codebook(collation):
    assert collation.codebook is not None
    return collation.codebook


def test_every_recorded_method_has_exactly_one_entry_in_the_collations_order(codebook):
    assert [entry.method_id for entry in codebook.methods] == ALL_METHOD_IDS


def test_each_entry_says_what_counts_what_does_not_and_gives_a_programme_that_used_it(codebook):
    for entry in codebook.methods:
        assert entry.counts and entry.does_not_count, entry.method_id
        assert 1 <= sum(example.used for example in entry.examples) <= 3, entry.method_id
        assert entry.definition.provenance == "curated" and entry.definition.rationale, entry.method_id


def test_the_general_rules_the_issue_asks_for_are_all_there_each_with_its_reason(codebook):
    rules = {rule.id: rule for rule in codebook.rules}
    assert set(GENERAL_RULES) <= set(rules)
    assert all(rules[ident].rationale and rules[ident].provenance == "curated" for ident in GENERAL_RULES)
    stages = rules["stages"].rule + " ".join(rules["stages"].tests)
    assert all(stage in stages.lower() for stage in ("prepare", "test", "spread", "sustain"))


@pytest.mark.parametrize(("first", "second"), NEIGHBOURS)
def test_a_rule_decides_between_neighbouring_methods_and_shows_under_both(codebook, first, second):
    assert second in dict(codebook.boundaries_of(first))
    assert first in dict(codebook.boundaries_of(second))


def test_every_profile_field_has_a_rule_and_only_the_levers_may_stay_unknown(codebook):
    rules = {rule.field: rule for rule in codebook.profile_fields}
    assert set(rules) == set(ProgrammeProfile.model_fields)
    assert {field for field, rule in rules.items() if rule.unknown} == {"incentive", "contract", "regulation"}
    assert sorted(value.value for value in rules["kind"].values) == sorted(KINDS)
    assert sorted(value.value for value in rules["setting"].values) == sorted(SETTINGS)
    for kind in KINDS:  # the tie-break order names every kind
        assert kind in rules["kind"].rule


def test_no_programme_kept_out_of_the_library_is_named_in_the_codebook_its_guide_or_the_forms():
    """Coders' own words never name a kept-out programme. A round kept from the library (`coder: library`) carries
    the library's words, which may mention one inside another programme's history (DESIGN.md)."""
    texts = [ROOT / "data" / CODEBOOK, ROOT / "docs" / "codebook.md", *sorted((ROOT / "data" / "coding").rglob("*"))]
    for path in (path for path in texts if path.is_file()):
        text = path.read_text(encoding="utf-8").lower()
        if "\ncoder: library\n" in text:
            continue
        found = [name for name in KEPT_OUT if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", text)]
        assert not found, f"{path.relative_to(ROOT)} names {found}"


def test_no_programme_of_the_latest_blind_round_is_named_in_what_its_coders_read(collation):
    """Round 4's programmes (round `fifth`, which holds round 2's) are coded blind again against the codebook sharpened
    from their disagreements, so the codebook, its guide, the coding guide and the pilot forms name none of them, by id
    or by name."""
    names = collation.programmes.set_index("programme_id")["name"]
    blind = {coding.programme_id for coding in collation.codings["fifth"] if coding.blind}
    assert len(blind) == 59
    texts = [ROOT / "data" / CODEBOOK, ROOT / "docs" / "codebook.md", ROOT / "data" / "coding" / "README.md",
             *sorted((ROOT / "data" / "coding" / "pilot").glob("*.yaml"))]
    for path in texts:
        text = path.read_text(encoding="utf-8").lower()
        for ident in sorted(blind):
            name = re.sub(r"\s*\([^)]*\)", "", str(names[ident])).lower()
            found = [term for term in (ident, name) if re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", text)]
            assert not found, f"{path.relative_to(ROOT)} names {found}"


def test_docs_codebook_md_is_what_spreadlab_codebook_prints(cli):
    done = cli("codebook")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8"), (
        "docs/codebook.md is out of date: run `spreadlab codebook > docs/codebook.md`")


def test_the_guide_shows_each_method_with_the_collations_description_beside_its_rules(collation, codebook):
    guide = markdown(collation)
    sections = dict(re.findall(r"^#### [^\n]*\(`([a-z-]+)`\)\n(.*?)(?=^#{2,4} |\Z)", guide,
                               flags=re.MULTILINE | re.DOTALL))
    assert list(sections) == ALL_METHOD_IDS
    for method in collation.methods.itertuples():
        section = " ".join(sections[method.method_id].split())
        assert " ".join(method.description.split()) in section
        entry = codebook.entry(method.method_id)
        assert " ".join(entry.definition.text.split()) in section
        for neighbour, rule in codebook.boundaries_of(method.method_id):
            assert f"`{neighbour}`): {' '.join(rule.split())}" in section
    flat = " ".join(guide.split())
    for rule in codebook.rules:
        assert f"### {rule.title} (`{rule.id}`)" in guide and " ".join(rule.rule.split()) in flat
    for step in codebook.procedure:
        assert " ".join(step.text.split()) in flat


def test_the_guide_follows_the_codebook_it_is_given(data_copy):
    change(CODEBOOK, lambda doc: doc["rules"][0].update(rule="Code the longest episode the sources describe."))(
        data_copy)
    assert "Code the longest episode the sources describe." in markdown(spreadlab.load(data_copy))


def forms_in(data: Path) -> int:
    """How many coding forms a data folder holds (every round; the change logs are not forms)."""
    return sum(1 for path in (data / "coding").glob("*/*.yaml") if path.parent.name != "recoding")


def test_a_data_folder_without_a_codebook_still_loads_and_validates(data_copy, cli):
    delete(CODEBOOK)(data_copy)
    assert spreadlab.load(data_copy).codebook is None
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 0, done.stderr
    assert "codebook" not in done.stdout and f"{forms_in(data_copy)} coding forms" in done.stdout
    guide = cli("codebook", "--data", data_copy)
    assert guide.returncode == 1
    assert guide.stderr == f"spreadlab: error: {data_copy}: there is no codebook.yaml in this data folder\n"


def test_a_recoding_change_log_is_not_read_as_a_coding_form(data_copy, cli):
    log = data_copy / "coding" / "recoding" / "recode-x.yaml"
    log.parent.mkdir(exist_ok=True)
    log.write_text(yaml.safe_dump([{"programme_id": "end-pj-paralysis", "change": "none", "rule": "used",
                                    "reason": "The sources support every coded method."}]), encoding="utf-8")
    assert "recoding" not in spreadlab.load(data_copy).codings
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{forms_in(data_copy)} coding forms" in done.stdout


@dataclass(frozen=True)
class Broken:
    """One way of breaking the codebook or a coding form, and the exact problem lines a user reads."""

    id: str
    mutate: Callable[[Path], None]
    problems: tuple[str, ...]


def _method(method_id: str, edit: Callable[[dict], object]) -> Callable[[dict], object]:
    return lambda doc: edit(next(entry for entry in doc["methods"] if entry["method_id"] == method_id))


def _field(name: str, edit: Callable[[dict], object]) -> Callable[[dict], object]:
    return lambda doc: edit(next(rule for rule in doc["profile_fields"] if rule["field"] == name))


PROFILE_FIELDS = ", ".join(ProgrammeProfile.model_fields)
CODEBOOK_CORPUS = [
    Broken("entry-missing", change(CODEBOOK, lambda doc: doc["methods"].pop(8)),
           ("codebook.yaml: methods: no entry for the recorded method 'honest-broker'",)),
    Broken("entry-twice", change(CODEBOOK, lambda doc: doc["methods"].append(doc["methods"][5])),
           ("codebook.yaml: methods[network]: method_id: 2 entries for 'network' (allowed: one)",
            "codebook.yaml: methods: boundaries: the boundary between 'collaboratives' and 'network' is stated 2 "
            "times (state it once, in either entry)",
            "codebook.yaml: methods: boundaries: the boundary between 'network' and 'partner-networks' is stated 2 "
            "times (state it once, in either entry)",
            "codebook.yaml: methods: boundaries: the boundary between 'leadership-support-champions' and 'network' "
            "is stated 2 times (state it once, in either entry)")),
    Broken("unknown-method-entry", change(CODEBOOK, _method("horizon-scanning", lambda e: e.update(
        method_id="telepathy"))),
           ("codebook.yaml: methods: no entry for the recorded method 'horizon-scanning'",
            "codebook.yaml: methods[telepathy]: method_id: 'telepathy' is not a recorded method id")),
    Broken("boundary-unknown", change(CODEBOOK, _method("network", lambda e: e["boundaries"][0].update(
        method_id="telepathy"))),
           ("codebook.yaml: methods[network]: boundaries[telepathy]: 'telepathy' is not a recorded method id",)),
    Broken("boundary-with-itself", change(CODEBOOK, _method("network", lambda e: e["boundaries"][0].update(
        method_id="network"))),
           ("codebook.yaml: methods[network]: boundaries[network]: a method has no boundary with itself",)),
    Broken("boundary-twice", change(CODEBOOK, _method("collaboratives", lambda e: e["boundaries"].append(
        {"method_id": "network", "rule": "A second statement of the same rule."}))),
           ("codebook.yaml: methods: boundaries: the boundary between 'collaboratives' and 'network' is stated 2 "
            "times (state it once, in either entry)",)),
    Broken("instead-unknown", change(CODEBOOK, _method("network", lambda e: e["does_not_count"][0].update(
        instead="telepathy"))),
           ("codebook.yaml: methods[network]: does_not_count.instead: 'telepathy' is not a recorded method id",)),
    Broken("example-unknown", change(CODEBOOK, _method("network", lambda e: e["examples"][0].update(
        programme_id="no-such-programme"))),
           ("codebook.yaml: methods[network]: examples[no-such-programme]: 'no-such-programme' is not a programme "
            "of the library",)),
    Broken("examples-unbalanced", change(CODEBOOK, _method("network", lambda e: e["examples"].append(
        {"programme_id": "girft", "used": False, "reason": "A second near miss."}))),
           ("codebook.yaml: methods[network]: examples: needs 1 to 3 programmes that used the method and at most 1 "
            "that did not (got 2 and 2)",)),
    Broken("definition-without-rationale", change(CODEBOOK, _method("network", lambda e: e["definition"].pop(
        "rationale"))),
           ("codebook.yaml: methods[network]: definition: curated values need a rationale or a source_url saying "
            "where they come from",)),
    Broken("no-counts", change(CODEBOOK, _method("network", lambda e: e.update(counts=[]))),
           ("codebook.yaml: methods[network]: counts: needs at least 1 item (got 0)",)),
    Broken("unknown-entry-field", change(CODEBOOK, _method("network", lambda e: e.update(colour="blue"))),
           ("codebook.yaml: methods[network]: colour: unknown field",)),
    Broken("rule-example-unknown", change(CODEBOOK, lambda doc: doc["rules"][0]["examples"][0].update(
        programme_id="no-such-programme")),
           ("codebook.yaml: rules[episode]: examples[no-such-programme]: 'no-such-programme' is not a programme of "
            "the library",)),
    Broken("rule-twice", change(CODEBOOK, lambda doc: doc["rules"].append(doc["rules"][0])),
           ("codebook.yaml: rules[episode]: id: duplicate id 'episode'",)),
    Broken("field-rule-missing", change(CODEBOOK, _field("regulation", lambda rule: rule.update(field="colour"))),
           ("codebook.yaml: profile_fields: no rule for the profile field 'regulation'",
            f"codebook.yaml: profile_fields[colour]: field: 'colour' is not a profile field (allowed: "
            f"{PROFILE_FIELDS})")),
    Broken("field-value-outside-vocabulary", change(CODEBOOK, _field("kind", lambda rule: rule["values"][0].update(
        value="robot"))),
           ("codebook.yaml: profile_fields[kind]: values[robot]: 'robot' is not allowed (allowed: "
            f"{', '.join(KINDS)})",)),
]
FORM_CORPUS = [
    Broken("form-named-for-another-programme", change(FORM, lambda doc: doc.update(programme_id="girft")),
           (f"{FORM}: programme_id: 'girft' differs from the file name (allowed: 'end-pj-paralysis', one file per "
            "programme named after it)",)),
    Broken("form-unknown-method", change(FORM, lambda doc: doc["methods"][0].update(method_id="telepathy")),
           (f"{FORM}: methods[telepathy]: method_id: 'telepathy' is not a recorded method id",)),
    Broken("form-bad-stage", change(FORM, lambda doc: doc["methods"][0].update(stage="scale-up")),
           (f"{FORM}: methods[network]: stage: 'scale-up' is not allowed (allowed: prepare, test, spread, "
            "sustain)",)),
    Broken("form-method-twice", change(FORM, lambda doc: doc["methods"].append(doc["methods"][0])),
           (f"{FORM}: methods[network]: stage: method 'network' is coded 2 times for stage 'spread'",)),
    Broken("form-used-and-considered", change(FORM, lambda doc: doc["considered"][0].update(method_id="network")),
           (f"{FORM}: considered[network]: method_id: 'network' is also coded as used (a method is either used or "
            "considered and not coded)",)),
    Broken("form-lever-outside-vocabulary", change(FORM, lambda doc: doc["profile"]["incentive"].update(
        value="maybe")),
           (f"{FORM}: profile.incentive.value: 'maybe' is not allowed (allowed: yes, no, unknown)",)),
    Broken("form-mandate-unknown", change(FORM, lambda doc: doc["profile"]["mandate"].update(value="unknown")),
           (f"{FORM}: profile.mandate.value: 'unknown' is not allowed (allowed: yes, no)",)),
    Broken("form-bad-date", change(FORM, lambda doc: doc["episode"].update(start="November 2016")),
           (f"{FORM}: episode.start: 'November 2016' is not a date (allowed: YYYY or YYYY-MM)",)),
    Broken("form-no-reason", change(FORM, lambda doc: doc["profile"]["kind"].pop("reason")),
           (f"{FORM}: profile.kind.reason: required field is missing",)),
]


@pytest.mark.parametrize("case", CODEBOOK_CORPUS, ids=lambda case: case.id)
def test_each_broken_codebook_names_exactly_its_problems(data_copy, case):
    case.mutate(data_copy)
    collation = spreadlab.load(data_copy)  # the rest of the data is untouched and loads
    with pytest.raises(spreadlab.CollationError) as caught:
        collation.codebook  # noqa: B018 (read on first use)
    assert [str(problem) for problem in caught.value.problems] == list(case.problems)


@pytest.mark.parametrize("case", FORM_CORPUS, ids=lambda case: case.id)
def test_each_broken_coding_form_names_exactly_its_problems(data_copy, case):
    case.mutate(data_copy)
    collation = spreadlab.load(data_copy)
    with pytest.raises(spreadlab.CollationError) as caught:
        collation.codings  # noqa: B018 (read on first use)
    assert [str(problem) for problem in caught.value.problems] == list(case.problems)


def test_validate_lists_codebook_and_form_problems_and_exits_1(data_copy, cli):
    CODEBOOK_CORPUS[3].mutate(data_copy)
    FORM_CORPUS[2].mutate(data_copy)
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 1
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "2 problems in the collation data:",
        f"  {CODEBOOK_CORPUS[3].problems[0]}",
        f"  {FORM_CORPUS[2].problems[0]}",
    ]


def test_the_pilot_forms_are_valid_readings_of_six_programmes(collation):
    pilot = collation.codings["pilot"]
    assert len(pilot) == 6
    assert all(not coding.blind for coding in pilot)  # the author's pilot, never counted as a blind coding
    profiles = {coding.programme_id: coding.profile for coding in pilot}
    assert {profile.kind.value for profile in profiles.values()} >= {"public-campaign", "digital", "service-model",
                                                                       "clinical-practice"}
    assert {profile.spread_lead.value for profile in profiles.values()} >= {"national-body", "local-organisation",
                                                                             "grassroots"}


def _keys(node: object, prefix: str = "") -> set[str]:
    """Every field path of a YAML document, list items read as their first item."""
    if isinstance(node, list):
        return _keys(node[0], prefix) if node else set()
    if not isinstance(node, dict):
        return set()
    return {f"{prefix}{key}" for key in node} | {path for key, value in node.items()
                                                 for path in _keys(value, f"{prefix}{key}.")}


def _model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field path of a record type, nested records (alone or in tuples) included."""
    paths = set()
    for name, info in model.model_fields.items():
        paths.add(f"{prefix}{name}")
        for inner in (info.annotation, *getattr(info.annotation, "__args__", ())):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                paths |= _model_keys(inner, f"{prefix}{name}.")
    return paths


def test_the_blank_form_shows_every_field_a_coding_has_and_no_other():
    form = yaml.safe_load((ROOT / "data" / "coding" / "form.yaml").read_text(encoding="utf-8"))
    assert _keys(form) == _model_keys(Coding)
    assert set(form["profile"]) == set(CodedProfile.model_fields)
