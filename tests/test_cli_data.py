"""`spreadlab validate` and `spreadlab list`: through `main(argv)` in this process, and as the installed console
script where the process itself is what is tested (exit codes, a closed pipe)."""

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


def test_validate_prints_one_summary_line_and_exits_0(cli):
    done = cli("validate")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    summary = lines[0]
    assert summary.startswith("OK: 7 approaches, 24 methods recorded of 34 stated (")
    for approach_id, stated in METHODS_STATED.items():
        assert f"{approach_id} {len(METHOD_IDS[approach_id])}/{stated}" in summary
    assert "2 case examples" in summary


def test_validate_checks_the_folder_it_is_given(cli, data_copy):
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(f"({data_copy})")
    assert done.stderr == ""


def test_the_positional_folder_still_works_with_a_deprecation_note(cli, data_copy):
    done = cli("validate", data_copy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(f"({data_copy})")
    assert done.stderr == (f"spreadlab: note: `spreadlab validate DATA_DIR` is deprecated; use `spreadlab validate "
                           f"--data {data_copy}`\n")
    both = cli("validate", data_copy, "--data", data_copy)
    assert both.returncode == 1 and "give the data folder once" in both.stderr


def test_every_command_that_reads_data_takes_the_one_data_option(cli):
    """One `--data` for every command that reads a data folder, with one help text."""
    commands = [["validate"], ["list", "methods"], ["codebook"], ["agreement"], ["recommend", "p.yaml"],
                ["plan", "p.yaml"], ["calibrate"], ["report", "case", "x"], ["report", "plan", "p.yaml"],
                ["batch", "p.csv"], ["dashboard"]]
    helps = set()
    for command in commands:
        done = cli(*command, "--help")
        assert done.returncode == 0
        line = next(line for line in done.stdout.splitlines() if line.strip().startswith("--data DATA_DIR"))
        helps.add(" ".join(line.split()))
    assert helps == {"--data DATA_DIR data folder to read (default: the bundled data)"}


def _break(data: Path) -> None:
    piloting = data / "approaches/3-piloting-rolling-out.yaml"
    document = yaml.safe_load(piloting.read_text(encoding="utf-8"))
    document["characteristics"]["central_standardisation"]["value"] = "very high"
    del document["definition"]
    piloting.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    (data / "glossary.yaml").unlink()
    (data / "rules.yaml").write_text("plan: heavy\n", encoding="utf-8")


def test_validate_lists_every_problem_and_exits_1_without_a_traceback(spreadlab_exe, data_copy, tmp_path):
    """The console script itself: its exit code and stderr, as a shell sees them."""
    _break(data_copy)
    done = subprocess.run([str(spreadlab_exe), "validate", "--data", str(data_copy)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
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


def test_validate_of_a_folder_that_does_not_exist(cli, tmp_path):
    done = cli("validate", "--data", tmp_path / "nowhere")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{tmp_path / 'nowhere'}: is not a folder" in done.stderr


def test_list_methods_as_json_gives_the_24_ids(cli):
    done = cli("list", "methods", "--format", "json")
    assert done.returncode == 0, done.stderr
    methods = json.loads(done.stdout)
    assert [m["method_id"] for m in methods] == ALL_METHOD_IDS
    by_id = {m["method_id"]: m for m in methods}
    assert by_id["demonstrator-sites"]["approach_id"] == "piloting-rolling-out"
    assert by_id["demonstrator-sites"]["name"] == "Demonstrator sites"
    assert all(m["provenance"] in ("collation", "collation-summary", "curated") for m in methods)


def test_list_approaches_as_csv(cli):
    done = cli("list", "approaches", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["approach_id"] for row in rows] == list(METHOD_IDS)
    assert [row["order"] for row in rows] == [str(n) for n in range(1, 8)]
    assert {row["approach_id"]: int(row["methods_stated"]) for row in rows} == METHODS_STATED
    assert {row["approach_id"]: int(row["methods_recorded"]) for row in rows} == {
        approach_id: len(ids) for approach_id, ids in METHOD_IDS.items()
    }


def test_list_approaches_as_a_table(cli):
    done = cli("list", "approaches", "--format", "table")
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split()[:3] == ["approach_id", "order", "name"]
    assert len(rows) == 7
    for row, approach_id in zip(rows, METHOD_IDS, strict=True):
        assert row.split()[0] == approach_id
    assert "Piloting and rolling out" in done.stdout
    assert cli("list", "approaches").stdout == done.stdout, "table is the default"


def test_list_of_a_broken_folder_is_one_clear_error(cli, data_copy):
    _break(data_copy)
    done = cli("list", "methods", "--data", data_copy)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("spreadlab: error: ")
    assert "glossary.yaml: file is missing" in done.stderr


def test_an_unknown_format_names_the_allowed_ones(cli):
    done = cli("list", "methods", "--format", "xml")
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
        cli, data_copy, kind, problem):
    _replace_with(data_copy / "glossary.yaml", kind)
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["1 problem in the collation data:", f"  glossary.yaml: {problem}"]


@pytest.mark.parametrize("folder", ["loop", "/dev/zero"])
def test_validate_of_a_data_folder_that_is_a_symlink_loop_or_a_device_is_one_line(cli, tmp_path, folder):
    if folder == "loop":
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
    done = cli("validate", "--data", folder)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["1 problem in the collation data:", f"  {folder}: is not a folder"]


def test_an_alias_bomb_or_a_duplicate_key_in_the_advice_rules_is_one_problem(cli, data_copy):
    from test_inputs import alias_bomb

    (data_copy / "rules.yaml").write_text(alias_bomb(), encoding="utf-8")
    done = cli("validate", "--data", data_copy)
    assert done.returncode == 1
    assert done.stderr.splitlines()[1:] == [
        "  rules.yaml: aliases expand to more than 100,000 values at line 5, column 5 "
        "(write the values out, or use fewer aliases)"]
    glossary = data_copy / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "terms: []\n", encoding="utf-8")
    done = cli("validate", "--data", data_copy)
    assert any(line.startswith("  glossary.yaml: duplicate key 'terms' at line ") for line in done.stderr.splitlines())
