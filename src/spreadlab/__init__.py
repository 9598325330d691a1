"""spreadlab: choose how to spread and scale a proven health innovation, using the NHS Horizons collation.

`load()` gives the collation as validated pandas tables; everything else in spreadlab answers questions about it.
Importing spreadlab stays light: plotting, widgets and notebook execution live in modules imported on demand.
"""

from .collation import Collation, load
from .errors import CollationError, ProfileError, SpreadlabError, UnknownIdError
from .planning import Plan, PlanPhase, plan
from .profile import InterventionProfile, derive_nature
from .ranking import RANKING_NOTE, ranking_json, recommend
from .scoring import CRITERIA
from .selection import compare, filter_methods

__version__ = "0.1.0"

__all__ = [
    "CRITERIA",
    "RANKING_NOTE",
    "Collation",
    "CollationError",
    "InterventionProfile",
    "Plan",
    "PlanPhase",
    "ProfileError",
    "SpreadlabError",
    "UnknownIdError",
    "compare",
    "derive_nature",
    "filter_methods",
    "load",
    "plan",
    "ranking_json",
    "recommend",
]
