"""spreadlab: choose how to spread and scale a proven health innovation, using the NHS Horizons collation.

`load()` gives the collation as validated pandas tables; everything else in spreadlab answers questions about it.
Importing spreadlab stays light: plotting, widgets and notebook execution live in modules imported on demand.
"""

from .collation import Collation, load
from .errors import CollationError, ProfileError, SpreadlabError, UnknownIdError

__version__ = "0.1.0"

__all__ = [
    "Collation",
    "CollationError",
    "ProfileError",
    "SpreadlabError",
    "UnknownIdError",
    "load",
]
