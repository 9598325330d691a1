"""plan(): phases fit the months available, never repeat a method, mix approaches when the profile needs it, test and
evaluate first when evidence is emerging, and carry the collation's limitations."""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import spreadlab
from profile_strategies import profile_dicts
from spreadlab import InterventionProfile, PlanPhase

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)
# Short timescales are where phases run out of months, so they are drawn often.
TIMESCALES = st.one_of(st.integers(1, 6), st.integers(1, 120))
PROFILE = {"name": "Falls prevention exercise classes", "nature": "complex", "audience_scale": "regional",
           "motivators": "mixed", "energy_for_change": "medium", "timescale_months": 30, "resources": "medium"}


def stages_of(collation: spreadlab.Collation) -> dict[str, set[str]]:
    rows = collation.considerations[collation.considerations["consideration"] == "stage"]
    stages: dict[str, set[str]] = {}
    for method_id, stage in zip(rows["method_id"], rows["value"].astype(str), strict=True):
        stages.setdefault(method_id, set()).add(stage)
    return stages


def is_testing_phase(phase: PlanPhase, stages: dict[str, set[str]]) -> bool:
    return any("prototype-testing" in stages[method_id] for method_id in phase.method_ids) and \
        "evaluat" in phase.why.lower()


@PROPERTY_SETTINGS
@given(values=profile_dicts(timescales=TIMESCALES))
def test_plans_fit_the_timescale_and_never_repeat_a_method(collation, values):
    profile = InterventionProfile.from_dict(values)
    the_plan = spreadlab.plan(collation, profile)
    phases = the_plan.phases
    assert phases, "a plan has at least one phase"
    assert [phase.order for phase in phases] == list(range(1, len(phases) + 1))
    assert phases[0].start_month == 1
    assert phases[-1].end_month <= profile.timescale_months
    for phase in phases:
        assert 1 <= phase.start_month <= phase.end_month <= profile.timescale_months, phase
        assert phase.method_ids and len(phase.method_ids) == len(phase.methods)
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.start_month == before.end_month + 1, (before, after)
    method_ids = [method_id for phase in phases for method_id in phase.method_ids]
    assert len(method_ids) == len(set(method_ids)), method_ids


@PROPERTY_SETTINGS
@given(values=profile_dicts(timescales=TIMESCALES))
def test_complex_or_mixed_profiles_get_at_least_two_approaches(collation, values):
    profile = InterventionProfile.from_dict(values)
    approaches = {approach for phase in spreadlab.plan(collation, profile).phases for approach in phase.approach_ids}
    if profile.nature == "complex" or profile.motivators == "mixed":
        assert len(approaches) >= 2, (profile, approaches)


@PROPERTY_SETTINGS
@given(values=profile_dicts(timescales=TIMESCALES))
def test_emerging_profiles_get_a_testing_phase_with_evaluation(collation, values):
    profile = InterventionProfile.from_dict(values | {"evidence": "emerging"})
    the_plan = spreadlab.plan(collation, profile)
    stages = stages_of(collation)
    assert any(is_testing_phase(phase, stages) for phase in the_plan.phases), the_plan.to_frame()[
        ["name", "start_month", "end_month", "method_ids"]]
    assert the_plan.warnings == (spreadlab.ranking.EMERGING_WARNING,)


def test_a_mixed_audience_is_told_why_levers_are_paired(collation):
    the_plan = spreadlab.plan(collation, InterventionProfile.from_dict(PROFILE))
    approaches = collation.approaches.set_index("approach_id")
    motivations = {str(approaches.loc[a, "motivation"]) for phase in the_plan.phases for a in phase.approach_ids}
    assert len(motivations) >= 2, motivations
    assert any("mixed motivators" in phase.why for phase in the_plan.phases)


def test_limitations_come_from_the_collation_for_each_approach_once(collation):
    the_plan = spreadlab.plan(collation, InterventionProfile.from_dict(PROFILE))
    limitations = collation.limitations
    seen: list[str] = []
    for phase in the_plan.phases:
        for text in phase.limitations:
            owners = set(limitations.loc[limitations["text"] == text, "approach_id"])
            assert owners & set(phase.approach_ids), (text, phase.approach_ids)
        seen.extend(phase.limitations)
    used = {approach for phase in the_plan.phases for approach in phase.approach_ids}
    expected = limitations.loc[limitations["approach_id"].isin(used), "text"]
    assert sorted(seen) == sorted(expected)


def test_a_plan_uses_a_given_ranking_and_is_deterministic(collation):
    profile = InterventionProfile.from_dict(PROFILE)
    ranking = spreadlab.recommend(collation, profile)
    assert spreadlab.plan(collation, profile, ranking) == spreadlab.plan(collation, profile)
    why = " ".join(phase.why for phase in spreadlab.plan(collation, profile).phases)
    assert "rank " in why and "score " in why


def test_plan_to_frame_has_one_row_per_phase(collation):
    the_plan = spreadlab.plan(collation, InterventionProfile.from_dict(PROFILE))
    frame = the_plan.to_frame()
    assert list(frame.columns) == ["order", "name", "start_month", "end_month", "method_ids", "methods",
                                   "approach_ids", "why", "limitations", "programmes"]
    assert len(frame) == len(the_plan.phases)
    first = the_plan.phases[0]
    assert frame.loc[0, "method_ids"] == "; ".join(first.method_ids)
    assert frame.loc[0, "limitations"] == "; ".join(first.limitations)
    assert pd.api.types.is_integer_dtype(frame["start_month"]) and pd.api.types.is_integer_dtype(frame["end_month"])


def test_plan_to_dict_is_json_with_profile_warnings_note_and_phases(collation):
    profile = collation.programme_profile("atrial-fibrillation")
    the_plan = spreadlab.plan(collation, profile)
    result = json.loads(json.dumps(the_plan.to_dict()))
    assert list(result) == ["profile", "warnings", "note", "phases", "similar_programmes"]
    assert result["profile"]["name"] == profile.name
    assert result["profile"]["nature_derived"] is False
    assert result["note"] == spreadlab.RANKING_NOTE
    assert len(result["phases"]) == len(the_plan.phases)
    for phase, original in zip(result["phases"], the_plan.phases, strict=True):
        assert list(phase) == list(PlanPhase.__slots__)
        assert phase["method_ids"] == list(original.method_ids)
        assert isinstance(phase["limitations"], list)
    assert result["phases"][-1]["end_month"] == 36
