"""guide(): every phase of every plan holds an action, a role, a measure and a risk; every plan holds an evaluation
plan, a communication plan and a route to sustain it; every item shown is a guidance record with a public source;
and the risks shown are those of the methods in the plan."""

from __future__ import annotations

import pytest

import spreadlab
from spreadlab import InterventionProfile
from spreadlab.plan_guide import MEASURE_TYPES

EXAMPLES = sorted((spreadlab.paths.DATA_DIR / "examples" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def guides(collation):
    plans = [spreadlab.plan(collation, InterventionProfile.from_yaml(path)) for path in EXAMPLES]
    plans += [spreadlab.plan(collation, collation.programme_profile(ident), exclude=[ident])
              for ident in collation.library.programme_ids]
    return [spreadlab.guide(collation, plan) for plan in plans]


def test_every_phase_holds_an_action_a_role_a_measure_and_a_risk(guides):
    for guide in guides:
        for phase in guide.phases:
            assert phase.actions and phase.roles and phase.measures and phase.risks, guide.plan.profile.name
            assert not phase.gaps


def test_every_plan_holds_an_evaluation_a_communication_plan_and_a_route_to_sustain(guides):
    for guide in guides:
        assert guide.evaluation and guide.communication and guide.sustain, guide.plan.profile.name


def test_every_item_shown_is_a_sourced_guidance_record(collation, guides):
    records = {item.id: item for item in collation.guidance.items}
    for guide in guides:
        for match in guide.items():
            assert records[match.item.id] is match.item
            assert match.item.source.url.startswith("https://") or match.item.source.url.startswith("http://")


def test_method_risks_and_costs_belong_to_methods_of_the_phase(guides):
    """Limitations are per method, only for methods in the plan (not "social franchising can struggle to last"
    in a plan without social franchising)."""
    for guide in guides:
        for phase in guide.phases:
            for match in (*phase.risks, *phase.costs):
                methods = match.item.when.methods
                assert not methods or set(methods) & set(phase.phase.method_ids)


@pytest.mark.parametrize("kind", ["risk", "action"])
def test_every_planned_method_with_guidance_in_the_data_shows_one_of_its_own(collation, guides, kind):
    """A phase's risks and actions do not all go to its first methods: an incentive planned last still shows its own
    risk (gaming, or the change stopping with the money), and a mandate in hand its own action (drafting the contract
    requirement), which the first 90 days' actions used to crowd out."""
    with_own = {m for item in collation.guidance.items if item.type == kind for m in item.when.methods or ()}
    for guide in guides:
        for phase in guide.phases:
            shown = phase.risks if kind == "risk" else phase.actions
            for method_id in set(phase.phase.method_ids) & with_own:
                assert any(method_id in (match.item.when.methods or ()) for match in shown), (
                    guide.plan.profile.name, phase.phase.name, method_id)


def test_the_first_phase_starts_with_the_first_90_days(guides):
    for guide in guides:
        actions = guide.phases[0].actions
        if any(match.item.first_90_days for match in actions):
            assert actions[0].item.first_90_days


def test_the_plan_has_one_measure_of_each_type_or_says_which_are_missing(guides):
    for guide in guides:
        types = [match.item.measure_type for match in guide.measures]
        assert len(types) == len(set(types))
        missing = {kind for kind in MEASURE_TYPES if kind not in types}
        assert missing == {gap.split(": ")[1] for gap in guide.gaps if gap.startswith("measure: ")}


def test_test_phases_carry_go_no_go_gates_when_evidence_is_emerging(guides):
    for guide in guides:
        if guide.plan.profile.evidence == "emerging":
            for phase in guide.phases:
                if "test" in phase.phase.stages:
                    assert phase.gates


def test_complex_nasss_domains_add_their_actions(collation):
    profile = InterventionProfile.from_yaml(spreadlab.paths.DATA_DIR / "examples" / "profiles"
                                            / "regional-remote-monitoring.yaml")
    guide = spreadlab.guide(collation, spreadlab.plan(collation, profile))
    complex_domains = [d for d, rating in profile.complexity if rating == "complex"]
    assert [domain for domain, _ in guide.domains] == complex_domains
    assert all(actions for _, actions in guide.domains)


def test_communication_runs_from_awareness_to_how_to(guides):
    for guide in guides:
        phases = [match.item.phase for match in guide.communication]
        assert phases == sorted(phases, key=lambda phase: phase != "awareness")
