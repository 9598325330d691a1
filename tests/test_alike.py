"""Programmes really like yours: the kind of innovation counts most, then the setting and who must change; no
programme carries more than a third of the weight; ties are broken in the stated order; each says why."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spreadlab
from spreadlab import InterventionProfile
from spreadlab.alike import capped_weights

EXAMPLES = sorted((spreadlab.paths.DATA_DIR / "examples" / "profiles").glob("*.yaml"))


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.sampled_from([0.2, 1 / 3, 0.5]))
def test_capped_weights_sum_to_one_and_none_passes_the_cap(similarity, cap):
    weights = capped_weights(np.array(similarity), cap)
    assert weights.sum() == pytest.approx(1.0)
    assert weights.max() <= max(cap, 1 / len(similarity)) + 1e-9


def test_a_capped_programmes_excess_goes_to_the_others_in_proportion():
    weights = capped_weights(np.array([1.0, 0.1, 0.1, 0.0]), 1 / 3)
    assert weights[0] == pytest.approx(1 / 3)
    assert weights[1] == pytest.approx(weights[2]) and weights[3] == 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_programme_weighs_more_than_a_third(collation, path):
    advice = spreadlab.recommend(collation, InterventionProfile.from_yaml(path))
    assert max(p.weight for p in advice.alike) <= collation.rules.alike.max_share + 1e-9
    assert sum(p.weight for p in advice.alike) == pytest.approx(1.0)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_most_of_the_six_closest_share_the_kind_where_the_library_has_four(collation, path):
    profile = InterventionProfile.from_yaml(path)
    same_kind = (collation.programme_profiles["kind"] == profile.kind).sum()
    if profile.kind is None or same_kind < 4:
        pytest.skip(f"the library holds {same_kind} programmes of this kind")
    closest = spreadlab.recommend(collation, profile).closest
    assert sum(dict(p.shared).get("kind") == profile.kind for p in closest) >= 4


def test_the_closest_programme_agrees_on_what_weighs_most(collation):
    """A programme agreeing on the kind of innovation outranks one agreeing on everything but the kind."""
    known = collation.programme_profiles.dropna(subset=["kind"])["programme_id"]
    if known.empty:
        pytest.skip("no programme of the library records its kind of innovation")
    ident = known.iloc[0]
    profile = collation.programme_profile(ident)
    advice = spreadlab.recommend(collation, profile, exclude=[ident])
    kinds = [dict(p.shared).get("kind") for p in advice.alike]
    first_other = next(i for i, kind in enumerate(kinds) if kind != profile.kind)
    assert all(kind == profile.kind for kind in kinds[:first_other])


def test_each_match_says_where_it_agrees_and_where_it_differs(collation):
    profile = InterventionProfile.from_yaml(EXAMPLES[0])
    for programme in spreadlab.recommend(collation, profile).closest:
        fields = [f for f, _ in programme.shared] + [f for f, _, _ in programme.differs]
        declared = {f for f, w in collation.rules.alike.fields.items() if w > 0}
        assert set(fields) <= declared and len(fields) == len(set(fields))


def month(start: str) -> str:
    return start if len(start) > 4 else f"{start}-01"


def test_ties_are_broken_by_the_stated_order(collation):
    profile = InterventionProfile.from_dict({"name": "X", "nature": "complex", "audience_scale": "national",
                                             "motivators": "mixed", "energy_for_change": "medium",
                                             "timescale_months": 48, "resources": "high"})
    alike = spreadlab.recommend(collation, profile).alike
    starts = dict(zip(collation.programmes["programme_id"], collation.programmes["period_start"].astype(str),
                      strict=True))
    for earlier, later in itertools.pairwise(alike):
        if round(earlier.similarity, 9) == round(later.similarity, 9):
            same = [dict(earlier.shared).get(f) is not None for f in ("kind", "setting", "adopters")]
            other = [dict(later.shared).get(f) is not None for f in ("kind", "setting", "adopters")]
            if same == other:
                first, second = (month(starts[p.programme_id]) for p in (earlier, later))
                assert first > second or (first == second and earlier.name <= later.name)
