"""Does the advice move the way it should when what a leader declares changes? Directional checks written from
the codebook, the collation and the advice rules (`data/responsiveness.yaml`), run against the engine: each takes
an example profile, changes one or two fields and says what must follow (a method's chance goes up or down, a
method is planned or not, becomes an ask, is flagged, a notice appears, the plan has or lacks a test phase).

The tests, `benchmarks/quality.py` and docs/scoring.md use the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from ._validate import read_file
from .advice import Advice, recommend
from .collation import Collation
from .errors import CollationError, Problem
from .paths import DATA_DIR
from .planning import Plan, plan
from .profile import InterventionProfile

CHECKS_FILE = "responsiveness.yaml"
EXAMPLES = DATA_DIR / "examples" / "profiles"
Expectation = Literal["up", "down", "planned", "not-planned", "ask", "not-ask", "lever", "needs", "unfunded",
                      "notice", "no-notice", "test-phase", "no-test-phase", "in-stage"]
_STRICT = ConfigDict(extra="forbid", defer_build=True)


@pydantic_dataclass(frozen=True, config=_STRICT)
class Check:
    """One directional check.

    Attributes:
        id: what it checks, as a slug.
        profile: an example profile (a file name under data/examples/profiles, without .yaml).
        change: the fields changed (after) — for up/down, the chance is compared with the profile before.
        expect: what must hold after the change (see Expectation); `method`, `notice` or `stage` say of what.
        why: the reason, in a sentence; source: the codebook rule, collation point or advice rule it comes from.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    profile: str
    change: dict[str, Any]
    expect: Expectation
    why: str
    source: str
    method: str | None = None
    notice: str | None = None
    stage: str | None = None


@pydantic_dataclass(frozen=True, config=_STRICT)
class _Checks:
    checks: Annotated[tuple[Check, ...], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A check and whether it held, with what was seen (e.g. the chance before and after)."""

    check: Check
    passed: bool
    seen: str


def load_checks(path: Path = DATA_DIR / CHECKS_FILE) -> tuple[Check, ...]:
    """The checks, validated; problems are reported like any other data problem."""
    problems: list[Problem] = []
    checks: Any = read_file(path.parent, path.name, TypeAdapter(_Checks), problems)
    if problems:
        raise CollationError(problems)
    return checks.checks


def run_check(collation: Collation, check: Check) -> Outcome:
    """Run one check against the engine."""
    before = InterventionProfile.from_yaml(EXAMPLES / f"{check.profile}.yaml")
    after = InterventionProfile.from_dict(before.to_dict() | check.change, source=check.id)
    advice = recommend(collation, after)
    spread_plan = plan(collation, after, advice)
    if check.expect in ("up", "down"):
        old = recommend(collation, before).method(_method(check)).chance
        new = advice.method(_method(check)).chance
        passed = new > old if check.expect == "up" else new < old
        return Outcome(check, passed, f"chance {old:.3f} → {new:.3f}")
    return _state(check, advice, spread_plan)


def run_checks(collation: Collation, checks: tuple[Check, ...] | None = None) -> tuple[Outcome, ...]:
    """Run every check (the bundled ones unless given)."""
    return tuple(run_check(collation, check) for check in (checks or load_checks()))


def _state(check: Check, advice: Advice, spread_plan: Plan) -> Outcome:
    planned = set(spread_plan.method_ids)
    notices = {n.code for n in spread_plan.notices}
    stages = [stage for phase in spread_plan.phases for stage in phase.stages]
    if check.expect in ("planned", "not-planned"):
        held = _method(check) in planned
        return Outcome(check, held == (check.expect == "planned"), f"planned: {sorted(planned)}")
    if check.expect == "in-stage":
        where = [phase.stages for phase in spread_plan.phases if _method(check) in phase.method_ids]
        return Outcome(check, bool(where) and check.stage in where[0], f"stages of the method: {where}")
    if check.expect in ("notice", "no-notice"):
        return Outcome(check, (check.notice in notices) == (check.expect == "notice"), f"notices: {sorted(notices)}")
    if check.expect in ("test-phase", "no-test-phase"):
        return Outcome(check, ("test" in stages) == (check.expect == "test-phase"), f"stages: {stages}")
    method = advice.method(_method(check))
    seen = {"ask": bool(method.ask), "not-ask": not method.ask, "lever": method.lever is not None,
            "needs": method.needs is not None, "unfunded": method.unfunded}[check.expect]
    return Outcome(check, seen, f"ask {method.ask}, lever {method.lever}, needs {method.needs}, "
                                f"unfunded {method.unfunded}")


def _method(check: Check) -> str:
    if check.method is None:
        raise CollationError([Problem(CHECKS_FILE, check.id, "method", f"required for expect: {check.expect}")])
    return check.method
