"""Advice quality: leave-one-programme-out over the programme library, spreadlab beside popularity and a random order,
and the engine of main before this rebuild (BASELINE_COMMIT, on its own library) in the same run (issue 19).

For every programme of the library: the ranker is fitted on the other programmes (spreadlab's settings and models
refitted per fold: `spreadlab.evaluation.Spreadlab()`), the programme's profile before spread is advised and planned,
and the methods it went on to use are looked up (spreadlab.evaluation, spreadlab.metrics). Reported:

- per ranker: mean rank percentile of the used methods (0 = first, 0.5 = random), plan recall and precision, plan
  size, mean per-method AUC (methods used by at least two programmes);
- the gap to popularity per programme, with a paired bootstrap 95% interval (percentile and recall);
- per method: AUC, plan recall among the programmes that used it, and the share of plans holding it;
- the responsiveness suite (spreadlab.responsiveness): every directional check and whether it held;
- the targets of issue 19 and whether each is met.

Popularity's scores are the same for every profile, so its AUC is 0.5 by construction (its leave-one-out scores
differ only by the programme's own use, which would make it look worse than chance); it is reported as 0.5.

Usage: `.venv/bin/python benchmarks/quality.py [--json FILE] [--no-baseline] [--fast]`: spreadlab's calibration is
fitted again for every programme (about 5 s a fit, so 12 minutes or more); the baseline adds five to ten minutes.
`--fast` keeps the stored settings and refits only the models (seconds; for a quick look while developing).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spreadlab
from spreadlab import evaluation
from spreadlab.responsiveness import run_checks

ROOT = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "2f39b79"
LEVER_METHODS = ("performance-related-funding", "contractual-obligation", "regulation-inspection-audit",
                 "collaboratives", "co-production-with-end-users")
TARGETS = {"percentile": 0.20, "percentile_vs_popularity": 0.8, "recall": 0.70, "max_plan": 7, "auc": 0.75,
           "lever_recall": 0.5, "max_share": 0.75}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write every figure, per programme too, to this file")
    parser.add_argument("--no-baseline", action="store_true", help=f"skip the engine of {BASELINE_COMMIT}")
    parser.add_argument("--fast", action="store_true",
                        help="keep the stored settings, refit only the models per programme (a quick look while "
                             "developing: the settings saw every programme, so these figures are not for quoting)")
    args = parser.parse_args()
    started = time.perf_counter()
    collation = spreadlab.load()
    ours_ranker = evaluation.Spreadlab(refit_settings=not args.fast)
    results = {ranker.name: evaluation.leave_one_out(collation, ranker)
               for ranker in (ours_ranker, evaluation.Popularity(), evaluation.RandomOrder())}
    ours, popularity = results["spreadlab"], results["popularity"]
    summary = {name: _summary(result, constant=name == "popularity") for name, result in results.items()}
    gaps = {measure: evaluation.gap_interval(ours, popularity, measure) for measure in ("percentiles", "recalls")}
    checks = run_checks(collation)
    baseline = None if args.no_baseline else _baseline()
    figures = {
        "library_size": len(collation.library), "settings_refitted_per_programme": not args.fast,
        "summary": summary, "gaps_to_popularity": gaps,
        "baseline": baseline,
        "methods": {m: {"users": int(ours.used[:, j].sum()), "auc": ours.method_aucs()[m],
                        "plan_recall": ours.method_recalls()[m], "plan_share": ours.plan_shares()[m]}
                    for j, m in enumerate(ours.method_ids)},
        "responsiveness": [{"id": o.check.id, "passed": o.passed, "seen": o.seen} for o in checks],
        "per_programme": {name: {"ids": list(r.programme_ids), "percentile": r.percentiles.round(4).tolist(),
                                 "recall": r.recalls.round(4).tolist(), "precision": r.precisions.round(4).tolist()}
                          for name, r in results.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    figures["targets"] = _targets(figures)
    _print(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def _summary(result: evaluation.Evaluation, *, constant: bool = False) -> dict[str, float]:
    return {"percentile": round(float(result.percentiles.mean()), 4),
            "recall": round(float(result.recalls.mean()), 4),
            "precision": round(float(result.precisions.mean()), 4),
            "plan_size": round(float(result.plan_sizes.mean()), 2),
            "auc": 0.5 if constant else round(result.mean_auc(), 4),
            "max_plan_share": round(max(result.plan_shares().values()), 4)}


def _targets(figures: dict) -> dict[str, tuple[float, float, bool]]:
    ours, popularity = figures["summary"]["spreadlab"], figures["summary"]["popularity"]
    methods = figures["methods"]
    found = {
        "mean rank percentile ≤ 0.20": (ours["percentile"], 0.20, ours["percentile"] <= TARGETS["percentile"]),
        "percentile ≤ 0.8 × popularity's": (ours["percentile"], round(0.8 * popularity["percentile"], 4),
                                            ours["percentile"] <= 0.8 * popularity["percentile"]),
        "plan recall ≥ 0.70": (ours["recall"], 0.70, ours["recall"] >= TARGETS["recall"]),
        "plan size ≤ 7": (ours["plan_size"], 7, ours["plan_size"] <= TARGETS["max_plan"]),
        "mean per-method AUC ≥ 0.75": (ours["auc"], 0.75, ours["auc"] >= TARGETS["auc"]),
        "no method in > 75% of plans": (ours["max_plan_share"], 0.75, ours["max_plan_share"] <= TARGETS["max_share"]),
        "every responsiveness check passes": (sum(c["passed"] for c in figures["responsiveness"]),
                                              len(figures["responsiveness"]),
                                              all(c["passed"] for c in figures["responsiveness"])),
    }
    for method in LEVER_METHODS:
        value = methods[method]["plan_recall"] or 0.0
        found[f"plan recall of {method} ≥ 0.5"] = (round(value, 4), 0.5, value >= TARGETS["lever_recall"])
    return found


def _baseline() -> dict | None:
    """The engine of BASELINE_COMMIT, leave-one-out on its own library, by its own benchmark (in a subprocess on a
    detached worktree of that commit, so its own baselines can be read from git too)."""
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), BASELINE_COMMIT],
                       capture_output=True, check=True)
        try:
            out = Path(folder) / "figures.json"
            done = subprocess.run([sys.executable, str(tree / "benchmarks" / "quality.py"), "--json", str(out)],
                                  env=os.environ | {"PYTHONPATH": str(tree / "src")}, capture_output=True,
                                  text=True, check=False)
            if done.returncode not in (0, 1):  # 1: that benchmark's own targets not met
                print(f"baseline failed: {done.stderr[-500:]}", file=sys.stderr)
                return None
            return json.loads(out.read_text(encoding="utf-8"))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           capture_output=True, check=False)


def _print(figures: dict) -> None:
    fast = "" if figures["settings_refitted_per_programme"] else "; FAST: stored settings, not for quoting"
    print(f"Leave-one-out over {figures['library_size']} programmes ({figures['seconds']} s{fast})\n")
    print(f"{'ranker':<14}{'percentile':>11}{'recall':>8}{'precision':>10}{'plan':>6}{'AUC':>7}{'max share':>10}")
    for name, row in figures["summary"].items():
        print(f"{name:<14}{row['percentile']:>11.3f}{row['recall']:>8.3f}{row['precision']:>10.3f}"
              f"{row['plan_size']:>6.1f}{row['auc']:>7.3f}{row['max_plan_share']:>10.2f}")
    baseline = figures["baseline"]
    if baseline:
        old = baseline["engines"]["spreadlab"] if "engines" in baseline else baseline.get("spreadlab", {})
        print(f"{'main ' + BASELINE_COMMIT:<14}{old.get('percentile', float('nan')):>11.3f}"
              f"{old.get('recall', float('nan')):>8.3f}{old.get('precision', float('nan')):>10.3f}"
              f"{old.get('plan_size', float('nan')):>6.1f}   (its own library and coding)")
    print()
    for measure, (mean, low, high) in figures["gaps_to_popularity"].items():
        print(f"gap to popularity, {measure[:-1]}: {mean:+.3f} (95% interval {low:+.3f} to {high:+.3f})")
    print(f"\n{'method':<40}{'users':>6}{'AUC':>7}{'plan recall':>12}{'in plans':>9}")
    for method, row in figures["methods"].items():
        auc = "—" if row["auc"] is None else f"{row['auc']:.2f}"
        recall = "—" if row["plan_recall"] is None else f"{row['plan_recall']:.2f}"
        print(f"{method:<40}{row['users']:>6}{auc:>7}{recall:>12}{row['plan_share']:>9.2f}")
    failed = [c for c in figures["responsiveness"] if not c["passed"]]
    print(f"\nresponsiveness: {len(figures['responsiveness']) - len(failed)} of {len(figures['responsiveness'])} "
          "checks hold")
    for check in failed:
        print(f"  FAILS {check['id']}: {check['seen']}")
    print("\ntargets (issue 19):")
    for name, (value, target, met) in figures["targets"].items():
        print(f"  {'met ' if met else 'NOT '} {name}: {value} (target {target})")


if __name__ == "__main__":
    sys.exit(main())
