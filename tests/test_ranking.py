"""recommend() on real profiles: the case examples' own methods rank in the top half, emerging evidence puts
evidence-building first with a warning, curated inputs show in the reasons, and the JSON has the DESIGN.md shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import spreadlab
from spreadlab import CRITERIA, InterventionProfile
from spreadlab.paths import DATA_DIR
from spreadlab.ranking import EMERGING_WARNING

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
def test_each_case_example_ranks_the_methods_it_used_in_the_top_half(collation, case_id, record_property):
    """The profile describes the programme before it spread; every method it went on to use must rank in the top
    half (rank <= 24 / 2 = 12).

    Ranks are competition ranks: tied methods share the best rank of their group ("1, 1, 3, 3, 5, 5, ..."), so a
    method in a tie that starts at rank 12 counts as top half even when the tie runs past position 12. The message
    shows, for each used method, its rank, its score and how many methods share that rank.
    """
    ranking = spreadlab.recommend(collation, case_profile(case_id))
    phase_methods = collation.case_phase_methods
    used = list(dict.fromkeys(phase_methods.loc[phase_methods["case_id"] == case_id, "method_id"]))
    assert used, f"{case_id} records no methods in its phases"
    by_id = ranking.set_index("method_id")
    tied = ranking["rank"].value_counts()
    ranks = {method_id: int(by_id.loc[method_id, "rank"]) for method_id in used}
    report = ", ".join(
        f"{method_id}: rank {rank} (score {by_id.loc[method_id, 'score']:.4f}, shared by {tied[rank]})"
        for method_id, rank in sorted(ranks.items(), key=lambda item: item[1])
    )
    record_property("case_method_ranks", report)
    print(f"\n{case_id} ({len(ranking)} methods ranked): {report}")
    half = len(ranking) // 2
    assert half == 12
    outside = {method_id: rank for method_id, rank in ranks.items() if rank > half}
    assert not outside, f"{case_id}: used methods ranked below the top half ({half}): {outside}; all ranks: {report}"


def test_case_profiles_describe_the_programme_before_spread(collation):
    assert sorted(collation.case_examples["case_id"]) == CASE_IDS
    for case_id in CASE_IDS:
        profile = case_profile(case_id)
        assert profile.evidence == "proven"
        assert profile.name == collation.programmes.set_index("programme_id").loc[case_id, "name"]
    # The two programmes differ in what the collation asks leaders to consider about the audience.
    assert case_profile("atrial-fibrillation") != case_profile("transfer-of-care-around-medicines")


def test_an_emerging_profile_ranks_evidence_building_methods_first_with_a_warning(collation):
    profile = InterventionProfile.from_dict(PROFILE | {"evidence": "emerging"})
    ranking = spreadlab.recommend(collation, profile)
    building = methods_at_stage(collation, "prototype-testing")
    assert len(building) >= 2
    first = list(ranking["method_id"][: len(building)])
    assert set(first) == building, first
    assert ranking["rank"][len(building)] > ranking["rank"][len(building) - 1]
    assert ranking.attrs["warnings"] == [EMERGING_WARNING]
    assert "enough evidence" in EMERGING_WARNING
    reasons = ranking.set_index("method_id")["evidence_reason"]
    assert all("build evidence in real settings" in reasons[method_id] for method_id in building)


def test_a_proven_profile_has_no_warning_and_prefers_spread_stages(collation):
    ranking = spreadlab.recommend(collation, InterventionProfile.from_dict(PROFILE))
    assert ranking.attrs["warnings"] == []
    only_testing = methods_at_stage(collation, "prototype-testing") - methods_at_stage(collation, "spread") \
        - methods_at_stage(collation, "adoption-scale")
    fits = ranking.set_index("method_id")["evidence_fit"]
    assert only_testing and all(fits[m] < 1.0 for m in only_testing)


def test_ties_keep_the_collations_order_of_approaches_and_methods(collation):
    ranking = spreadlab.recommend(collation, case_profile("atrial-fibrillation"))
    position = {method_id: i for i, method_id in enumerate(collation.method_summary["method_id"])}
    for _, group in ranking.groupby("rank"):
        assert list(group["method_id"]) == sorted(group["method_id"], key=position.get)
    assert ranking["rank"].value_counts().max() > 1, "expected at least one tie to check"


def test_reasons_mark_curated_inputs_and_only_those(collation):
    ranking = spreadlab.recommend(collation, InterventionProfile.from_dict(PROFILE)).set_index("method_id")
    considerations = collation.considerations
    curated = set(zip(considerations.loc[considerations["provenance"] == "curated", "method_id"],
                      considerations.loc[considerations["provenance"] == "curated", "consideration"], strict=True))
    criterion_of = {"audience_scale": "audience_scale", "timeframe": "timescale", "resources": "resources",
                    "stage": "evidence"}
    for method_id in ranking.index:
        for consideration, criterion in criterion_of.items():
            reason = ranking.loc[method_id, f"{criterion}_reason"]
            assert ("[curated]" in reason) == ((method_id, consideration) in curated), (method_id, reason)
    # Demonstrator sites' audience and stage come from the collation itself: no tag there.
    assert "[curated]" not in ranking.loc["demonstrator-sites", "audience_scale_reason"]
    approaches = collation.approaches.set_index("approach_id")
    for _, row in ranking.iterrows():
        approach = approaches.loc[row["approach_id"]]
        assert ("[curated]" in row["nature_reason"]) == (approach["central_standardisation_provenance"] == "curated")
        assert ("[curated]" in row["motivators_reason"]) == (approach["motivation_provenance"] == "curated")


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


@pytest.mark.parametrize("module", ["ranking.py", "planning.py", "scoring.py"])
def test_no_method_id_appears_in_the_scoring_code(collation, module):
    text = (SOURCE / module).read_text(encoding="utf-8")
    found = [method_id for method_id in collation.methods["method_id"]
             if re.search(rf"(?<![\w-]){re.escape(method_id)}(?![\w-])", text)]
    assert len(collation.methods) == 24
    assert not found, f"{module} names methods {found}: rules belong in data/scoring.yaml"


def test_ranking_json_has_the_design_shape(collation):
    """DESIGN.md's object, plus one addition: `note`, the honest-framing statement shown with every ranking."""
    profile = InterventionProfile.from_yaml(DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml")
    ranking = spreadlab.recommend(collation, profile)
    result = json.loads(json.dumps(spreadlab.ranking_json(profile, ranking)))
    assert list(result) == ["profile", "warnings", "note", "methods"]
    assert result["note"] == spreadlab.RANKING_NOTE
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
            assert list(criterion) == ["fit", "reason"]
            assert isinstance(criterion["fit"], float) and isinstance(criterion["reason"], str)
        assert method["method_id"] == ranking["method_id"][position]
    ranks = [method["rank"] for method in result["methods"]]
    scores = [method["score"] for method in result["methods"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert scores == sorted(scores, reverse=True)
