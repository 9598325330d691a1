"""Properties over every profile: a complete, deterministic ranking with sound scores and a reason for each criterion,
and a ProfileError naming the field for every bad value."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spreadlab
from profile_strategies import INVALID_VALUES, profile_dicts, unknown_fields
from spreadlab import CRITERIA, InterventionProfile, ProfileError

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)
VALID = {"name": "x", "nature": "simple", "audience_scale": "local", "motivators": "mixed",
         "energy_for_change": "low", "timescale_months": 12, "resources": "low"}


@PROPERTY_SETTINGS
@given(values=profile_dicts())
def test_every_valid_profile_gets_a_complete_deterministic_ranking(collation, values):
    profile = InterventionProfile.from_dict(values)
    ranking = spreadlab.recommend(collation, profile)

    assert sorted(ranking["method_id"]) == sorted(collation.methods["method_id"])
    assert len(ranking) == 24
    pd.testing.assert_frame_equal(ranking, spreadlab.recommend(collation, profile))
    assert all(math.isfinite(score) and 0.0 <= score <= 1.0 for score in ranking["score"])

    ranks = list(ranking["rank"])
    assert ranks[0] == 1
    # Competition ranks: a method either shares the rank above it or ranks at its own position.
    assert all(rank in (ranks[i - 1], i + 1) for i, rank in enumerate(ranks) if i > 0), ranks
    if profile.evidence == "proven":
        scores = list(ranking["score"])
        assert scores == sorted(scores, reverse=True)
        assert all((ranks[i] == ranks[i - 1]) == (scores[i] == scores[i - 1]) for i in range(1, len(ranks)))

    weights = {criterion: getattr(collation.calibration.weights, criterion) for criterion in CRITERIA}
    for row in ranking.to_dict(orient="records"):
        for criterion in CRITERIA:
            assert 0.0 <= row[f"{criterion}_fit"] <= 1.0
            reason = row[f"{criterion}_reason"]
            assert isinstance(reason, str) and reason.strip(), (row["method_id"], criterion)
        weighted = sum(weights[c] * row[f"{c}_fit"] for c in CRITERIA) / sum(weights.values())
        assert row["score"] == pytest.approx(weighted, abs=1e-4)


@PROPERTY_SETTINGS
@given(values=profile_dicts())
def test_ranking_json_always_ranks_every_method_best_first(collation, values):
    profile = InterventionProfile.from_dict(values)
    result = spreadlab.ranking_json(profile, spreadlab.recommend(collation, profile))
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
