"""Runs inside a reused kernel: gives each report a fresh user namespace while imports stay loaded.

Cheaper than `%reset -f` (which also collects garbage and clears history); a report cannot see the names
the previous report defined.
"""

from __future__ import annotations

_baseline: frozenset[str] = frozenset()

REMEMBER = "__import__('spreadlab.reports.namespace', fromlist=['remember']).remember()"
RESET = "__import__('spreadlab.reports.namespace', fromlist=['reset']).reset()"


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


def _shell():
    from IPython import get_ipython

    return get_ipython()
