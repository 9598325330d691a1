"""Every directional check of the responsiveness suite holds: the advice moves the way the codebook, the collation
and the advice rules say it should when what a leader declares changes."""

from __future__ import annotations

import pytest

from spreadlab.responsiveness import EXAMPLES, load_checks, run_check

CHECKS = load_checks()


def test_the_suite_has_at_least_thirty_checks_on_example_profiles():
    assert len(CHECKS) >= 30 and len({check.id for check in CHECKS}) == len(CHECKS)
    assert all((EXAMPLES / f"{check.profile}.yaml").is_file() for check in CHECKS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.id)
def test_the_advice_moves_the_way_it_should(collation, check):
    outcome = run_check(collation, check)
    assert outcome.passed, f"{check.why} Seen: {outcome.seen}"
