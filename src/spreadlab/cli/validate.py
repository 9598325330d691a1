"""`spreadlab validate [--data DATA_DIR]`: check the data files and list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..collation import Collation, load
from ..errors import CollationError, Problem, SpreadlabError
from ..paths import DATA_DIR, RULES_FILE
from ..rules import load_rules
from .data_option import data_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", parents=[data_option()], help="check the data files; list every problem",
        description="Check a data folder (the bundled data by default).")
    # The form before --data, kept for scripts that use it: `spreadlab validate DATA_DIR`.
    parser.add_argument("positional_data", nargs="?", metavar="DATA_DIR", help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data = _data_dir(args)
    problems: list[Problem] = []
    collation = None
    try:
        collation = load(data, cache=False)  # checking the files is the point: the load cache is not consulted
    except CollationError as error:
        problems += error.problems
    # The advice rules, the calibration, guidance, the codebook and the coding forms are read on first use; they
    # name methods and programmes, so they are checked against them once those have loaded (the rules on their own
    # when they could not).
    folder = Path(data) if data is not None else DATA_DIR
    if collation is None and (folder / RULES_FILE).exists():
        try:
            load_rules(folder / RULES_FILE, None)
        except CollationError as error:
            problems += error.problems
    for part in ("rules", "calibration", "guidance", "codebook", "codings") if collation is not None else ():
        try:
            getattr(collation, part)
        except CollationError as error:
            problems += error.problems
    if problems or collation is None:  # the data failed to load only with problems to list
        print(CollationError(problems), file=sys.stderr)
        return 1
    approaches = collation.approaches
    counts = ", ".join(
        f"{row.approach_id} {row.methods_recorded}/{row.methods_stated}" for row in approaches.itertuples()
    )
    print(
        f"OK: {len(approaches)} approaches, {len(collation.methods)} methods recorded of "
        f"{approaches['methods_stated'].sum()} stated ({counts}), {len(collation.case_examples)} case examples, "
        f"{len(collation.glossary)} glossary terms, {len(collation.guidance.items)} guidance items"
        f"{_coding_summary(collation)} ({collation.data_dir})"
    )
    return 0


def _coding_summary(collation: Collation) -> str:
    """The summary line's part on coding, e.g. ', a codebook of 24 methods, 6 coding forms' (absent parts left
    out)."""
    parts = []
    if collation.codebook is not None:
        parts.append(f"a codebook of {len(collation.codebook.methods)} methods")
    forms = sum(len(codings) for codings in collation.codings.values())
    if forms:
        parts.append(f"{forms} coding form{'s' if forms != 1 else ''}")
    return "".join(f", {part}" for part in parts)


def _data_dir(args: argparse.Namespace) -> str | None:
    """The folder from --data, or from the positional form (with a note that it is deprecated)."""
    if args.positional_data is None:
        return args.data
    if args.data is not None:
        raise SpreadlabError(f"give the data folder once: --data {args.data} or {args.positional_data}, not both")
    print(f"spreadlab: note: `spreadlab validate DATA_DIR` is deprecated; use `spreadlab validate --data "
          f"{args.positional_data}`", file=sys.stderr)
    return args.positional_data
