"""What the Plan tab shows for one plan file (the advice, the plan with its edits, its guidance), apart from the
tab so that the tab and its plan editor both read it."""

from __future__ import annotations

from dataclasses import dataclass

from ..advice import Advice
from ..collation import Collation
from ..plan_file import PlanFile
from ..plan_guide import PlanGuide, guide
from ..planning import Plan
from ..profile import InterventionProfile


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What the Plan tab shows for one plan file: the advice, the plan and everything it needs."""

    saved: PlanFile
    advice: Advice
    plan: Plan
    guide: PlanGuide

    @property
    def profile(self) -> InterventionProfile:
        return self.saved.profile


def make_result(collation: Collation, saved: PlanFile) -> PlanResult:
    """The advice (without the programmes left out), the plan with its edits, and its guidance."""
    made = saved.plan(collation)
    return PlanResult(saved, made.advice, made, guide(collation, made))
