"""The weights fitted on the programme library: reproducible, stored as data, and free of leakage."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

import spreadlab
from spreadlab import calibration


def test_the_bundled_calibration_is_what_a_fresh_fit_gives(collation, spreadlab_exe):
    """calibration.yaml is data made by a procedure: anyone can check it, and a changed library needs a refit."""
    fresh = calibration.fit(collation)
    assert fresh == collation.calibration
    result = subprocess.run([str(spreadlab_exe), "calibrate", "--check"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


def test_calibrate_writes_a_refit_for_an_edited_library_and_check_notices(data_copy, spreadlab_exe):
    (data_copy / "programmes" / "red-bag-scheme.yaml").unlink()
    check = subprocess.run([str(spreadlab_exe), "calibrate", "--check", "--data", str(data_copy)],
                           capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 1
    assert "out of date" in check.stderr and "Traceback" not in check.stderr
    written = subprocess.run([str(spreadlab_exe), "calibrate", "--data", str(data_copy)], capture_output=True,
                             text=True, timeout=120, check=False)
    assert written.returncode == 0, written.stderr
    refit = spreadlab.load(data_copy).calibration
    assert "red-bag-scheme" not in refit.library
    assert refit == calibration.fit(spreadlab.load(data_copy))


@pytest.mark.parametrize("ident", ["red-bag-scheme", "transfer-of-care-around-medicines"])
def test_leaving_a_programme_out_is_the_same_as_deleting_its_file(collation, data_copy, ident):
    """No leakage: a fit that excludes a programme cannot see anything that programme alone supplies."""
    excluded = calibration.fit(collation, exclude={ident})
    assert ident not in excluded.library
    copy = spreadlab.load(data_copy)
    path = copy.data_dir / copy.programmes.set_index("programme_id").loc[ident, "file"]
    if ident == "transfer-of-care-around-medicines":  # a case example: its profile makes it a programme
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("profile:")] + text[text.index("phases:"):], encoding="utf-8")
    else:
        path.unlink()
    assert calibration.fit(spreadlab.load(data_copy)) == excluded


def test_rankings_and_plans_are_deterministic(collation):
    profile = collation.programme_profile("atrial-fibrillation")
    first, second = spreadlab.recommend(collation, profile), spreadlab.recommend(collation, profile)
    assert first.equals(second)
    assert spreadlab.plan(collation, profile) == spreadlab.plan(collation, profile)


def test_every_score_part_has_a_reason_and_the_score_is_their_weighted_mean(collation):
    profile = collation.programme_profile("red-bag-scheme")
    ranking = spreadlab.recommend(collation, profile)
    weights = collation.calibration.weights
    for _, row in ranking.iterrows():
        total = sum(getattr(weights, c) for c in spreadlab.CRITERIA)
        score = sum(getattr(weights, c) * row[f"{c}_fit"] for c in spreadlab.CRITERIA) / total
        assert abs(score - row["score"]) < 1e-3
        for criterion in spreadlab.CRITERIA:
            assert len(row[f"{criterion}_reason"]) > 20


def test_the_fitted_objective_is_what_recommend_gives_for_each_programme_left_out(collation):
    """The calibration's array arithmetic and recommend() agree: ranking every programme with itself left out
    through recommend() gives the objective stored in calibration.yaml."""
    uses = collation.programme_methods
    percentiles = []
    for ident in collation.programmes["programme_id"]:
        ranking = spreadlab.recommend(collation, collation.programme_profile(ident), exclude={ident})
        standing = dict(zip(ranking["method_id"], -ranking["rank"].astype(float), strict=True))
        values = np.array(list(standing.values()))
        used = set(uses.loc[uses["programme_id"] == ident, "method_id"])
        percentiles.append(np.mean([((values > standing[m]).sum() + ((values == standing[m]).sum() - 1) / 2)
                                    / (len(values) - 1) for m in used]))
    assert round(float(np.mean(percentiles)), 4) == collation.calibration.objective
