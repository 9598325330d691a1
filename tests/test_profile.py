"""InterventionProfile from a dict, a YAML file or a CSV row; every bad value is a ProfileError a user can fix."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from spreadlab import InterventionProfile, ProfileError, derive_nature
from spreadlab.profile import FIELDS
from spreadlab.vocabulary import NASSS_DOMAINS

VALID = {
    "name": "Remote monitoring for COPD",
    "nature": "complicated",
    "audience_scale": "regional",
    "motivators": "mixed",
    "energy_for_change": "medium",
    "timescale_months": 24,
    "resources": "medium",
    "evidence": "proven",
}
ALL_COMPLICATED = dict.fromkeys(NASSS_DOMAINS, "complicated")


def without(key: str, values: dict | None = None) -> dict:
    return {k: v for k, v in (values or VALID).items() if k != key}


def assessment(**ratings: str) -> dict[str, str]:
    """A NASSS self-assessment: every domain simple unless rated otherwise."""
    return dict.fromkeys(NASSS_DOMAINS, "simple") | ratings


def raises_profile_error(values: dict) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_dict(values)
    return caught.value


def test_from_dict_keeps_every_field():
    profile = InterventionProfile.from_dict(VALID)
    assert profile.name == "Remote monitoring for COPD"
    assert (profile.nature, profile.audience_scale, profile.motivators) == ("complicated", "regional", "mixed")
    assert (profile.energy_for_change, profile.timescale_months, profile.resources) == ("medium", 24, "medium")
    assert profile.evidence == "proven"
    assert profile.complexity is None
    assert profile.nature_derived is False


def test_evidence_defaults_to_proven():
    assert InterventionProfile.from_dict(without("evidence")).evidence == "proven"


def test_choice_values_are_read_case_insensitively_and_trimmed():
    profile = InterventionProfile.from_dict(VALID | {"audience_scale": " National ", "resources": "HIGH"})
    assert (profile.audience_scale, profile.resources) == ("national", "high")


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("nature", "chaotic", "simple, complicated, complex"),
        ("audience_scale", "global", "local, regional, national"),
        ("motivators", "money", "extrinsic, intrinsic, mixed"),
        ("energy_for_change", "very high", "low, medium, high"),
        ("resources", 3, "low, medium, high"),
        ("evidence", "anecdotal", "proven, emerging"),
    ],
)
def test_bad_choice_names_the_field_the_value_and_the_allowed_values(field, value, allowed):
    error = raises_profile_error(VALID | {field: value})
    assert error.field == field
    message = str(error)
    assert repr(field) in message
    assert repr(value) in message
    assert f"allowed: {allowed}" in message


def test_a_near_miss_value_gets_a_did_you_mean():
    error = raises_profile_error(VALID | {"audience_scale": "nationl"})
    assert "did you mean 'national'?" in str(error)


@pytest.mark.parametrize(("key", "suggestion"), [("motivator", "motivators"), ("timescale", "timescale_months"),
                                                 ("audience", "audience_scale"), ("evidance", "evidence")])
def test_an_unknown_field_near_a_real_one_gets_a_did_you_mean(key, suggestion):
    error = raises_profile_error(VALID | {key: "x"})
    assert error.field == key
    assert f"unknown field {key!r}" in str(error)
    assert f"did you mean {suggestion!r}?" in str(error)
    assert "allowed fields: name, nature, complexity" in str(error)


def test_an_unknown_field_far_from_any_real_one_lists_the_allowed_fields():
    error = raises_profile_error(VALID | {"budget_owner": "ICB"})
    assert error.field == "budget_owner"
    assert "did you mean" not in str(error)
    assert "allowed fields:" in str(error)


@pytest.mark.parametrize("field", ["name", "audience_scale", "motivators", "energy_for_change", "timescale_months",
                                   "resources"])
def test_a_missing_required_field_is_named(field):
    error = raises_profile_error(without(field))
    assert error.field == field
    assert f"required field {field!r} is missing" in str(error)


def test_missing_nature_without_complexity_says_complexity_would_do():
    error = raises_profile_error(without("nature"))
    assert error.field == "nature"
    assert "or give complexity to derive it" in str(error)


def test_an_empty_value_counts_as_missing():
    error = raises_profile_error(VALID | {"motivators": None})
    assert error.field == "motivators"


def test_a_profile_must_be_a_mapping():
    with pytest.raises(ProfileError, match="must be a mapping of profile fields, not list"):
        InterventionProfile.from_dict(["name", "x"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratings", "nature"),
    [
        ({}, "simple"),
        ({"technology": "complicated"}, "simple"),
        ({"technology": "complicated", "adopters": "complicated"}, "complicated"),
        (dict.fromkeys(NASSS_DOMAINS, "complicated"), "complicated"),
        ({"embedding": "complex"}, "complex"),
        ({"condition": "complex", "technology": "complicated", "adopters": "complicated"}, "complex"),
    ],
)
def test_nature_is_derived_from_the_complexity_assessment(ratings, nature):
    profile = InterventionProfile.from_dict(without("nature") | {"complexity": assessment(**ratings)})
    assert profile.nature == nature
    assert profile.nature_derived is True
    assert derive_nature(profile.complexity) == nature


def test_a_given_nature_wins_over_the_assessment_and_is_not_derived():
    profile = InterventionProfile.from_dict(VALID | {"nature": "simple", "complexity": assessment(adopters="complex")})
    assert profile.nature == "simple"
    assert profile.nature_derived is False
    assert dict(profile.complexity)["adopters"] == "complex"


def test_the_assessment_is_kept_in_domain_order():
    shuffled = dict(reversed(list(assessment(adopters="complex").items())))
    profile = InterventionProfile.from_dict(without("nature") | {"complexity": shuffled})
    assert [domain for domain, _ in profile.complexity] == list(NASSS_DOMAINS)


@pytest.mark.parametrize(
    ("complexity", "words"),
    [
        ("complex", "must map each NASSS domain"),
        (assessment() | {"tech": "simple"}, "unknown domain 'tech'"),
        (assessment() | {"technolgy": "simple"}, "did you mean 'technology'?"),
        ({k: v for k, v in assessment().items() if k != "embedding"}, "domain 'embedding' is missing"),
        (assessment(adopters="chaotic"), "'complexity.adopters': 'chaotic' is not allowed (allowed: simple, "
                                         "complicated, complex)"),
        (assessment(adopters=2), "'complexity.adopters': 2 is not allowed"),
    ],
)
def test_a_bad_complexity_assessment_is_a_profile_error(complexity, words):
    error = raises_profile_error(without("nature") | {"complexity": complexity})
    assert error.field == "complexity"
    assert words in str(error)


@pytest.mark.parametrize("months", [1, 60, 120, "1", " 36 ", "120", 12.0])
def test_timescale_takes_whole_months_from_1_to_120(months):
    assert InterventionProfile.from_dict(VALID | {"timescale_months": months}).timescale_months == int(months)


@pytest.mark.parametrize("months", [0, 121, -3, 2.5, True, False, "ten", "", "2.5", "+5", "²", "1e2", [12]])
def test_timescale_rejects_anything_else(months):
    error = raises_profile_error(VALID | {"timescale_months": months})
    assert error.field == "timescale_months"
    assert repr(months) in str(error)
    assert "a whole number of months from 1 to 120" in str(error)


@pytest.mark.parametrize(("name", "kept"), [("x", "x"), ("A" * 200, "A" * 200), ("  padded  ", "padded"),
                                           ("two\nlines", "two lines"), ("0\x850", "0 0"), (2024, "2024")])
def test_name_takes_1_to_200_characters_on_one_line(name, kept, tmp_path):
    profile = InterventionProfile.from_dict(VALID | {"name": name})
    assert profile.name == kept
    path = tmp_path / "profile.yaml"
    path.write_text(profile.to_yaml(), encoding="utf-8")
    assert InterventionProfile.from_yaml(path) == profile


@pytest.mark.parametrize("name", ["", "   ", "A" * 201, True, ["a list"]])
def test_name_rejects_empty_too_long_or_not_text(name):
    error = raises_profile_error(VALID | {"name": name})
    assert error.field == "name"
    assert "text of 1–200 characters" in str(error)


DERIVED = without("nature") | {"complexity": assessment(technology="complicated", adopters="complicated")}


@pytest.mark.parametrize("values", [VALID, without("evidence"), VALID | {"complexity": ALL_COMPLICATED}, DERIVED],
                         ids=["given", "default-evidence", "given-with-assessment", "derived"])
def test_a_profile_round_trips_through_dict_and_yaml_unchanged(values, tmp_path):
    profile = InterventionProfile.from_dict(values)
    assert InterventionProfile.from_dict(profile.to_dict()) == profile
    path = tmp_path / "profile.yaml"
    path.write_text(profile.to_yaml(), encoding="utf-8")
    assert InterventionProfile.from_yaml(path) == profile


def test_a_derived_nature_is_left_out_of_to_dict_so_it_stays_derived():
    profile = InterventionProfile.from_dict(DERIVED)
    assert "nature" not in profile.to_dict()
    assert InterventionProfile.from_dict(profile.to_dict()).nature_derived is True


def test_from_yaml_reads_a_file(tmp_path):
    path = tmp_path / "copd.yaml"
    path.write_text(yaml.safe_dump(DERIVED), encoding="utf-8")
    profile = InterventionProfile.from_yaml(path)
    assert (profile.nature, profile.nature_derived) == ("complicated", True)


def test_from_yaml_errors_name_the_file(tmp_path):
    bad_value = tmp_path / "bad.yaml"
    bad_value.write_text(yaml.safe_dump(VALID | {"resources": "lots"}), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad\.yaml: field 'resources': 'lots' is not allowed"):
        InterventionProfile.from_yaml(bad_value)
    not_yaml = tmp_path / "broken.yaml"
    not_yaml.write_text("name: [unclosed\nnature: simple\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.yaml: is not valid YAML at line \d+"):
        InterventionProfile.from_yaml(not_yaml)
    with pytest.raises(ProfileError, match=r"missing\.yaml: profile file not found"):
        InterventionProfile.from_yaml(tmp_path / "missing.yaml")
    with pytest.raises(ProfileError, match="the profile is a folder, not a file"):
        InterventionProfile.from_yaml(tmp_path)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ProfileError, match="required field 'name' is missing"):
        InterventionProfile.from_yaml(empty)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_from_csv_row_reads_text_cells_and_treats_empty_cells_as_not_given():
    columns = "name,nature,audience_scale,motivators,energy_for_change,timescale_months,resources,evidence"
    row = csv_rows(f"{columns}\nSepsis screening,simple,local,intrinsic,high,18,low,\n")[0]
    profile = InterventionProfile.from_csv_row(row)
    assert profile.timescale_months == 18
    assert profile.evidence == "proven"
    assert profile.nature_derived is False


def test_from_csv_row_reads_complexity_columns_and_derives_nature():
    domains = ",".join(f"complexity.{domain}" for domain in NASSS_DOMAINS)
    ratings = ",".join(assessment(adopters="complex").values())
    header = f"name,nature,audience_scale,motivators,energy_for_change,timescale_months,resources,{domains}"
    row = csv_rows(f"{header}\nVirtual wards,,regional,mixed,medium,36,high,{ratings}\n")[0]
    profile = InterventionProfile.from_csv_row(row)
    assert profile.nature == "complex"
    assert profile.nature_derived is True
    assert dict(profile.complexity)["adopters"] == "complex"


def test_from_csv_row_with_empty_complexity_cells_needs_a_nature():
    domains = ",".join(f"complexity.{domain}" for domain in NASSS_DOMAINS)
    header = f"name,nature,audience_scale,motivators,energy_for_change,timescale_months,resources,{domains}"
    row = csv_rows(f"{header}\nVirtual wards,,regional,mixed,medium,36,high,,,,,,,\n")[0]
    with pytest.raises(ProfileError, match="row 7: required field 'nature' is missing") as caught:
        InterventionProfile.from_csv_row(row, source="row 7")
    assert caught.value.field == "nature"


def test_from_csv_row_errors_name_the_field():
    row = {"name": "x", "nature": "simple", "audience_scale": "local", "motivators": "mixed",
           "energy_for_change": "low", "timescale_months": "ten", "resources": "low"}
    with pytest.raises(ProfileError, match="portfolio.csv row 3: field 'timescale_months': 'ten'") as caught:
        InterventionProfile.from_csv_row(row, source="portfolio.csv row 3")
    assert caught.value.field == "timescale_months"
    with pytest.raises(ProfileError, match="unknown field 'complexity_adopters'"):
        InterventionProfile.from_csv_row(row | {"timescale_months": "12", "complexity_adopters": "complex"})


def test_profiles_are_frozen():
    profile = InterventionProfile.from_dict(VALID)
    with pytest.raises(ValidationError, match="frozen"):
        profile.name = "changed"  # type: ignore[misc]


def test_the_shipped_example_profiles_all_load():
    from spreadlab.paths import DATA_DIR

    paths = sorted(Path(DATA_DIR, "examples", "profiles").glob("*.yaml"))
    assert len(paths) >= 6
    for path in paths:
        assert InterventionProfile.from_yaml(path).name


@pytest.mark.parametrize("name", ["bell\x07", "nul\x00byte", "esc\x1b[31m", "mirror\u202etxt.exe"])
def test_control_characters_in_a_name_are_refused_with_their_code_point(name):
    error = raises_profile_error(VALID | {"name": name})
    assert error.field == "name"
    assert "control character (U+" in str(error)


def test_numpy_numbers_are_whole_months_when_whole():
    numpy = pytest.importorskip("numpy")
    assert InterventionProfile.from_dict(VALID | {"timescale_months": numpy.int64(36)}).timescale_months == 36
    assert InterventionProfile.from_dict(VALID | {"timescale_months": numpy.float64(12.0)}).timescale_months == 12
    error = raises_profile_error(VALID | {"timescale_months": numpy.float64(2.5)})
    assert "a whole number of months from 1 to 120" in str(error)


def test_a_huge_value_is_quoted_cut_short():
    error = raises_profile_error(VALID | {"resources": "x" * 5_000_000})
    assert len(str(error)) < 300


def test_a_yaml_alias_bomb_fails_fast_with_one_line(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nname: *a9\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_yaml(path)
    assert len(str(caught.value)) < 400
    assert "\n" not in str(caught.value)


def test_deeply_nested_yaml_is_one_line_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="deep.yaml"):
        InterventionProfile.from_yaml(path)


def test_a_profile_built_directly_is_validated_too():
    with pytest.raises(ValidationError, match="'resources': 'lots' is not allowed"):
        InterventionProfile(**(VALID | {"resources": "lots"}))
    with pytest.raises(ValidationError, match="required field 'name' is missing"):
        InterventionProfile(**without("name"))


def test_context_fields_are_optional_and_read_yes_no_from_yaml_booleans(tmp_path):
    assert InterventionProfile.from_dict(VALID).mandate is None
    path = tmp_path / "context.yaml"
    path.write_text(yaml.safe_dump(VALID) + "mandate: yes\ncentral_funding: no\nspread_lead: Grassroots\n"
                    "adopter_count: dozens\nadopters: frontline-teams\n", encoding="utf-8")
    profile = InterventionProfile.from_yaml(path)
    assert (profile.mandate, profile.central_funding, profile.spread_lead) == ("yes", "no", "grassroots")
    assert InterventionProfile.from_dict(profile.to_dict()) == profile
    error = raises_profile_error(VALID | {"spread_lead": "nationl-body"})
    assert "did you mean 'national-body'?" in str(error)
    assert "allowed: national-body, regional-body, local-organisation, grassroots" in str(error)


def test_a_profile_with_a_key_given_twice_is_refused(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text(yaml.safe_dump(VALID) + "resources: high\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"twice\.yaml.*'resources'"):
        InterventionProfile.from_yaml(path)


def test_every_bad_field_is_reported_at_once_one_line_each():
    """Two or more bad fields: one line each (field, value, allowed values), the first line useful on its own."""
    values = without("name") | {"resources": "lots", "motivators": "money", "budget_owner": "ICB"}
    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_dict(values, source="p.yaml")
    lines = str(caught.value).splitlines()
    assert lines == [
        "p.yaml: unknown field 'budget_owner' (allowed fields: " + ", ".join(FIELDS) + "); 3 more problems below",
        "p.yaml: required field 'name' is missing",
        "p.yaml: field 'motivators': 'money' is not allowed (allowed: extrinsic, intrinsic, mixed)",
        "p.yaml: field 'resources': 'lots' is not allowed (allowed: low, medium, high)",
    ]
    assert caught.value.field == "budget_owner"
    assert [problem.field for problem in caught.value.problems] == ["budget_owner", "name", "motivators", "resources"]


def test_a_bad_assessment_without_a_nature_is_one_problem_not_two():
    values = without("nature") | {"complexity": {"condition": "odd"}, "resources": "lots"}
    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_dict(values)
    assert [problem.field for problem in caught.value.problems] == ["resources", "complexity"]
    assert "nature" not in str(caught.value)
