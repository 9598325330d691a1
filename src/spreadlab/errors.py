"""Errors that name what is wrong precisely enough for a user to fix it without a traceback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with an intervention profile.

    Attributes:
        field: the field (as the user typed it, for an unknown one).
        problem: what is wrong, in one line naming the field, its value and the allowed values.
    """

    field: str
    problem: str


class ProfileError(SpreadlabError, ValueError):
    """An intervention profile has unknown fields or values outside the allowed ones.

    Attributes:
        field: the field of the first problem (None when the problem is with the profile as a whole).
        problems: every problem found, in field order (empty when the message stands alone).
    """

    def __init__(self, message: str, *, field: str | None = None, problems: Sequence[FieldProblem] = ()) -> None:
        self.problems = tuple(problems)
        self.field = field if field is not None or not self.problems else self.problems[0].field
        super().__init__(message)

    @classmethod
    def listing(cls, source: str, problems: Sequence[FieldProblem]) -> ProfileError:
        """One error for every problem, one line each starting with `source`; the first line says how many more
        follow, so it is useful on its own."""
        first, *more = problems
        also = f"; {len(more)} more problem{'s' if len(more) > 1 else ''} below" if more else ""
        lines = [f"{source}: {first.problem}{also}", *(f"{source}: {problem.problem}" for problem in more)]
        return cls("\n".join(lines), problems=problems)


class UnknownIdError(SpreadlabError, KeyError):
    """An id names no approach, method or case example; the message suggests close matches."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])
