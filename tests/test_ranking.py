"""recommend() on real profiles: the case examples' own methods rank in the top half, emerging evidence puts
evidence-building first with a warning, curated inputs show in the reasons, and the JSON has the DESIGN.md shape."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

import spreadlab
from spreadlab import CRITERIA, InterventionProfile
from spreadlab.paths import DATA_DIR
from spreadlab.ranking import EMERGING_WARNING
from spreadlab.views.plans import context_words

CASE_IDS = ["atrial-fibrillation", "transfer-of-care-around-medicines"]
SOURCE = Path(spreadlab.__file__).parent
PROFILE = {"name": "Digital asthma self-management", "nature": "complicated", "audience_scale": "regional",
           "motivators": "intrinsic", "energy_for_change": "high", "timescale_months": 18, "resources": "medium"}


def case_profile(case_id: str) -> InterventionProfile:
    return spreadlab.load().programme_profile(case_id)


def methods_at_stage(collation: spreadlab.Collation, stage: str) -> set[str]:
    considerations = collation.considerations
    rows = considerations[(considerations["consideration"] == "stage") & (considerations["value"] == stage)]
    return set(rows["method_id"])


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_each_case_example_ranks_the_methods_it_used_better_than_popularity(collation, case_id, record_property):
    """The profile describes the programme before it spread. Ranked with the programme itself left out of the
    library (so it cannot vote for its own methods), the methods it went on to use must sit higher than a ranking
    by popularity in the rest of the library puts them, and at least two thirds of them in the top half."""
    ranking = spreadlab.recommend(collation, case_profile(case_id), exclude={case_id})
    uses = collation.programme_methods
    used = list(dict.fromkeys(uses.loc[uses["programme_id"] == case_id, "method_id"]))
    assert len(used) >= 4
    ranks = dict(zip(ranking["method_id"], ranking["rank"], strict=True))
    others = [ident for ident in collation.programmes["programme_id"] if ident != case_id]
    counts = {m: int(uses.loc[uses["programme_id"].isin(others) & (uses["method_id"] == m), "programme_id"].nunique())
              for m in ranks}
    popularity = {m: 1 + sum(other > counts[m] for other in counts.values()) for m in counts}
    report = ", ".join(f"{m}: rank {ranks[m]} (popularity rank {popularity[m]})"
                       for m in sorted(used, key=ranks.get))
    record_property("case_method_ranks", report)
    print(f"\n{case_id}: {report}")
    assert sum(ranks[m] for m in used) < sum(popularity[m] for m in used), report
    assert sum(ranks[m] <= len(ranks) // 2 for m in used) >= 2 * len(used) / 3, report


def test_case_profiles_describe_the_programme_before_spread(collation):
    assert sorted(collation.case_examples["case_id"]) == CASE_IDS
    for case_id in CASE_IDS:
        profile = case_profile(case_id)
        assert profile.evidence == "proven"
        assert profile.name == collation.programmes.set_index("programme_id").loc[case_id, "name"]
    # The two programmes differ in what the collation asks leaders to consider about the audience.
    assert case_profile("atrial-fibrillation") != case_profile("transfer-of-care-around-medicines")


def test_an_emerging_profile_favours_evidence_building_methods_with_a_warning(collation):
    """The evidence criterion favours methods that build evidence; whether they are also put above every other
    method is a fitted rule (calibration.yaml), so the test follows it either way."""
    profile = InterventionProfile.from_dict(PROFILE | {"evidence": "emerging"})
    ranking = spreadlab.recommend(collation, profile)
    building = methods_at_stage(collation, "prototype-testing")
    assert len(building) >= 2
    assert ranking.attrs["warnings"] == [EMERGING_WARNING]
    assert "enough evidence" in EMERGING_WARNING
    by_id = ranking.set_index("method_id")
    assert all("build evidence in real settings" in by_id.loc[m, "evidence_reason"] for m in building)
    assert all(by_id.loc[m, "evidence_fit"] == 1.0 for m in building)
    assert all(by_id.loc[m, "evidence_fit"] < 1.0 for m in set(by_id.index) - building)
    first = set(ranking["method_id"][: len(building)])
    assert (first == building) == collation.calibration.emerging_ranks_building_first


def test_a_proven_profile_has_no_warning_and_prefers_spread_stages(collation):
    ranking = spreadlab.recommend(collation, InterventionProfile.from_dict(PROFILE))
    assert ranking.attrs["warnings"] == []
    only_testing = methods_at_stage(collation, "prototype-testing") - methods_at_stage(collation, "spread") \
        - methods_at_stage(collation, "adoption-scale")
    fits = ranking.set_index("method_id")["evidence_fit"]
    assert only_testing and all(fits[m] < 1.0 for m in only_testing)


def test_ties_keep_the_collations_order_of_approaches_and_methods(collation):
    """With only the approach-level criteria weighed, methods of one approach tie: they must keep the collation's
    order and share a rank."""
    only_nature = dataclasses.replace(collation.calibration, weights=dataclasses.replace(
        collation.calibration.weights, **{c: 0.0 for c in CRITERIA if c != "nature"}))
    ranking = spreadlab.recommend(collation, case_profile("atrial-fibrillation"), calibration=only_nature)
    position = {method_id: i for i, method_id in enumerate(collation.method_summary["method_id"])}
    for _, group in ranking.groupby("rank"):
        assert list(group["method_id"]) == sorted(group["method_id"], key=position.get)
    assert ranking["rank"].value_counts().max() > 1, "expected at least one tie to check"


def test_the_bundled_ranking_tells_methods_apart(collation):
    """No more than two methods share rank 1 for any example or library profile (issue 10)."""
    profiles = [InterventionProfile.from_yaml(path)
                for path in sorted((DATA_DIR / "examples" / "profiles").glob("*.yaml"))]
    profiles += [collation.programme_profile(ident) for ident in collation.programmes["programme_id"]]
    for profile in profiles:
        ranking = spreadlab.recommend(collation, profile)
        assert (ranking["rank"] == 1).sum() <= 2, (profile.name, list(ranking["method_id"][ranking["rank"] == 1]))


def test_every_criterion_carries_the_provenance_of_what_it_rests_on(collation):
    ranking = spreadlab.recommend(collation, InterventionProfile.from_dict(PROFILE)).set_index("method_id")
    considerations = collation.considerations.drop_duplicates(["method_id", "consideration"]).set_index(
        ["method_id", "consideration"])["provenance"].astype(str)
    criterion_of = {"audience_scale": "audience_scale", "timeframe": "timescale", "resources": "resources",
                    "stage": "evidence"}
    for method_id in ranking.index:
        for consideration, criterion in criterion_of.items():
            assert ranking.loc[method_id, f"{criterion}_provenance"] == considerations[(method_id, consideration)]
        assert "[curated]" not in " ".join(ranking.loc[method_id, f"{c}_reason"] for c in CRITERIA)
    # Demonstrator sites' audience and stage come from the collation itself.
    assert ranking.loc["demonstrator-sites", "audience_scale_provenance"] == "collation"
    approaches = collation.approaches.set_index("approach_id")
    for _, row in ranking.iterrows():
        approach = approaches.loc[row["approach_id"]]
        assert row["nature_provenance"] == approach["central_standardisation_provenance"]
        assert row["motivators_provenance"] == approach["motivation_provenance"]
    assert set(ranking["similar_programmes_provenance"]) == {"curated"}


def test_the_library_criterion_names_the_programmes_it_counts(collation):
    profile = case_profile("atrial-fibrillation")
    ranking = spreadlab.recommend(collation, profile, exclude={"atrial-fibrillation"})
    similar = ranking.attrs["similar_programmes"]
    assert "atrial-fibrillation" not in {p.programme_id for p in similar}
    assert [p.similarity for p in similar] == sorted((p.similarity for p in similar), reverse=True)
    closest = [p for p in similar[:6] if "central-coordination" in p.method_ids]
    reason = ranking.set_index("method_id").loc["central-coordination", "similar_programmes_reason"]
    assert reason.startswith("Used by ")
    assert f"{len(closest)} of them among the 6 closest" in reason
    assert all(p.name in reason for p in closest)


@pytest.mark.parametrize("neighbours", [10, None])
def test_the_library_criterion_says_how_many_programmes_it_counted(collation, neighbours):
    """With a neighbour limit the reason counts the nearest programmes and names the library's size; without one,
    it counts the whole library."""
    calibration = dataclasses.replace(collation.calibration, similarity=dataclasses.replace(
        collation.calibration.similarity, neighbours=neighbours))
    ranking = spreadlab.recommend(collation, case_profile("atrial-fibrillation"), exclude={"atrial-fibrillation"},
                                  calibration=calibration)
    similar = ranking.attrs["similar_programmes"]
    users = sum("central-coordination" in p.method_ids for p in similar)
    library = len(collation.programmes) - 1
    reason = ranking.set_index("method_id").loc["central-coordination", "similar_programmes_reason"]
    if neighbours is None:
        assert len(similar) == library
        assert reason.startswith(f"Used by {users} of the {library} programmes in the library, ")
    else:
        assert len(similar) == neighbours
        assert reason.startswith(f"Used by {users} of the {neighbours} programmes most like this one (of {library} "
                                 "in the library), ")


def test_the_same_situation_criterion_counts_programmes_sharing_each_value(collation):
    """Only mandate counts: the fit is (users with a mandate + 2 x the overall rate) / (programmes with a mandate + 2),
    counted here from the library's tables, and the reason gives those counts."""
    weights = dict.fromkeys(spreadlab.library.SIMILARITY_FIELDS, 0.0) | {"mandate": 1.0}
    calibration = dataclasses.replace(collation.calibration, similarity=dataclasses.replace(
        collation.calibration.similarity, fields=weights))
    profile = InterventionProfile.from_dict(PROFILE | {"mandate": "yes"})
    ranking = spreadlab.recommend(collation, profile, calibration=calibration).set_index("method_id")
    profiles, uses = collation.programme_profiles, collation.programme_methods
    mandated = set(profiles.loc[profiles["mandate"] == "yes", "programme_id"])
    users = set(uses.loc[uses["method_id"] == "contractual-obligation", "programme_id"])
    overall = len(users) / len(profiles)
    expected = (len(users & mandated) + 2 * overall) / (len(mandated) + 2)
    assert ranking.loc["contractual-obligation", "same_situation_fit"] == pytest.approx(expected, abs=1e-4)
    reason = ranking.loc["contractual-obligation", "same_situation_reason"]
    assert f"of the {len(mandated)} with a mandate, contract or regulation requires the change: yes, " \
           f"{len(users & mandated)} used it" in reason
    assert f"{len(users)} of the {len(profiles)} programmes in the library" in reason


def test_reasons_speak_the_users_words(collation):
    profile = InterventionProfile.from_dict(PROFILE | {"audience_scale": "national"})
    ranking = spreadlab.recommend(collation, profile).set_index("method_id")
    assert ranking.loc["central-coordination", "audience_scale_reason"].startswith(
        "National audience: this method works at national scale")
    assert "18 months available (medium term)" in ranking.loc["network", "timescale_reason"]
    derived = InterventionProfile.from_dict({k: v for k, v in PROFILE.items() if k != "nature"}
                                            | {"complexity": {d: "complex" for d in spreadlab.profile.NASSS_DOMAINS}})
    reason = spreadlab.recommend(collation, derived).set_index("method_id").loc["network", "nature_reason"]
    assert reason.startswith("Complex intervention (derived from the complexity assessment)")


def test_labels_inside_a_sentence_keep_their_acronyms(collation):
    """A label lowered for a sentence keeps its capitals after the first letter ("an AHSN", not "an ahsn")."""
    weights = dict.fromkeys(spreadlab.library.SIMILARITY_FIELDS, 0.0) | {"spread_lead": 1.0}
    calibration = dataclasses.replace(collation.calibration, similarity=dataclasses.replace(
        collation.calibration.similarity, fields=weights))
    profile = InterventionProfile.from_dict(PROFILE | {"spread_lead": "regional-body"})
    ranking = spreadlab.recommend(collation, profile, calibration=calibration).set_index("method_id")
    assert "with who leads the spread: a regional body (e.g. an AHSN), " in ranking.loc["network",
                                                                                      "same_situation_reason"]
    assert "the spread is led by a regional body (e.g. an AHSN)" in context_words(profile)


@pytest.mark.parametrize("module", ["ranking.py", "planning.py", "scoring.py"])
def test_no_method_id_appears_in_the_scoring_code(collation, module):
    text = (SOURCE / module).read_text(encoding="utf-8")
    found = [method_id for method_id in collation.methods["method_id"]
             if re.search(rf"(?<![\w-]){re.escape(method_id)}(?![\w-])", text)]
    assert len(collation.methods) == 24
    assert not found, f"{module} names methods {found}: rules belong in data/scoring.yaml"


def test_ranking_json_has_the_design_shape(collation):
    """DESIGN.md's object, plus two additions: `note`, the honest-framing statement shown with every ranking, and
    each similar programme's `scale_reached` and `scale_caveat`."""
    profile = InterventionProfile.from_yaml(DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml")
    ranking = spreadlab.recommend(collation, profile)
    result = json.loads(json.dumps(spreadlab.ranking_json(profile, ranking)))
    assert list(result) == ["profile", "warnings", "note", "methods", "similar_programmes"]
    assert result["note"] == spreadlab.RANKING_NOTE
    assert len(result["similar_programmes"]) == 6
    for programme in result["similar_programmes"]:
        assert list(programme) == ["id", "name", "similarity", "method_ids", "scale_reached", "scale_caveat",
                                   "sources"]
        assert programme["sources"] and all(url.startswith("http") for url in programme["sources"])
    assert result["warnings"] == []
    assert result["profile"]["nature"] == "complex"
    assert result["profile"]["nature_derived"] is True
    assert result["profile"]["complexity"]["adopters"] == "complex"
    assert len(result["methods"]) == len(collation.methods) == 24
    for position, method in enumerate(result["methods"]):
        assert list(method) == ["rank", "method_id", "method", "approach_id", "approach", "score", "criteria",
                                "provenance"]
        assert isinstance(method["rank"], int) and not isinstance(method["rank"], bool)
        assert isinstance(method["score"], float)
        assert all(isinstance(method[key], str) and method[key]
                   for key in ("method_id", "method", "approach_id", "approach", "provenance"))
        assert list(method["criteria"]) == list(CRITERIA)
        for criterion in method["criteria"].values():
            assert list(criterion) == ["fit", "reason", "provenance"]
            assert isinstance(criterion["fit"], float) and isinstance(criterion["reason"], str)
            assert criterion["provenance"] in spreadlab.vocabulary.PROVENANCES
        assert method["method_id"] == ranking["method_id"][position]
    ranks = [method["rank"] for method in result["methods"]]
    scores = [method["score"] for method in result["methods"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert scores == sorted(scores, reverse=True)
