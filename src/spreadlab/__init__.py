"""spreadlab: choose how to spread and scale a proven health innovation, using the NHS Horizons collation.

`load()` gives the collation as validated pandas tables; everything else in spreadlab answers questions about it.
Importing spreadlab stays light: plotting, widgets and notebook execution live in modules imported on demand.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from .collation import Collation, load
from .errors import CollationError, ProfileError, SpreadlabError, UnknownIdError

if TYPE_CHECKING:
    from .planning import Plan, PlanPhase, plan
    from .profile import InterventionProfile, derive_nature
    from .ranking import RANKING_NOTE, ranking_json, recommend
    from .scoring import CRITERIA
    from .selection import compare, filter_methods

# Public names whose modules `load()` does not need, imported on first use (PEP 562) so that
# `import spreadlab; spreadlab.load()` pays only for the loader (benchmarks/load.py). Add new public names here.
_ON_FIRST_USE = {
    "Plan": "planning",
    "PlanPhase": "planning",
    "plan": "planning",
    "InterventionProfile": "profile",
    "derive_nature": "profile",
    "RANKING_NOTE": "ranking",
    "ranking_json": "ranking",
    "recommend": "ranking",
    "CRITERIA": "scoring",
    "compare": "selection",
    "filter_methods": "selection",
}


def __getattr__(name: str) -> object:
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_ON_FIRST_USE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_ON_FIRST_USE))

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
