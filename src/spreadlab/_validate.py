"""Read the YAML files of a data folder into schema records, collecting every problem instead of stopping."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from . import _schema
from .errors import CollationError, Problem
from .inputs import InputError, load_yaml, shorten
from .paths import APPROACHES_DIR, CASE_EXAMPLES_DIR, COMPLEXITY_FILE, GLOSSARY_FILE, PROGRAMMES_DIR, folder_files

_APPROACH = TypeAdapter(_schema.Approach)
_CASE = TypeAdapter(_schema.CaseExample)
_PROGRAMME = TypeAdapter(_schema.Programme)
_GLOSSARY = TypeAdapter(_schema.Glossary)
_COMPLEXITY = TypeAdapter(_schema.Complexity)


@dataclass(frozen=True, slots=True)
class Records:
    """Every record of a valid data folder, with the file each came from (relative to the folder)."""

    approaches: tuple[tuple[str, _schema.Approach], ...]
    case_examples: tuple[tuple[str, _schema.CaseExample], ...]
    programmes: tuple[tuple[str, _schema.Programme], ...]
    glossary: _schema.Glossary
    complexity: _schema.Complexity


def read_records(data_dir: Path) -> Records:
    """Parse and validate every data file under `data_dir`; raise one CollationError listing all problems."""
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise CollationError([Problem(str(data_dir), "", "", "is not a folder")])
    approaches, all_approaches_read = _read_folder(data_dir, APPROACHES_DIR, _APPROACH, problems)
    cases, _ = _read_folder(data_dir, CASE_EXAMPLES_DIR, _CASE, problems)
    # The programme library is optional: a data folder kept from before it existed still loads.
    programmes, _ = _read_folder(data_dir, PROGRAMMES_DIR, _PROGRAMME, problems, required=False)
    glossary = read_file(data_dir, GLOSSARY_FILE, _GLOSSARY, problems)
    complexity = read_file(data_dir, COMPLEXITY_FILE, _COMPLEXITY, problems)
    # Dangling references are only meaningful when every approach file was readable.
    problems += _cross_checks(approaches, cases, check_references=all_approaches_read)
    problems += _programme_checks(approaches, cases, programmes, check_references=all_approaches_read)
    if problems:
        raise CollationError(problems)
    return Records(tuple(approaches), tuple(cases), tuple(programmes), glossary, complexity)


def _read_folder(
    data_dir: Path, folder: str, adapter: TypeAdapter, problems: list[Problem], *, required: bool = True
) -> tuple[list[tuple[str, Any]], bool]:
    """The valid records of every .yaml file in `folder`, and whether there were files and all were valid."""
    paths = folder_files(data_dir, folder)
    if not paths and required:
        problems.append(Problem(f"{folder}/", "", "", "no .yaml files found"))
    records = []
    for path in paths:
        name = path.relative_to(data_dir).as_posix()
        record = read_file(data_dir, name, adapter, problems)
        if record is not None:
            records.append((name, record))
    return records, bool(paths) and len(records) == len(paths)


def read_file(data_dir: Path, name: str, adapter: TypeAdapter, problems: list[Problem]) -> Any:
    """Parse and validate one data file; on failure add its problems to `problems` and return None."""
    path = data_dir / name
    if not os.path.lexists(path):
        problems.append(Problem(name, "", "", "file is missing"))
        return None
    try:
        # A FIFO, a device, a folder or a symlink loop under a data file's name, a file too large, an alias bomb:
        # each is one problem of that file (spreadlab/inputs.py), never a hang or a traceback.
        raw = load_yaml(path, what="data file", source=name)
    except InputError as error:
        problems.append(Problem(name, "", "", error.reason))
        return None
    if raw is None:
        problems.append(Problem(name, "", "", "file is empty"))
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(name, "", "", f"must hold a mapping of fields, not a {type(raw).__name__}"))
        return None
    try:
        return adapter.validate_python(raw)
    except ValidationError as error:
        problems += [_problem(name, raw, detail) for detail in _causes(error.errors(include_url=False))]
        return None


def _causes(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "too few items" about a list whose items were rejected: a consequence, not a second problem."""

    def consequence(detail: ErrorDetails) -> bool:
        loc = detail["loc"]
        inside = (other["loc"] for other in details if len(other["loc"]) > len(loc))
        return detail["type"] == "too_short" and any(other[: len(loc)] == loc for other in inside)

    return [detail for detail in details if not consequence(detail)]


def _problem(name: str, raw: dict, detail: ErrorDetails) -> Problem:
    """Turn one pydantic error into file: record: field: problem, naming the record by its id."""
    loc = list(detail["loc"])
    record, field_path = _record_and_field(raw, loc)
    return Problem(name, record, field_path, _describe(detail))


def _record_and_field(raw: dict, loc: list) -> tuple[str, str]:
    """Split a pydantic location into the innermost record that has an id or name and the field inside it."""
    record = str(raw.get("id") or raw.get("term") or "")
    node: Any = raw
    start = 0
    for index, key in enumerate(loc):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, int) and isinstance(node, dict):
            # Phases are known by their order (as in case_phase_methods), examples by their name, the codebook's
            # profile-field rules by their field.
            ident = (node.get("id") or node.get("term") or node.get("order") or node.get("name")
                     or node.get("method_id") or node.get("field"))
            record = f"{loc[index - 1]}[{ident if ident is not None else key + 1}]"  # counted from 1, as in tables
            if raw.get("id"):
                record = f"{raw['id']}: {record}"
            start = index + 1
    field_path = ".".join(str(part) for part in loc[start:])
    return record, field_path


# Error types raised by spreadlab's own validators, whose messages already say everything.
_OWN_ERRORS = ("provenance", "methods_count", "month", "dates", "web_address")


def _describe(detail: ErrorDetails) -> str:
    kind, ctx, value = detail["type"], detail.get("ctx") or {}, detail.get("input")
    if kind in _OWN_ERRORS:
        return detail["msg"]
    if kind == "missing" or kind == "missing_argument":
        return "required field is missing"
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        return "unknown field"
    if kind == "literal_error":
        allowed = ", ".join(part.strip(" '") for part in ctx["expected"].replace(" or ", ", ").split(","))
        return f"{shorten(value)} is not allowed (allowed: {allowed})"
    if kind == "string_pattern_mismatch":
        return f"{shorten(value)} is not an id (allowed: lowercase words joined by hyphens, e.g. demonstrator-sites)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("too_short", "too_long"):
        words, limit = ("at least", ctx["min_length"]) if kind == "too_short" else ("at most", ctx["max_length"])
        return f"needs {words} {limit} item{'' if limit == 1 else 's'} (got {ctx['actual_length']})"
    message = detail["msg"]
    return f"{message[0].lower()}{message[1:]} (got {type(value).__name__} {shorten(value, 60)})"


def _cross_checks(
    approaches: list[tuple[str, Any]], cases: list[tuple[str, Any]], *, check_references: bool
) -> list[Problem]:
    """Checks that span records: unique ids and orders, and references that must resolve."""
    problems: list[Problem] = []
    problems += _duplicates("approach id", [(file, a.id, a.id) for file, a in approaches])
    problems += _duplicates("order", [(file, a.id, a.order) for file, a in approaches])
    method_ids = [(file, m.id, m.id) for file, a in approaches for m in a.methods]
    problems += _duplicates("method id", method_ids)
    problems += _duplicates("case example id", [(file, c.id, c.id) for file, c in cases])
    known = {ident for _, ident, _ in method_ids}
    for file, case in cases:
        problems += _duplicates("phase order", [(file, f"{case.id}: phases[{p.order}]", p.order) for p in case.phases])
        if not check_references:
            continue
        for phase in case.phases:
            for method_id in phase.method_ids:
                if method_id not in known:
                    problems.append(
                        Problem(file, f"{case.id}: phases[{phase.order}]", "method_ids",
                                f"{method_id!r} is not a recorded method id")
                    )
        for mention in case.collation_mentions:
            if mention.method_id not in known:
                problems.append(
                    Problem(file, f"{case.id}: collation_mentions", "method_id",
                            f"{mention.method_id!r} is not a recorded method id")
                )
    return problems


def _duplicates(what: str, rows: list[tuple[str, str, Any]]) -> list[Problem]:
    counts = Counter(value for _, _, value in rows)
    return [
        Problem(file, record, what.split()[-1], f"duplicate {what} {value!r}")
        for file, record, value in rows
        if counts[value] > 1
    ]


def _programme_checks(
    approaches: list[tuple[str, Any]], cases: list[tuple[str, Any]], programmes: list[tuple[str, Any]], *,
    check_references: bool,
) -> list[Problem]:
    """Programme ids unique across programmes and case examples; each method used names a recorded method once
    per stage."""
    problems = _duplicates(
        "programme id", [(file, c.id, c.id) for file, c in cases] + [(file, p.id, p.id) for file, p in programmes]
    )
    problems = [problem for problem in problems if not problem.file.startswith(CASE_EXAMPLES_DIR)]
    known = {m.id for _, a in approaches for m in a.methods}
    for file, programme in programmes:
        seen = Counter((use.method_id, use.stage) for use in programme.methods)
        problems += [
            Problem(file, f"{programme.id}: methods[{method_id}]", "stage",
                    f"method {method_id!r} is listed {count} times for stage {stage!r}")
            for (method_id, stage), count in seen.items() if count > 1
        ]
        if check_references:
            problems += [
                Problem(file, f"{programme.id}: methods[{use.method_id}]", "method_id",
                        f"{use.method_id!r} is not a recorded method id")
                for use in programme.methods if use.method_id not in known
            ]
    return problems
