"""What report templates need inside their kernel: the collation (loaded once per process), a way to show a
section, ways to hand the batch the plan's digest and its Word file, and the footer. The HTML itself comes from
`spreadlab.views`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import views
from ..collation import Collation, load
from ..fingerprints import data_fingerprint
from ..paths import DATA_DIR
from .digest import MEDIA_TYPE
from .word import MEDIA_TYPE as WORD_MEDIA_TYPE
from .word import encoded

if TYPE_CHECKING:
    from .digest import PlanDigest

TITLE_METADATA = "spreadlab"
"""Output metadata key under which a section names the page's title (read by the report exporter)."""


def collation(data_dir: str | Path | None = None) -> Collation:
    """The collation of `data_dir` (a template's `data_dir` parameter; the bundled data when None), loaded once per
    kernel and again only when a file spreadlab reads there changes: reports in a reused kernel pay it once."""
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    return _loaded(folder, data_fingerprint(folder))


@lru_cache(maxsize=4)
def _loaded(folder: Path, fingerprint: str) -> Collation:
    return load(folder)


def show(html: str, *, title: str | None = None) -> None:
    """Display a report section; `title` (given once, by the first section) becomes the page's title."""
    from IPython.display import HTML, display

    display(HTML(html), metadata={TITLE_METADATA: {"title": title}} if title else None)


def glue(digest: PlanDigest) -> None:
    """Attach the plan's digest to the executed notebook as an output of its own media type: the batch reads it
    back (`digest.glued`), and the report page leaves it out."""
    from IPython.display import display

    display({MEDIA_TYPE: digest.to_dict()}, raw=True)


def attach_word(content: bytes) -> None:
    """Attach the plan's Word file to the executed notebook (`word.glued_word` reads it back); the page leaves it
    out."""
    from IPython.display import display

    display({WORD_MEDIA_TYPE: encoded(content)}, raw=True)


def footer(collation: Collation) -> str:
    """Where the data comes from, what is curated, and which spreadlab made the report on which day."""
    return views.report_footer(collation)
