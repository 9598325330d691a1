"""Read a portfolio of interventions (CSV or YAML) into rows, each a validated profile or its error."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ProfileError, SpreadlabError
from ..profile import FIELDS, InterventionProfile
from ..vocabulary import NASSS_DOMAINS

_CSV_COLUMNS = frozenset(FIELDS) - {"complexity"} | {f"complexity.{domain}" for domain in NASSS_DOMAINS}


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One intervention of a portfolio.

    Attributes:
        number: position in the portfolio, from 1 (the CSV line is number + 1).
        name: the name as typed (or `row N` when missing), for the index.
        profile: the validated profile, or None when the row is invalid.
        error: the ProfileError message when the row is invalid.
    """

    number: int
    name: str
    profile: InterventionProfile | None
    error: str | None


def read_portfolio(path: str | Path) -> list[PortfolioRow]:
    """Every row of a CSV (one profile per line, `complexity.<domain>` columns optional) or YAML (a list of
    profiles) portfolio; a bad row becomes an invalid row, a bad file raises SpreadlabError."""
    path = Path(path)
    if not path.is_file():
        raise SpreadlabError(f"{path}: portfolio file not found")
    if path.suffix.lower() == ".csv":
        records = _csv_records(path)
    elif path.suffix.lower() in {".yaml", ".yml"}:
        records = _yaml_records(path)
    else:
        raise SpreadlabError(f"{path}: a portfolio must be a .csv or .yaml file")
    if not records:
        raise SpreadlabError(f"{path}: the portfolio has no rows")
    return [_row(path, number, record) for number, record in enumerate(records, start=1)]


def _csv_records(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            unknown = [column for column in reader.fieldnames or [] if column.strip() not in _CSV_COLUMNS]
            if unknown:
                raise SpreadlabError(
                    f"{path}: unknown column {unknown[0]!r} (allowed: {', '.join(sorted(_CSV_COLUMNS))})"
                )
            return [dict(row) for row in reader]
    except (UnicodeDecodeError, csv.Error) as error:
        raise SpreadlabError(f"{path}: cannot read the CSV ({error})") from None


def _yaml_records(path: Path) -> list[Any]:
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise SpreadlabError(f"{path}: cannot read the YAML ({error})") from None
    if not isinstance(records, list):
        raise SpreadlabError(f"{path}: a YAML portfolio must be a list of intervention profiles")
    return records


def _row(path: Path, number: int, record: Any) -> PortfolioRow:
    source = f"{path.name}: row {number}"
    typed_name = record.get("name") if isinstance(record, dict) else None
    name = str(typed_name).strip() if typed_name not in (None, "") else f"row {number}"
    try:
        if path.suffix.lower() == ".csv":
            profile = InterventionProfile.from_csv_row(record, source=source)
        else:
            profile = InterventionProfile.from_dict(record, source=source)
    except ProfileError as error:
        return PortfolioRow(number, name, None, str(error))
    return PortfolioRow(number, profile.name, profile, None)
