"""The `spreadlab` command: one sub-command per module in this package, each calling the library."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from ..errors import SpreadlabError

# Each module defines `register(subparsers)`; the sub-command's handler returns the exit code.
_COMMAND_MODULES = ("validate", "listing", "codebook", "agreement", "recommend", "plan", "calibrate", "report", "batch",
                    "dashboard")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="spreadlab",
        description="Choose how to spread and scale a proven health innovation, with the NHS Horizons collation.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors end as one line on stderr and a non-zero exit code, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except SpreadlabError as error:
        print(f"spreadlab: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("spreadlab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`spreadlab list methods | head`): stop quietly, as other commands do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
