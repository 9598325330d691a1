"""filter_methods and compare: each criterion alone and combined, lists as "any of", clear errors for bad input."""

from __future__ import annotations

import pytest

import spreadlab
from spreadlab import SpreadlabError, UnknownIdError, compare, filter_methods
from spreadlab.selection import ASPECTS, COMPARE_COLUMNS


def ids(table) -> set[str]:
    return set(table["method_id"])


def having(collation: spreadlab.Collation, consideration: str, *values: str) -> set[str]:
    """Methods with any of `values` for `consideration`, worked out from the long considerations table."""
    rows = collation.considerations
    rows = rows[(rows["consideration"] == consideration) & rows["value"].astype(str).isin(values)]
    return set(rows["method_id"])


def in_approaches(collation: spreadlab.Collation, *approach_ids: str) -> set[str]:
    methods = collation.methods
    return set(methods.loc[methods["approach_id"].isin(approach_ids), "method_id"])


def test_no_criteria_keeps_every_recorded_method_with_the_summary_columns(collation):
    table = filter_methods(collation)
    assert len(table) == 24
    assert list(table.columns) == list(collation.method_summary.columns)


def test_approach_alone_and_as_a_list(collation):
    assert ids(filter_methods(collation, approach="piloting-rolling-out")) == {"demonstrator-sites", "rolling-out"}
    both = filter_methods(collation, approach=["investing-incentivising", "identifying-priorities"])
    assert ids(both) == {"performance-related-funding", "flexible-commercial-deals", "local-needs-identification",
                         "horizon-scanning"}


@pytest.mark.parametrize(("criterion", "values"), [
    ("stage", ["prototype-testing"]),
    ("stage", ["spread", "adoption-scale"]),
    ("audience_scale", ["local"]),
    ("audience_scale", ["regional", "national"]),
    ("timeframe", ["short"]),
    ("timeframe", ["variable", "medium"]),
])
def test_each_consideration_alone_single_or_any_of(collation, criterion, values):
    argument = values[0] if len(values) == 1 else values
    table = filter_methods(collation, **{criterion: argument})
    expected = having(collation, criterion, *values)
    assert ids(table) == expected
    assert 0 < len(expected) < 24


def test_stage_prototype_testing_finds_the_evidence_builders(collation):
    assert ids(filter_methods(collation, stage="prototype-testing")) == {
        "dedicated-resource-provision", "co-production-with-end-users", "demonstrator-sites",
        "competition-crowdsourcing", "local-needs-identification", "horizon-scanning"}


@pytest.mark.parametrize(("most", "levels"), [("low", {"low"}), ("medium", {"low", "medium"}),
                                              ("high", {"low", "medium", "high"})])
def test_resources_max_keeps_methods_needing_at_most_that_much(collation, most, levels):
    table = filter_methods(collation, resources_max=most)
    assert ids(table) == having(collation, "resources", *levels)
    assert set(table["resources"].astype(str)) == levels


def test_motivation_matches_the_approachs_focus(collation):
    extrinsic = filter_methods(collation, motivation="extrinsic")
    assert set(extrinsic["approach_id"]) == {"investing-incentivising", "governing-assuring"}
    assert ids(extrinsic) == in_approaches(collation, "investing-incentivising", "governing-assuring")
    either = filter_methods(collation, motivation=["intrinsic", "extrinsic"])
    assert ids(either) == in_approaches(collation, "capacity-capability", "networking", "investing-incentivising",
                                        "governing-assuring")


@pytest.mark.parametrize(("text", "expected"), [
    ("PATIENT PULL", {"patient-voice-enablement"}),        # a name, any case
    ("inclisiran", {"flexible-commercial-deals"}),          # an example
    ("GIRFT", {"central-coordination"}),                    # an example
    ("crowdsourcing", {"competition-crowdsourcing"}),
])
def test_text_searches_names_and_examples(collation, text, expected):
    assert ids(filter_methods(collation, text=text)) == expected


def test_text_searches_descriptions(collation):
    methods = collation.methods.set_index("method_id")
    assert "network riding" in methods.loc["network", "description"]
    assert "network" in ids(filter_methods(collation, text="Network Riding"))


def test_text_searches_strengths_and_limitations_of_the_approach(collation):
    strength = "own steam"          # a networking strength
    limitation = "self-selected enthusiasts"  # a networking limitation
    assert collation.strengths["text"].str.contains(strength).sum() == 1
    assert collation.limitations["text"].str.contains(limitation).sum() == 1
    networking = in_approaches(collation, "networking")
    assert ids(filter_methods(collation, text=strength)) == networking
    assert ids(filter_methods(collation, text=limitation.upper())) == networking


def test_text_that_matches_nothing_gives_an_empty_table(collation):
    table = filter_methods(collation, text="zzz-no-such-words")
    assert table.empty
    assert list(table.columns) == list(collation.method_summary.columns)


def test_include_curated_false_matches_only_values_the_collation_states(collation):
    # Only demonstrator sites has considerations stated by the collation (its resources level is curated).
    assert ids(filter_methods(collation, include_curated=False)) == {"demonstrator-sites"}
    assert ids(filter_methods(collation, include_curated=False, stage="spread", audience_scale="local")) == {
        "demonstrator-sites"
    }
    assert ids(filter_methods(collation, include_curated=False, timeframe="variable")) == {"demonstrator-sites"}
    # Its timeframe (variable) is stated; a criterion it meets only through curation leaves nothing.
    assert ids(filter_methods(collation, include_curated=False, timeframe="short")) == set()
    assert ids(filter_methods(collation, include_curated=False, resources_max="high")) == set()
    assert ids(filter_methods(collation, include_curated=False, motivation="mixed")) == set()
    assert ids(filter_methods(collation, include_curated=True)) == set(collation.methods["method_id"])


def test_criteria_combine_as_and(collation):
    table = filter_methods(collation, audience_scale="local", timeframe="short", resources_max="medium")
    expected = having(collation, "audience_scale", "local") & having(collation, "timeframe", "short") & \
        having(collation, "resources", "low", "medium")
    assert ids(table) == expected == {"honest-broker", "competition-crowdsourcing", "local-needs-identification"}
    narrowed = filter_methods(collation, approach=["networking", "coordinating"], stage="spread",
                              audience_scale="national", motivation="intrinsic", text="network")
    assert ids(narrowed) == in_approaches(collation, "networking") & having(collation, "stage", "spread") \
        & having(collation, "audience_scale", "national")
    assert ids(narrowed) == {"network", "patient-voice-enablement", "partner-networks", "collaboratives"}


@pytest.mark.parametrize(("criterion", "value", "allowed"), [
    ("stage", "pilot", "prototype-testing, spread, adoption-scale"),
    ("audience_scale", ["local", "global"], "local, regional, national"),
    ("timeframe", "quick", "short, medium, long, variable"),
    ("motivation", "money", "extrinsic, intrinsic, mixed"),
    ("resources_max", "lots", "low, medium, high"),
])
def test_a_value_outside_the_vocabulary_is_an_error_naming_it(collation, criterion, value, allowed):
    bad = value if isinstance(value, str) else value[-1]
    with pytest.raises(SpreadlabError, match=rf"{criterion}: '{bad}' is not allowed \(allowed: {allowed}\)"):
        filter_methods(collation, **{criterion: value})


def test_an_unknown_approach_is_named_with_close_matches(collation):
    with pytest.raises(UnknownIdError, match=r"unknown approach id: 'netwrking' \(did you mean 'networking'\?\)"):
        filter_methods(collation, approach="netwrking")


def _values(table, ident: str, aspect: str) -> list[tuple[str, str | None]]:
    rows = table[(table["id"] == ident) & (table["aspect"] == aspect)]
    return list(zip(rows["value"], rows["provenance"], strict=True))


def test_compare_methods_gives_every_aspect_of_each_as_tidy_rows(collation):
    table = compare(collation, ["network", "demonstrator-sites", "performance-related-funding"])
    assert list(table.columns) == COMPARE_COLUMNS
    assert list(dict.fromkeys(table["name"])) == ["Network", "Demonstrator sites", "Performance related funding"]
    for ident in ("network", "demonstrator-sites"):
        aspects = list(dict.fromkeys(table.loc[table["id"] == ident, "aspect"]))
        assert aspects == [aspect for aspect in ASPECTS if aspect != "methods_recorded"]
    assert _values(table, "demonstrator-sites", "kind") == [("Method", "collation")]
    assert _values(table, "demonstrator-sites", "approach") == [("Piloting and rolling out", "collation")]
    assert _values(table, "demonstrator-sites", "stage") == [("Prototype/testing, Spread", "collation")]
    ((resources, provenance),) = _values(table, "demonstrator-sites", "resources")
    assert resources.startswith("High — ") and provenance == "curated" and "[" not in resources
    assert ("AF Demonstrator Site Programme", "collation") in _values(table, "demonstrator-sites", "examples")
    assert _values(table, "network", "examples") == [("None recorded", None)]
    assert [v for v, _ in _values(table, "performance-related-funding", "examples")] == [
        "CQUIN", "QOF", "Best practice tariffs"]
    limitations = collation.limitations.query("approach_id == 'investing-incentivising'")
    assert _values(table, "performance-related-funding", "limitations") == list(
        zip(limitations["text"], limitations["provenance"].astype(str), strict=True))
    assert table["provenance"].dropna().isin(["collation", "collation-summary", "curated"]).all()


def test_compare_approaches_and_methods_together(collation):
    table = compare(collation, ["investing-incentivising", "governing-assuring", "central-coordination"])
    assert _values(table, "investing-incentivising", "kind") == [("Approach", "collation")]
    assert _values(table, "investing-incentivising", "methods_recorded") == [
        ("2 of the 8 methods the collation states", "collation")]
    ((stage, _),) = _values(table, "investing-incentivising", "stage")
    assert stage.endswith("(across its recorded methods)")
    assert _values(table, "central-coordination", "kind") == [("Method", "collation")]
    assert _values(table, "central-coordination", "methods_recorded") == []


def test_compare_takes_five_but_not_six_or_one(collation):
    five = ["network", "honest-broker", "collaboratives", "partner-networks", "rolling-out"]
    assert compare(collation, five)["id"].nunique() == 5
    with pytest.raises(SpreadlabError, match="compare takes 2 to 5 different ids, got 6"):
        compare(collation, [*five, "horizon-scanning"])
    with pytest.raises(SpreadlabError, match="got 1"):
        compare(collation, ["network"])
    with pytest.raises(SpreadlabError, match="got 1"):
        compare(collation, ["network", "network"])


def test_compare_names_unknown_ids_with_close_matches(collation):
    with pytest.raises(UnknownIdError) as caught:
        compare(collation, ["netwrk", "rolling-out", "no-such-thing-at-all"])
    message = str(caught.value)
    assert message.startswith("unknown method or approach id: ")
    assert "'netwrk' (did you mean 'network'" in message
    assert "'no-such-thing-at-all'" in message
    assert "rolling-out" not in message.split("'netwrk'")[0]
