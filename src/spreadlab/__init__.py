"""spreadlab: choose how to spread and scale a proven health innovation, using the NHS Horizons collation.

`load()` gives the collation as validated pandas tables; everything else in spreadlab answers questions about it.
Importing spreadlab stays light: plotting, widgets and notebook execution live in modules imported on demand.
The public submodules are listed in docs/api.md.
"""

from importlib import import_module
from typing import TYPE_CHECKING

# Re-exported through _PUBLIC (ruff cannot see a computed __all__).
from .collation import Collation, load  # noqa: F401
from .errors import CollationError, ProfileError, SpreadlabError, UnknownIdError  # noqa: F401

if TYPE_CHECKING:  # the same names as in _PUBLIC below, for type checkers (a test keeps the two in step)
    from .advice import Advice, MethodAdvice, recommend  # noqa: F401
    from .plan_guide import PlanGuide, guide  # noqa: F401
    from .planning import Plan, PlanPhase, plan  # noqa: F401
    from .profile import InterventionProfile, derive_nature  # noqa: F401
    from .selection import compare, filter_methods  # noqa: F401

# The one list of public names, each with the module it lives in. Names whose modules `load()` does not need are
# imported on first use (PEP 562), so `import spreadlab; spreadlab.load()` pays only for the loader.
_PUBLIC = {
    "Collation": "collation",
    "load": "collation",
    "CollationError": "errors",
    "ProfileError": "errors",
    "SpreadlabError": "errors",
    "UnknownIdError": "errors",
    "Advice": "advice",
    "MethodAdvice": "advice",
    "recommend": "advice",
    "Plan": "planning",
    "PlanPhase": "planning",
    "plan": "planning",
    "PlanGuide": "plan_guide",
    "guide": "plan_guide",
    "InterventionProfile": "profile",
    "derive_nature": "profile",
    "compare": "selection",
    "filter_methods": "selection",
}

__all__ = sorted(_PUBLIC)  # noqa: PLE0605 -- built from _PUBLIC, the one list of public names


def __getattr__(name: str) -> object:
    if name == "__version__":  # read from the installed metadata on first use: importlib.metadata costs ~30 ms
        from importlib.metadata import version

        globals()[name] = version("spreadlab")
        return globals()[name]
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
