"""The coder's guide (docs/codebook.md): the codebook laid out for reading, with the collation's own description of
each method beside spreadlab's coding rules, method and programme names in words, and each boundary shown under
both methods it separates. `spreadlab codebook` prints it; the YAML stays the one place the rules are written."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from .errors import SpreadlabError
from .profile import FIELD_QUESTIONS
from .vocabulary import LABELS, label

if TYPE_CHECKING:
    from .collation import Collation

TEMPLATE = "codebook.md.j2"


@cache
def _environment() -> Environment:
    # Markdown, not HTML: nothing here is shown in a browser unescaped, and escaping would corrupt the text.
    return Environment(loader=PackageLoader("spreadlab", "guides"), autoescape=False, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def markdown(collation: Collation) -> str:
    """The codebook of `collation` as the Markdown guide a coder reads.

    Raises:
        SpreadlabError: when the data folder has no codebook.yaml.
    """
    codebook = collation.codebook
    if codebook is None:
        raise SpreadlabError(f"{collation.data_dir}: there is no codebook.yaml in this data folder")
    methods = collation.methods.set_index("method_id")
    approaches = collation.approaches.sort_values("order")
    names = dict(zip(collation.programmes["programme_id"], collation.programmes["name"], strict=True))
    entries = {entry.method_id: entry for entry in codebook.methods}
    sections = [
        {"approach": row.name, "methods": [
            {"id": method_id, "name": methods.at[method_id, "name"],
             "description": methods.at[method_id, "description"],
             "provenance": LABELS[methods.at[method_id, "provenance"]],
             "caveat": methods.at[method_id, "caveat"] if isinstance(methods.at[method_id, "caveat"], str) else None,
             "entry": entries[method_id], "boundaries": codebook.boundaries_of(method_id)}
            for method_id in collation.methods.loc[collation.methods["approach_id"] == row.approach_id, "method_id"]
        ]}
        for row in approaches.itertuples()
    ]
    return _environment().get_template(TEMPLATE).render(
        codebook=codebook, sections=sections, method_names=methods["name"].to_dict(), programme_names=names,
        questions=FIELD_QUESTIONS, label=label)
