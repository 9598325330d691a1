"""Runs inside a reused kernel: gives each report a fresh user namespace while imports stay loaded, and tells
the batch what the report just planned.

Cheaper than `%reset -f` (which also collects garbage and clears history); a report cannot see the names
the previous report defined.
"""

from __future__ import annotations

_baseline: frozenset[str] = frozenset()

REMEMBER = "__import__('spreadlab.reports.namespace', fromlist=['remember']).remember()"
RESET = "__import__('spreadlab.reports.namespace', fromlist=['reset']).reset()"
PLAN_DIGEST = "__import__('spreadlab.reports.namespace', fromlist=['plan_digest']).plan_digest({top})"


def remember() -> None:
    """Record the names a fresh kernel starts with."""
    global _baseline
    _baseline = frozenset(_shell().user_ns)


def reset() -> None:
    """Delete every name a report added since `remember()`, and the output history that refers to them."""
    namespace = _shell().user_ns
    for name in set(namespace) - _baseline:
        del namespace[name]
    namespace.get("Out", {}).clear()


def plan_digest(top: int) -> None:
    """Print, as JSON, the digest of the plan the report made (`reports.digest.PlanDigest`, with the names of
    its `top` likeliest methods): a plan template names its plan guide `guide` and its collation `collation`.
    Prints null when the report made no plan."""
    import json

    from .digest import digest_of

    namespace = _shell().user_ns
    guide, collation = namespace.get("guide"), namespace.get("collation")
    made = guide is not None and collation is not None
    print(json.dumps(digest_of(guide.plan, collation, top=top).to_dict() if made else None))


def _shell():
    from IPython import get_ipython

    return get_ipython()
