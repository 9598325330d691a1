"""recommend(): every method's chance for a profile, its base rate and lift, and the facts behind them (counts in
the library, the model's parts, the programmes like yours), as records the views turn into words."""

from __future__ import annotations

import numpy as np
import pytest

import spreadlab
from spreadlab import InterventionProfile
from spreadlab.situation import SITUATION_FIELDS, encode, situation_of

EXAMPLES = sorted((spreadlab.paths.DATA_DIR / "examples" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def examples():
    return {path.stem: InterventionProfile.from_yaml(path) for path in EXAMPLES}


def test_every_method_is_ranked_once_by_chance_with_ties_sharing_a_rank(collation, examples):
    advice = spreadlab.recommend(collation, examples["frailty-virtual-wards"])
    assert sorted(m.method_id for m in advice.methods) == sorted(collation.methods["method_id"])
    chances = [m.chance for m in advice.methods]
    assert chances == sorted(chances, reverse=True)
    for method in advice.methods:
        assert method.rank == 1 + sum(other.chance > method.chance for other in advice.methods)


def test_the_base_rate_is_the_share_of_library_programmes_that_used_the_method(collation, examples):
    advice = spreadlab.recommend(collation, examples["sepsis-screening-tool"])
    stages = collation.programme_stages
    size = len(collation.programme_profiles)
    for method in advice.methods:
        users = sum(method.method_id in stages.get(ident, {}) for ident in collation.programme_profiles["programme_id"])
        assert method.base_rate == pytest.approx(users / size, abs=1e-4)
        assert method.lift == pytest.approx(method.chance / method.base_rate)


def test_counts_are_the_library_programmes_with_and_without_the_declared_value(collation, examples):
    """"10 of the 18 mandated programmes used it, 5 of the 114 others" is counted from the tables, not the model."""
    profile = examples["mandated-standard-incentive"]
    advice = spreadlab.recommend(collation, profile)
    profiles = collation.programme_profiles.set_index("programme_id")
    stages = collation.programme_stages
    checked = 0
    for method in advice.methods:
        for counts in method.counts:
            if counts.field == "timescale":
                continue
            column = profiles[counts.field]
            with_value = set(column.index[column == counts.value])
            others = set(column.index[column.notna() & (column != counts.value)])
            users = {ident for ident in profiles.index if method.method_id in stages.get(ident, {})}
            assert (counts.used_with, counts.with_total) == (len(users & with_value), len(with_value))
            assert (counts.used_others, counts.others_total) == (len(users & others), len(others))
            checked += 1
    assert checked > 20


def test_the_models_parts_are_the_declared_values_and_add_up_to_its_estimate(collation, examples):
    profile = examples["regional-remote-monitoring"]
    advice = spreadlab.recommend(collation, profile)
    situation = situation_of(profile, collation.rules.timescale_bands)
    model = collation.calibration.model
    for method in advice.methods:
        assert {(p.field, p.value) for p in method.parts} == set(situation.items())
        index = [m.method_id for m in model.methods].index(method.method_id)
        log_odds = model.methods[index].intercept + sum(p.log_odds for p in method.parts)
        assert method.model_chance == pytest.approx(1 / (1 + np.exp(-log_odds)), abs=1e-4)


def test_the_chance_blends_the_model_and_the_programmes_like_yours_with_the_fitted_weight(collation, examples):
    advice = spreadlab.recommend(collation, examples["grassroots-movement"])
    weight = collation.calibration.alike_weight
    for method in advice.methods:
        assert method.chance == pytest.approx((1 - weight) * method.model_chance + weight * method.alike_share,
                                              abs=2e-4)


def test_foundations_and_distinctive_choices_follow_the_rules(collation, examples):
    rules = collation.rules.advice
    for profile in examples.values():
        for method in spreadlab.recommend(collation, profile).methods:
            if method.base_rate >= rules.foundation_rate and method.chance >= rules.foundation_rate:
                assert method.standing == "foundation"
            elif method.chance >= rules.min_chance and method.lift >= rules.distinctive_lift:
                assert method.standing == "distinctive"
            else:
                assert method.standing == "other"


def test_a_lever_in_hand_is_marked_on_its_method(collation, examples):
    advice = spreadlab.recommend(collation, examples["mandated-standard-incentive"])
    assert advice.method("performance-related-funding").lever == "incentive"
    assert advice.method("contractual-obligation").lever in {"mandate", "contract"}
    assert advice.method("regulation-inspection-audit").lever is None  # regulation: no


def test_a_local_lead_asks_for_a_national_signal_and_a_national_lead_does_not(collation, examples):
    local = spreadlab.recommend(collation, examples["local-integrated-care"])
    assert local.method("national-signals-campaigns").ask == ("national-body", "regional-body")
    national = spreadlab.recommend(collation, examples["frailty-virtual-wards"])
    assert national.method("national-signals-campaigns").ask == ()


def test_a_lever_in_hand_is_no_ask(collation, examples):
    values = examples["local-integrated-care"].to_dict() | {"contract": "yes"}
    advice = spreadlab.recommend(collation, InterventionProfile.from_dict(values))
    assert advice.method("contractual-obligation").ask == ()
    assert advice.method("contractual-obligation").lever == "contract"


def test_methods_needing_more_than_the_resources_available_are_flagged(collation, examples):
    profile = examples["local-integrated-care"]  # low resources, no central funding
    needs = collation.consideration_values
    for method in spreadlab.recommend(collation, profile).methods:
        needed = needs[method.method_id]["resources"][0]
        assert (method.needs is not None) == (needed != "low")
        assert method.unfunded == (needed == "high")


def test_leaving_programmes_out_takes_them_out_of_the_advice(collation, examples):
    profile = examples["frailty-virtual-wards"]
    first = spreadlab.recommend(collation, profile)
    dropped = first.closest[0].programme_id
    again = spreadlab.recommend(collation, profile, exclude=[dropped])
    assert dropped not in {p.programme_id for p in again.alike}
    assert again.library_size == first.library_size - 1 and again.excluded == (dropped,)


def test_the_advice_is_deterministic(collation, examples):
    profile = examples["copd-remote-monitoring"]
    assert spreadlab.recommend(collation, profile) == spreadlab.recommend(collation, profile)


def test_every_situation_field_is_an_indicator_of_the_model():
    profile = InterventionProfile.from_dict({
        "name": "X", "nature": "complex", "audience_scale": "local", "motivators": "mixed",
        "energy_for_change": "low", "timescale_months": 6, "resources": "low", "kind": "digital",
        "setting": "acute", "adopter_count": "few", "adopters": "patients-public", "spread_lead": "grassroots",
        "central_funding": "no", "mandate": "no", "incentive": "no", "contract": "no", "regulation": "no"})
    situation = situation_of(profile, {"short": 12, "medium": 24})
    assert set(situation) == set(SITUATION_FIELDS)
    assert encode(situation).sum() == len(SITUATION_FIELDS)


def test_the_advice_frame_keeps_todays_columns(collation, examples):
    frame = spreadlab.recommend(collation, examples["sepsis-screening-tool"]).to_frame()
    assert list(frame.columns[:6]) == ["rank", "method_id", "method", "approach_id", "approach", "score"]
    assert len(frame) == len(collation.methods)
