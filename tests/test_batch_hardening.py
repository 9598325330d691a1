"""Batches under stress, with real kernels, real signals and real file systems: SIGINT/SIGTERM stop a batch
within 2 s and a rerun resumes; two batches never write into one folder at once; a full disk fails the rows
it hits and the batch still writes its index and manifest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from portfolios import example_rows, write_portfolio
from test_reports import _kernels_of, _wait_for_made, run_cli

pytestmark = pytest.mark.kernel


def start_batch(exe: Path, portfolio: Path, out: Path, *extra: str, session: bool = False) -> subprocess.Popen:
    return subprocess.Popen([str(exe), "batch", str(portfolio), "--out", str(out), "--jobs", "2", *extra],
                            cwd=out.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=session)


def manifest_of(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("signum", "ctrl_c", "output_format"), [
    (signal.SIGTERM, False, "html"),
    (signal.SIGINT, False, "html"),
    # Ctrl-C in a terminal: SIGINT to the whole process group, Playwright's driver included.
    (signal.SIGINT, True, "both"),
], ids=["SIGTERM", "SIGINT", "Ctrl-C-with-PDF"])
def test_a_signal_stops_the_batch_within_2_s_keeps_what_was_made_and_a_rerun_resumes(
        spreadlab_exe, portfolio_20, tmp_path, signum, ctrl_c, output_format):
    out = tmp_path / "out"
    batch = start_batch(spreadlab_exe, portfolio_20, out, "--format", output_format, session=ctrl_c)
    try:
        _wait_for_made(out, 3, batch)
        kernels = _kernels_of(batch.pid)
        assert kernels, "the batch runs its reports in kernels"
        sent = time.monotonic()
        if ctrl_c:
            os.killpg(batch.pid, signum)
        else:
            batch.send_signal(signum)
        summary = batch.stderr.readline()  # printed once the batch has stopped and written index and manifest
        stopped = time.monotonic() - sent
        rest = batch.communicate(timeout=30)[1]
        exited = time.monotonic() - sent
    finally:
        batch.kill()
    stderr = summary + rest
    # The 2 s are the batch's own work (cancel, kill kernels, write index and manifest); the interpreter's exit
    # after it took up to 1.4 s more on this 2-core machine at load averages near 30, hence the looser bound.
    assert stopped < 2.0, f"the batch took {stopped:.1f} s to stop"
    assert exited < 10.0, f"the process took {exited:.1f} s to exit"
    assert batch.returncode == 130, stderr
    assert f"stopped by {signum.name}; run again to resume" in summary and not rest, stderr
    _, alive = psutil.wait_procs(kernels, timeout=5)
    assert not alive, "kernels outlived the batch"

    manifest = manifest_of(out)
    assert manifest["finished"] and manifest["stopped_by"] == signum.name
    rows = manifest["rows"]
    assert {row["status"] for row in rows} == {"made", "pending"}
    assert all(row["attempts"] <= 1 and not row["attempt_errors"] for row in rows), "a stop is no kernel failure"
    made = {row["output"] for row in rows if row["status"] == "made"}
    assert 3 <= len(made) < 20
    on_disk = {p.name for p in out.glob("*.html")} - {"index.html"}
    assert on_disk == made, "every report on disk is listed as made, and only those"
    assert all((out / name).read_text(encoding="utf-8").endswith("</html>\n") for name in made)
    if output_format == "both":
        assert {p.stem for p in out.glob("*.pdf")} == {Path(name).stem for name in made}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}"' in index for name in made) and index.count(">pending<") == 20 - len(made)
    assert not list(out.glob(".spreadlab-*")), "no temporary file or lock is left behind"

    if signum == signal.SIGTERM:
        rerun = run_cli(spreadlab_exe, "batch", str(portfolio_20), "--out", str(out), "--jobs", "2", cwd=tmp_path)
        assert rerun.returncode == 0, rerun.stderr
        rows = manifest_of(out)["rows"]
        assert {row["status"] for row in rows if row["output"] in made} == {"unchanged"}
        assert {row["status"] for row in rows if row["output"] not in made} == {"made"}
        assert all(len(row["plan"]["top_methods"]) == 3 for row in rows), "unchanged rows keep their plans"


def test_a_second_batch_into_the_same_folder_is_refused_naming_the_first_and_a_dead_ones_lock_is_taken_over(
        spreadlab_exe, tmp_path):
    out = tmp_path / "out"
    other = write_portfolio(tmp_path / "other.csv", example_rows()[:2])
    # Long enough to be still running when the second batch starts (it is killed once that has been refused): a
    # board-sized report takes well under a second in a warm kernel, so 20 rows could end first.
    rows = example_rows()
    long_portfolio = write_portfolio(tmp_path / "long.csv", [dict(row, name=f"{row['name']} ({n})")
                                                            for n, row in enumerate(rows * (300 // len(rows)))])
    first = start_batch(spreadlab_exe, long_portfolio, out)
    try:
        _wait_for_made(out, 1, first)
        second = run_cli(spreadlab_exe, "batch", str(other), "--out", str(out), cwd=tmp_path, timeout=60)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"spreadlab: error: {out}: another spreadlab batch (PID {first.pid}) is writing to this folder; "
            "wait for it to finish, stop it, or choose another --out"]
        assert manifest_of(out)["portfolio"] == str(long_portfolio), "the refused batch wrote nothing"
        temporaries_before = set(out.glob(".spreadlab-*"))
        first.kill()  # SIGKILL: no clean-up, its lock file stays behind with its PID
        first.communicate(timeout=10)
    finally:
        first.kill()
    lock = out / ".spreadlab-batch.lock"
    assert lock.read_text().strip() == str(first.pid) and lock in temporaries_before
    time.sleep(1)  # its kernels notice their parent died
    taken_over = run_cli(spreadlab_exe, "batch", str(other), "--out", str(out), cwd=tmp_path)
    assert taken_over.returncode == 0, taken_over.stderr
    assert manifest_of(out)["portfolio"] == str(other)
    assert not lock.exists()


@pytest.fixture
def small_disk(tmp_path):
    """A mount point for a tmpfs of a size the test chooses (root only); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        point = tmp_path / "small-disk"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_full_disk_fails_the_rows_it_hits_and_the_batch_still_writes_index_and_manifest(
        spreadlab_exe, tmp_path, small_disk):
    rows = [dict(row, name=f"{row['name']} {n}") for n, row in enumerate(example_rows()[:5])]
    portfolio = write_portfolio(tmp_path / "portfolio.csv", rows)
    probe = run_cli(spreadlab_exe, "batch", str(portfolio), "--out", str(tmp_path / "probe"), cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    sizes = {p.name: p.stat().st_size for p in (tmp_path / "probe").iterdir()}
    reports = [sizes[row["output"]] for row in manifest_of(tmp_path / "probe")["rows"]]  # made in this order
    # Room for the first two reports, then less than any other but enough for the batch's own files (the index,
    # the manifest and its temporary copy while it is replaced; smaller with fewer plans than in the probe).
    own = sizes["index.html"] + 2 * sizes["manifest.json"]
    assert own < min(reports[2:])
    out = small_disk(reports[0] + reports[1] + (own + min(reports[2:])) // 2) / "out"

    result = run_cli(spreadlab_exe, "batch", str(portfolio), "--out", str(out), "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    manifest = manifest_of(out)
    assert manifest["finished"]
    statuses = [row["status"] for row in manifest["rows"]]
    assert statuses.count("made") == 2 and statuses.count("failed") == 3, statuses
    for row in manifest["rows"]:
        assert (out / row["output"]).exists() == (row["status"] == "made"), row
        if row["status"] == "failed":
            assert row["error"] == f"{row['output']} could not be written: no space left on device"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("no space left on device") == 6  # in the overview's rows that failed, and in the table
    assert not list(out.glob(".spreadlab-*"))
