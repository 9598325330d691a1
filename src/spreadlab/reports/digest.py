"""A small digest of the plan a report made, for the batch's index: what it ranked first, its phases over the
months, the methods and approaches it combines and the resources they call for.

Built inside the report's kernel from the plan it just made (so no row is planned twice), the plan template glues
it into the executed notebook as an output of its own media type (`MEDIA_TYPE`, scrapbook's pattern:
`render.glue`), the batch reads it back from there (`glued`), and keeps it on each row's result and in
manifest.json, so a report skipped as unchanged on a rerun still shows in the portfolio overview.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..vocabulary import LEVELS

MEDIA_TYPE = "application/vnd.spreadlab.digest+json"
"""The media type of the output that carries a report's digest in its executed notebook."""
TOP_METHODS = 3
"""Best-ranked methods a digest names."""

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from pydantic import TypeAdapter

    from ..collation import Collation
    from ..planning import Plan


@dataclass(frozen=True, slots=True)
class PhaseDigest:
    """One phase of the plan.

    Attributes:
        order: its position, from 1.
        name: what the phase is for.
        start_month, end_month: months from the start of the plan, inclusive.
        method_ids: the methods it uses.
    """

    order: int
    name: str
    start_month: int
    end_month: int
    method_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MethodDigest:
    """A method the plan uses.

    Attributes:
        method_id, name: the method.
        approach_id, approach: its approach.
        resources: the resources the method needs (low, medium or high; None when the data does not say).
        resources_provenance: where that need comes from (collation, collation-summary, curated).
    """

    method_id: str
    name: str
    approach_id: str
    approach: str
    resources: str | None = None
    resources_provenance: str | None = None


@dataclass(frozen=True, slots=True)
class PlanDigest:
    """The plan of one report, as the batch's index shows it.

    Attributes:
        top_methods: the names of the best-ranked methods, best first.
        timescale_months: the months the profile has for the spread.
        resources: the resources the profile has available (low, medium, high).
        phases: the plan's phases in order.
        methods: the methods the plan uses, in the order of their first phase.
    """

    top_methods: tuple[str, ...]
    timescale_months: int
    resources: str
    phases: tuple[PhaseDigest, ...]
    methods: tuple[MethodDigest, ...]

    @property
    def highest_need(self) -> str | None:
        """The most resources any of the plan's methods needs (None when no method's need is known)."""
        needs = [LEVELS.index(m.resources) for m in self.methods if m.resources in LEVELS]
        return LEVELS[max(needs)] if needs else None

    def to_dict(self) -> dict[str, Any]:
        """The digest as JSON-ready values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, value: object) -> PlanDigest | None:
        """The digest in `value` (as `to_dict` gives it, or read back from a manifest); None if it is not one."""
        from pydantic import ValidationError

        try:
            return _adapter().validate_python(value)
        except ValidationError:
            return None


def glued(executed: NotebookNode) -> PlanDigest | None:
    """The digest glued into an executed report notebook (None when it holds none, or not a valid one)."""
    for cell in executed.cells:
        for output in cell.get("outputs", ()):
            if MEDIA_TYPE in output.get("data", {}):
                return PlanDigest.from_dict(output["data"][MEDIA_TYPE])
    return None


def digest_of(plan: Plan, collation: Collation, *, top: int = TOP_METHODS) -> PlanDigest:
    """The digest of `plan`, with the names of the `top` likeliest methods of its advice."""
    methods = collation.methods.set_index("method_id")
    approaches = collation.approaches.set_index("approach_id")["name"]
    needs = collation.considerations[collation.considerations["consideration"] == "resources"]
    needs = needs.set_index("method_id")
    used = dict.fromkeys(method_id for phase in plan.phases for method_id in phase.method_ids)
    return PlanDigest(
        top_methods=tuple(m.method for m in plan.advice.methods[:top]),
        timescale_months=plan.profile.timescale_months,
        resources=str(plan.profile.resources),
        phases=tuple(PhaseDigest(phase.order, phase.name, phase.start_month, phase.end_month, phase.method_ids)
                     for phase in plan.phases),
        methods=tuple(MethodDigest(
            method_id, str(methods.loc[method_id, "name"]), str(methods.loc[method_id, "approach_id"]),
            str(approaches[methods.loc[method_id, "approach_id"]]),
            str(needs.loc[method_id, "value"]) if method_id in needs.index else None,
            str(needs.loc[method_id, "provenance"]) if method_id in needs.index else None,
        ) for method_id in used),
    )


@cache
def _adapter() -> TypeAdapter[PlanDigest]:
    from pydantic import TypeAdapter

    return TypeAdapter(PlanDigest)
