"""The plan report inside its kernel: the plan made from the template's parameters as a saved plan file would make
it (`PlanFile`: a profile, programmes left out, plan edits), the edition a reader asked for (board or full) drawn
from the plan's outline (`spreadlab.views.outline`), the Word file of the full outline, and the plan's digest for
the batch's index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from .. import views
from ..collation import Collation
from ..errors import ProfileError
from ..paths import DATA_DIR
from ..plan_file import EDITS, EXCLUDE, PlanFile
from ..plan_guide import PlanGuide
from ..profile import FIELDS, InterventionProfile
from ..views import documents, outline
from .digest import PlanDigest, digest_of

EXAMPLE_PROFILE = DATA_DIR / "examples" / "profiles" / "copd-remote-monitoring.yaml"
PARAMETERS_HEADER = """\
# Parameters: an intervention profile (fields in README.md and docs/api.md). Every field defaults to None, and
# a field left as None counts as not given, so no default here can stand in for the profile's own (a profile with
# `complexity` and no `nature` gets the nature derived from it). With no field given, the report is made for the
# bundled example profile. `papermill --help-notebook` lists these with their types."""
EDITIONS = ("board", "full")
"""The report's editions: the board's four A4 pages at most, or the full plan with its appendix."""
EDITION_PARAMETER = "edition"
PLAN_FILE_LINES = (
    f'{EDITION_PARAMETER} = "full"  # type: str  Which edition: board (at most four A4 pages) or full (every phase, '
    "then the ranking in a marked appendix). (board | full)",
    f"{EXCLUDE} = None  # type: Optional[list]  Programme ids left out of the advice, as a saved plan file names them.",
    f"{EDITS} = None  # type: Optional[dict]  A saved plan's edits: drop (method ids), add and move (method id to "
    "stage).",
)
WORD_PARAMETER = "word_file"
WORD_LINE = (f"{WORD_PARAMETER} = False  # type: bool  Whether to hand the batch the plan's Word file (--format docx "
             "or all); the page is the same either way.")
DATA_PARAMETER_LINE = ("data_dir = None  # type: Optional[str]  The data folder to read (spreadlab --data); the "
                       "bundled data if left out.")


def parameters_source() -> str:
    """The plan template's parameters cell, written from the profile's schema: one line per field with its type,
    meaning and allowed values, then the edition, a saved plan's fields and whether to make the Word file (a test
    keeps the committed template equal to it)."""
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
    return "\n".join([*lines, *PLAN_FILE_LINES, WORD_LINE, DATA_PARAMETER_LINE])


def plan_file_from(parameters: Mapping[str, Any], collation: Collation) -> PlanFile:
    """The saved plan in a template's parameters: the profile fields given (not None; with none given, the bundled
    example profile), the programmes left out and the plan edits, checked against `collation` as
    `spreadlab plan` checks a plan file, so a saved plan gives the same report as its plan."""
    given = {field: parameters[field] for field in FIELDS if parameters.get(field) is not None}
    profile = InterventionProfile.from_yaml(EXAMPLE_PROFILE) if not given else None
    values = profile.to_dict() if profile is not None else given
    values |= {key: parameters[key] for key in (EXCLUDE, EDITS) if parameters.get(key) is not None}
    return PlanFile.from_dict(values, source="parameters", collation=collation)


def check_edition(edition: str) -> str:
    """`edition` if it is one of EDITIONS; a ProfileError naming the allowed values otherwise."""
    if edition not in EDITIONS:
        raise ProfileError(f"parameters: field {EDITION_PARAMETER!r}: {edition!r} is not allowed (allowed: "
                           f"{', '.join(EDITIONS)})", field=EDITION_PARAMETER)
    return edition


def outline_of(guide: PlanGuide, collation: Collation, edition: str) -> outline.Outline:
    """The plan's outline in the edition asked for: the board edition or the full plan."""
    make = outline.board_outline if check_edition(edition) == "board" else outline.full_outline
    return make(guide, collation)


def document(plan_outline: outline.Outline, guide: PlanGuide) -> str:
    """The report's body: its title, then the outline's sections with the plan's timeline where it places it."""
    return (views.report_title(plan_outline.title, plan_outline.subtitle)
            + outline.to_html(plan_outline, views.plan_timeline(guide.plan)))


def word(guide: PlanGuide, collation: Collation) -> bytes:
    """The Word document for the programme team: the full outline, whatever the edition of the page. Made only when
    asked for (WORD_PARAMETER): python-docx takes about 0.4 s for a plan."""
    return documents.to_docx(outline.full_outline(guide, collation))


def _allowed(annotation: Any) -> tuple[str, ...]:
    """The values of a Literal type, also inside Optional[...]."""
    if get_origin(annotation) is Literal:
        return tuple(str(value) for value in get_args(annotation))
    return next((found for arg in get_args(annotation) if (found := _allowed(arg))), ())


def digest(guide: PlanGuide, collation: Collation) -> PlanDigest:
    """What the batch's index shows of this plan (`render.glue` hands it over)."""
    return digest_of(guide.plan, collation)
