"""The metrics and the leave-one-out evaluation: written once, checked on small cases worked by hand, and
used the same way for spreadlab, popularity and a random order."""

from __future__ import annotations

import numpy as np
import pytest

from spreadlab import evaluation, metrics


def test_rank_percentiles_count_ties_at_their_middle():
    scores = np.array([0.9, 0.5, 0.5, 0.1])
    assert list(metrics.rank_percentiles(scores)) == pytest.approx([0, 0.5, 0.5, 1])


def test_mean_rank_percentile_of_the_used_methods():
    scores = np.array([0.9, 0.5, 0.3, 0.1])
    assert metrics.mean_rank_percentile(scores, np.array([True, False, False, True])) == pytest.approx(0.5)


def test_recall_and_precision_of_a_plan():
    planned = np.array([True, True, False, False])
    used = np.array([True, False, True, False])
    assert metrics.recall(planned, used) == 0.5 and metrics.precision(planned, used) == 0.5
    assert metrics.precision(np.zeros(4, dtype=bool), used) == 0.0


def test_auc_separates_users_and_is_none_without_both_kinds():
    assert metrics.method_auc(np.array([0.9, 0.8, 0.2]), np.array([True, True, False])) == 1.0
    assert metrics.method_auc(np.array([0.9, 0.8]), np.array([True, True])) is None


def test_log_loss_is_lower_for_better_chances():
    used = np.array([True, False])
    assert metrics.log_loss(np.array([0.9, 0.1]), used) < metrics.log_loss(np.array([0.6, 0.4]), used)


def test_the_paired_bootstrap_is_repeatable_and_brackets_the_mean():
    differences = np.array([0.1, 0.2, -0.05, 0.15, 0.0, 0.3])
    low, high = metrics.paired_bootstrap(differences, draws=500)
    assert (low, high) == metrics.paired_bootstrap(differences, draws=500)
    assert low < differences.mean() < high


@pytest.fixture(scope="module")
def sample(collation):
    return collation.library.programme_ids[::11]


def test_leave_one_out_runs_every_ranker_through_the_same_harness(collation, sample):
    results = {ranker.name: evaluation.leave_one_out(collation, ranker, sample)
               for ranker in (evaluation.Spreadlab(refit_settings=False), evaluation.Popularity(),
                              evaluation.RandomOrder())}
    for result in results.values():
        assert result.scores.shape == (len(sample), len(collation.methods))
        assert ((result.percentiles >= 0) & (result.percentiles <= 1)).all()
        assert (result.plan_sizes <= 7).all()
    assert results["popularity"].plan_sizes.tolist() == [7] * len(sample)


def test_popularity_left_out_is_the_base_rate_of_the_others(collation, sample):
    result = evaluation.leave_one_out(collation, evaluation.Popularity(), sample[:1])
    others = collation.library.without(sample[:1])
    assert result.scores[0] == pytest.approx(others.base_rates())


def test_the_evaluation_of_spreadlab_is_what_recommend_and_plan_give(collation, sample):
    import spreadlab
    from spreadlab import fitting

    ident = sample[0]
    result = evaluation.leave_one_out(collation, evaluation.Spreadlab(refit_settings=False), [ident])
    fold = fitting.refit(collation.calibration, collation.library.without([ident]))
    advice = spreadlab.recommend(collation, collation.programme_profile(ident), exclude=[ident], calibration=fold)
    chance = {m.method_id: m.chance for m in advice.methods}
    assert result.scores[0] == pytest.approx([chance[m] for m in collation.library.method_ids])
    planned = spreadlab.plan(collation, advice.profile, advice).method_ids
    assert set(np.array(collation.library.method_ids)[result.planned[0]]) == set(planned)
