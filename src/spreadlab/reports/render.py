"""What report templates need inside their kernel: the collation (loaded once per process), a way to show a
section, and the footer. The HTML itself comes from `spreadlab.views`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import views
from ..collation import Collation, load
from ..paths import default_data_dir

TITLE_METADATA = "spreadlab"
"""Output metadata key under which a section names the page's title (read by the report exporter)."""


def collation(data_dir: str | Path | None = None) -> Collation:
    """The collation, loaded once per process and again only when a data file changes (reports in a reused
    kernel pay the loading once)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return _load_cached(folder, _file_stamps(folder))


def _file_stamps(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every data file: cheap to compute, changes when the data does."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    stats = ((path, path.stat()) for path in files)
    return tuple((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns) for path, stat in stats)


@lru_cache(maxsize=4)
def _load_cached(folder: Path, fingerprint: tuple) -> Collation:
    return load(folder)


def show(html: str, *, title: str | None = None) -> None:
    """Display a report section; `title` (given once, by the first section) becomes the page's title."""
    from IPython.display import HTML, display

    display(HTML(html), metadata={TITLE_METADATA: {"title": title}} if title else None)


def footer(collation: Collation) -> str:
    """Where the data comes from, what is curated, and which spreadlab made the report on which day."""
    return views.report_footer(collation)
