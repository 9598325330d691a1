"""The one place that reads files a user hands in: regular files of a bounded size only, YAML with limits on
nesting and alias expansion, duplicate keys refused, and values quoted in messages cut to a readable length.

A FIFO or a device named like a data file would hang or exhaust memory, and a ten-level YAML alias bomb
expands to billions of items wherever it is printed or walked; each is refused here with one line naming the
file, before anything else sees its content.
"""

from __future__ import annotations

import errno
import os
import reprlib
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import SpreadlabError

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted in a user's YAML (spreadlab's own files need 6)."""
MAX_NODES = 100_000
"""Most values a YAML document may hold once its aliases are expanded."""
MAX_INTEGER_CHARACTERS = 100
"""Longest whole number accepted in a user's YAML: Python refuses to turn more than 4,300 decimal digits into text,
and a hexadecimal or binary number has no such limit and could become one that no message can quote."""
_INTEGER_TAG = "tag:yaml.org,2002:int"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InputError(SpreadlabError):
    """A file a user handed in cannot be used; `where` names the file (or source), `reason` says why."""

    def __init__(self, where: str | Path, reason: str) -> None:
        self.where, self.reason = str(where), reason
        super().__init__(f"{where}: {reason}")


_KINDS = {stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISCHR: "a device", stat.S_ISBLK: "a device",
          stat.S_ISSOCK: "a socket"}


def read_bytes(path: str | Path, *, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The content of a regular file of at most `max_bytes` bytes; anything else is a one-line SpreadlabError."""
    path = Path(path)
    try:
        # Non-blocking: opening a FIFO to look at it must not wait for a writer; the check is on the open file,
        # so the path cannot be swapped for something else between the check and the read.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(path, f"{what} file not found") from None
    except OSError as error:
        raise InputError(path, f"cannot read the {what}: {_os_reason(error)}") from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, f"the {what} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS.items() if test(info.st_mode)), "not a regular file")
            raise InputError(path, f"the {what} is {kind}, not a regular file")
        if info.st_size > max_bytes:
            raise InputError(path, f"the {what} is too large ({info.st_size:,} bytes; at most {max_bytes:,})")
        os.set_blocking(handle, True)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            content = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputError(path, f"cannot read the {what}: {_os_reason(error)}") from None
    finally:
        os.close(handle)
    if len(content) > max_bytes:  # it grew while being read
        raise InputError(path, f"the {what} is too large (more than {max_bytes:,} bytes)")
    return content


def read_text(path: str | Path, *, what: str, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text (a byte-order mark dropped) of a regular file of at most `max_bytes` bytes."""
    content = read_bytes(path, what=what, max_bytes=max_bytes)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(path, f"the {what} is not UTF-8 text (byte 0x{content[error.start]:02x} at "
                             f"position {error.start})") from None


def load_yaml(text_or_path: str | Path, *, what: str, source: str) -> Any:
    """The value of one YAML document (a Path is read with `read_text`, a str is the YAML itself), read with the
    safe loader; refuses duplicate keys, nesting deeper than MAX_DEPTH, more than MAX_NODES values after alias
    expansion, whole numbers longer than MAX_INTEGER_CHARACTERS and values the loader cannot build (a date such as
    2001-13-45), each with one line starting with `source`."""
    text = read_text(text_or_path, what=what) if isinstance(text_or_path, Path) else text_or_path
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node, source)
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise InputError(source, f"is not valid YAML{_where(error)}: {_yaml_reason(error)}") from None
    except (ValueError, OverflowError) as error:  # PyYAML builds dates and numbers with Python's own checks
        raise InputError(source, f"is not valid YAML: a value cannot be read ({shorten(str(error), 120)})") from None
    finally:
        loader.dispose()


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 3
_SHORT_REPR.maxlist = _SHORT_REPR.maxtuple = _SHORT_REPR.maxdict = _SHORT_REPR.maxset = 6
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = 400


def shorten(value: Any, limit: int = 80) -> str:
    """`repr(value)` cut to about `limit` characters, for quoting a value in a message; never walks a huge or
    deeply nested value whole."""
    shown = _SHORT_REPR.repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _check(root: yaml.Node, source: str) -> None:
    """Walk the node graph once per distinct node (iteratively, so no recursion limit), counting values as
    alias expansion would: nesting, expansion and duplicate keys are checked before anything is constructed."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            depths[key] = 1 + max((depths[id(child)] for child in children), default=0)
            if depths[key] > MAX_DEPTH:
                raise InputError(source, f"nested more than {MAX_DEPTH} levels deep{_at(node)}")
            if sizes[key] > MAX_NODES:
                raise InputError(source, f"aliases expand to more than {MAX_NODES:,} values{_at(node)} "
                                     "(write the values out, or use fewer aliases)")
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise InputError(source, f"an alias refers to the list or mapping that contains it{_at(node)}")
        if isinstance(node, yaml.MappingNode):
            _check_keys(node, source)
        elif node.tag == _INTEGER_TAG and len(node.value) > MAX_INTEGER_CHARACTERS:
            raise InputError(source, f"a whole number of {len(node.value):,} characters{_at(node)} (at most "
                                 f"{MAX_INTEGER_CHARACTERS})")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_keys(node: yaml.MappingNode, source: str) -> None:
    seen: set[tuple[str, str]] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = (key_node.tag, key_node.value)
        if key in seen:
            raise InputError(source, f"duplicate key {shorten(key_node.value)}{_at(key_node)} "
                                 "(each key may appear once)")
        seen.add(key)


def _at(node: yaml.Node) -> str:
    mark = node.start_mark
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _yaml_reason(error: yaml.YAMLError) -> str:
    reason = getattr(error, "problem", None) or str(error)
    return " ".join(str(reason).split())


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link that points back to itself"
    return (error.strerror or str(error)).lower()
