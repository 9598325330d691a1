"""Benchmark: start Python and load the bundled collation, against starting Python and importing pandas and PyYAML.

Each command runs in a fresh interpreter; the runs are interleaved (baseline, subject, baseline, ...) so that both see
the same machine load. Target (issue 22): median of `import spreadlab; spreadlab.load()` ≤ 1.3 × the baseline median.
The warm-up run fills the load cache, so the subject is what every dashboard page and report kernel pays; reading and
validating the files (`load(cache=False)`, a cache miss) is shown for context. Wall-clock time is the target; the CPU
time of each child process is reported too, because on a busy machine it varies much less than wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

TARGET_RATIO = 1.3
BASELINE = "import pandas, yaml"
SUBJECT = "import spreadlab; spreadlab.load()"
# Not part of the target: what building every table on top of loading costs, for context.
ALL_TABLES = (
    "import spreadlab; c = spreadlab.load(); "
    "[getattr(c, t) for t in ('approaches', 'methods', 'method_summary', 'strengths', 'limitations', 'examples', "
    "'considerations', 'case_examples', 'case_figures', 'case_mentions', 'case_phases', 'case_phase_methods', "
    "'glossary', 'complexity_levels', 'nasss_domains')]"
)
FILES_READ = "import spreadlab; spreadlab.load(cache=False)"
COMMANDS = {"baseline": BASELINE, "load": SUBJECT, "load + all tables": ALL_TABLES, "load, files read": FILES_READ}


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds taken by one command over every run: wall-clock median, minimum and maximum, and CPU median."""

    name: str
    command: str
    median: float
    minimum: float
    maximum: float
    cpu_median: float
    runs: int


def time_once(code: str, cwd: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds to run `python -c code` to completion in a fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(runs: int) -> list[Timing]:
    """Run every command `runs` times, interleaved and rotating the order each round, after one warm-up each."""
    names = list(COMMANDS)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    # A neutral working directory, so the installed package is what gets imported.
    with tempfile.TemporaryDirectory() as cwd:
        for name in names:
            time_once(COMMANDS[name], cwd)
        for round_ in range(runs):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(time_once(COMMANDS[name], cwd))
    timings = []
    for name, pairs in samples.items():
        wall = [w for w, _ in pairs]
        cpu = statistics.median(c for _, c in pairs)
        timings.append(Timing(name, COMMANDS[name], statistics.median(wall), min(wall), max(wall), cpu, len(wall)))
    return timings


def report(timings: list[Timing]) -> dict:
    baseline = timings[0]
    load = next(t for t in timings if t.name == "load")
    ratio = load.median / baseline.median
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": os.getloadavg()[0],
        "timings": [
            asdict(t) | {"ratio": t.median / baseline.median, "cpu_ratio": t.cpu_median / baseline.cpu_median}
            for t in timings
        ],
        "ratio": ratio,
        "cpu_ratio": load.cpu_median / baseline.cpu_median,
        "min_ratio": load.minimum / baseline.minimum,
        "target": TARGET_RATIO,
        "met": ratio <= TARGET_RATIO,
    }


def print_table(result: dict) -> None:
    print(f"{result['date']} · {result['machine']} · load average {result['load_average']:.1f}")
    print(f"{'command':<20} {'median s':>9} {'min s':>7} {'max s':>7} {'ratio':>6} {'cpu s':>7} {'cpu ratio':>9}  runs")
    for t in result["timings"]:
        print(f"{t['name']:<20} {t['median']:>9.3f} {t['minimum']:>7.3f} {t['maximum']:>7.3f} {t['ratio']:>6.2f} "
              f"{t['cpu_median']:>7.3f} {t['cpu_ratio']:>9.2f}  {t['runs']}")
    verdict = "met" if result["met"] else "NOT met"
    print(f"load / baseline = {result['ratio']:.2f} wall-clock median, {result['min_ratio']:.2f} wall-clock minimum, "
          f"{result['cpu_ratio']:.2f} CPU median (target: median ≤ {result['target']}: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args()
    result = report(measure(args.runs))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
