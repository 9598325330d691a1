"""`spreadlab validate` and `spreadlab list`, run as the installed console script a user types."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from test_collation import METHOD_IDS, METHODS_STATED

ALL_METHOD_IDS = [method_id for ids in METHOD_IDS.values() for method_id in ids]


def run(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_validate_prints_one_summary_line_and_exits_0(spreadlab_exe, tmp_path):
    done = run(spreadlab_exe, "validate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    summary = lines[0]
    assert summary.startswith("OK: 7 approaches, 24 methods recorded of 34 stated (")
    for approach_id, stated in METHODS_STATED.items():
        assert f"{approach_id} {len(METHOD_IDS[approach_id])}/{stated}" in summary
    assert "2 case examples" in summary


def test_validate_checks_the_folder_it_is_given(spreadlab_exe, data_copy, tmp_path):
    done = run(spreadlab_exe, "validate", str(data_copy), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(f"({data_copy})")


def _break(data: Path) -> None:
    piloting = data / "approaches/3-piloting-rolling-out.yaml"
    document = yaml.safe_load(piloting.read_text(encoding="utf-8"))
    document["characteristics"]["central_standardisation"]["value"] = "very high"
    del document["definition"]
    piloting.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    (data / "glossary.yaml").unlink()
    (data / "rules.yaml").write_text("plan: heavy\n", encoding="utf-8")


def test_validate_lists_every_problem_and_exits_1_without_a_traceback(spreadlab_exe, data_copy, tmp_path):
    _break(data_copy)
    done = run(spreadlab_exe, "validate", str(data_copy), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].endswith("problems in the collation data:")
    piloting = "  approaches/3-piloting-rolling-out.yaml: piloting-rolling-out"
    assert f"{piloting}: definition: required field is missing" in lines
    assert (
        f"{piloting}: characteristics.central_standardisation.value: "
        "'very high' is not allowed (allowed: low, medium, high)"
    ) in lines
    assert "  glossary.yaml: file is missing" in lines
    # The advice rules, which load() reads only on first use, are checked too.
    assert "  rules.yaml: plan: input should be a dictionary or an instance of PlanRule (got str 'heavy')" in lines


def test_validate_of_a_folder_that_does_not_exist(spreadlab_exe, tmp_path):
    done = run(spreadlab_exe, "validate", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{tmp_path / 'nowhere'}: is not a folder" in done.stderr


def test_list_methods_as_json_gives_the_24_ids(spreadlab_exe, tmp_path):
    done = run(spreadlab_exe, "list", "methods", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    methods = json.loads(done.stdout)
    assert [m["method_id"] for m in methods] == ALL_METHOD_IDS
    by_id = {m["method_id"]: m for m in methods}
    assert by_id["demonstrator-sites"]["approach_id"] == "piloting-rolling-out"
    assert by_id["demonstrator-sites"]["name"] == "Demonstrator sites"
    assert all(m["provenance"] in ("collation", "collation-summary", "curated") for m in methods)


def test_list_approaches_as_csv(spreadlab_exe, tmp_path):
    done = run(spreadlab_exe, "list", "approaches", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["approach_id"] for row in rows] == list(METHOD_IDS)
    assert [row["order"] for row in rows] == [str(n) for n in range(1, 8)]
    assert {row["approach_id"]: int(row["methods_stated"]) for row in rows} == METHODS_STATED
    assert {row["approach_id"]: int(row["methods_recorded"]) for row in rows} == {
        approach_id: len(ids) for approach_id, ids in METHOD_IDS.items()
    }


def test_list_approaches_as_a_table(spreadlab_exe, tmp_path):
    done = run(spreadlab_exe, "list", "approaches", "--format", "table", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split()[:3] == ["approach_id", "order", "name"]
    assert len(rows) == 7
    for row, approach_id in zip(rows, METHOD_IDS, strict=True):
        assert row.split()[0] == approach_id
    assert "Piloting and rolling out" in done.stdout
    assert run(spreadlab_exe, "list", "approaches", cwd=tmp_path).stdout == done.stdout, "table is the default"


def test_list_of_a_broken_folder_is_one_clear_error(spreadlab_exe, data_copy, tmp_path):
    _break(data_copy)
    done = run(spreadlab_exe, "list", "methods", "--data", str(data_copy), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("spreadlab: error: ")
    assert "glossary.yaml: file is missing" in done.stderr


def test_an_unknown_format_names_the_allowed_ones(spreadlab_exe, tmp_path):
    done = run(spreadlab_exe, "list", "methods", "--format", "xml", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    reason = done.stderr.splitlines()[-1]
    assert "--format: invalid choice: 'xml'" in reason
    assert all(fmt in reason for fmt in ("table", "csv", "json"))


def test_output_cut_short_by_the_reader_is_not_a_traceback(spreadlab_exe, tmp_path):
    process = subprocess.Popen(
        [str(spreadlab_exe), "list", "methods", "--format", "json"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    process.stdout.close()  # like `| head -0`: nobody reads
    stderr = process.communicate(timeout=60)[1].decode()
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr


def _replace_with(path: Path, kind: str) -> None:
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path)


@pytest.mark.parametrize(("kind", "problem"), [
    ("folder", "the data file is a folder, not a file"),
    ("fifo", "the data file is a FIFO (named pipe), not a regular file"),
    ("device", "the data file is a device, not a regular file"),
    ("loop", "cannot read the data file: a symbolic link that points back to itself"),
])
def test_validate_names_a_data_file_that_is_no_regular_file_in_one_line_without_hanging(
        spreadlab_exe, data_copy, tmp_path, kind, problem):
    _replace_with(data_copy / "glossary.yaml", kind)
    done = run(spreadlab_exe, "validate", str(data_copy), cwd=tmp_path)  # a hang fails at the 60 s timeout
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["1 problem in the collation data:", f"  glossary.yaml: {problem}"]


@pytest.mark.parametrize("folder", ["loop", "/dev/zero"])
def test_validate_of_a_data_folder_that_is_a_symlink_loop_or_a_device_is_one_line(spreadlab_exe, tmp_path, folder):
    if folder == "loop":
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
    done = run(spreadlab_exe, "validate", folder, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["1 problem in the collation data:", f"  {folder}: is not a folder"]


def test_an_alias_bomb_or_a_duplicate_key_in_the_advice_rules_is_one_problem(spreadlab_exe, data_copy, tmp_path):
    from test_inputs import alias_bomb

    (data_copy / "rules.yaml").write_text(alias_bomb(), encoding="utf-8")
    done = run(spreadlab_exe, "validate", str(data_copy), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[1:] == [
        "  rules.yaml: aliases expand to more than 100,000 values at line 5, column 5 "
        "(write the values out, or use fewer aliases)"]
    glossary = data_copy / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "terms: []\n", encoding="utf-8")
    done = run(spreadlab_exe, "validate", str(data_copy), cwd=tmp_path)
    assert any(line.startswith("  glossary.yaml: duplicate key 'terms' at line ") for line in done.stderr.splitlines())
