"""A corpus of broken data folders: each one names the file, record, field, problem and allowed values.

Every case copies the bundled data and breaks one thing, then checks the exact problem lines a user reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import spreadlab
from spreadlab.errors import Problem

PILOTING = "approaches/3-piloting-rolling-out.yaml"
NETWORKING = "approaches/2-networking.yaml"
COORDINATING = "approaches/4-coordinating.yaml"
INVESTING = "approaches/5-investing-incentivising.yaml"
AF = "case_examples/atrial-fibrillation.yaml"
TCAM = "case_examples/transfer-of-care-around-medicines.yaml"

Mutation = Callable[[Path], None]


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def change(name: str, edit: Callable[[dict], object]) -> Mutation:
    """Edit the parsed YAML of one file and write it back."""

    def mutate(data: Path) -> None:
        document = _read(data / name)
        edit(document)
        (data / name).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return mutate


def replace(name: str, content: str | bytes) -> Mutation:
    """Replace one file's whole content (text, or raw bytes)."""

    def mutate(data: Path) -> None:
        if isinstance(content, bytes):
            (data / name).write_bytes(content)
        else:
            (data / name).write_text(content, encoding="utf-8")

    return mutate


def substitute(name: str, old: str, new: str) -> Mutation:
    """Replace one piece of a file's text (for what a YAML round trip cannot express)."""

    def mutate(data: Path) -> None:
        text = (data / name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        (data / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def delete(name: str) -> Mutation:
    return lambda data: (data / name).unlink()


def empty_folder(name: str) -> Mutation:
    def mutate(data: Path) -> None:
        for path in (data / name).glob("*.yaml"):
            path.unlink()

    return mutate


def copy_network_method_into_investing(data: Path) -> None:
    network = _read(data / NETWORKING)["methods"][0]
    change(INVESTING, lambda doc: doc["methods"].append(network))(data)


def method(index: int, **fields) -> Callable[[dict], object]:
    return lambda doc: doc["methods"][index].update(fields)


def phase(index: int, **fields) -> Callable[[dict], object]:
    return lambda doc: doc["phases"][index].update(fields)


@dataclass(frozen=True)
class Broken:
    """One way of breaking the data and the exact problem lines it must produce."""

    id: str
    mutate: Mutation
    problems: tuple[str, ...]


CORPUS = [
    Broken(
        "missing-field",
        change(PILOTING, lambda doc: doc.pop("definition")),
        (f"{PILOTING}: piloting-rolling-out: definition: required field is missing",),
    ),
    Broken(
        "bad-enum-level",
        change(PILOTING, lambda doc: doc["characteristics"]["central_standardisation"].update(value="very high")),
        (f"{PILOTING}: piloting-rolling-out: characteristics.central_standardisation.value: "
         "'very high' is not allowed (allowed: low, medium, high)",),
    ),
    Broken(
        "bad-enum-motivation",
        change(PILOTING, lambda doc: doc["characteristics"]["motivation"].update(value="money")),
        (f"{PILOTING}: piloting-rolling-out: characteristics.motivation.value: "
         "'money' is not allowed (allowed: extrinsic, intrinsic, mixed)",),
    ),
    Broken(
        "bad-provenance",
        change(PILOTING, lambda doc: doc["strengths"][0].update(provenance="hearsay")),
        (f"{PILOTING}: piloting-rolling-out: strengths[1]: provenance: "
         "'hearsay' is not allowed (allowed: collation, collation-summary, curated)",),
    ),
    Broken(
        "bad-stage",
        change(PILOTING, lambda doc: doc["methods"][0]["considerations"]["stage"].update(values=["scale-up"])),
        (f"{PILOTING}: piloting-rolling-out: methods[demonstrator-sites]: considerations.stage.values.0: "
         "'scale-up' is not allowed (allowed: prototype-testing, spread, adoption-scale)",),
    ),
    Broken(
        "bad-timeframe",
        change(PILOTING, lambda doc: doc["methods"][1]["considerations"]["timeframe"].update(value="soon")),
        (f"{PILOTING}: piloting-rolling-out: methods[rolling-out]: considerations.timeframe.value: "
         "'soon' is not allowed (allowed: short, medium, long, variable)",),
    ),
    Broken(
        "duplicate-method-id-across-files",
        copy_network_method_into_investing,
        (f"{NETWORKING}: network: id: duplicate method id 'network'",
         f"{INVESTING}: network: id: duplicate method id 'network'"),
    ),
    Broken(
        "duplicate-approach-order",
        change(COORDINATING, lambda doc: doc.update(order=3)),
        (f"{PILOTING}: piloting-rolling-out: order: duplicate order 3",
         f"{COORDINATING}: coordinating: order: duplicate order 3"),
    ),
    Broken(
        "duplicate-case-id",
        change(TCAM, lambda doc: doc.update(id="atrial-fibrillation")),
        (f"{AF}: atrial-fibrillation: id: duplicate case example id 'atrial-fibrillation'",
         f"{TCAM}: atrial-fibrillation: id: duplicate case example id 'atrial-fibrillation'"),
    ),
    Broken(
        "duplicate-phase-order",
        change(AF, phase(1, order=1)),
        (f"{AF}: atrial-fibrillation: phases[1]: order: duplicate phase order 1",),
    ),
    Broken(
        "dangling-case-phase-method",
        change(AF, lambda doc: doc["phases"][0]["method_ids"].append("telepathy")),
        (f"{AF}: atrial-fibrillation: phases[1]: method_ids: 'telepathy' is not a recorded method id",),
    ),
    Broken(
        "dangling-collation-mention",
        change(TCAM, lambda doc: doc["collation_mentions"][0].update(method_id="contract")),
        (f"{TCAM}: transfer-of-care-around-medicines: collation_mentions: method_id: "
         "'contract' is not a recorded method id",),
    ),
    Broken(
        "wrong-type-number",
        change(PILOTING, lambda doc: doc.update(methods_stated="two")),
        (f"{PILOTING}: piloting-rolling-out: methods_stated: input should be a valid integer (got str 'two')",),
    ),
    Broken(
        "wrong-type-yes-is-not-a-number",
        substitute(PILOTING, "\norder: 3\n", "\norder: yes\n"),  # YAML reads `yes` as true
        (f"{PILOTING}: piloting-rolling-out: order: input should be a valid integer (got bool True)",),
    ),
    Broken(
        "wrong-type-list",
        change(PILOTING, lambda doc: doc.update(strengths="many")),
        (f"{PILOTING}: piloting-rolling-out: strengths: input should be a valid tuple (got str 'many')",),
    ),
    Broken(
        "empty-text",
        change(PILOTING, method(0, name="  ")),
        (f"{PILOTING}: piloting-rolling-out: methods[demonstrator-sites]: name: must not be empty",),
    ),
    Broken(
        "bad-id",
        change(PILOTING, method(0, id="Demonstrator Sites")),
        (f"{PILOTING}: piloting-rolling-out: methods[Demonstrator Sites]: id: 'Demonstrator Sites' is not an id "
         "(allowed: lowercase words joined by hyphens, e.g. demonstrator-sites)",),
    ),
    Broken(
        "bad-web-address",
        change(PILOTING, lambda doc: doc.update(source_url="horizonsnhs.com/spread")),
        (f"{PILOTING}: piloting-rolling-out: source_url: "
         "'horizonsnhs.com/spread' is not a web address (allowed: http:// or https:// addresses)",),
    ),
    Broken(
        "empty-file",
        replace("glossary.yaml", ""),
        ("glossary.yaml: file is empty",),
    ),
    Broken(
        "not-yaml-tab",
        replace(PILOTING, "id: piloting-rolling-out\nname: Piloting and rolling out\n\torder: 3\n"),
        (f"{PILOTING}: is not valid YAML at line 3, column 1: found a tab character that violates indentation",),
    ),
    Broken(
        "not-yaml-colon",
        replace(PILOTING, "id: piloting-rolling-out\nname: Piloting: and rolling out\norder: 3\n"),
        (f"{PILOTING}: is not valid YAML at line 2, column 15: mapping values are not allowed in this context",),
    ),
    Broken(
        "unknown-field",
        change(PILOTING, method(0, colour="blue")),
        (f"{PILOTING}: piloting-rolling-out: methods[demonstrator-sites]: colour: unknown field",),
    ),
    Broken(
        "curated-without-rationale",
        change(PILOTING, lambda doc: doc["characteristics"]["motivation"].pop("rationale")),
        (f"{PILOTING}: piloting-rolling-out: characteristics.motivation: "
         "curated values need a rationale or a source_url saying where they come from",),
    ),
    Broken(
        "collation-summary-without-source",
        change(PILOTING, method(1, provenance="collation-summary")),
        (f"{PILOTING}: piloting-rolling-out: methods[rolling-out]: "
         "collation-summary values need the summary's source_url",),
    ),
    Broken(
        "more-methods-than-stated",
        change(PILOTING, lambda doc: doc.update(methods_stated=1)),
        (f"{PILOTING}: piloting-rolling-out: records 2 methods but methods_stated is 1",),
    ),
    Broken(
        "bad-date-format",
        change(AF, phase(0, start="March 2017")),
        (f"{AF}: atrial-fibrillation: phases[1]: start: 'March 2017' is not a date (allowed: YYYY or YYYY-MM)",),
    ),
    Broken(
        "bad-month",
        change(AF, lambda doc: doc.update(period_end="2020-13")),
        (f"{AF}: atrial-fibrillation: period_end: '2020-13' is not a date (allowed: YYYY or YYYY-MM)",),
    ),
    Broken(
        "end-before-start",
        change(AF, phase(1, start="2018-04", end="2018-01")),
        (f"{AF}: atrial-fibrillation: phases[2]: end 2018-01 is before start 2018-04",),
    ),
    Broken(
        "missing-glossary-file",
        delete("glossary.yaml"),
        ("glossary.yaml: file is missing",),
    ),
    Broken(
        "not-a-mapping",
        replace("complexity.yaml", "- simple\n- complicated\n- complex\n"),
        ("complexity.yaml: must hold a mapping of fields, not a list",),
    ),
    Broken(
        "too-few-nasss-domains",
        change("complexity.yaml", lambda doc: doc["domains"].pop()),
        ("complexity.yaml: domains: needs at least 7 items (got 6)",),
    ),
    Broken(
        "empty-approaches-folder",
        empty_folder("approaches"),
        ("approaches/: no .yaml files found",),
    ),
    Broken(
        "non-utf8-file",
        replace("glossary.yaml", "terms:\n  - term: Café\n".encode("latin-1")),
        ("glossary.yaml: the data file is not UTF-8 text (byte 0xe9 at position 20)",),
    ),
]


def _problems(data: Path) -> spreadlab.CollationError:
    with pytest.raises(spreadlab.CollationError) as caught:
        spreadlab.load(data)
    return caught.value


def test_the_corpus_is_large_enough_and_each_case_is_named_once():
    assert len(CORPUS) >= 15
    assert len({case.id for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_each_broken_folder_names_exactly_its_problems(data_copy, case):
    case.mutate(data_copy)
    error = _problems(data_copy)
    assert [str(problem) for problem in error.problems] == list(case.problems)
    count = len(case.problems)
    message = str(error)
    assert message.startswith(f"{count} problem{'s' if count > 1 else ''} in the collation data:\n")
    for line in case.problems:
        assert f"\n  {line}" in message


def test_a_problem_has_its_parts_as_fields(data_copy):
    change(PILOTING, lambda doc: doc["characteristics"]["central_standardisation"].update(value="very high"))(
        data_copy
    )
    (problem,) = _problems(data_copy).problems
    assert problem == Problem(
        file=PILOTING,
        record="piloting-rolling-out",
        field="characteristics.central_standardisation.value",
        problem="'very high' is not allowed (allowed: low, medium, high)",
    )


def test_every_problem_in_every_file_is_listed_in_one_error(data_copy):
    mutations = [
        change(PILOTING, lambda doc: doc["characteristics"]["central_standardisation"].update(value="very high")),
        change(PILOTING, method(0, colour="blue")),
        change(COORDINATING, lambda doc: doc.pop("definition")),
        change(AF, phase(0, start="March 2017")),
        delete("glossary.yaml"),
        replace("complexity.yaml", "- simple\n"),
    ]
    for mutate in mutations:
        mutate(data_copy)
    error = _problems(data_copy)
    assert [str(problem) for problem in error.problems] == [
        f"{PILOTING}: piloting-rolling-out: characteristics.central_standardisation.value: "
        "'very high' is not allowed (allowed: low, medium, high)",
        f"{PILOTING}: piloting-rolling-out: methods[demonstrator-sites]: colour: unknown field",
        f"{COORDINATING}: coordinating: definition: required field is missing",
        f"{AF}: atrial-fibrillation: phases[1]: start: 'March 2017' is not a date (allowed: YYYY or YYYY-MM)",
        "glossary.yaml: file is missing",
        "complexity.yaml: must hold a mapping of fields, not a list",
    ]
    assert str(error).startswith("6 problems in the collation data:")


def test_cross_file_problems_are_listed_with_the_file_problems(data_copy):
    change(COORDINATING, lambda doc: doc.update(order=3))(data_copy)
    change(TCAM, lambda doc: doc["phases"][0]["method_ids"].append("telepathy"))(data_copy)
    replace("glossary.yaml", "")(data_copy)
    lines = [str(problem) for problem in _problems(data_copy).problems]
    assert sorted(lines) == sorted([
        "glossary.yaml: file is empty",
        f"{PILOTING}: piloting-rolling-out: order: duplicate order 3",
        f"{COORDINATING}: coordinating: order: duplicate order 3",
        f"{TCAM}: transfer-of-care-around-medicines: phases[1]: method_ids: 'telepathy' is not a recorded method id",
    ])


def test_an_unreadable_approach_file_does_not_make_its_methods_look_missing(data_copy):
    replace(PILOTING, "id: piloting-rolling-out\n\torder: 3\n")(data_copy)
    lines = [str(problem) for problem in _problems(data_copy).problems]
    assert len(lines) == 1, "case examples naming demonstrator-sites or rolling-out are not blamed"
    assert lines[0].startswith(f"{PILOTING}: is not valid YAML at line 2")


def test_a_fixed_folder_loads_again(data_copy):
    original = (data_copy / PILOTING).read_bytes()
    change(PILOTING, lambda doc: doc.pop("definition"))(data_copy)
    _problems(data_copy)
    (data_copy / PILOTING).write_bytes(original)
    assert len(spreadlab.load(data_copy).methods) == 24


def test_the_advice_rules_are_checked_with_the_same_messages_when_first_read(data_copy):
    replace("rules.yaml", "plan: heavy\n")(data_copy)
    collation = spreadlab.load(data_copy)  # the rules are read on first use, not by load()
    with pytest.raises(spreadlab.CollationError) as caught:
        _ = collation.rules
    lines = [str(problem) for problem in caught.value.problems]
    assert "rules.yaml: plan: input should be a dictionary or an instance of PlanRule (got str 'heavy')" in lines
    assert "rules.yaml: advice: required field is missing" in lines
    delete("rules.yaml")(data_copy)
    with pytest.raises(spreadlab.CollationError, match="rules.yaml: file is missing"):
        _ = spreadlab.load(data_copy).rules


def test_the_advice_rules_name_only_recorded_methods_levers_and_fields(data_copy):
    path = data_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("methods: [performance-related-funding]", "methods: [pay-for-it]")
    text = text.replace("  - lever: regulation\n", "  - lever: goodwill\n").replace("    kind: 8", "    kindness: 8")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(spreadlab.CollationError) as caught:
        _ = spreadlab.load(data_copy).rules
    lines = [str(problem) for problem in caught.value.problems]
    assert "rules.yaml: levers[1]: methods: unknown method id 'pay-for-it'" in lines
    assert ("rules.yaml: levers[3]: lever: unknown lever 'goodwill' (allowed: mandate, incentive, contract, "
            "regulation)") in lines
    assert any(line.startswith("rules.yaml: alike: fields.kindness: unknown field (allowed: kind, setting")
               for line in lines)
