"""Report safety without kernels: file names, writes confined to the output folder, HTML escaping, portfolio
reading, and parameters checked before any kernel starts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spreadlab.cli import main
from spreadlab.errors import SpreadlabError
from spreadlab.paths import DATA_DIR, REPORT_TEMPLATES_DIR
from spreadlab.reports import execute
from spreadlab.reports.digest import MethodDigest, PhaseDigest, PlanDigest
from spreadlab.reports.files import inside, remove_leftover_temporaries, slugify, unique_file_names, write_atomic
from spreadlab.reports.index import index_html
from spreadlab.reports.portfolio import read_portfolio
from spreadlab.reports.results import RowResult, Status
from spreadlab.views._env import environment

SCRIPT = "<script>alert(1)</script>"
QUOTES = "\"'><img src=x onerror=alert(2)>"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Frailty virtual wards", "frailty-virtual-wards"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "report"),
        ("C:\\Windows\\win.ini", "c-windows-win-ini"),
        (SCRIPT, "script-alert-1-script"),
        ("Café “quoted” ünïcode", "cafe-quoted-unicode"),
        ("", "report"),
    ],
)
def test_slugify_keeps_only_safe_characters(name, slug):
    assert slugify(name) == slug


@given(st.lists(st.text(max_size=300), min_size=1, max_size=30))
def test_file_names_are_safe_unique_and_never_the_batch_files(names):
    files = unique_file_names(names)
    assert len(files) == len(names) == len(set(files))
    for file_name in files:
        stem = file_name.removesuffix(".html")
        assert SLUG.match(stem) and len(stem) <= 80
        assert file_name not in {"index.html", "manifest.json"}


def test_colliding_names_get_the_row_number():
    names = ["Frailty virtual wards", "frailty virtual wards!", "index", "Frailty  Virtual  Wards"]
    assert unique_file_names(names) == [
        "frailty-virtual-wards.html",
        "frailty-virtual-wards-row2.html",
        "index-row3.html",
        "frailty-virtual-wards-row4.html",
    ]


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    for bad in ("../escape.html", "/tmp/escape.html", "sub/dir.html", "..", ""):
        with pytest.raises(SpreadlabError, match="outside"):
            inside(tmp_path, bad)
    assert not (tmp_path.parent / "escape.html").exists()


def test_atomic_write_replaces_whole_files_and_only_dead_writers_leftovers_are_cleaned(tmp_path):
    write_atomic(tmp_path, "report.html", "old")
    write_atomic(tmp_path, "report.html", "new")
    assert (tmp_path / "report.html").read_text() == "new"
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / f".spreadlab-{dead.pid}-abc.tmp").write_text("half a rep")
    (tmp_path / ".spreadlab-old.tmp").write_text("from a version without PIDs")
    running = tmp_path / f".spreadlab-{os.getpid()}-xyz.tmp"
    running.write_text("a running batch's report")
    assert remove_leftover_temporaries(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["report.html", running.name])


@pytest.mark.parametrize("name", ["COM1", "lpt9", "con", "Nul", "index", "manifest"])
def test_reserved_device_and_batch_names_get_the_row_number(name):
    assert unique_file_names(["Fine", name]) == ["fine.html", f"{name.lower()}-row2.html"]


def test_long_names_are_cut_between_words():
    name = "Improving the uptake of psychological talking therapies across the whole NHS talking services"
    stem = slugify(name)
    assert stem == "improving-the-uptake-of-psychological-talking-therapies"
    assert len(slugify("x" * 200)) == 60


def _link(url: object, label: object) -> str:
    template = environment().from_string('{% from "macros.html.j2" import link %}{{ link(url, label) }}')
    return template.render(url=url, label=label)


def test_user_text_is_escaped_and_only_web_links_are_links():
    assert _link(None, SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert '"' not in _link(None, QUOTES) and "'" not in _link(None, QUOTES)
    assert _link("javascript:alert(1)", "click") == "click"
    expected = '<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">x</a>'
    assert _link("https://example.org/?a=1&b=2", "x") == expected


def test_json_in_a_script_cannot_end_it():
    template = environment().from_string("<script>var f = {{ value|tojson }};</script>")
    page = template.render(value={"title": "</script><script>alert(1)</script> & <!-- 'x'"})
    assert page.count("</script>") == 1 and "<!--" not in page and "&" not in page and "'" not in page


def test_missing_values_are_shown_as_nothing_not_as_na():
    import pandas as pd

    page = environment().from_string("[{{ a|text }}][{{ b|text }}][{{ c|text }}]").render(a=pd.NA, b=None,
                                                                                          c=float("nan"))
    assert page == "[][][]"


def test_template_parameters_are_typed_and_explained():
    import papermill

    for name in ("plan", "case_example"):
        parameters = papermill.inspect_notebook(str(REPORT_TEMPLATES_DIR / f"{name}.ipynb"))
        assert parameters
        for parameter in parameters.values():
            assert parameter["inferred_type_name"] not in ("None", ""), parameter
            assert len(parameter["help"]) > 10, parameter
    plan = papermill.inspect_notebook(str(REPORT_TEMPLATES_DIR / "plan.ipynb"))
    from spreadlab.profile import FIELDS
    from spreadlab.reports.jobs import DATA_PARAMETER

    assert list(plan) == [*FIELDS, DATA_PARAMETER] and all(p["default"] == "None" for p in plan.values())
    case = papermill.inspect_notebook(str(REPORT_TEMPLATES_DIR / "case_example.ipynb"))
    assert case[DATA_PARAMETER]["default"] == "None", "every template reads the data folder it is given"
    assert plan["timescale_months"]["inferred_type_name"] == "int"
    assert plan["nature"]["inferred_type_name"] == "Optional[str]" and "derive" in plan["nature"]["help"]


def test_the_plan_templates_parameters_are_written_from_the_profile_schema():
    from spreadlab.reports.plan_sections import parameters_source

    cell = next(c for c in execute.template("plan").notebook.cells if "parameters" in c.metadata.get("tags", []))
    assert cell.source == parameters_source()


def test_a_profile_without_nature_gets_the_derived_nature_not_a_template_default():
    from spreadlab.reports.plan_sections import profile_from

    complexity = dict.fromkeys(("condition", "technology", "value_proposition", "adopters", "organisations",
                                "wider_system", "embedding"), "complex")
    given = {"name": "X", "nature": None, "complexity": complexity, "audience_scale": "local",
             "motivators": "mixed", "energy_for_change": "low", "timescale_months": 6, "resources": "low",
             "evidence": None, "unrelated": 1}
    profile = profile_from(given)
    assert profile.nature == "complex" and profile.nature_derived and profile.evidence == "proven"
    with pytest.raises(SpreadlabError, match="resources"):
        profile_from(given | {"resources": None})


def test_index_escapes_names_errors_and_links():
    plan = PlanDigest(("Network",), 12, "low", (PhaseDigest(1, "Prepare", 1, 12, ("network",)),),
                      (MethodDigest("network", "Network", "networking", "Networking", "low", "curated"),))
    results = [
        RowResult(2, SCRIPT, "script-alert-1-script.html", "h", Status.MADE, plan=plan),
        RowResult(3, QUOTES, None, None, Status.INVALID, error=f"field 'resources': {SCRIPT!r} is not allowed"),
    ]
    page = index_html(f"Portfolio {SCRIPT}", results)
    assert SCRIPT not in page and "<img" not in page
    # the row's name in the reports table, on the timeline (SVG) and the title; the error in both tables
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 6
    assert "Row 2: &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="script-alert-1-script.html">' in page
    assert page.count("<script>") == 1  # only the sorting script


def test_the_index_links_each_rows_pdf_beside_its_page_and_shows_no_timings(tmp_path):
    from spreadlab.reports.results import Manifest

    results = [RowResult(2, "Frailty wards", "frailty-wards.html", "h", Status.MADE, seconds=12.5,
                         files=("frailty-wards.html", "frailty-wards.pdf")),
               RowResult(3, "Falls classes", "falls-classes.pdf", "h", Status.UNCHANGED, files=("falls-classes.pdf",)),
               RowResult(4, "COPD at home", "copd-at-home.html", "h", Status.FAILED, error="kernel died",
                         seconds=3.0)]
    page = index_html("Portfolio", results)
    assert '<a href="frailty-wards.html">Frailty wards</a> <a href="frailty-wards.pdf" aria-label="PDF of ' \
           'Frailty wards">(PDF)</a>' in page
    assert '<a href="falls-classes.pdf">Falls classes</a></th>' in page, "a PDF on its own is the row's link"
    assert "copd-at-home" not in page, "a failed row links nothing"
    assert "Seconds" not in page and "12.5" not in page
    Manifest(tmp_path, {}, dict(enumerate(results))).write()
    assert [row["seconds"] for row in json.loads((tmp_path / "manifest.json").read_text())["rows"]] == [12.5, 0.0, 3.0]


def test_example_portfolio_is_valid_varied_and_uniquely_named():
    rows = read_portfolio(DATA_DIR / "examples" / "portfolio.csv")
    assert len(rows) >= 12
    assert all(row.profile is not None for row in rows), [row.error for row in rows if row.error]
    profiles = [row.profile for row in rows]
    assert {p.nature for p in profiles} == {"simple", "complicated", "complex"}
    assert {p.audience_scale for p in profiles} == {"local", "regional", "national"}
    assert {p.evidence for p in profiles} == {"proven", "emerging"}
    assert any(p.nature_derived for p in profiles)
    assert len(set(unique_file_names(p.name for p in profiles))) == len(rows)


def test_portfolio_rows_are_checked_one_by_one(tmp_path):
    portfolio = tmp_path / "p.yaml"
    portfolio.write_text(
        "- {name: Good, nature: simple, audience_scale: local, motivators: mixed, energy_for_change: low,\n"
        "   timescale_months: 6, resources: low}\n"
        "- {name: Bad, nature: simple, audience_scale: planetary, motivators: mixed, energy_for_change: low,\n"
        "   timescale_months: 6, resources: low}\n"
    )
    good, bad = read_portfolio(portfolio)
    assert good.profile is not None and good.error is None
    assert bad.profile is None and "audience_scale" in bad.error and "planetary" in bad.error


def test_portfolio_with_an_unknown_column_is_refused_whole(tmp_path):
    portfolio = tmp_path / "p.csv"
    portfolio.write_text("name,colour\nX,blue\n")
    with pytest.raises(SpreadlabError, match="unknown column 'colour'"):
        read_portfolio(portfolio)


@pytest.fixture
def no_kernels(monkeypatch):
    """Fail the test if anything tries to start a kernel."""

    async def refuse(self):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute.KernelWorker, "start", refuse)


def test_bad_profile_exits_1_with_the_profile_error_before_any_kernel(tmp_path, capsys, no_kernels):
    profile = tmp_path / "bad.yaml"
    profile.write_text("name: X\nnature: simple\naudience_scale: local\nmotivators: mixed\n"
                       "energy_for_change: low\ntimescale_months: 500\nresources: low\n")
    assert main(["report", "plan", str(profile), "--out", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert "timescale_months" in error and "500" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists()


def test_unknown_case_id_exits_1_with_close_matches(tmp_path, capsys, no_kernels):
    assert main(["report", "case", "atrial-fibrilation", "--out", str(tmp_path)]) == 1
    assert "did you mean 'atrial-fibrillation'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_batch_of_a_missing_portfolio_exits_1(tmp_path, capsys, no_kernels):
    assert main(["batch", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out")]) == 1
    assert "portfolio file not found" in capsys.readouterr().err


def test_report_templates_are_committed_without_outputs():
    for name in ("case_example", "plan"):
        notebook = execute.template(name).notebook
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert ["parameters" in cell.metadata.get("tags", []) for cell in code].count(True) == 1
        assert all(not cell.outputs and cell.execution_count is None for cell in code)


def test_every_template_parameter_is_injected_so_no_default_leaks():
    from spreadlab import InterventionProfile
    from spreadlab.paths import DATA_DIR
    from spreadlab.profile import FIELDS
    from spreadlab.reports.jobs import DATA_PARAMETER, plan_job

    profile = InterventionProfile.from_dict({
        "name": "X", "complexity": dict.fromkeys(
            ("condition", "technology", "value_proposition", "adopters", "organisations", "wider_system",
             "embedding"), "complex"),
        "audience_scale": "local", "motivators": "mixed", "energy_for_change": "low",
        "timescale_months": 6, "resources": "low",
    })
    job = plan_job(profile)
    assert set(job.parameters) == {*FIELDS, DATA_PARAMETER} and job.parameters["nature"] is None
    assert job.parameters[DATA_PARAMETER] == str(DATA_DIR.resolve()), "the data folder is a parameter too"
    notebook = execute.parameterize(execute.template("plan"), job.parameters)
    injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "nature = None" in injected.source


def test_inputs_hash_changes_with_the_parameters_only_when_they_change(tmp_path):
    from spreadlab import InterventionProfile
    from spreadlab.reports.jobs import plan_job

    values = {"name": "X", "nature": "simple", "audience_scale": "local", "motivators": "mixed",
              "energy_for_change": "low", "timescale_months": 6, "resources": "low"}
    first = plan_job(InterventionProfile.from_dict(values)).inputs_hash
    assert plan_job(InterventionProfile.from_dict(values)).inputs_hash == first
    assert plan_job(InterventionProfile.from_dict(values | {"timescale_months": 7})).inputs_hash != first



EXAMPLE_PORTFOLIO = str(DATA_DIR / "examples" / "portfolio.csv")
PROFILE = str(DATA_DIR / "examples" / "profiles" / "frailty-virtual-wards.yaml")


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder on a read-only tmpfs (root ignores permission bits, not a read-only mount)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True)
    if done.returncode:
        folder.chmod(0o555)
        if os.geteuid() == 0:
            pytest.skip("cannot mount a read-only tmpfs")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def bad_out(tmp_path, kind: str, read_only_folder=None):
    if kind == "file":
        (tmp_path / "taken").write_text("not a folder")
        return tmp_path / "taken", "the output folder is a file, not a folder"
    if kind == "dangling-link":
        (tmp_path / "link").symlink_to(tmp_path / "gone")
        return tmp_path / "link", f"the output folder is a symbolic link to {tmp_path / 'gone'}, which does not exist"
    if kind == "read-only":
        return read_only_folder, "the output folder is not writable (read-only or no permission)"
    return read_only_folder / "sub", "cannot create the output folder: read-only file system"


@pytest.mark.parametrize("kind", ["file", "dangling-link", "read-only", "read-only-parent"])
@pytest.mark.parametrize("command", [["batch", EXAMPLE_PORTFOLIO], ["report", "plan", PROFILE]])
def test_an_output_folder_that_cannot_be_written_is_one_line_before_any_kernel(
        tmp_path, capsys, no_kernels, read_only_folder, kind, command):
    out, reason = bad_out(tmp_path, kind, read_only_folder)
    assert main([*command, "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"spreadlab: error: {out}: {reason}\n"


@pytest.mark.parametrize("name", ["manifest.json", "index.html"])
def test_a_folder_where_the_batch_writes_its_manifest_or_index_is_one_line(tmp_path, capsys, no_kernels, name):
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    assert main(["batch", EXAMPLE_PORTFOLIO, "--out", str(out)]) == 1
    assert capsys.readouterr().err == (f"spreadlab: error: {out / name}: is not a regular file; move it away so "
                                       f"the batch can write its {name}\n")


def test_reports_go_to_the_checkouts_reports_folder_inside_the_project_else_to_a_named_home_folder(
        tmp_path, monkeypatch):
    from spreadlab.paths import default_reports_dir

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    project = tmp_path / "checkout"
    (project / "notebooks" / "reports").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "spreadlab"\n')
    assert default_reports_dir(project / "notebooks" / "reports") == project / "reports"
    other = tmp_path / "other-project"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    assert default_reports_dir(other) == tmp_path / "home" / "spreadlab-reports"
    fifo_parent = tmp_path / "fifo-parent"
    (fifo_parent / "work").mkdir(parents=True)
    os.mkfifo(fifo_parent / "pyproject.toml")  # must not hang
    assert default_reports_dir(fifo_parent / "work") == tmp_path / "home" / "spreadlab-reports"


def test_pdf_without_chromium_is_one_line_before_any_kernel(tmp_path, capsys, no_kernels, monkeypatch):
    from spreadlab.reports import pdf

    monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "no-chromium")
    for command in (["batch", EXAMPLE_PORTFOLIO], ["report", "plan", PROFILE]):
        assert main([*command, "--format", "pdf", "--out", str(tmp_path / "out")]) == 1
        assert capsys.readouterr().err.startswith(f"spreadlab: error: PDF needs Chromium at {tmp_path}/no-chromium")
    assert not (tmp_path / "out").exists()


def test_an_output_lock_is_refused_while_held_and_a_dead_holders_file_is_taken_over(tmp_path):
    from spreadlab.reports.lock import LOCK_FILE, BatchLockedError, OutputLock

    held = pytest.raises(BatchLockedError, match=rf"\(PID {os.getpid()}\) is writing")
    with OutputLock(tmp_path), held, OutputLock(tmp_path):
        pass
    assert not (tmp_path / LOCK_FILE).exists()
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / LOCK_FILE).write_text(f"{dead.pid}\n")  # left by a killed batch: no process holds its lock
    with OutputLock(tmp_path):
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"


@pytest.mark.parametrize("kind", ["symbolic link", "dangling symbolic link", "FIFO", "folder"])
def test_a_lock_file_planted_in_the_output_folder_is_refused_in_one_line_and_never_written_through(
        tmp_path, capsys, no_kernels, kind):
    from spreadlab.reports.lock import LOCK_FILE

    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("precious\n")
    lock = out / LOCK_FILE
    if kind == "symbolic link":
        lock.symlink_to("../victim.txt")
    elif kind == "dangling symbolic link":
        lock.symlink_to("../nothing-here.txt")
    elif kind == "FIFO":
        os.mkfifo(lock)
    else:
        lock.mkdir()
    shown = {"FIFO": "not a regular file", "folder": "a folder"}.get(kind, "a symbolic link")
    assert main(["batch", EXAMPLE_PORTFOLIO, "--out", str(out)]) == 1  # a FIFO must not hang it either
    assert capsys.readouterr().err == (f"spreadlab: error: {lock}: is {shown}; move it away so the batch can "
                                       "write its lock file\n")
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "nothing-here.txt").exists()
    assert not (out / "index.html").exists()


HIDDEN = {"escape": "Wards \x1b[31mred\x1b[0m", "bidi override": "Mirror \u202etxt.exe", "zero-width space":
          "Zero\u200bwidth", "byte-order mark": "\ufeffBOM", "soft hyphen": "Soft\u00adhyphen",
          "tag characters": "Tag\U000e0041\U000e0042"}


def test_a_batch_prints_why_each_row_failed_one_line_per_problem_naming_the_spreadsheet_row(
        tmp_path, capsys, no_kernels):
    from portfolios import example_rows, write_portfolio

    rows = [dict(example_rows()[0], name=name) for name in HIDDEN.values()]
    rows.append(dict(example_rows()[1], resources="plenty"))
    portfolio = write_portfolio(tmp_path / "portfolio.csv", rows)
    out = tmp_path / "out"
    assert main(["batch", str(portfolio), "--out", str(out)]) == 2
    printed = capsys.readouterr().err.splitlines()
    failures, summary = printed[:-1], printed[-1]
    assert summary.startswith("7 rows: 0 made, 0 unchanged, 7 failed; index: ")
    assert [line.split(": ")[1] for line in failures] == [f"row {n}" for n in range(2, 9)]
    assert all(line.startswith("portfolio.csv: row ") for line in failures)
    assert "field 'name': contains an invisible or control character (U+001B)" in failures[0]
    assert "field 'resources': 'plenty' is not allowed" in failures[-1]
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    for shown in (*printed, manifest, index):
        hidden = [ch for ch in shown if unicodedata.category(ch) in {"Cc", "Cf"} and ch != "\n"]
        assert not hidden, f"{hidden} reached {shown[:80]!r}"
    assert "Wards \ufffd[31mred\ufffd[0m" in index and "Mirror \ufffdtxt.exe" in index


@pytest.mark.parametrize("kind", HIDDEN)
def test_invisible_and_control_characters_in_a_name_are_refused(kind, profile_values):
    from spreadlab.errors import ProfileError
    from spreadlab.profile import InterventionProfile

    with pytest.raises(ProfileError) as caught:
        InterventionProfile.from_dict(profile_values | {"name": HIDDEN[kind]})
    assert "field 'name': contains an invisible or control character (U+" in str(caught.value)
    joined = "Nurse\u200dled clinics \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # joiners: scripts need them
    assert InterventionProfile.from_dict(profile_values | {"name": joined}).name == joined
