"""Guidance for plans (`data/guidance/`): the bundled data, the matching rule, the checks on the files, and the
coverage a plan needs: every stage, kind of innovation and lead gets actions, roles, measures and risks; every
method its cost, risk and action; every kind its four types of measure; every lever a lead cannot pull an ask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import spreadlab
from spreadlab.guidance import Conditions, Situation, guidance_for
from spreadlab.vocabulary import (
    COMMUNICATION_PHASES,
    GUIDANCE_TYPES,
    KINDS,
    LEVERS,
    MEASURE_TYPES,
    NASSS_DOMAINS,
    PLAN_STAGES,
    SPREAD_LEADS,
    SUSTAIN_ROUTES,
)

# The programmes kept out of the data for an independent check (DESIGN.md); guidance must not name them either.
HELD_OUT = ("escape-pain", "pincer", "precept", "laparotomy", "productive ward", "releasing time to care", "feno",
            "stop the pressure", "20,000 days", "cancer services collaborative", "national primary care collaborative",
            "expert patients", "e-referral", "rightcare", "whole system demonstrator", "3millionlives",
            "incident response framework", "psirf", "time to change", "butterfly scheme",
            "prime minister's challenge on dementia", "friends and family test", "scottish improvement leader",
            "best practice spotlight", "hospital elder life", "buurtzorg", "kaiser permanente", "patient aligned care",
            "family health strategy")
METHOD_IDS = (
    "national-skills-coaching-programmes", "dedicated-resource-provision", "broad-education-personal-development",
    "innovation-specific-capacity-building", "learning-systems", "network", "co-production-with-end-users",
    "patient-voice-enablement", "honest-broker", "leadership-support-champions", "partner-networks", "collaboratives",
    "demonstrator-sites", "rolling-out", "central-coordination", "competition-crowdsourcing",
    "social-franchising-licensing", "performance-related-funding", "flexible-commercial-deals",
    "regulation-inspection-audit", "contractual-obligation", "national-signals-campaigns",
    "local-needs-identification", "horizon-scanning")
MEASURES = "guidance/measures.yaml"
RISKS = "guidance/risks.yaml"
COSTS = "guidance/costs.yaml"
SOURCES = "guidance/sources.yaml"


def _types(collation, situation: Situation) -> dict[str, tuple]:
    return {kind: guidance_for(collation, kind, situation) for kind in GUIDANCE_TYPES}


def _keyed(collation, type_: str, key: str) -> list:
    """Items of one type whose condition `key` is filled."""
    return [item for item in collation.guidance.items if item.type == type_ and getattr(item.when, key)]


# --- The bundled data -------------------------------------------------------------------------------------------


def test_the_bundled_guidance_loads_every_type_with_a_public_source(collation):
    items = collation.guidance.items
    assert 150 <= len(items) <= 350
    assert {item.type for item in items} == set(GUIDANCE_TYPES)
    assert len({item.id for item in items}) == len(items)
    for item in items:
        assert item.source.url.startswith(("http://", "https://")), item.id
        assert item.source.title and item.source.publisher, item.id
        assert item.provenance in ("collation", "curated"), item.id


def test_guidance_in_the_collations_words_cites_the_collation_and_says_where(collation):
    pages = set(collation.approaches["source_url"]) | {"https://horizonsnhs.com/spread-approaches/"}
    own = [item for item in collation.guidance.items if item.provenance == "collation"]
    assert len(own) >= 10
    assert all(item.source.url in pages for item in own)
    assert all(item.mitigation_source is not None and item.mitigation_source.url not in pages
               for item in own if item.type == "risk"), "a risk's advice is never presented as the collation's"


def test_the_fields_of_each_type_are_filled(collation):
    for item in collation.guidance.items:
        if item.type == "action":
            assert item.first_90_days in (True, False), item.id
        if item.type in ("role", "adopter-segment"):
            assert item.name, item.id
        if item.type == "measure":
            assert item.measure_type in MEASURE_TYPES and item.data_source, item.id
        if item.type == "cost":
            assert item.band in ("low", "medium", "high") and item.who_pays, item.id
        if item.type == "risk":
            assert item.mitigation, item.id
        if item.type == "ask":
            assert item.ask_of, item.id
        if item.type == "communication":
            assert item.phase in COMMUNICATION_PHASES and item.messenger and item.channel, item.id
        if item.type == "sustain":
            assert item.route in SUSTAIN_ROUTES, item.id


def test_every_programme_named_is_in_the_library_with_a_note(collation):
    linked = [item for item in collation.guidance.items if item.programme_id]
    assert len(linked) >= 15
    library = set(collation.programmes["programme_id"])
    assert all(item.programme_id in library and item.programme_note for item in linked)


def test_the_programmes_kept_aside_for_an_independent_check_are_not_named(collation):
    folder = collation.data_dir / "guidance"
    text = " ".join(path.read_text(encoding="utf-8").lower() for path in sorted(folder.glob("*.yaml")))
    assert text.count("items:") == len(GUIDANCE_TYPES), "the check reads every guidance file"
    assert not [name for name in HELD_OUT if name in text]


def test_a_method_cost_agrees_with_the_resources_recorded_for_the_method(collation):
    levels = dict(zip(collation.method_summary["method_id"], collation.method_summary["resources"], strict=True))
    costs = [item for item in collation.guidance.items if item.type == "cost" and len(item.when.methods) == 1]
    assert len(costs) == len(levels)
    assert all(item.band == levels[item.when.methods[0]] for item in costs)


# --- The matching rule ------------------------------------------------------------------------------------------


def test_an_item_without_conditions_applies_to_every_situation():
    assert Conditions().match(Situation()) == ()
    assert Conditions().match(Situation(kind="digital", stages=frozenset({"test"}))) == ()


def test_list_keys_need_a_shared_value_and_say_which_matched():
    conditions = Conditions(methods=("network", "collaboratives"), stages=("spread",))
    assert conditions.match(Situation(method_ids=frozenset({"collaboratives", "rolling-out"}),
                                      stages=frozenset({"spread", "sustain"}))) == (
        ("methods", ("collaboratives",)), ("stages", ("spread",)))
    assert conditions.match(Situation(method_ids=frozenset({"rolling-out"}), stages=frozenset({"spread"}))) is None
    assert conditions.match(Situation(stages=frozenset({"spread"}))) is None, "no methods in the plan: no match"


def test_a_value_the_profile_does_not_know_matches_no_filled_key():
    digital = Conditions(kinds=("digital",))
    assert digital.match(Situation(kind="digital")) == (("kinds", ("digital",)),)
    assert digital.match(Situation(kind="medicines")) is None
    assert digital.match(Situation()) is None, "a profile without a kind gets no digital risks"
    assert Conditions(evidence=("emerging",)).match(Situation()) is None


def test_levers_in_hand_all_apply_and_levers_not_in_hand_none_do():
    needs = Conditions(levers_in_hand=("mandate", "contract"))
    assert needs.match(Situation(levers_in_hand=frozenset({"mandate", "contract", "incentive"}))) is not None
    assert needs.match(Situation(levers_in_hand=frozenset({"mandate"}))) is None
    ask = Conditions(levers_not_in_hand=("contract", "incentive"))
    assert ask.match(Situation()) == (("levers_not_in_hand", ("contract", "incentive")),), \
        "a lever the profile does not declare counts as not in hand"
    assert ask.match(Situation(levers_in_hand=frozenset({"incentive"}))) is None


def test_matches_come_most_specific_first_then_in_the_data_order(collation):
    situation = Situation(method_ids=frozenset({"social-franchising-licensing"}), stages=frozenset({"spread"}),
                          kind="digital", spread_lead="grassroots", evidence="proven")
    matches = guidance_for(collation, "risk", situation)
    sizes = [match.specificity for match in matches]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] >= 1 and sizes[-1] == 0
    order = {item.id: position for position, item in enumerate(collation.guidance.items)}
    for size in set(sizes):
        same = [order[match.item.id] for match in matches if match.specificity == size]
        assert same == sorted(same)
    staged = [match for match in matches if match.because and all(key == "stages" for key, _ in match.because)]
    assert staged and all(match.specificity == 0 for match in staged), "a stage alone does not make an item specific"


def test_asking_for_a_type_that_does_not_exist_names_the_types(collation):
    with pytest.raises(ValueError, match=r"unknown guidance type 'measures' \(allowed: action, role, adopter-segment"):
        guidance_for(collation, "measures", Situation())


def test_method_limitations_appear_only_for_methods_in_the_plan(collation):
    franchising = "risk-franchise-may-not-last"
    with_it = Situation(method_ids=frozenset({"social-franchising-licensing"}))
    without = Situation(method_ids=frozenset({"rolling-out", "network"}))
    assert franchising in {match.item.id for match in guidance_for(collation, "risk", with_it)}
    assert franchising not in {match.item.id for match in guidance_for(collation, "risk", without)}


def test_a_situation_from_a_profile_reads_levers_and_complex_domains():
    profile = spreadlab.InterventionProfile.from_dict({
        "name": "Remote monitoring", "audience_scale": "regional", "motivators": "mixed", "energy_for_change": "medium",
        "timescale_months": 24, "resources": "medium", "evidence": "emerging", "kind": "digital",
        "setting": "community", "spread_lead": "regional-body", "mandate": "no", "incentive": "yes",
        "central_funding": "yes",
        "complexity": {"condition": "complicated", "technology": "complex", "value_proposition": "complex",
                       "adopters": "complicated", "organisations": "complicated", "wider_system": "simple",
                       "embedding": "complicated"},
    })
    situation = Situation.from_profile(profile, method_ids=["demonstrator-sites"], stages=["test"])
    assert situation.levers_in_hand == {"incentive", "central_funding"}
    assert situation.complex_domains == {"technology", "value_proposition"}
    assert (situation.kind, situation.setting, situation.spread_lead, situation.evidence) == (
        "digital", "community", "regional-body", "emerging")
    assert situation.method_ids == {"demonstrator-sites"} and situation.stages == {"test"}


# --- Coverage ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lead", SPREAD_LEADS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_stage_kind_and_lead_gets_actions_roles_measures_and_risks(collation, kind, lead):
    for stage in PLAN_STAGES:
        found = _types(collation, Situation(stages=frozenset({stage}), kind=kind, spread_lead=lead))
        empty = [type_ for type_ in ("action", "role", "measure", "risk") if not found[type_]]
        assert not empty, f"{stage}, {kind}, {lead}: nothing of {empty}"


def test_every_stage_and_lead_has_guidance_of_its_own(collation):
    for stage in PLAN_STAGES:
        assert [item for item in _keyed(collation, "action", "stages") if stage in item.when.stages], stage
    for lead in SPREAD_LEADS:
        for type_ in ("action", "risk"):
            assert [item for item in _keyed(collation, type_, "leads") if lead in item.when.leads], (lead, type_)


@pytest.mark.parametrize("method_id", METHOD_IDS)
def test_every_method_has_its_own_cost_risk_and_action(collation, method_id):
    for type_ in ("cost", "risk", "action"):
        own = [item for item in _keyed(collation, type_, "methods") if method_id in item.when.methods]
        assert own, f"{method_id}: no {type_} of its own"
    situation = Situation(method_ids=frozenset({method_id}))
    cost = [match.item for match in guidance_for(collation, "cost", situation) if match.because]
    assert cost and all(item.band and item.who_pays for item in cost)


def test_the_coverage_walks_every_recorded_method(collation):
    assert set(METHOD_IDS) == set(collation.methods["method_id"])


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_measures_of_all_four_types_and_risks_of_its_own(collation, kind):
    measures = {item.measure_type for item in _keyed(collation, "measure", "kinds") if kind in item.when.kinds}
    assert measures == set(MEASURE_TYPES), f"{kind}: measures of {sorted(measures)} only"
    risks = [item for item in _keyed(collation, "risk", "kinds") if kind in item.when.kinds]
    assert len(risks) >= 2, f"{kind}: {len(risks)} risk(s) of its own"


@pytest.mark.parametrize(("situation", "expected"), [
    (Situation(kind="digital"), {"risk-digital-exclusion", "risk-digital-governance"}),
    (Situation(method_ids=frozenset({"performance-related-funding"})), {"risk-incentive-gaming"}),
    (Situation(kind="service-model"), {"risk-service-workforce"}),
    (Situation(), {"risk-no-staff-time"}),
], ids=["digital exclusion and governance", "incentive gaming", "workforce for a new service", "staff time"])
def test_the_risks_leaders_expect_are_there(collation, situation, expected):
    assert expected <= {match.item.id for match in guidance_for(collation, "risk", situation)}


@pytest.mark.parametrize("lead", SPREAD_LEADS)
def test_every_lever_a_lead_does_not_hold_becomes_an_ask_naming_whom_to_ask(collation, lead):
    # A national body can set a mandate itself; everyone else must ask for one, and for a national signal.
    cannot_pull = [lever for lever in LEVERS if not (lead == "national-body" and lever == "mandate")]
    for lever in cannot_pull:
        situation = Situation(spread_lead=lead, evidence="proven")
        asks = [match.item for match in guidance_for(collation, "ask", situation)
                if lever in match.item.when.levers_not_in_hand]
        assert asks and all(item.ask_of for item in asks), f"{lead}: no ask for {lever}"
        held = Situation(spread_lead=lead, evidence="proven", levers_in_hand=frozenset({lever}))
        assert not [match for match in guidance_for(collation, "ask", held)
                    if lever in match.item.when.levers_not_in_hand], f"{lead}: asks for {lever} it already holds"
    signal = {match.item.id for match in guidance_for(collation, "ask", Situation(spread_lead=lead))}
    assert ("ask-national-priority" in signal) == (lead != "national-body")


@pytest.mark.parametrize("domain", NASSS_DOMAINS)
def test_every_nasss_domain_rated_complex_adds_actions(collation, domain):
    situation = Situation(complex_domains=frozenset({domain}))
    own = [match for match in guidance_for(collation, "action", situation) if match.because]
    assert len(own) >= 2 and all(match.because == (("domains", (domain,)),) for match in own)


def test_evaluation_gates_communication_and_sustain_cover_what_a_plan_needs(collation):
    for evidence in ("proven", "emerging"):
        evaluation = guidance_for(collation, "evaluation", Situation(evidence=evidence, stages=frozenset({"test"})))
        assert [match for match in evaluation if ("evidence", (evidence,)) in match.because], evidence
    gates = guidance_for(collation, "gate", Situation(evidence="emerging", stages=frozenset({"test"})))
    assert {"gate-evidence-before-spread", "gate-effect-against-comparison"} <= {m.item.id for m in gates}
    phases = {match.item.phase for match in guidance_for(collation, "communication", Situation(
        stages=frozenset(PLAN_STAGES)))}
    assert phases == set(COMMUNICATION_PHASES)
    sustain = Situation(stages=frozenset({"sustain"}),
                        method_ids=frozenset({"contractual-obligation", "social-franchising-licensing"}))
    routes = {match.item.route for match in guidance_for(collation, "sustain", sustain)}
    assert {"commissioning", "contract", "tariff", "ownership"} <= routes


# --- Checks on the files ----------------------------------------------------------------------------------------


Mutation = Callable[[Path], None]


def _edit(name: str, edit: Callable[[dict], object]) -> Mutation:
    def mutate(data: Path) -> None:
        document = yaml.safe_load((data / name).read_text(encoding="utf-8"))
        edit(document)
        (data / name).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return mutate


def _item(name: str, ident: str, **changes: object) -> Mutation:
    def edit(document: dict) -> None:
        (item,) = [item for item in document["items"] if item["id"] == ident]
        for key, value in changes.items():
            if value is None:
                item.pop(key, None)
            else:
                item[key] = value

    return _edit(name, edit)


def _guidance_problems(data: Path) -> list[str]:
    collation = spreadlab.load(data)  # guidance is read on first use, after the rest has loaded
    with pytest.raises(spreadlab.CollationError) as caught:
        _ = collation.guidance
    return [str(problem) for problem in caught.value.problems]


CASES = [
    ("unknown field", _item(MEASURES, "measure-main-outcome", colour="blue"),
     [f"{MEASURES}: items[measure-main-outcome]: colour: unknown field"]),
    ("value outside a vocabulary", _item(MEASURES, "measure-main-outcome", measure_type="impact"),
     [f"{MEASURES}: items[measure-main-outcome]: measure_type: 'impact' is not allowed "
      "(allowed: adoption, fidelity, outcome, balancing)"]),
    ("kind outside the vocabulary", _item(RISKS, "risk-digital-exclusion", when={"kinds": ["software"]}),
     [f"{RISKS}: items[risk-digital-exclusion]: when.kinds.0: 'software' is not allowed (allowed: digital, medtech, "
      "medicines, clinical-practice, service-model, reconfiguration, public-campaign, capability)"]),
    ("unknown method", _item(RISKS, "risk-franchise-may-not-last", when={"methods": ["franchising"]}),
     [f"{RISKS}: items[risk-franchise-may-not-last]: when.methods: 'franchising' is not a recorded method id"]),
    ("curated item without its source", _item(MEASURES, "measure-main-outcome", source=None),
     [f"{MEASURES}: items[measure-main-outcome]: source: required field is missing"]),
    ("source not in the registry", _item(MEASURES, "measure-main-outcome", source="a-blog"),
     [f"{MEASURES}: items[measure-main-outcome]: source: 'a-blog' is not a source in {SOURCES}"]),
    ("collation provenance citing another document", _item(MEASURES, "measure-main-outcome", provenance="collation"),
     [f"{MEASURES}: items[measure-main-outcome]: provenance: collation guidance must cite a page of the collation "
      "(allowed: the landing page or an approach page)"]),
    ("collation risk without the source of its advice",
     _item(RISKS, "risk-franchise-may-not-last", mitigation_source=None),
     [f"{RISKS}: items[risk-franchise-may-not-last]: mitigation_source: a risk in the collation's words needs the "
      "source of its mitigation"]),
    ("unknown programme", _item(RISKS, "risk-deal-without-uptake", programme_id="escape-pain"),
     [f"{RISKS}: items[risk-deal-without-uptake]: programme_id: 'escape-pain' is not a programme of the library"]),
    ("programme without its note", _item(RISKS, "risk-deal-without-uptake", programme_note=None),
     [f"{RISKS}: items[risk-deal-without-uptake]: programme_note: programme_id and programme_note go together "
      "(give both or neither)"]),
    ("lever both in hand and not", _item(RISKS, "risk-no-staff-time",
                                         when={"levers_in_hand": ["contract"], "levers_not_in_hand": ["contract"]}),
     [f"{RISKS}: items[risk-no-staff-time]: when: contract cannot be both in hand and not in hand"]),
    ("a key listing a value twice", _item(RISKS, "risk-no-staff-time", when={"stages": ["test", "test"]}),
     [f"{RISKS}: items[risk-no-staff-time]: when.stages: 'test' listed more than once"]),
    ("cost band unlike the method's resources", _item(COSTS, "cost-network", band="high"),
     [f"{COSTS}: items[cost-network]: band: 'high' differs from the resources level 'low' recorded for method "
      "'network' (allowed: low)"]),
    ("duplicate id across files", _item(RISKS, "risk-no-staff-time", id="measure-main-outcome"),
     [f"{MEASURES}: items[measure-main-outcome]: id: duplicate guidance id 'measure-main-outcome'",
      f"{RISKS}: items[measure-main-outcome]: id: duplicate guidance id 'measure-main-outcome'"]),
    ("uncited source", _edit(SOURCES, lambda doc: doc["sources"].append(
        {"id": "a-report", "title": "A report", "publisher": "Someone", "url": "https://example.org/report"})),
     [f"{SOURCES}: sources[a-report]: is not cited by any guidance item"]),
    ("a file that is not guidance", lambda data: (data / "guidance" / "notes.yaml").write_text("x: 1\n"),
     ["guidance/notes.yaml: is not a guidance file (allowed: sources.yaml, actions.yaml, roles.yaml, "
      "adopter-segments.yaml, measures.yaml, gates.yaml, costs.yaml, risks.yaml, asks.yaml, evaluation.yaml, "
      "communication.yaml, sustain.yaml)"]),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[case[0] for case in CASES])
def test_each_broken_guidance_file_names_exactly_its_problems(data_copy, name, mutate, expected):
    mutate(data_copy)
    assert sorted(_guidance_problems(data_copy)) == sorted(expected)


def test_a_data_folder_from_before_guidance_loads_with_none(data_copy):
    for path in (data_copy / "guidance").glob("*.yaml"):
        path.unlink()
    (data_copy / "guidance").rmdir()
    collation = spreadlab.load(data_copy)
    assert collation.guidance.items == ()
    assert guidance_for(collation, "action", Situation()) == ()


def test_validate_lists_guidance_problems_with_the_rest(data_copy, cli):
    _item(MEASURES, "measure-main-outcome", measure_type="impact")(data_copy)
    _item(COSTS, "cost-network", band="high")(data_copy)
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 1
    assert "items[measure-main-outcome]: measure_type: 'impact' is not allowed" in done.stderr
    assert "Traceback" not in done.stderr
    _item(MEASURES, "measure-main-outcome", measure_type="outcome")(data_copy)
    _item(COSTS, "cost-network", band="low")(data_copy)
    fixed = cli("validate", "--data", data_copy)
    assert fixed.returncode == 0, fixed.stderr
    assert f"{len(spreadlab.load(data_copy).guidance.items)} guidance items" in fixed.stdout
