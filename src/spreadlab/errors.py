"""Errors that name what is wrong precisely enough for a user to fix it without a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the data: where it is and what is wrong.

    Attributes:
        file: path of the data file, relative to the data folder.
        record: id (or position) of the record inside the file; empty for the file itself.
        field: dotted path of the field inside the record; empty for the record itself.
        problem: what is wrong, with the allowed values where there is a fixed set.
    """

    file: str
    record: str
    field: str
    problem: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.record, self.field, self.problem) if part)


class SpreadlabError(Exception):
    """Base class of every error spreadlab raises on purpose; its message is meant for the user."""


class CollationError(SpreadlabError):
    """The data folder does not hold a valid collation; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(dict.fromkeys(problems))  # the same problem found twice is listed once
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the collation data:\n{lines}")


class ProfileError(SpreadlabError, ValueError):
    """An intervention profile has an unknown field or a value outside the allowed ones."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class UnknownIdError(SpreadlabError, KeyError):
    """An id names no approach, method or case example; the message suggests close matches."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])
