"""Benchmark (issues 5 and 13): 20 plan reports made three ways, in one run on the same machine.

1. naive loop: `papermill` CLI then `jupyter nbconvert --to html --no-input`, once per row;
2. papermill's Python API in a pool of 2 processes, each report exported with nbconvert's HTMLExporter;
3. `spreadlab batch --jobs 2 --force` (kernels reused across reports);
then `spreadlab batch --format both` on the same rows, whose extra time per report is the cost of the PDF.

Reports seconds per report (wall time of the whole run / 20) and the ratios, and checks that the reports say the
same thing: the text a reader sees in each report body, dates removed, must be identical across the three.
Targets: spreadlab batch ≥ 10× the naive loop and ≥ 4× the pool.

`--rows 1000 --only-batch` runs `spreadlab batch` alone on a large portfolio and reports its total time, the
disk size of its output folder and the peak memory of its process tree (batch, kernels, Chromium).
`--rows 1000 --only-index` times writing the index page alone for that many rows (no kernel: the example
portfolio's plans made in this process, repeated, one row in 50 invalid) and reports its size, and the same for
one rewrite of manifest.json (the batch rewrites it after every row).
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

from spreadlab.paths import DATA_DIR, REPORT_TEMPLATES_DIR
from spreadlab.reports.files import unique_file_names
from spreadlab.reports.jobs import plan_job
from spreadlab.reports.portfolio import read_portfolio
from spreadlab.views.visible import visible_text

ROWS = 20
WORKERS = 2
TARGETS = {"naive": 10.0, "pool": 4.0}
BIN = Path(sys.executable).parent
TEMPLATE = REPORT_TEMPLATES_DIR / "plan.ipynb"
START_TIMEOUT, CELL_TIMEOUT = 120, 300


def report_text(path: Path) -> str:
    """What a reader sees in a report, whitespace normalised and dates removed."""
    return re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", visible_text(path.read_text(encoding="utf-8")))


def portfolio(folder: Path, count: int = ROWS) -> Path:
    """`count` rows: the example portfolio, repeated with numbered names."""
    with (DATA_DIR / "examples" / "portfolio.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    copies = -(-count // len(rows))
    rows = [dict(row, name=f"{row['name']} ({n // len(rows) + 1})") for n, row in enumerate(rows * copies)][:count]
    path = folder / "portfolio.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def naive(jobs, out: Path) -> None:
    for job in jobs:
        stem = out / job.file_name.removesuffix(".html")
        subprocess.run(
            [str(BIN / "papermill"), str(TEMPLATE), f"{stem}.ipynb", "-y", yaml.safe_dump(job.parameters),
             "--kernel", "python3", "--start-timeout", str(START_TIMEOUT),
             "--execution-timeout", str(CELL_TIMEOUT), "--no-progress-bar", "--log-level", "WARNING"],
            check=True, timeout=START_TIMEOUT + 2 * CELL_TIMEOUT, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", f"{stem}.ipynb"],
            check=True, timeout=CELL_TIMEOUT, capture_output=True)


def _pool_report(task: tuple[dict, str]) -> None:
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    parameters, stem = task
    executed = papermill.execute_notebook(
        str(TEMPLATE), f"{stem}.ipynb", parameters=parameters, kernel_name="python3", progress_bar=False,
        start_timeout=START_TIMEOUT, execution_timeout=CELL_TIMEOUT)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.from_dict(executed))
    Path(f"{stem}.html").write_text(body, encoding="utf-8")


def pool(jobs, out: Path) -> None:
    tasks = [(job.parameters, str(out / job.file_name.removesuffix(".html"))) for job in jobs]
    with multiprocessing.get_context("spawn").Pool(WORKERS) as workers:
        workers.map(_pool_report, tasks, chunksize=1)


def spreadlab_batch(path: Path, out: Path, output_format: str = "html", timeout: float = 1200) -> int:
    """Run the batch; return the peak memory (RSS, bytes) of its process tree, sampled every 0.2 s."""
    batch = subprocess.Popen([str(BIN / "spreadlab"), "batch", str(path), "--out", str(out), "--jobs", str(WORKERS),
                              "--force", "--format", output_format],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, deadline = 0, time.monotonic() + timeout
    root = psutil.Process(batch.pid)
    while batch.poll() is None and time.monotonic() < deadline:
        peak = max(peak, _tree_rss(root))
        time.sleep(0.2)
    _, stderr = batch.communicate(timeout=max(1, deadline - time.monotonic()))
    if batch.returncode != 0:
        raise RuntimeError(stderr)
    return peak


def _tree_rss(root: psutil.Process) -> int:
    total = 0
    try:
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
    except psutil.Error:
        pass
    return total


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def only_batch(rows: int) -> dict:
    """The batch alone on `rows` rows: total time, disk size and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = portfolio(folder, rows)
        out = folder / "out"
        start = time.perf_counter()
        peak = spreadlab_batch(path, out, timeout=12 * 3600)
        seconds = time.perf_counter() - start
        size = folder_bytes(out)
    return {"rows": rows, "seconds_total": round(seconds, 1), "seconds_per_report": round(seconds / rows, 3),
            "disk_bytes": size, "disk_mb": round(size / 1e6, 1), "peak_memory_mb": round(peak / 1e6),
            "workers": WORKERS}


INVALID_EVERY = 50


def only_index(rows: int, rounds: int = 5) -> dict:
    """The index page of `rows` synthetic results: median seconds to write it over `rounds`, and its size."""
    import statistics

    import spreadlab
    from spreadlab.reports.digest import digest_of
    from spreadlab.reports.index import index_html
    from spreadlab.reports.results import Manifest, RowResult, Status

    collation = spreadlab.load()
    with tempfile.TemporaryDirectory() as tmp:
        examples = read_portfolio(portfolio(Path(tmp), rows))
    digests = {}
    results = []
    for number, row in enumerate(examples, start=2):
        if number % INVALID_EVERY == 0:
            results.append(RowResult(number, row.name, None, None, Status.INVALID,
                                     error=f"row {number}, field 'resources': 'plenty' is not one of low, medium, "
                                           "high"))
            continue
        key = row.profile.model_dump_json(exclude={"name"})  # the plan does not depend on the name
        if key not in digests:
            ranking = spreadlab.recommend(collation, row.profile)
            digests[key] = digest_of(spreadlab.plan(collation, row.profile, ranking), ranking, collation, top=3)
        results.append(RowResult(number, row.name, f"row-{number}.html", "0" * 64, Status.MADE, seconds=0.13,
                                 attempts=1, files=(f"row-{number}.html",), plan=digests[key]))
    times, page = [], ""
    for _ in range(rounds):
        start = time.perf_counter()
        page = index_html("Spread and scale plans: portfolio.csv", results)
        times.append(time.perf_counter() - start)
    writes = []
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Manifest(Path(tmp), {"portfolio": "portfolio.csv"}, dict(enumerate(results)))
        for number, result in list(enumerate(results))[:rounds * 20]:
            start = time.perf_counter()
            manifest.record(number, result)
            writes.append(time.perf_counter() - start)
        manifest_bytes = (Path(tmp) / "manifest.json").stat().st_size
    return {"rows": rows, "index_seconds_median": round(statistics.median(times), 3),
            "index_bytes": len(page.encode("utf-8")), "index_mb": round(len(page.encode("utf-8")) / 1e6, 2),
            "manifest_write_ms_median": round(statistics.median(writes) * 1000, 1),
            "manifest_mb": round(manifest_bytes / 1e6, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows for --only-batch (default: %(default)s)")
    parser.add_argument("--only-batch", action="store_true", help="run spreadlab batch alone on --rows rows")
    parser.add_argument("--only-index", action="store_true", help="time the index page alone for --rows rows")
    args = parser.parse_args()
    single = only_index if args.only_index else only_batch if args.only_batch else None
    if single:
        figures = _machine() | single(args.rows)
        print(json.dumps(figures, indent=2))
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = portfolio(folder)
        rows = read_portfolio(path)
        names = unique_file_names(row.name for row in rows)
        jobs = [plan_job(row.profile, name) for row, name in zip(rows, names, strict=True)]
        runs = {"naive": naive, "pool": pool, "spreadlab batch": None}
        seconds: dict[str, float] = {}
        texts: dict[str, list[str]] = {}
        for name in runs:
            out = folder / name.replace(" ", "-")
            out.mkdir()
            start = time.perf_counter()
            if name == "spreadlab batch":
                spreadlab_batch(path, out)
            else:
                runs[name](jobs, out)
            seconds[name] = time.perf_counter() - start
            texts[name] = [report_text(out / job.file_name) for job in jobs]
            print(f"{name}: {seconds[name] / ROWS:.2f} s per report", flush=True)
        out = folder / "spreadlab-batch-both"
        start = time.perf_counter()
        spreadlab_batch(path, out, "both")
        with_pdf = time.perf_counter() - start
        pdf_sizes = [(out / job.file_name.removesuffix(".html")).with_suffix(".pdf").stat().st_size for job in jobs]
        print(f"spreadlab batch --format both: {with_pdf / ROWS:.2f} s per report", flush=True)
    identical = texts["naive"] == texts["pool"] == texts["spreadlab batch"]
    batch = seconds["spreadlab batch"]
    ratios = {name: seconds[name] / batch for name in TARGETS}
    met = identical and all(ratios[name] >= target for name, target in TARGETS.items())
    figures = _machine() | {
        "rows": ROWS,
        "seconds_per_report": {name: round(s / ROWS, 3) for name, s in seconds.items()},
        "ratios": {f"{name} / spreadlab batch": round(r, 1) for name, r in ratios.items()},
        "targets": TARGETS,
        "identical_content": identical,
        "met": met,
        "pdf": {"seconds_per_report_both": round(with_pdf / ROWS, 3),
                "pdf_cost_seconds_per_report": round((with_pdf - batch) / ROWS, 3),
                "pdf_kb_median": round(sorted(pdf_sizes)[len(pdf_sizes) // 2] / 1e3)},
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if met else 1


def _machine() -> dict:
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "load_average": os.getloadavg()}


if __name__ == "__main__":
    sys.exit(main())
