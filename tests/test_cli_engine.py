"""`spreadlab recommend` and `spreadlab plan`, run as the installed console script, as a user would."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
import yaml

import spreadlab
from spreadlab import CRITERIA
from spreadlab.paths import DATA_DIR

EMERGING = {"name": "AI triage of skin lesions", "nature": "complex", "audience_scale": "regional",
            "motivators": "intrinsic", "energy_for_change": "high", "timescale_months": 18, "resources": "medium",
            "evidence": "emerging"}


@pytest.fixture(scope="module")
def case_profiles(collation, tmp_path_factory) -> dict[str, Path]:
    """The two case examples' profiles before spread, as YAML files a user would pass to the CLI."""
    folder = tmp_path_factory.mktemp("case-profiles")
    paths = {}
    for case_id in ("atrial-fibrillation", "transfer-of-care-around-medicines"):
        paths[case_id] = folder / f"{case_id}.yaml"
        paths[case_id].write_text(collation.programme_profile(case_id).to_yaml(), encoding="utf-8")
    return paths


def run(exe: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def write_profile(folder: Path, values: dict, name: str = "profile.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return path


def test_recommend_json_prints_the_design_shape(case_profiles, spreadlab_exe):
    tcam = case_profiles["transfer-of-care-around-medicines"]
    result = run(spreadlab_exe, "recommend", tcam, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    output = json.loads(result.stdout)
    assert list(output) == ["profile", "warnings", "note", "methods", "similar_programmes"]
    assert output["profile"]["name"] == "Transfer of Care around Medicines"
    assert output["profile"]["nature_derived"] is False
    assert len(output["methods"]) == 24
    first = output["methods"][0]
    assert list(first) == ["rank", "method_id", "method", "approach_id", "approach", "score", "criteria",
                           "provenance"]
    assert first["rank"] == 1
    assert list(first["criteria"]) == list(CRITERIA)
    assert all(set(c) == {"fit", "reason", "provenance"} for c in first["criteria"].values())
    ranks = [method["rank"] for method in output["methods"]]
    assert ranks == sorted(ranks)


def test_recommend_json_matches_the_library(case_profiles, spreadlab_exe, collation):
    af = case_profiles["atrial-fibrillation"]
    result = run(spreadlab_exe, "recommend", af, "--format", "json")
    profile = spreadlab.InterventionProfile.from_yaml(af)
    assert json.loads(result.stdout) == json.loads(json.dumps(
        spreadlab.ranking_json(profile, spreadlab.recommend(collation, profile))))


def test_recommend_top_3_prints_the_best_three(case_profiles, spreadlab_exe):
    af = case_profiles["atrial-fibrillation"]
    full = json.loads(run(spreadlab_exe, "recommend", af, "--format", "json").stdout)
    top = json.loads(run(spreadlab_exe, "recommend", af, "--format", "json", "--top", "3").stdout)
    assert top["methods"] == full["methods"][:3]
    table = run(spreadlab_exe, "recommend", af, "--top", "3")
    lines = [line for line in table.stdout.splitlines() if line.strip()]
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["rank", "method_id"])
    assert [line.split()[1] for line in lines[header + 1: header + 4]] == [m["method_id"] for m in top["methods"]]


def test_recommend_csv_has_a_row_per_method_with_fits_and_reasons(case_profiles, spreadlab_exe):
    af = case_profiles["atrial-fibrillation"]
    result = run(spreadlab_exe, "recommend", af, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 24
    for criterion in CRITERIA:
        assert f"{criterion}_fit" in rows[0] and rows[0][f"{criterion}_reason"]
    assert rows[0]["rank"] == "1"
    assert {"method_id", "method", "approach_id", "approach", "score", "provenance"} <= set(rows[0])


def test_recommend_table_shows_the_warning_and_the_honest_note(spreadlab_exe, tmp_path):
    result = run(spreadlab_exe, "recommend", write_profile(tmp_path, EMERGING))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Warning: The collation is meant for interventions with enough evidence")
    assert "not an evidence-validated prediction" in result.stdout
    assert "demonstrator-sites" in result.stdout


def test_plan_json_has_phases_within_the_timescale(case_profiles, spreadlab_exe):
    af = case_profiles["atrial-fibrillation"]
    result = run(spreadlab_exe, "plan", af, "--format", "json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert list(output) == ["profile", "warnings", "note", "phases", "similar_programmes"]
    phases = output["phases"]
    assert phases and phases[0]["start_month"] == 1 and phases[-1]["end_month"] <= 36
    assert {"order", "name", "start_month", "end_month", "method_ids", "methods", "approach_ids", "why",
            "limitations", "programmes"} == set(phases[0])


def test_plan_table_lists_phases_methods_reasons_and_limitations(spreadlab_exe, tmp_path):
    result = run(spreadlab_exe, "plan", write_profile(tmp_path, EMERGING), "--format", "table")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Plan for AI triage of skin lesions: complex, regional audience, 18 months")
    assert "Warning: The collation is meant for interventions with enough evidence" in out
    assert "1. " in out and "(months 1–" in out
    assert "Test, adapt and evaluate" in out
    assert "   Why: " in out and "   Watch: " in out
    assert "not an evidence-validated prediction" in out


def test_plan_table_says_when_nature_was_derived(spreadlab_exe):
    result = run(spreadlab_exe, "plan", DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml")
    assert "(derived from the complexity assessment)" in result.stdout.splitlines()[0]


BAD_PROFILES = {
    "bad-value": ("resources: lots", "field 'resources': 'lots' is not allowed (allowed: low, medium, high)"),
    "unknown-field": ("motivator: mixed", "unknown field 'motivator' (did you mean 'motivators'?)"),
    "bad-timescale": ("timescale_months: 0", "field 'timescale_months': 0 is not allowed"),
    "not-yaml": ("name: [unclosed", "not valid YAML at line"),
}


@pytest.mark.parametrize("command", ["recommend", "plan"])
@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_a_bad_profile_exits_1_with_one_line_and_no_traceback(spreadlab_exe, tmp_path, command, case):
    line, expected = BAD_PROFILES[case]
    base = yaml.safe_dump({k: v for k, v in EMERGING.items() if not line.startswith(k)}, sort_keys=False)
    path = tmp_path / f"{case}.yaml"
    path.write_text(base + line + "\n", encoding="utf-8")
    result = run(spreadlab_exe, command, path, "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"spreadlab: error: {path}: ")
    assert expected in lines[0]


@pytest.mark.parametrize("command", ["recommend", "plan"])
def test_a_missing_profile_file_exits_1_with_one_line(spreadlab_exe, tmp_path, command):
    missing = tmp_path / "nowhere.yaml"
    result = run(spreadlab_exe, command, missing)
    assert result.returncode == 1
    assert result.stderr == f"spreadlab: error: {missing}: profile file not found\n"


@pytest.mark.parametrize("command", ["recommend", "plan"])
def test_tables_name_the_programmes_most_like_the_profile_with_a_source(spreadlab_exe, case_profiles, command):
    result = run(spreadlab_exe, command, case_profiles["atrial-fibrillation"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("Programmes most like this one (the 6 closest in the library):")
    listed = lines[start + 1: start + 7]
    assert len(listed) == 6 and all(" — used: " in line and " — http" in line for line in listed), listed
