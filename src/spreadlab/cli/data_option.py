"""The `--data DATA_DIR` option, written once and shared by every command that reads a data folder."""

from __future__ import annotations

import argparse


def data_option() -> argparse.ArgumentParser:
    """A parent parser holding `--data`, for `add_parser(..., parents=[data_option()])`."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--data", metavar="DATA_DIR", help="data folder to read (default: the bundled data)")
    return parent
