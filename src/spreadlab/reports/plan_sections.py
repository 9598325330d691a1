"""The sections of a plan report: the title and profile, the phased plan with its timeline, the ranked methods
with their reasons, similar programmes, and how the ranking is made (HTML from `spreadlab.views`); and the plan's
digest for the batch's index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from .. import views
from ..advice import Advice
from ..collation import Collation
from ..paths import DATA_DIR
from ..plan_guide import PlanGuide
from ..profile import FIELDS, InterventionProfile
from .digest import PlanDigest, digest_of

DETAILED_METHODS = 10
EXAMPLE_PROFILE = DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml"
PARAMETERS_HEADER = """\
# Parameters: an intervention profile (fields in README.md and docs/api.md). Every field defaults to None, and
# a field left as None counts as not given, so no default here can stand in for the profile's own (a profile with
# `complexity` and no `nature` gets the nature derived from it). With no field given, the report is made for the
# bundled example profile. `papermill --help-notebook` lists these with their types."""
DATA_PARAMETER_LINE = ("data_dir = None  # type: Optional[str]  The data folder to read (spreadlab --data); the "
                       "bundled data if left out.")


def parameters_source() -> str:
    """The plan template's parameters cell, written from the profile's schema: one line per field with its type,
    meaning and allowed values (a test keeps the committed template equal to it)."""
    lines = [PARAMETERS_HEADER]
    for name in FIELDS:
        field = InterventionProfile.model_fields[name]
        allowed = _allowed(field.annotation)
        kind = "dict" if name == "complexity" else "int" if field.annotation is int else "str"
        derived = name == "nature"  # required by the model, but derived from `complexity` when left out
        typed = kind if field.is_required() and not derived else f"Optional[{kind}]"
        values = f" ({' | '.join(allowed)})" if allowed and name != "complexity" else ""
        note = " Leave out to derive it from complexity." if derived else ""
        lines.append(f"{name} = None  # type: {typed}  {field.description}{values}{note}")
    return "\n".join([*lines, DATA_PARAMETER_LINE])


def profile_from(parameters: Mapping[str, Any]) -> InterventionProfile:
    """The profile in a template's parameters: only the fields given (not None) count, so no template default can
    stand in for a field the profile left out; with no field given at all, the bundled example profile."""
    given = {field: parameters[field] for field in FIELDS if parameters.get(field) is not None}
    if not given:
        return InterventionProfile.from_yaml(EXAMPLE_PROFILE)
    return InterventionProfile.from_dict(given, source="parameters")


def _allowed(annotation: Any) -> tuple[str, ...]:
    """The values of a Literal type, also inside Optional[...]."""
    if get_origin(annotation) is Literal:
        return tuple(str(value) for value in get_args(annotation))
    return next((found for arg in get_args(annotation) if (found := _allowed(arg))), ())


def summary(guide: PlanGuide, collation: Collation) -> str:
    """The title, the summary a board acts on (with the asks of others), then the profile as given."""
    the_plan = guide.plan
    return (views.report_title("Spread and scale plan", the_plan.profile.name)
            + views.at_a_glance(guide, collation) + views.profile_summary(the_plan))


def phases(guide: PlanGuide, collation: Collation) -> str:
    """The timeline, then each phase with what to do in it, then the whole plan's aim, measures, evaluation,
    communication, asks and route to sustain it."""
    return (views.phases(guide, collation, chart=views.plan_timeline(guide.plan))
            + views.plan_guide(guide, collation))


def ranking(advice: Advice) -> str:
    """Every recorded method, distinctive choices apart from foundations, then the facts behind the likeliest."""
    return views.ranking(advice, detailed=DETAILED_METHODS)


def similar(collation: Collation, advice: Advice) -> str:
    """The programmes like this one, with why each is alike, each linked to its card further down."""
    return views.similar_programmes(advice, collation, cards=True)


def how_ranked(collation: Collation, advice: Advice) -> str:
    """How the advice is made."""
    return views.how_ranked(collation, advice)


def digest(guide: PlanGuide, collation: Collation) -> PlanDigest:
    """What the batch's index shows of this plan (`render.glue` hands it over)."""
    return digest_of(guide.plan, collation)
