"""`spreadlab codebook [--data DIR]`: print the coder's guide (docs/codebook.md) written from the codebook."""

from __future__ import annotations

import argparse
import sys

from ..collation import load
from .data_option import data_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("codebook", parents=[data_option()],
                                   help="print the coder's guide to the codebook (Markdown)",
                                   description="Print the codebook of a data folder as the guide a coder reads: "
                                               "how to code a programme, the general rules, the profile fields "
                                               "and one section per method (docs/codebook.md is this output).")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..codebook_guide import markdown  # imported here: Jinja2 would slow every other command's start

    sys.stdout.write(markdown(load(args.data)))
    return 0
