"""`spreadlab recommend` and `spreadlab plan` as a user runs them (in process through `main(argv)`; the console
script itself is covered by tests/test_cli_data.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

import spreadlab
from spreadlab.cli import main
from spreadlab.paths import DATA_DIR

EXAMPLES = DATA_DIR / "examples" / "profiles"
EMERGING = {"name": "AI triage of skin lesions", "nature": "complex", "audience_scale": "regional",
            "motivators": "intrinsic", "energy_for_change": "high", "timescale_months": 18, "resources": "medium",
            "evidence": "emerging"}
BAD_PROFILES = {
    "bad-value": ("resources: lots", "field 'resources': 'lots' is not allowed (allowed: low, medium, high)"),
    "unknown-field": ("motivator: mixed", "unknown field 'motivator' (did you mean 'motivators'?)"),
    "bad-timescale": ("timescale_months: 0", "field 'timescale_months': 0 is not allowed"),
    "not-yaml": ("name: [unclosed", "not valid YAML at line"),
}


def run(capsys, *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def write_profile(folder: Path, values: dict, name: str = "profile.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return path


def test_recommend_json_prints_the_design_shape(capsys):
    code, out, err = run(capsys, "recommend", EXAMPLES / "mandated-standard-incentive.yaml", "--format", "json")
    assert code == 0 and err == ""
    output = json.loads(out)
    assert list(output) == ["profile", "warnings", "note", "excluded_programmes", "methods", "similar_programmes"]
    assert len(output["methods"]) == 24
    first = output["methods"][0]
    assert list(first)[:6] == ["rank", "method_id", "method", "approach_id", "approach", "score"]
    assert {"chance", "base_rate", "lift", "standing", "summary", "criteria", "counts", "lever", "ask",
            "rules", "provenance"} <= set(first)
    assert set(first["criteria"]) == {"situation_model", "programmes_like_yours"}
    assert all({"fit", "reason"} <= set(c) for c in first["criteria"].values())
    ranks = [method["rank"] for method in output["methods"]]
    assert ranks == sorted(ranks)
    incentive = next(m for m in output["methods"] if m["method_id"] == "performance-related-funding")
    assert incentive["lever"] == "incentive" and any("in your hands" in line for line in incentive["rules"])
    assert len(output["similar_programmes"]) == 6 and all(p["why"].startswith("Alike") for p in
                                                           output["similar_programmes"])


def test_recommend_top_3_and_exclude(capsys, collation):
    path = EXAMPLES / "frailty-virtual-wards.yaml"
    code, out, _ = run(capsys, "recommend", path, "--format", "json", "--top", "3")
    output = json.loads(out)
    assert code == 0 and len(output["methods"]) == 3
    dropped = output["similar_programmes"][0]["id"]
    code, out, _ = run(capsys, "recommend", path, "--format", "json", "--exclude", dropped)
    again = json.loads(out)
    assert again["excluded_programmes"] == [dropped]
    assert dropped not in [p["id"] for p in again["similar_programmes"]]


def test_recommend_csv_has_a_row_per_method_with_its_summary(capsys):
    code, out, _ = run(capsys, "recommend", EXAMPLES / "sepsis-screening-tool.yaml", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 24
    assert {"rank", "method_id", "score", "base_rate", "lift", "standing", "summary"} <= set(rows[0])


def test_recommend_table_shows_the_warning_and_the_honest_note(capsys, tmp_path):
    code, out, _ = run(capsys, "recommend", write_profile(tmp_path, EMERGING))
    assert code == 0
    assert out.startswith("Warning: The collation is for interventions with enough evidence")
    assert "not an evidence-validated prediction" in out


def test_plan_json_has_phases_within_the_timescale(capsys):
    code, out, _ = run(capsys, "plan", EXAMPLES / "regional-maternity-bundle.yaml", "--format", "json")
    output = json.loads(out)
    assert code == 0
    phases = output["phases"]
    assert phases[0]["start_month"] == 1 and phases[-1]["end_month"] == output["profile"]["timescale_months"]
    assert all(p["planned"] and all(m["summary"] for m in p["planned"]) for p in phases)


def test_plan_table_lists_phases_methods_and_asks(capsys):
    code, out, _ = run(capsys, "plan", EXAMPLES / "local-integrated-care.yaml")
    assert code == 0
    assert "1. Prepare and signal the priority (months 1–" in out
    assert "Programmes most like this one" in out


def test_plan_table_says_when_nature_was_derived(capsys):
    code, out, _ = run(capsys, "plan", EXAMPLES / "copd-remote-monitoring.yaml")
    assert code == 0 and "complex (derived from the complexity assessment)" in out.splitlines()[0]


@pytest.mark.parametrize("command", ["recommend", "plan"])
@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_a_bad_profile_exits_1_with_one_line_and_no_traceback(capsys, tmp_path, command, case):
    line, expected = BAD_PROFILES[case]
    base = yaml.safe_dump({k: v for k, v in EMERGING.items() if not line.startswith(k)}, sort_keys=False)
    path = tmp_path / f"{case}.yaml"
    path.write_text(base + line + "\n", encoding="utf-8")
    code, out, err = run(capsys, command, path, "--format", "json")
    assert code == 1 and out == "" and "Traceback" not in err
    lines = err.splitlines()
    assert lines[0].startswith(f"spreadlab: error: {path}: ")
    assert expected in lines[0]


@pytest.mark.parametrize("command", ["recommend", "plan"])
def test_a_missing_profile_file_exits_1_with_one_line(capsys, tmp_path, command):
    missing = tmp_path / "nowhere.yaml"
    code, _, err = run(capsys, command, missing)
    assert code == 1 and err == f"spreadlab: error: {missing}: profile file not found\n"


@pytest.mark.parametrize("command", ["recommend", "plan"])
def test_tables_name_the_programmes_most_like_the_profile_with_why(capsys, command):
    code, out, _ = run(capsys, command, EXAMPLES / "gp-valproate-safety.yaml")
    assert code == 0
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Programmes most like this one (the 6 closest"))
    listed = lines[start + 1: start + 7]
    assert len(listed) == 6 and all(" — Alike in " in line and "weight" in line for line in listed), listed


def test_plan_markdown_is_the_full_plan_with_its_headings(capsys, collation):
    from spreadlab.views import outline

    path = EXAMPLES / "regional-maternity-bundle.yaml"
    code, out, _ = run(capsys, "plan", path, "--format", "markdown")
    guide = spreadlab.guide(collation, spreadlab.plan(collation, spreadlab.InterventionProfile.from_yaml(path)))
    assert code == 0 and out == outline.to_markdown(outline.full_outline(guide, collation))
    assert "## What we need from others" in out and "## Evaluation plan" in out and "## Communication plan" in out


@pytest.mark.parametrize("command", ["recommend", "plan"])
def test_a_profile_with_several_bad_fields_names_every_one_a_line(capsys, tmp_path, command):
    path = write_profile(tmp_path, EMERGING | {"resources": "lots", "motivators": "money", "timescale_months": 0})
    code, out, err = run(capsys, command, path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"spreadlab: error: {path}: field 'motivators': 'money' is not allowed (allowed: extrinsic, intrinsic, "
        "mixed); 2 more problems below",
        f"{path}: field 'timescale_months': 0 is not allowed (allowed: a whole number of months from 1 to 120)",
        f"{path}: field 'resources': 'lots' is not allowed (allowed: low, medium, high)"]
