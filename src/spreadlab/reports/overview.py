"""A portfolio at a glance, from the rows of a batch: the rows that failed and why, how many plans use each approach
and method, every plan's phases over the months, and the resources the plans call for.

Computed from each row's plan digest (reports/digest.py), so an unchanged row on a rerun counts like a new one;
the index page (views.index_page) only draws what this module counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..vocabulary import LEVELS
from .digest import PlanDigest
from .results import RowResult, Status


@dataclass(frozen=True, slots=True)
class Usage:
    """How many plans use one approach or method.

    Attributes:
        id, name: the approach or method.
        plans: how many plans use it (an approach: through at least one of its methods).
        approach: a method's approach (None for an approach).
        resources, resources_provenance: the resources a method needs, and where that comes from.
    """

    id: str
    name: str
    plans: int
    approach: str | None = None
    resources: str | None = None
    resources_provenance: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row with a plan: its row number as the spreadsheet shows it, its name, its report and its plan."""

    row: int
    name: str
    output: str | None
    plan: PlanDigest


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """The plans whose profile has one level of resources available, by the highest need among their methods.

    Attributes:
        available: the profile's resources (low, medium, high).
        plans: how many plans have that level available.
        by_need: per level in LEVELS, how many of those plans' methods need at most that level.
        above: how many of those plans use a method that needs more than is available.
    """

    available: str
    plans: int
    by_need: tuple[int, ...]
    above: int


@dataclass(frozen=True, slots=True)
class Overview:
    """The portfolio at a glance.

    Attributes:
        failed: the rows that failed or were invalid, in row order, each with its error.
        pending: rows not made yet (a batch stopped by a signal).
        planned: the rows with a plan (made or unchanged), in row order.
        approaches, methods: how many plans use each approach and method, most used first.
        resources: the plans by resources available and needed, one row per level a profile has.
        months: the longest timescale of the plans (the timeline's width).
        phase_names: every phase name the plans use, in the order plans go through them.
    """

    failed: tuple[RowResult, ...]
    pending: int
    planned: tuple[PlannedRow, ...]
    approaches: tuple[Usage, ...]
    methods: tuple[Usage, ...]
    resources: tuple[ResourceRow, ...]
    months: int
    phase_names: tuple[str, ...]

    @property
    def above_resources(self) -> int:
        """Plans that use a method needing more resources than their profile has available."""
        return sum(row.above for row in self.resources)


def overview(results: Sequence[RowResult]) -> Overview:
    """The overview of a batch's `results` (one per row)."""
    planned = tuple(PlannedRow(r.row, r.name, r.output, r.plan) for r in sorted(results, key=lambda r: r.row)
                    if r.status.has_report and r.plan is not None)
    plans = [row.plan for row in planned]
    return Overview(
        failed=tuple(sorted((r for r in results if r.status.failed), key=lambda r: r.row)),
        pending=sum(r.status == Status.PENDING for r in results),
        planned=planned,
        approaches=_usage(plans, lambda m: (m.approach_id, m.approach, None, None, None)),
        methods=_usage(plans, lambda m: (m.method_id, m.name, m.approach, m.resources, m.resources_provenance)),
        resources=_resources(plans),
        months=max((plan.timescale_months for plan in plans), default=0),
        phase_names=_phase_names(plans),
    )


def _usage(plans: list[PlanDigest], key) -> tuple[Usage, ...]:
    """Each thing `key` picks from a method ((id, name, approach, resources, provenance)), counted once a plan."""
    counts: Counter[str] = Counter()
    described: dict[str, tuple] = {}
    for plan in plans:
        seen = {item[0]: item for item in map(key, plan.methods)}
        counts.update(seen.keys())
        described.update(seen)
    return tuple(Usage(id, name, counts[id], approach, resources, provenance)
                 for id, name, approach, resources, provenance in sorted(
                     described.values(), key=lambda k: (-counts[k[0]], k[1])))


def _resources(plans: list[PlanDigest]) -> tuple[ResourceRow, ...]:
    rows = []
    for available in LEVELS:
        group = [plan for plan in plans if plan.resources == available]
        if not group:
            continue
        needs = Counter(plan.highest_need for plan in group)
        above = sum(need is not None and LEVELS.index(need) > LEVELS.index(available) for need in needs.elements())
        rows.append(ResourceRow(available, len(group), tuple(needs[level] for level in LEVELS), above))
    return tuple(rows)


def _phase_names(plans: list[PlanDigest]) -> tuple[str, ...]:
    """Phase names ordered by their mean position in the plans (plans share the same rules' phases)."""
    positions: dict[str, list[int]] = {}
    for plan in plans:
        for phase in plan.phases:
            positions.setdefault(phase.name, []).append(phase.order)
    return tuple(sorted(positions, key=lambda name: (sum(positions[name]) / len(positions[name]), name)))

