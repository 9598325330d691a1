"""Views for the Plan tab's form: what simple, complicated and complex mean, what each NASSS domain asks, the nature
a self-assessment gives, and the heading of a group of questions."""

from __future__ import annotations

from typing import Any

from ..collation import Collation
from ._env import render


def levels(collation: Collation) -> str:
    """What simple, complicated and complex mean, in our words, each with its badge and source (collapsed)."""
    return render("form/levels.html.j2", levels=collation.complexity_levels.to_dict(orient="records")).strip()


def domain_help(domain: Any) -> str:
    """One NASSS domain explained, with its badge and source (`domain` is a row of `collation.nasss_domains`)."""
    return render("form/domain.html.j2", domain=domain).strip()


def derived_nature(nature: str) -> str:
    """The nature of the intervention that the self-assessment's ratings give."""
    return render("form/derived.html.j2", nature=nature).strip()


def question_group(title: str, *, level: int = 4) -> str:
    """The heading of a group of questions in a form."""
    return render("form/group.html.j2", title=title, level=level).strip()
