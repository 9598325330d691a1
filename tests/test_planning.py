"""plan(): the levers in hand and the likeliest methods in phases over the months available, with sequencing that
always holds — checked on every example profile, every library profile (each left out of its own advice) and
random profiles."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spreadlab
from profile_strategies import profile_dicts
from spreadlab import InterventionProfile
from spreadlab.planning import edited
from spreadlab.vocabulary import PLAN_STAGES

EXAMPLES = sorted((spreadlab.paths.DATA_DIR / "examples" / "profiles").glob("*.yaml"))
CAPABILITY = {"innovation-specific-capacity-building", "national-skills-coaching-programmes",
              "broad-education-personal-development", "dedicated-resource-provision"}
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)
TIMESCALES = st.one_of(st.integers(1, 6), st.integers(1, 120))


def example_plans(collation):
    return [spreadlab.plan(collation, InterventionProfile.from_yaml(path)) for path in EXAMPLES]


@pytest.fixture(scope="module")
def every_plan(collation):
    """The plan of every example profile and of every library programme's profile, left out of its own advice."""
    library = [spreadlab.plan(collation, collation.programme_profile(ident), exclude=[ident])
               for ident in collation.library.programme_ids]
    return example_plans(collation) + library


def assert_sequencing_holds(plan, rules):
    stage_of = {p.method_id: phase.stages for phase in plan.phases for p in phase.planned}
    stages = [stage for phase in plan.phases for stage in phase.stages]
    assert stages == sorted(stages, key=PLAN_STAGES.index) and len(set(stages)) == len(stages)
    assert len(stage_of) == len(plan.method_ids) <= rules.plan.methods
    assert "demonstrator-sites" not in stage_of or "test" in stage_of["demonstrator-sites"]
    for method in CAPABILITY & set(stage_of):
        assert stage_of[method] != ("sustain",)
    for method in {"national-signals-campaigns", "contractual-obligation"} & set(stage_of):
        assert "prepare" in stage_of[method]
    profile = plan.profile
    if profile.mandate == "yes" and profile.evidence == "proven":
        assert "test" not in stages and "demonstrator-sites" not in stage_of
    phases = plan.phases
    assert phases[0].start_month == 1 and phases[-1].end_month == profile.timescale_months
    assert all(a.end_month + 1 == b.start_month for a, b in itertools.pairwise(phases))
    assert all(phase.planned for phase in phases)


def test_preparing_never_takes_the_months_of_a_missing_phase(collation, every_plan):
    """A plan with no test or sustain phase spreads for longer; its preparation keeps its own share (a local plan
    once spent 10 of 36 months preparing because its sustain phase was empty)."""
    share = next(phase.share for phase in collation.rules.plan.phases if phase.id == "prepare")
    checked = 0
    for plan in every_plan:
        first, months = plan.phases[0], plan.profile.timescale_months
        if first.stages == ("prepare",) and len(plan.phases) > 1:
            checked += 1
            assert first.end_month <= max(1, math.ceil(months * share)), (plan.profile.name, first.end_month)
    assert checked > 50


def test_sequencing_holds_for_every_example_and_library_profile(collation, every_plan):
    for plan in every_plan:
        assert_sequencing_holds(plan, collation.rules)


@PROPERTY_SETTINGS
@given(values=profile_dicts(timescales=TIMESCALES))
def test_sequencing_holds_for_any_profile(collation, values):
    assert_sequencing_holds(spreadlab.plan(collation, InterventionProfile.from_dict(values)), collation.rules)


def test_levers_in_hand_are_planned_when_their_rule_says(collation, every_plan):
    """A mandate or an incentive in hand is always planned; a contract route or a regulator when at least the
    rule's share of programmes in this situation used it."""
    for plan in every_plan:
        planned = set(plan.method_ids)
        for rule in collation.rules.levers:
            if getattr(plan.profile, rule.lever) != "yes":
                continue
            for method in rule.methods:
                advice = plan.advice.method(method)
                if advice.lever == rule.lever and advice.chance >= rule.min_chance:
                    assert method in planned, (plan.profile.name, rule.lever)


def test_emerging_evidence_tests_first_and_says_so_only_when_it_does(collation, every_plan):
    for plan in every_plan:
        codes = {n.code: n for n in plan.notices}
        if plan.profile.evidence != "emerging":
            assert "tests-first" not in codes and "no-test-method" not in codes
            continue
        test_phase = next((p for p in plan.phases if "test" in p.stages), None)
        if "tests-first" in codes:
            assert test_phase is not None and test_phase.order <= 2
            assert set(codes["tests-first"].facts["methods"]) <= set(test_phase.methods)
        else:
            assert "no-test-method" in codes
            assert test_phase is None or "demonstrator-sites" not in test_phase.method_ids


def test_the_no_pilot_notice_is_true_of_the_plan(collation, every_plan):
    for plan in every_plan:
        said = any(n.code == "no-test-phase" for n in plan.notices)
        assert said == (plan.profile.mandate == "yes" and plan.profile.evidence == "proven")
        if said:
            assert all("test" not in phase.stages for phase in plan.phases)


def test_asks_are_methods_the_lead_cannot_use(collation, every_plan):
    reach = {rule.method: rule for rule in collation.rules.reach}
    for plan in every_plan:
        for planned in plan.asks:
            rule = reach[planned.method_id]
            assert plan.profile.spread_lead not in rule.leads
            assert rule.lever is None or getattr(plan.profile, rule.lever) != "yes"


def test_a_complex_or_mixed_profile_gets_two_approaches(collation, every_plan):
    for plan in every_plan:
        if plan.profile.nature == "complex" or plan.profile.motivators == "mixed":
            assert len({p.approach_id for p in plan.planned}) >= 2


def test_a_one_month_plan_keeps_every_method_in_one_phase(collation):
    values = InterventionProfile.from_yaml(EXAMPLES[0]).to_dict() | {"timescale_months": 1}
    plan = spreadlab.plan(collation, InterventionProfile.from_dict(values))
    assert len(plan.phases) == 1 and len(plan.method_ids) >= 1


def test_a_leaders_edits_drop_add_and_move_methods(collation):
    profile = InterventionProfile.from_yaml(EXAMPLES[0])
    plan = spreadlab.plan(collation, profile)
    first = plan.method_ids[0]
    extra = next(m.method_id for m in plan.advice.methods if m.method_id not in plan.method_ids)
    moved = plan.method_ids[-1]
    changed = edited(plan, collation, drop=[first], add={extra: "spread"}, move={moved: "prepare"})
    assert first not in changed.method_ids and extra in changed.method_ids
    assert next(p.stage for p in changed.phases if moved in p.method_ids) == "prepare"
    assert next(p for p in changed.planned if p.method_id == extra).why == "leader"
    assert changed.phases[-1].end_month == profile.timescale_months


def test_adding_a_method_the_advice_also_planned_keeps_the_leaders_phase(collation):
    """A plan file's edits are applied to the advice of the day: when that advice plans a method the leader added
    (e.g. after a programme was left out), the method stays in the phase the leader chose."""
    plan = spreadlab.plan(collation, InterventionProfile.from_yaml(EXAMPLES[0]))
    held = plan.phases[0].planned[0]
    assert plan.phases[0].stage != "sustain"
    changed = edited(plan, collation, add={held.method_id: "sustain"})
    kept = next(p for p in changed.planned if p.method_id == held.method_id)
    assert next(phase.stage for phase in changed.phases if held.method_id in phase.method_ids) == "sustain"
    assert kept.placed == "leader" and changed.method_ids.count(held.method_id) == 1


def test_moving_a_method_the_advice_no_longer_plans_keeps_it_where_the_leader_put_it(collation):
    plan = spreadlab.plan(collation, InterventionProfile.from_yaml(EXAMPLES[0]))
    absent = next(m.method_id for m in plan.advice.methods if m.method_id not in plan.method_ids)
    changed = edited(plan, collation, move={absent: "prepare"})
    assert absent in changed.phases[0].method_ids and changed.phases[0].stage == "prepare"


def test_the_plan_frame_has_a_row_per_planned_method(collation):
    plan = example_plans(collation)[0]
    frame = plan.to_frame()
    assert list(frame["method_id"]) == list(plan.method_ids)
    assert {"phase", "stage", "start_month", "end_month", "why", "chance", "ask"} <= set(frame.columns)
