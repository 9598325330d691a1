"""The settings and models fitted on the library: stored as data, reproducible, checkable, free of leakage."""

from __future__ import annotations

import numpy as np
import pytest

import spreadlab
from spreadlab import calibration, fitting
from spreadlab.cli import main


@pytest.fixture(scope="module")
def fresh(collation):
    return fitting.fit(collation)


def test_the_bundled_calibration_is_what_a_fresh_fit_gives(collation, fresh, capsys):
    """calibration.yaml is data made by a procedure: anyone can check it, and a changed library needs a refit."""
    assert calibration.differences(collation.calibration, fresh) == []
    assert main(["calibrate", "--check"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def test_the_file_reads_back_as_what_was_written(collation, fresh, tmp_path):
    path = tmp_path / "calibration.yaml"
    path.write_text(calibration.to_yaml(fresh), encoding="utf-8")
    assert calibration.load_calibration(path, tuple(collation.methods["method_id"])) == fresh


def test_calibrate_writes_a_refit_for_an_edited_library_and_check_notices(data_copy, capsys):
    (data_copy / "programmes" / "red-bag-scheme.yaml").unlink()
    assert main(["calibrate", "--check", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "out of date" in err and "Traceback" not in err
    assert main(["calibrate", "--data", str(data_copy)]) == 0
    refit = spreadlab.load(data_copy).calibration
    assert "red-bag-scheme" not in refit.library
    assert calibration.differences(refit, fitting.fit(spreadlab.load(data_copy))) == []


def test_leaving_a_programme_out_is_the_same_as_deleting_its_file(collation, data_copy):
    """No leakage: a fit that excludes a programme cannot see anything that programme alone supplies."""
    ident = "red-bag-scheme"
    excluded = fitting.fit(collation, exclude={ident})
    (data_copy / "programmes" / f"{ident}.yaml").unlink()
    deleted = fitting.fit(spreadlab.load(data_copy))
    assert excluded.library == deleted.library
    assert calibration.differences(excluded, deleted) == []


def test_advice_refits_the_models_when_the_stored_fit_is_for_another_library(collation):
    profile = collation.programme_profile("red-bag-scheme")
    left_out = spreadlab.recommend(collation, profile, exclude=["red-bag-scheme"])
    library = collation.library.without(["red-bag-scheme"])
    refit = fitting.refit(collation.calibration, library)
    model = {m.method_id: m for m in refit.model.methods}
    for method in left_out.methods:
        expected = 1 / (1 + np.exp(-(model[method.method_id].intercept + sum(p.log_odds for p in method.parts))))
        assert method.model_chance == pytest.approx(expected, abs=1e-4)


def test_a_calibration_file_that_lacks_a_model_names_the_method(data_copy):
    path = data_copy / "calibration.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  horizon-scanning:\n", "  horizon-scanning-x:\n"), encoding="utf-8")
    with pytest.raises(spreadlab.CollationError, match="calibration.yaml: model: horizon-scanning: no model"):
        _ = spreadlab.load(data_copy).calibration


def test_the_cross_validated_figures_are_those_of_the_chosen_setting(collation, fresh):
    from spreadlab import metrics

    chances = fitting.cross_validated_chances(collation.library, collation.rules, fresh.regularisation,
                                              fresh.neighbours, fresh.alike_weight)
    assert round(metrics.log_loss(chances, collation.library.used), 6) == fresh.log_loss
    other = fitting.cross_validated_chances(collation.library, collation.rules, fresh.regularisation,
                                            fresh.neighbours, 0.5 if fresh.alike_weight != 0.5 else 0.0)
    assert round(metrics.log_loss(other, collation.library.used), 6) >= fresh.log_loss


def test_each_methods_regularisation_is_one_of_the_grid(fresh):
    assert set(fresh.regularisation.values()) <= set(fitting.REGULARISATION_GRID)
