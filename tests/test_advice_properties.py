"""Properties over every profile: complete, deterministic advice with sound chances and words for every fact, and
a ProfileError naming the field for every bad value."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spreadlab
from profile_strategies import (
    FREE_FIELDS,
    INVALID_VALUES,
    OPTIONAL_CHOICES,
    REQUIRED_CHOICES,
    profile_dicts,
    unknown_fields,
)
from spreadlab import InterventionProfile, ProfileError
from spreadlab.views import advice_text, exports

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)
VALID = {"name": "x", "nature": "simple", "audience_scale": "local", "motivators": "mixed",
         "energy_for_change": "low", "timescale_months": 12, "resources": "low"}


@PROPERTY_SETTINGS
@given(values=profile_dicts())
def test_every_valid_profile_gets_complete_deterministic_advice_in_words(collation, values):
    profile = InterventionProfile.from_dict(values)
    advice = spreadlab.recommend(collation, profile)
    assert sorted(m.method_id for m in advice.methods) == sorted(collation.methods["method_id"])
    assert advice == spreadlab.recommend(collation, profile)
    ranks = [m.rank for m in advice.methods]
    assert ranks[0] == 1 and all(rank in (ranks[i - 1], i + 1) for i, rank in enumerate(ranks) if i > 0)
    for method in advice.methods:
        assert math.isfinite(method.chance) and 0.0 <= method.chance <= 1.0
        assert advice_text.summary_line(method) and all(advice_text.details(method, advice.shown))
    assert all(advice_text.notice_sentence(n) for n in advice.notices)
    assert all(advice_text.alike_why(p) for p in advice.closest)


@PROPERTY_SETTINGS
@given(values=profile_dicts())
def test_advice_json_always_ranks_every_method_best_first(collation, values):
    profile = InterventionProfile.from_dict(values)
    result = exports.advice_json(spreadlab.recommend(collation, profile))
    assert [method["rank"] for method in result["methods"]] == sorted(m["rank"] for m in result["methods"])
    assert {method["method_id"] for method in result["methods"]} == set(collation.methods["method_id"])
    assert InterventionProfile.from_dict(
        {k: v for k, v in result["profile"].items() if k != "nature_derived" and
         not (k == "nature" and result["profile"]["nature_derived"])}
    ) == profile


@PROPERTY_SETTINGS
@given(data=st.data(), field=st.sampled_from(sorted(INVALID_VALUES)))
def test_every_invalid_value_is_a_profile_error_naming_its_field(data, field):
    values = data.draw(profile_dicts())
    values[field] = data.draw(INVALID_VALUES[field], label=field)
    if field == "complexity":
        values.pop("nature", None)  # so the assessment is needed
    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_dict(values)
    assert caught.value.field == field, str(caught.value)
    assert field.split("_")[0] in str(caught.value)


@PROPERTY_SETTINGS
@given(key=unknown_fields, value=st.text(max_size=10))
def test_every_unknown_field_is_a_profile_error_naming_it(key, value):
    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_dict(VALID | {key: value})
    assert caught.value.field == key
    assert f"unknown field {key!r}" in str(caught.value)


@PROPERTY_SETTINGS
@given(values=profile_dicts())
def test_every_valid_profile_round_trips_through_dict_and_yaml(values, tmp_path_factory):
    profile = InterventionProfile.from_dict(values)
    assert InterventionProfile.from_dict(profile.to_dict()) == profile
    path = tmp_path_factory.mktemp("profile") / "profile.yaml"
    path.write_text(profile.to_yaml(), encoding="utf-8")
    assert InterventionProfile.from_yaml(path) == profile


def test_the_strategies_draw_every_profile_field_and_a_bad_value_for_each():
    """The property tests above cover every field of the profile: each is drawn (the choices from the one table,
    profile.CHOICES), and each has bad values."""
    from spreadlab.profile import CHOICES, FIELDS

    assert {"nature", *REQUIRED_CHOICES, *OPTIONAL_CHOICES} == set(CHOICES)
    assert set(FIELDS) == set(FREE_FIELDS) | set(CHOICES) == set(INVALID_VALUES)
    assert {"kind", "setting", "incentive", "contract", "regulation"} <= set(OPTIONAL_CHOICES)
