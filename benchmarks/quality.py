"""Advice quality: leave-one-programme-out over the programme library, beside chance, popularity and the rules that
were on main before the library (issue 10).

For every programme of the library: the programme is removed, the weights are fitted again on the others
(`spreadlab.calibration.fit(..., exclude=...)`), its profile before spread is ranked and planned with it left out
of "programmes like yours", and the methods it went on to use are looked up in the ranking and the plan.
Reported per engine: mean rank percentile of the used methods (0 = top, 0.5 = random; ties count at their middle
position), plan recall (share of used methods in the plan), plan precision, plan size, and methods tied at rank 1;
then the percentile of spreadlab and popularity over the programmes of each audience scale (local, regional,
national), since most programmes are national.

Baselines in the same run:
- random order: the expected values (percentile 0.5; a plan of the same size holds size/24 of the used methods);
- popularity: methods ordered by how many of the other programmes used them, ignoring the profile; its plan is its
  top methods, as many as spreadlab's plan for that programme;
- rules on main before the library (commit BASELINE_COMMIT): that commit's own code and data, run in a subprocess
  from `git archive`, on the seven profile fields it knew.

With `--learning-curve`, also: the same leave-one-out percentile for spreadlab and popularity when only a random
LIBRARY_SIZES-sized part of the other programmes is the library (CURVE_DRAWS fixed draws per size), to show how
the advice changes with the size of the library.

Usage: `.venv/bin/python benchmarks/quality.py [--json FILE] [--learning-curve]` (about five minutes with the
bundled library; the learning curve adds about twenty).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import numpy as np

import spreadlab
from spreadlab import calibration
from spreadlab.paths import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "420279f"
OLD_FIELDS = ("name", "nature", "audience_scale", "motivators", "energy_for_change", "timescale_months", "resources",
              "evidence")
LIBRARY_SIZES = (15, 30, 50, 75, 100)
CURVE_DRAWS = 3
TARGETS = {"percentile": 0.25, "recall": 0.6, "max_plan": 7, "max_tied_first": 2}
OLD_ENGINE = """
import json, sys
import spreadlab
collation = spreadlab.load()
out = {}
for ident, values in json.load(sys.stdin).items():
    profile = spreadlab.InterventionProfile.from_dict(values)
    ranking = spreadlab.recommend(collation, profile)
    the_plan = spreadlab.plan(collation, profile, ranking)
    out[ident] = {"ranks": {m: int(r) for m, r in zip(ranking["method_id"], ranking["rank"])},
                  "plan": [m for phase in the_plan.phases for m in phase.method_ids]}
json.dump(out, sys.stdout)
"""


@dataclass
class Figures:
    """Per-programme results of one engine."""

    percentiles: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    precisions: list[float] = field(default_factory=list)
    plan_sizes: list[int] = field(default_factory=list)
    tied_first: list[int] = field(default_factory=list)

    def add(self, percentile: float, used: set[str], planned: list[str], tied: int | None) -> None:
        self.percentiles.append(percentile)
        hits = len(used & set(planned))
        self.recalls.append(hits / len(used))
        self.precisions.append(hits / len(planned) if planned else 0.0)
        self.plan_sizes.append(len(planned))
        if tied is not None:
            self.tied_first.append(tied)

    def summary(self) -> dict[str, float]:
        return {"percentile": float(np.mean(self.percentiles)), "recall": float(np.mean(self.recalls)),
                "precision": float(np.mean(self.precisions)), "plan_size": float(np.mean(self.plan_sizes)),
                "max_plan": int(max(self.plan_sizes)),
                "max_tied_first": int(max(self.tied_first)) if self.tied_first else None}


def mid_rank_percentile(scores: dict[str, float], used: set[str]) -> float:
    """Mean percentile of the used methods, tied methods at their middle position (0 = first, 1 = last)."""
    values = np.array(list(scores.values()))
    positions = [((values > scores[m]).sum() + ((values == scores[m]).sum() - 1) / 2) / (len(values) - 1)
                 for m in used]
    return float(np.mean(positions))


def tied_at_first(scores: dict[str, float]) -> int:
    best = max(scores.values())
    return sum(1 for value in scores.values() if value == best)


def run_old_engine(profiles: dict[str, dict]) -> dict[str, dict]:
    """Rank and plan every profile with the code and data of BASELINE_COMMIT."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE_COMMIT, "src", "data"],
                             capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory(prefix="spreadlab-baseline-") as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="tar")
        result = subprocess.run([sys.executable, "-c", OLD_ENGINE], input=json.dumps(profiles), text=True,
                                capture_output=True, check=True, cwd=folder,
                                env={"PYTHONPATH": str(Path(folder) / "src"), "PATH": "/usr/bin:/bin"})
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--learning-curve", action="store_true",
                        help="also rank with smaller libraries (random parts of the other programmes)")
    args = parser.parse_args()
    started = time.perf_counter()
    collation = spreadlab.load()
    ids = list(collation.programmes["programme_id"])
    method_ids = list(collation.methods["method_id"])
    uses = collation.programme_methods
    used_by = {ident: set(uses.loc[uses["programme_id"] == ident, "method_id"]) for ident in ids}
    engines = {"spreadlab": Figures(), "popularity": Figures(), "rules on main before the library": Figures(),
               "random order (expected)": Figures()}
    profiles = {ident: collation.programme_profile(ident) for ident in ids}
    old = run_old_engine({ident: {k: v for k, v in profile.to_dict().items() if k in OLD_FIELDS}
                          | {"nature": profile.nature} for ident, profile in profiles.items()})
    for ident in ids:
        used, profile = used_by[ident], profiles[ident]
        fitted = calibration.fit(collation, exclude={ident})
        ranking = spreadlab.recommend(collation, profile, exclude={ident}, calibration=fitted)
        the_plan = spreadlab.plan(collation, profile, ranking)
        planned = [m for phase in the_plan.phases for m in phase.method_ids]
        assert ident not in {p.programme_id for p in ranking.attrs["similar_programmes"]}
        scores = _standing(dict(zip(ranking["method_id"], ranking["rank"], strict=True)))
        engines["spreadlab"].add(mid_rank_percentile(scores, used), used, planned, tied_at_first(scores))
        counts = {m: sum(m in used_by[other] for other in ids if other != ident) for m in method_ids}
        popular = sorted(method_ids, key=lambda m: -counts[m])  # stable: the collation's order among ties
        engines["popularity"].add(mid_rank_percentile(counts, used), used, popular[: len(planned)],
                                  tied_at_first(counts))
        before = old[ident]
        old_scores = _standing(before["ranks"])
        engines["rules on main before the library"].add(mid_rank_percentile(old_scores, used), used, before["plan"],
                                                         tied_at_first(old_scores))
        random = engines["random order (expected)"]
        random.percentiles.append(0.5)
        random.recalls.append(len(planned) / len(method_ids))
        random.precisions.append(len(used) / len(method_ids))
        random.plan_sizes.append(len(planned))
    examples = _tied_first_on_examples(collation)
    summaries = {name: figures.summary() for name, figures in engines.items()}
    by_scale = _by_audience_scale([profiles[ident].audience_scale for ident in ids], engines)
    _print(summaries, examples, len(ids), time.perf_counter() - started)
    _print_by_scale(by_scale)
    curve = _learning_curve(collation, used_by) if args.learning_curve else None
    if curve:
        _print_curve(curve, len(ids), summaries)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"programmes": len(ids), "engines": summaries,
                                         "by_audience_scale": by_scale, "tied_first_examples": examples,
                                         "learning_curve": curve},
                                        indent=2) + "\n")
    ours, popularity = summaries["spreadlab"], summaries["popularity"]
    met = (ours["percentile"] <= TARGETS["percentile"] and ours["recall"] >= TARGETS["recall"]
           and ours["max_plan"] <= TARGETS["max_plan"] and ours["percentile"] < popularity["percentile"]
           and ours["recall"] > popularity["recall"]
           and max(examples.values()) <= TARGETS["max_tied_first"])
    print(f"\nTargets {'met' if met else 'NOT met'}: mean rank percentile <= {TARGETS['percentile']}, plan recall >= "
          f"{TARGETS['recall']} with at most {TARGETS['max_plan']} methods, both better than popularity; at most "
          f"{TARGETS['max_tied_first']} methods share rank 1 for every example and library profile.")
    return 0


def _by_audience_scale(scales: list[str], engines: dict[str, Figures]) -> dict[str, dict[str, float]]:
    """Mean rank percentile of spreadlab and popularity over the programmes of each audience scale before spread,
    so that the few local and regional programmes are not hidden by the many national ones."""
    result = {}
    for scale in dict.fromkeys(sorted(scales, key=["local", "regional", "national"].index)):
        chosen = [i for i, value in enumerate(scales) if value == scale]
        result[scale] = {"programmes": len(chosen)} | {
            name: float(np.mean([engines[name].percentiles[i] for i in chosen]))
            for name in ("spreadlab", "popularity")}
    return result


def _print_by_scale(by_scale: dict[str, dict[str, float]]) -> None:
    print("\nMean rank percentile by the programme's audience scale before spread\n")
    print("| audience scale | programmes | spreadlab | popularity |")
    print("|---|---|---|---|")
    for scale, figures in by_scale.items():
        print(f"| {scale} | {figures['programmes']} | {figures['spreadlab']:.3f} | {figures['popularity']:.3f} |")


def _learning_curve(collation, used_by: dict[str, set[str]]) -> dict[int, dict[str, float]]:
    """Per library size: mean rank percentile of spreadlab (weights refitted on that library) and of popularity,
    each programme ranked with a random part of the other programmes as the library (fixed draws)."""
    ids = sorted(used_by)
    method_ids = list(collation.methods["method_id"])
    curve = {}
    for size in (size for size in LIBRARY_SIZES if size < len(ids) - 1):
        ours, popular = [], []
        for draw in range(CURVE_DRAWS):
            rng = np.random.default_rng([size, draw])
            for ident in ids:
                others = [other for other in ids if other != ident]
                library = set(rng.choice(others, size=size, replace=False).tolist())
                left_out = set(ids) - library
                fitted = calibration.fit(collation, exclude=left_out)
                profile = collation.programme_profile(ident)
                ranking = spreadlab.recommend(collation, profile, exclude=left_out, calibration=fitted)
                scores = _standing(dict(zip(ranking["method_id"], ranking["rank"], strict=True)))
                ours.append(mid_rank_percentile(scores, used_by[ident]))
                counts = {m: sum(m in used_by[other] for other in library) for m in method_ids}
                popular.append(mid_rank_percentile(counts, used_by[ident]))
        curve[size] = {"spreadlab": float(np.mean(ours)), "popularity": float(np.mean(popular))}
    return curve


def _print_curve(curve: dict[int, dict[str, float]], count: int, summaries: dict) -> None:
    print(f"\nLearning curve: mean rank percentile with a library of N of the other programmes ({CURVE_DRAWS} draws "
          "each; the last row is the whole library, as above)\n")
    print("| library size N | spreadlab | popularity |")
    print("|---|---|---|")
    for size, figures in curve.items():
        print(f"| {size} | {figures['spreadlab']:.3f} | {figures['popularity']:.3f} |")
    print(f"| {count - 1} | {summaries['spreadlab']['percentile']:.3f} | {summaries['popularity']['percentile']:.3f} |")


def _standing(ranks: dict[str, int]) -> dict[str, float]:
    """A ranking's order as higher-is-better values: methods sharing a rank tie (evidence-building methods that
    recommend() puts first for emerging evidence keep their place)."""
    return {method_id: -float(rank) for method_id, rank in ranks.items()}


def _tied_first_on_examples(collation) -> dict[str, int]:
    """Methods sharing rank 1 for every example profile and every library programme's profile."""
    result = {}
    for path in sorted((DATA_DIR / "examples" / "profiles").glob("*.yaml")):
        ranking = spreadlab.recommend(collation, spreadlab.InterventionProfile.from_yaml(path))
        result[f"example {path.stem}"] = int((ranking["rank"] == 1).sum())
    for ident in collation.programmes["programme_id"]:
        ranking = spreadlab.recommend(collation, collation.programme_profile(ident))
        result[f"library {ident}"] = int((ranking["rank"] == 1).sum())
    return result


def _print(summaries: dict, examples: dict[str, int], count: int, seconds: float) -> None:
    print(f"Leave-one-programme-out over {count} library programmes ({seconds:.0f} s)\n")
    print("| engine | mean rank percentile | plan recall | plan precision | plan size (mean / max) | "
          "methods tied at rank 1 (max) |")
    print("|---|---|---|---|---|---|")
    for name, s in summaries.items():
        tied = "—" if s["max_tied_first"] is None else s["max_tied_first"]
        print(f"| {name} | {s['percentile']:.3f} | {s['recall']:.3f} | {s['precision']:.3f} | "
              f"{s['plan_size']:.1f} / {s['max_plan']} | {tied} |")
    worst = max(examples, key=examples.get)
    print(f"\nMethods tied at rank 1 with the bundled weights: at most {examples[worst]} ({worst}) over "
          f"{len(examples)} example and library profiles.")


if __name__ == "__main__":
    sys.exit(main())
