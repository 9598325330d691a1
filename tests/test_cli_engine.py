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

AF_PROFILE = DATA_DIR / "case_examples" / "profiles" / "atrial-fibrillation.yaml"
TCAM_PROFILE = DATA_DIR / "case_examples" / "profiles" / "transfer-of-care-around-medicines.yaml"
EMERGING = {"name": "AI triage of skin lesions", "nature": "complex", "audience_scale": "regional",
            "motivators": "intrinsic", "energy_for_change": "high", "timescale_months": 18, "resources": "medium",
            "evidence": "emerging"}


def run(exe: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def write_profile(folder: Path, values: dict, name: str = "profile.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return path


def test_recommend_json_prints_the_design_shape(spreadlab_exe):
    result = run(spreadlab_exe, "recommend", TCAM_PROFILE, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    output = json.loads(result.stdout)
    assert list(output) == ["profile", "warnings", "note", "methods"]
    assert output["profile"]["name"] == "Transfer of Care around Medicines (before national spread)"
    assert output["profile"]["nature_derived"] is True
    assert len(output["methods"]) == 24
    first = output["methods"][0]
    assert list(first) == ["rank", "method_id", "method", "approach_id", "approach", "score", "criteria",
                           "provenance"]
    assert first["rank"] == 1
    assert list(first["criteria"]) == list(CRITERIA)
    assert all(set(c) == {"fit", "reason", "provenance"} for c in first["criteria"].values())
    ranks = [method["rank"] for method in output["methods"]]
    assert ranks == sorted(ranks)


def test_recommend_json_matches_the_library(spreadlab_exe, collation):
    result = run(spreadlab_exe, "recommend", AF_PROFILE, "--format", "json")
    profile = spreadlab.InterventionProfile.from_yaml(AF_PROFILE)
    assert json.loads(result.stdout) == json.loads(json.dumps(
        spreadlab.ranking_json(profile, spreadlab.recommend(collation, profile))))


def test_recommend_top_3_prints_the_best_three(spreadlab_exe):
    full = json.loads(run(spreadlab_exe, "recommend", AF_PROFILE, "--format", "json").stdout)
    top = json.loads(run(spreadlab_exe, "recommend", AF_PROFILE, "--format", "json", "--top", "3").stdout)
    assert top["methods"] == full["methods"][:3]
    table = run(spreadlab_exe, "recommend", AF_PROFILE, "--top", "3")
    lines = [line for line in table.stdout.splitlines() if line.strip()]
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["rank", "method_id"])
    assert [line.split()[1] for line in lines[header + 1: header + 4]] == [m["method_id"] for m in top["methods"]]


def test_recommend_csv_has_a_row_per_method_with_fits_and_reasons(spreadlab_exe):
    result = run(spreadlab_exe, "recommend", AF_PROFILE, "--format", "csv")
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


def test_plan_json_has_phases_within_the_timescale(spreadlab_exe):
    result = run(spreadlab_exe, "plan", AF_PROFILE, "--format", "json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert list(output) == ["profile", "warnings", "note", "phases"]
    phases = output["phases"]
    assert phases and phases[0]["start_month"] == 1 and phases[-1]["end_month"] <= 36
    assert {"order", "name", "start_month", "end_month", "method_ids", "methods", "approach_ids", "why",
            "limitations"} == set(phases[0])


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
    result = run(spreadlab_exe, "plan", TCAM_PROFILE)
    assert "complicated (derived from the complexity assessment)" in result.stdout.splitlines()[0]


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
