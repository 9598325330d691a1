"""The sections of a case example report: the programme, its phases with a timeline, and the methods it used
(HTML from `spreadlab.views`)."""

from __future__ import annotations

from .. import views
from ..collation import Collation
from ..errors import UnknownIdError
from ..suggest import unknown_id_message


def check_case_id(collation: Collation, case_id: str) -> None:
    """Raise UnknownIdError, with close matches, unless `case_id` names a case example."""
    known = list(collation.case_examples["case_id"])
    if case_id not in known:
        raise UnknownIdError(unknown_id_message("case example", case_id, known, list_known=True))


def title(collation: Collation, case_id: str) -> str:
    """The case example's name, for the page title."""
    check_case_id(collation, case_id)
    return str(collation.case_examples.set_index("case_id").loc[case_id, "name"])


def summary(collation: Collation, case_id: str) -> str:
    """Title, lead, aim, period and the public figures with their sources."""
    check_case_id(collation, case_id)
    return views.case_summary(collation, case_id, report=True)


def phases(collation: Collation, case_id: str) -> str:
    """The timeline, then each phase with its dates, what happened, the methods it used and its sources."""
    check_case_id(collation, case_id)
    return views.case_phases(collation, case_id, chart=views.case_timeline(collation, case_id), level=2)


def methods(collation: Collation, case_id: str) -> str:
    """Each method the case used: what the collation says of it and its approach, and its practicalities."""
    check_case_id(collation, case_id)
    return views.case_methods(collation, case_id)
