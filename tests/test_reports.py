"""Reports made by real kernels: what a reader sees in the case and plan reports, the batch with a bad row,
kernel failures and retries, an interrupted batch and its rerun (charts in Chromium: tests/browser)."""

from __future__ import annotations

import asyncio
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

import spreadlab
from portfolios import example_rows, write_portfolio
from spreadlab.paths import DATA_DIR, REPORT_TEMPLATES_DIR
from spreadlab.reports.execute import KernelFailure, KernelWorker, Timeouts
from spreadlab.reports.export import inputs_hash_of
from spreadlab.reports.files import slugify
from spreadlab.views.visible import visible_text

pytestmark = pytest.mark.kernel

CASES = ("atrial-fibrillation", "transfer-of-care-around-medicines")
SCRIPT = "<script>alert(1)</script>"
QUOTES = "Quotes \"double\" and 'single' <b>bold</b>"


def run_async(coroutine):
    """Run a coroutine on its own loop in a helper thread (a session-wide Playwright may hold this thread's)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_cli(exe: Path, *args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def reports(spreadlab_exe, tmp_path_factory) -> dict[str, Path]:
    """Both case example reports and one plan report, made by `spreadlab report`."""
    out = tmp_path_factory.mktemp("reports")
    made = {}
    for case_id in CASES:
        result = run_cli(spreadlab_exe, "report", "case", case_id, "--out", str(out), cwd=out)
        assert result.returncode == 0, result.stderr
        made[case_id] = Path(result.stdout.strip())
    profile_file = DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml"
    result = run_cli(spreadlab_exe, "report", "plan", str(profile_file), "--out", str(out), cwd=out)
    assert result.returncode == 0, result.stderr
    made["plan"] = Path(result.stdout.strip())
    return made


REPORT_LIMIT = 300_000  # bytes: a report travels as an email attachment


def assert_the_size_the_readme_says(page: str, kind: str) -> None:
    """The README's "a plan report about 140–170 KB" (or a case example's report) holds for this report."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    low, high = map(int, re.search(kind + r" about (\d+)–(\d+) KB", " ".join(readme.split())).groups())
    assert low <= len(page.encode("utf-8")) / 1000 <= high


def assert_small_and_self_contained(page: str) -> None:
    """At most 300 KB, nothing fetched from elsewhere (no script, style or font from a URL), no plotly.js."""
    assert len(page.encode("utf-8")) <= REPORT_LIMIT
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page)
    assert "plotly" not in page.lower() and "mathjax" not in page.lower() and "require.js" not in page.lower()


def badges_of_row(page: str, heading: str) -> list[str]:
    """The provenance badges in the table row headed `heading`."""
    escaped = html.escape(heading, quote=False)
    row = re.search(r'<tr><th scope="row">' + re.escape(escaped) + r"</th>(.*?)</tr>", page, re.DOTALL)
    assert row, heading
    return re.findall(r'data-provenance="([^"]+)"', row.group(1))


def badges_of_heading(page: str, heading: str) -> list[str]:
    """The provenance badges in the heading that starts with `heading`."""
    found = re.search(r"<h\d[^>]*>" + re.escape(html.escape(heading, quote=False)) + r"(.*?)</h\d>", page, re.DOTALL)
    assert found, heading
    return re.findall(r'data-provenance="([^"]+)"', found.group(1))


def appendix_regions(page: str) -> int:
    """How many regions named "Appendix" the page holds (nbconvert's last pass puts attributes in any order)."""
    return sum('role="region"' in tag for tag in re.findall(r"<div\s[^>]*aria-label=\"Appendix\"[^>]*>", page))


def assert_no_code_or_parameters(page: str) -> None:
    seen = visible_text(page)
    for code in ("import spreadlab", "case_sections", "plan_sections", "display(", "In [", "Out[", " at 0x"):
        assert code not in seen, code
    assert "injected-parameters" not in page
    assert "jp-InputArea" not in page and "input_area" not in page


@pytest.mark.parametrize("case_id", CASES)
def test_case_report_shows_the_programme_its_phases_and_methods(reports, collation, case_id):
    page = reports[case_id].read_text(encoding="utf-8")
    seen = visible_text(page)
    case = collation.case_examples.set_index("case_id").loc[case_id]
    assert case["name"] in seen and case["lead"] in seen
    for phase in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples():
        assert f"Phase {phase.order}: {phase.name}" in seen
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]["method_id"]
    names = collation.methods.set_index("method_id").loc[list(used), "name"]
    assert all(name in seen for name in names)
    assert "Strengths of this approach" in seen and "Limitations of this approach" in seen
    assert "Practical considerations" in seen
    figures = collation.case_figures[collation.case_figures["case_id"] == case_id]
    for figure in figures.itertuples():
        assert badges_of_row(page, figure.label) == [figure.provenance], figure.label
    for phase in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples():
        assert badges_of_heading(page, f"Phase {phase.order}: {phase.name}") == [phase.provenance]
    assert_no_code_or_parameters(page)
    assert_small_and_self_contained(page)
    assert_the_size_the_readme_says(page, "a case example's report")
    chart = page.split("<figure", 1)[1].split("</figure>", 1)[0]
    assert chart.count('class="sl-bar"') == len(used) and "The chart in words:" in chart


def test_plan_report_is_the_full_outline_with_its_timeline_sources_and_marked_appendix(reports, collation):
    from spreadlab.plan_file import PlanFile
    from spreadlab.views import outline

    page = reports["plan"].read_text(encoding="utf-8")
    seen = visible_text(page)
    spread_plan = PlanFile.from_yaml(DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml").plan(collation)
    guide = spreadlab.guide(collation, spread_plan)
    full = outline.full_outline(guide, collation)
    assert spread_plan.profile.name in seen and "Spread and scale plan" in seen
    assert visible_text(outline.to_html(full, spreadlab.views.plan_timeline(spread_plan))) in seen
    assert [h for h in full.headings() if h in seen] == full.headings()
    for phase in spread_plan.phases:
        assert f"Phase {phase.order}: {phase.name}" in seen and all(method in seen for method in phase.methods)
    for match in guide.measures:
        assert f'href="{html.escape(match.item.source.url)}"' in page
    assert appendix_regions(page) == 1
    assert page.index("Appendix: every method") > page.index(f"Phase {len(spread_plan.phases)}:")
    assert f"spreadlab {spreadlab.__version__}" in seen
    assert_no_code_or_parameters(page)
    assert_small_and_self_contained(page)
    assert_the_size_the_readme_says(page, "a plan report")
    chart = page.split("<figure", 1)[1].split("</figure>", 1)[0]
    assert chart.count('class="sl-bar"') == len(spread_plan.phases)


def test_a_saved_plan_file_gives_the_same_report_as_its_plan(spreadlab_exe, collation, tmp_path):
    from spreadlab.views import outline
    from test_report_editions import edited_plan_file

    saved = edited_plan_file(collation)
    plan_file = tmp_path / "saved-plan.yaml"
    plan_file.write_text(saved.to_yaml(), encoding="utf-8")
    done = run_cli(spreadlab_exe, "report", "plan", str(plan_file), "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seen = visible_text(Path(done.stdout.strip()).read_text(encoding="utf-8"))
    spread_plan = saved.plan(collation)
    full = outline.full_outline(spreadlab.guide(collation, spread_plan), collation)
    assert visible_text(outline.to_html(full, spreadlab.views.plan_timeline(spread_plan))) in seen
    plain = spreadlab.plan(collation, saved.profile)
    unedited = outline.full_outline(spreadlab.guide(collation, plain), collation)
    assert visible_text(outline.to_html(unedited, spreadlab.views.plan_timeline(plain))) not in seen


def test_papermill_then_nbconvert_gives_the_same_report(reports, tmp_path):
    """The Jupyter route: papermill with the profile as parameters, then nbconvert with spreadlab's exporter."""
    bin_dir = Path(sys.executable).parent
    profile_file = DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml"
    assert "nature" not in profile_file.read_text(), "the profile must leave nature to be derived"
    executed = tmp_path / "out.ipynb"
    run = subprocess.run([str(bin_dir / "papermill"), str(REPORT_TEMPLATES_DIR / "plan.ipynb"), str(executed),
                          "-f", str(profile_file), "--execution-timeout", "120"], capture_output=True, text=True,
                         timeout=240, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "spreadlab_report", str(executed)],
                         capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert visible_text(page) == visible_text(reports["plan"].read_text(encoding="utf-8"))
    assert "<title>Remote monitoring for COPD patients at home</title>" in page
    assert_no_code_or_parameters(page)
    assert_small_and_self_contained(page)


def test_the_papermill_engine_reuses_one_kernel_for_many_notebooks(tmp_path):
    template = str(REPORT_TEMPLATES_DIR / "case_example.ipynb")
    script = f"""
import papermill
from spreadlab.reports import papermill_engine
for case_id in ("atrial-fibrillation", "transfer-of-care-around-medicines"):
    papermill.execute_notebook({template!r}, {str(tmp_path)!r} + f"/{{case_id}}.ipynb",
                               parameters={{"case_id": case_id}}, engine_name="spreadlab", progress_bar=False)
print(papermill_engine._kernel(60.0, 120.0)[1].kernels_started)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "1"
    import nbformat

    for case_id in ("atrial-fibrillation", "transfer-of-care-around-medicines"):
        notebook = nbformat.read(tmp_path / f"{case_id}.ipynb", as_version=4)
        shown = "".join(o.get("data", {}).get("text/html", "") for c in notebook.cells for o in c.get("outputs", []))
        assert f'data-case="{case_id}"' in shown


@pytest.fixture
def small_portfolio(tmp_path) -> Path:
    """Four good rows (two named with HTML payloads) and one row with a bad value."""
    rows = example_rows()[:4]
    rows[1]["name"] = SCRIPT
    rows[2]["name"] = QUOTES
    bad = dict(rows[0], name="Bad resources row", resources="plenty")
    rows.insert(3, bad)
    return write_portfolio(tmp_path / "portfolio.csv", rows)


def test_batch_reports_a_bad_row_and_makes_the_others(spreadlab_exe, small_portfolio, tmp_path):
    out = tmp_path / "out"
    result = run_cli(spreadlab_exe, "batch", str(small_portfolio), "--out", str(out), "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    failure, summary = result.stderr.splitlines()
    assert summary.startswith("5 rows: 4 made, 0 unchanged, 1 failed; index: ")
    assert failure.startswith("portfolio.csv: row 5: field 'resources': 'plenty' is not allowed"), failure
    manifest = json.loads((out / "manifest.json").read_text())
    statuses = {row["name"]: row["status"] for row in manifest["rows"]}
    assert statuses == {name: "made" for name in statuses if name != "Bad resources row"} | {
        "Bad resources row": "invalid"}
    bad = next(row for row in manifest["rows"] if row["status"] == "invalid")
    assert "'resources'" in bad["error"] and "plenty" in bad["error"] and bad["row"] == 5
    assert "retried" in manifest["retry_policy"] and manifest["finished"]
    index = (out / "index.html").read_text(encoding="utf-8")
    index_text = visible_text(index)
    assert bad["error"] in index_text and SCRIPT in index_text and QUOTES in index_text
    assert SCRIPT not in index and "<b>bold</b>" not in index
    for row in manifest["rows"]:
        if row["status"] == "made":
            page = (out / row["output"]).read_text(encoding="utf-8")
            assert f'<a href="{row["output"]}">' in index
            assert row["name"] in visible_text(page)
            assert inputs_hash_of(out / row["output"]) == row["inputs_hash"]
            assert len(row["plan"]["top_methods"]) == 3 and row["plan"]["top_methods"][0] in index_text
    payload_page = (out / f"{slugify(SCRIPT)}.html").read_text(encoding="utf-8")
    assert SCRIPT not in payload_page and "&lt;script&gt;alert(1)&lt;/script&gt;" in payload_page
    assert "<b>bold</b>" not in (out / f"{slugify(QUOTES)}.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["index.html", "manifest.json"] + [row["output"] for row in manifest["rows"] if row["output"]])

    again = run_cli(spreadlab_exe, "batch", str(small_portfolio), "--out", str(out), cwd=tmp_path)
    assert "5 rows: 0 made, 4 unchanged, 1 failed" in again.stderr
    forced = run_cli(spreadlab_exe, "batch", str(small_portfolio), "--out", str(out), "--force", cwd=tmp_path)
    assert "5 rows: 4 made, 0 unchanged, 1 failed" in forced.stderr


def test_hung_kernel_is_stopped_at_the_timeout_and_the_next_report_gets_a_new_kernel(tmp_path):
    import nbformat

    hang = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time; time.sleep(600)")])
    fine = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])

    async def scenario():
        worker = KernelWorker(Timeouts(start=120, cell=15))
        try:
            await worker.start()
            started = time.perf_counter()
            with pytest.raises(KernelFailure, match="longer than 15 s"):
                await worker.run(hang)
            assert time.perf_counter() - started < 60
            done = await worker.run(fine)
            return worker.kernels_started, done.cells[0].outputs[0]["text"]
        finally:
            await worker.stop()

    kernels, output = run_async(scenario())
    assert kernels == 2 and output.strip() == "42"


def test_each_report_gets_a_fresh_namespace_in_a_reused_kernel():
    import nbformat

    define = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("leftover = 1")])
    look = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('leftover' in dir())")])

    async def scenario():
        worker = KernelWorker()
        try:
            await worker.run(define)
            seen = await worker.run(look)
            return worker.kernels_started, seen.cells[0].outputs[0]["text"].strip()
        finally:
            await worker.stop()

    assert run_async(scenario()) == (1, "False")


def test_the_plan_digest_comes_back_glued_in_the_executed_notebook_and_stays_off_the_page(collation, tmp_path):
    """One channel out of the kernel: the template glues its digest as an output of its own media type; the batch
    reads it from the executed notebook; the page a board reads shows none of it."""
    from spreadlab.reports import digest
    from spreadlab.reports.execute import parameterize, template
    from spreadlab.reports.export import to_html
    from spreadlab.reports.jobs import plan_job

    profile = spreadlab.InterventionProfile.from_yaml(DATA_DIR / "examples" / "profiles" / "frailty-virtual-wards.yaml")
    job = plan_job(profile)

    async def scenario():
        worker = KernelWorker(cwd=tmp_path)
        try:
            return await worker.run(parameterize(template(job.template), job.parameters | {"word_file": True}))
        finally:
            await worker.stop()

    executed = run_async(scenario())
    glued = [output for cell in executed.cells for output in cell.get("outputs", [])
             if digest.MEDIA_TYPE in output.get("data", {})]
    assert len(glued) == 1 and set(glued[0]["data"]) == {digest.MEDIA_TYPE}
    expected = digest.digest_of(spreadlab.plan(collation, profile, spreadlab.recommend(collation, profile)), collation)
    assert digest.glued(executed) == expected and len(expected.top_methods) == digest.TOP_METHODS
    page = to_html(executed, title=profile.name, inputs_hash=job.inputs_hash)
    assert digest.MEDIA_TYPE not in page and '"top_methods"' not in page
    from docx import Document

    from spreadlab.reports import word
    from spreadlab.views import outline

    content = word.glued_word(executed)
    full = outline.full_outline(spreadlab.guide(collation, spreadlab.plan(collation, profile)), collation)
    assert [p.text for p in Document(io.BytesIO(content)).paragraphs if p.style.name.startswith("Heading")] == \
        full.headings()
    assert word.MEDIA_TYPE not in page and word.encoded(content)[:200] not in page


def _wait_for_made(out: Path, count: int, process: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        try:
            rows = json.loads((out / "manifest.json").read_text())["rows"]
        except (FileNotFoundError, json.JSONDecodeError):
            rows = []
        if sum(row["status"] == "made" for row in rows) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} reports made in time")


def _kernels_of(pid: int) -> list[psutil.Process]:
    def is_kernel(process: psutil.Process) -> bool:
        try:
            return "ipykernel_launcher" in " ".join(process.cmdline())
        except psutil.Error:  # gone, or a zombie (Chromium's helpers come and go while printing)
            return False

    return [child for child in psutil.Process(pid).children(recursive=True) if is_kernel(child)]


def test_killing_a_kernel_mid_batch_retries_its_report_and_says_so(spreadlab_exe, portfolio_20, tmp_path):
    out = tmp_path / "out"
    batch = subprocess.Popen([str(spreadlab_exe), "batch", str(portfolio_20), "--out", str(out), "--jobs", "2"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_made(out, 3, batch)
        victim = _kernels_of(batch.pid)[0]
        victim.kill()
        _, stderr = batch.communicate(timeout=240)
    finally:
        batch.kill()
    assert batch.returncode == 0, stderr
    rows = json.loads((out / "manifest.json").read_text())["rows"]
    assert [row["status"] for row in rows] == ["made"] * 20
    retried = [row for row in rows if row["attempts"] == 2]
    assert len(retried) == 1 and "died" in retried[0]["attempt_errors"][0]


def test_interrupted_batch_leaves_no_half_report_and_the_rerun_completes(spreadlab_exe, portfolio_20, tmp_path):
    out = tmp_path / "out"
    batch = subprocess.Popen([str(spreadlab_exe), "batch", str(portfolio_20), "--out", str(out), "--jobs", "2"],
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_made(out, 4, batch)
    kernels = _kernels_of(batch.pid)
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait(timeout=10)
    for report in out.glob("*.html"):
        assert report.read_text(encoding="utf-8").endswith("</html>\n"), report
    made_before = {p.name for p in out.glob("*.html")}
    assert 4 <= len(made_before) < 20
    # Kernels notice that their parent died and exit on their own.
    _gone, alive = psutil.wait_procs(kernels, timeout=15)
    assert not alive

    rerun = run_cli(spreadlab_exe, "batch", str(portfolio_20), "--out", str(out), "--jobs", "2", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    rows = json.loads((out / "manifest.json").read_text())["rows"]
    assert {row["status"] for row in rows if row["output"] in made_before} == {"unchanged"}
    assert {row["status"] for row in rows if row["output"] not in made_before} == {"made"}
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["index.html", "manifest.json"] + [row["output"] for row in rows])
    assert len({row["output"] for row in rows}) == 20


def test_batch_and_report_with_data_use_the_edited_copy_in_their_kernels(spreadlab_exe, data_copy, tmp_path):
    # The method renamed everywhere the copy names it, guidance prose too: "Demonstrator sites " left in a report
    # came from somewhere other than the data folder the batch was given.
    renamed = "Demonstrator sites of our own ICS"
    for path in [data_copy / "approaches" / "3-piloting-rolling-out.yaml", *(data_copy / "guidance").glob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("Demonstrator sites", renamed), encoding="utf-8")
    portfolio = write_portfolio(tmp_path / "portfolio.csv", example_rows()[:1])
    out = tmp_path / "out"
    # A relative --data: the kernels run in the output folder, so the batch must pass the folder on absolute.
    result = run_cli(spreadlab_exe, "batch", str(portfolio), "--data", data_copy.name, "--out", str(out),
                     cwd=data_copy.parent)
    assert result.returncode == 0, result.stderr
    row = json.loads((out / "manifest.json").read_text())["rows"][0]
    seen = visible_text((out / row["output"]).read_text(encoding="utf-8"))
    assert renamed in seen and "Demonstrator sites " not in seen.replace(renamed, "")

    profile = DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml"
    single = run_cli(spreadlab_exe, "report", "plan", str(profile), "--data", str(data_copy), "--out",
                     str(tmp_path / "single"), cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    assert renamed in visible_text(Path(single.stdout.strip()).read_text(encoding="utf-8"))


def test_batch_with_a_broken_data_folder_stops_before_any_kernel(spreadlab_exe, data_copy, tmp_path):
    (data_copy / "glossary.yaml").unlink()
    portfolio = write_portfolio(tmp_path / "portfolio.csv", example_rows()[:1])
    result = run_cli(spreadlab_exe, "batch", str(portfolio), "--data", str(data_copy), "--out",
                     str(tmp_path / "out"), cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "glossary.yaml: file is missing" in result.stderr
    assert not (tmp_path / "out").exists()


def test_without_out_a_report_made_outside_the_project_goes_to_a_named_home_folder(spreadlab_exe, tmp_path):
    elsewhere, home = tmp_path / "some-work-folder", tmp_path / "home"
    elsewhere.mkdir()
    result = subprocess.run([str(spreadlab_exe), "report", "case", CASES[0]], cwd=elsewhere, capture_output=True,
                            text=True, timeout=240, env=os.environ | {"HOME": str(home)})
    assert result.returncode == 0, result.stderr
    made = home / "spreadlab-reports" / f"{CASES[0]}.html"
    assert result.stdout.strip() == str(made) and made.is_file()
    assert list(elsewhere.iterdir()) == []


def test_a_failed_report_through_the_papermill_engine_fails_as_papermills_own_engine_does(tmp_path):
    """The same failing notebook through `--engine spreadlab` and papermill's default engine: the same error
    (PapermillExecutionError, naming the cell's exception) and the same status for every cell."""
    template = str(REPORT_TEMPLATES_DIR / "case_example.ipynb")
    script = f"""
import json, sys, papermill
from papermill.exceptions import PapermillExecutionError
for engine in ("spreadlab", "nbclient"):
    try:
        papermill.execute_notebook({template!r}, f"{{engine}}.ipynb", parameters={{"case_id": "no-such-case"}},
                                   engine_name=engine, progress_bar=False, kernel_name="python3")
    except PapermillExecutionError as error:
        print(json.dumps([engine, error.ename, error.cell_index]))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    raised = [json.loads(line) for line in run.stdout.strip().splitlines()]
    assert [engine for engine, _, _ in raised] == ["spreadlab", "nbclient"], run.stdout
    assert raised[0][1:] == raised[1][1:] and raised[0][1] == "UnknownIdError"
    import nbformat

    statuses = {}
    for engine in ("spreadlab", "nbclient"):
        cells = nbformat.read(tmp_path / f"{engine}.ipynb", as_version=4).cells  # papermill adds an error banner
        statuses[engine] = [cell.metadata.get("papermill", {}).get("status") for cell in cells]
    assert statuses["spreadlab"] == statuses["nbclient"], statuses
    assert "failed" in statuses["spreadlab"] and statuses["spreadlab"][-1] == "pending"
