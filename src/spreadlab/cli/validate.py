"""`spreadlab validate [DATA_DIR]`: check the data files and list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..collation import Collation, load
from ..errors import CollationError, Problem
from ..paths import DATA_DIR
from ..rules import load_rules


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help="check the data files; list every problem",
                                   description="Check a data folder (the bundled data by default).")
    parser.add_argument("data_dir", nargs="?", metavar="DATA_DIR", help="folder to check (default: bundled data)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    collation = None
    try:
        collation = load(args.data_dir)
    except CollationError as error:
        problems += error.problems
    # The advice rules, the calibration, guidance, the codebook and the coding forms are read on first use; they
    # name methods and programmes, so they are checked against them once those have loaded (the rules on their own
    # when they could not).
    folder = Path(args.data_dir) if args.data_dir is not None else DATA_DIR
    if collation is None and (folder / "rules.yaml").exists():
        try:
            load_rules(folder / "rules.yaml", None)
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
