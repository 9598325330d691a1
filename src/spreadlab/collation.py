"""The collation as tidy pandas tables, loaded and validated from a data folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .paths import CALIBRATION_FILE, DATA_DIR, RULES_FILE
from .vocabulary import AUDIENCE_SCALES, CONSIDERATIONS, LEVELS, MOTIVATIONS, PROVENANCES, STAGES, TIMEFRAMES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from . import _schema
    from ._validate import Records
    from .calibration import Calibration
    from .codebook import Codebook, Coding
    from .guidance_records import Guidance
    from .profile import InterventionProfile
    from .rules import Rules
    from .situation import Library

_PROVENANCE = pd.CategoricalDtype(PROVENANCES)
_LEVEL = pd.CategoricalDtype(LEVELS, ordered=True)
_MOTIVATION = pd.CategoricalDtype(MOTIVATIONS)
_CONSIDERATION = pd.CategoricalDtype(CONSIDERATIONS)
_TIMEFRAME = pd.CategoricalDtype(TIMEFRAMES)
_CONSIDERATION_VALUE = pd.CategoricalDtype(dict.fromkeys(STAGES + AUDIENCE_SCALES + LEVELS + TIMEFRAMES))
_READ_ON_FIRST_USE = ("rules", "calibration", "library", "guidance", "codebook", "codings")
"""Collation properties that read files of their own when first used, rather than being built from the records (the
load cache keeps only what the records give)."""


def load(data_dir: str | Path | None = None, *, cache: bool = True) -> Collation:
    """Load and validate the collation from `data_dir` (the bundled data by default).

    With `cache`, the tables come from the load cache when every file spreadlab reads in the folder is byte for
    byte what an earlier, valid load read with the same code (spreadlab/load_cache.py); otherwise they are read,
    validated and stored there.

    Raises:
        CollationError: listing every problem found; nothing is half-loaded.
    """
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    if not cache:
        return Collation.from_tables(folder, _built_tables(folder))
    from . import load_cache

    key = load_cache.key(folder)
    tables = load_cache.read(key)
    if tables is None:
        tables = _built_tables(folder)
        load_cache.write(key, tables)
    return Collation.from_tables(folder, tables)


def _built_tables(folder: Path) -> dict[str, Any]:
    """Every table of the collation in `folder`, read and validated from its files."""
    from ._validate import read_records  # imported here: pydantic is needed only when files are read

    built = Collation(folder, read_records(folder))
    return {name: getattr(built, name) for name in Collation.table_names()}


@dataclass(frozen=True, eq=False)
class Collation:
    """The seven approaches, their methods and the case examples, as tables joined by ids.

    Tables (one row per record; ids are the join keys; `provenance` is collation|collation-summary|curated):

    - `approaches`: approach_id, order, name, definition, methods_stated, methods_recorded, methods_missing,
      central_standardisation (ordered low<medium<high), central_standardisation_provenance,
      central_standardisation_rationale, motivation (extrinsic|intrinsic|mixed), motivation_provenance,
      motivation_rationale, source_url, provenance, caveat, file.
    - `methods`: method_id, approach_id, order, name, description, provenance, source_url, caveat.
    - `strengths`, `limitations`: approach_id, order, text, footnote, provenance.
    - `examples`: method_id, order, name, provenance, caveat.
    - `considerations` (long: one row per value): method_id, consideration (stage|audience_scale|resources|
      timeframe), value, note, provenance, note_provenance, rationale, caveat.
    - `method_summary` (wide, one row per method, for display): method_id, approach_id, approach, name,
      stage, audience_scale, resources, resources_note, timeframe, timeframe_note, provenance,
      considerations_provenance.
    - `case_examples`: case_id, name, lead, aim, period_start, period_end, provenance, rationale, file.
    - `case_figures`: case_id, order, label, value, source_url, provenance, caveat.
    - `case_mentions`: case_id, method_id, text, provenance.
    - `case_phases`: case_id, order, name, start, end, start_month, end_month (pandas Periods; a bare year
      spans January to December), description, provenance, rationale, source_urls.
    - `case_phase_methods`: case_id, phase_order, method_id.
    - `programmes` (the programme library: real spread programmes, the case examples among them): programme_id,
      record_type (programme|case-example), name, lead, country, period_start, period_end (None: still running), aim,
      scale_reached, scale_source_url, scale_caveat, source_url, provenance, file.
    - `programme_profiles`: programme_id, then each profile field (see `PROFILE_CONTEXT`) and its
      `<field>_rationale`: the programme's situation before it spread, as we read it (curated).
    - `programme_methods`: programme_id, method_id, stage (prepare|test|spread|sustain), period, rationale,
      source_url, provenance, caveat.
    - `programme_figures`: programme_id, order, label, value, source_url, provenance, caveat.
    - `glossary`: term, definition, provenance, rationale, source_url.
    - `complexity_levels`: level_id, name, description, analogy, provenance, source_url.
    - `nasss_domains`: domain_id, order, name, description, provenance, source_url.

    `guidance` (read on first use) holds the guidance items for plans as records, not a table: `spreadlab.guidance`.
    """

    data_dir: Path
    records: Records | None = field(default=None, repr=False)
    """The validated records the tables are built from; None in a collation from `load()`, whose tables are all
    built already (`from_tables`)."""

    @classmethod
    def table_names(cls) -> tuple[str, ...]:
        """The names of every table and derived structure built from the records (what the load cache keeps)."""
        return tuple(name for name, value in vars(cls).items()
                     if isinstance(value, cached_property) and name not in _READ_ON_FIRST_USE)

    @classmethod
    def from_tables(cls, data_dir: Path, tables: dict[str, Any]) -> Collation:
        """A collation whose tables are `tables` (as `table_names()` names them), with no records behind them."""
        collation = cls(data_dir)
        collation.__dict__.update(tables)  # where each cached_property keeps its value
        return collation

    @property
    def _records(self) -> Records:
        """The records behind the tables; only a collation from `from_tables` has none, and its tables are built."""
        if self.records is None:
            raise LookupError(f"the collation of {self.data_dir} holds its tables only, not the records behind them")
        return self.records

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """IPython and Hypothesis pretty-print dataclasses field by field; show the short repr instead."""
        printer.text(repr(self))

    @cached_property
    def rules(self) -> Rules:
        """The advice rules of `rules.yaml` in the data folder (read on first use)."""
        from .rules import load_rules  # imported here: load() does not need the advice rules' schema

        return load_rules(self.data_dir / RULES_FILE, tuple(self.methods["method_id"]))

    @cached_property
    def calibration(self) -> Calibration:
        """The settings and per-method models fitted on the programme library, from `calibration.yaml`."""
        from .calibration import load_calibration

        return load_calibration(self.data_dir / CALIBRATION_FILE, tuple(self.methods["method_id"]))

    @cached_property
    def library(self) -> Library:
        """The programme library as the advice engine learns from it: situations before spread and methods used."""
        from .situation import build_library

        programmes = self.programmes.set_index("programme_id")
        return build_library(self.programme_profile_records, tuple(self.methods["method_id"]),
                             self.programme_stages, programmes["name"].astype(str).to_dict(),
                             programmes["period_start"].astype(str).to_dict(), self.rules.timescale_bands)

    @cached_property
    def guidance(self) -> Guidance:
        """The guidance for plans in `guidance/` (read and checked on first use; see `spreadlab.guidance`)."""
        from .guidance_records import References, load_guidance

        summary = self.method_summary
        known = References(dict(zip(summary["method_id"], summary["resources"], strict=True)),
                           frozenset(self.programmes["programme_id"]),
                           frozenset(url for url in self.approaches["source_url"] if url))
        return load_guidance(self.data_dir, known)

    @cached_property
    def codebook(self) -> Codebook | None:
        """The coding rules of `codebook.yaml` (read on first use; None when the folder has none), checked against
        the recorded methods and the programme library."""
        from .codebook import read_codebook  # imported here: load() does not need the codebook's schema

        return read_codebook(self.data_dir, self.methods["method_id"], self.programmes["programme_id"])

    @cached_property
    def codings(self) -> Mapping[str, tuple[Coding, ...]]:
        """The filled coding forms under `coding/<round>/`, by round (read on first use; empty when there are
        none), checked like the rest of the data."""
        from .codebook import read_codings

        return read_codings(self.data_dir, self.methods["method_id"], self.programmes["programme_id"])

    @cached_property
    def approaches(self) -> pd.DataFrame:
        rows = []
        for file, approach in self._records.approaches:
            standardisation, motivation = (
                approach.characteristics.central_standardisation,
                approach.characteristics.motivation,
            )
            rows.append({
                "approach_id": approach.id,
                "order": approach.order,
                "name": approach.name,
                "definition": approach.definition,
                "methods_stated": approach.methods_stated,
                "methods_recorded": len(approach.methods),
                "methods_missing": approach.methods_stated - len(approach.methods),
                "central_standardisation": standardisation.value,
                "central_standardisation_provenance": standardisation.provenance,
                "central_standardisation_rationale": standardisation.rationale,
                "motivation": motivation.value,
                "motivation_provenance": motivation.provenance,
                "motivation_rationale": motivation.rationale,
                "source_url": _url(approach.source_url),
                "provenance": approach.provenance,
                "caveat": approach.caveat,
                "file": file,
            })
        table = _frame(rows, sort=["order"])
        return table.astype({
            "central_standardisation": _LEVEL,
            "central_standardisation_provenance": _PROVENANCE,
            "motivation": _MOTIVATION,
            "motivation_provenance": _PROVENANCE,
            "provenance": _PROVENANCE,
        })

    @cached_property
    def methods(self) -> pd.DataFrame:
        rows = [
            {
                "method_id": method.id,
                "approach_id": approach.id,
                "order": order,
                "name": method.name,
                "description": method.description,
                "provenance": method.provenance,
                "source_url": _url(method.source_url),
                "caveat": method.caveat,
            }
            for approach in self._approaches
            for order, method in enumerate(approach.methods, start=1)
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})

    @cached_property
    def strengths(self) -> pd.DataFrame:
        return self._points("strengths")

    @cached_property
    def limitations(self) -> pd.DataFrame:
        return self._points("limitations")

    @cached_property
    def examples(self) -> pd.DataFrame:
        rows = [
            {"method_id": method.id, "order": order, "name": example.name, "provenance": example.provenance,
             "caveat": example.caveat}
            for method in self._methods
            for order, example in enumerate(method.examples, start=1)
        ]
        return _frame(rows, columns=["method_id", "order", "name", "provenance", "caveat"]).astype(
            {"provenance": _PROVENANCE}
        )

    @cached_property
    def considerations(self) -> pd.DataFrame:
        rows = []
        for method in self._methods:
            for name in CONSIDERATIONS:
                item = getattr(method.considerations, name)
                values = getattr(item, "values", None) or (getattr(item, "level", None) or item.value,)
                note = getattr(item, "note", None)
                for value in values:
                    rows.append({
                        "method_id": method.id,
                        "consideration": name,
                        "value": value,
                        "note": note,
                        "provenance": item.provenance,
                        "note_provenance": (
                            (getattr(item, "note_provenance", None) or item.provenance) if note else None
                        ),
                        "rationale": item.rationale,
                        "caveat": item.caveat,
                    })
        return _frame(rows).astype({
            "consideration": _CONSIDERATION,
            "value": _CONSIDERATION_VALUE,
            "provenance": _PROVENANCE,
            "note_provenance": _PROVENANCE,
        })

    @cached_property
    def consideration_values(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Method id → consideration (stage, audience_scale, resources, timeframe) → its values, in data order."""
        values: dict[str, dict[str, list[str]]] = {}
        table = self.considerations
        for method_id, name, value in zip(table["method_id"], table["consideration"].astype(str),
                                          table["value"].astype(str), strict=True):
            values.setdefault(method_id, {}).setdefault(name, []).append(value)
        return {m: {name: tuple(v) for name, v in by_name.items()} for m, by_name in values.items()}

    @cached_property
    def method_summary(self) -> pd.DataFrame:
        rows = []
        names = dict(zip(self.approaches["approach_id"], self.approaches["name"], strict=True))
        for approach in self._approaches:
            for method in approach.methods:
                c = method.considerations
                provenances = {c.stage.provenance, c.audience_scale.provenance, c.resources.provenance,
                               c.timeframe.provenance}
                rows.append({
                    "method_id": method.id,
                    "approach_id": approach.id,
                    "approach": names[approach.id],
                    "name": method.name,
                    "stage": ", ".join(c.stage.values),
                    "audience_scale": ", ".join(c.audience_scale.values),
                    "resources": c.resources.level,
                    "resources_note": c.resources.note,
                    "timeframe": c.timeframe.value,
                    "timeframe_note": c.timeframe.note,
                    "provenance": method.provenance,
                    "considerations_provenance": "curated" if "curated" in provenances else "collation",
                })
        return _frame(rows).astype({
            "resources": _LEVEL,
            "timeframe": _TIMEFRAME,
            "provenance": _PROVENANCE,
            "considerations_provenance": _PROVENANCE,
        })

    @cached_property
    def case_examples(self) -> pd.DataFrame:
        rows = [
            {"case_id": case.id, "name": case.name, "lead": case.lead, "aim": case.aim,
             "period_start": case.period_start, "period_end": case.period_end, "provenance": case.provenance,
             "rationale": case.rationale, "file": file}
            for file, case in self._records.case_examples
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})

    @cached_property
    def case_figures(self) -> pd.DataFrame:
        rows = [
            {"case_id": case.id, "order": order, "label": figure.label, "value": figure.value,
             "source_url": _url(figure.source_url), "provenance": figure.provenance, "caveat": figure.caveat}
            for case in self._cases
            for order, figure in enumerate(case.figures, start=1)
        ]
        columns = ["case_id", "order", "label", "value", "source_url", "provenance", "caveat"]
        return _frame(rows, columns=columns).astype({"provenance": _PROVENANCE})

    @cached_property
    def case_mentions(self) -> pd.DataFrame:
        rows = [
            {"case_id": case.id, "method_id": mention.method_id, "text": mention.text,
             "provenance": mention.provenance}
            for case in self._cases
            for mention in case.collation_mentions
        ]
        return _frame(rows, columns=["case_id", "method_id", "text", "provenance"]).astype(
            {"provenance": _PROVENANCE}
        )

    @cached_property
    def case_phases(self) -> pd.DataFrame:
        rows = [
            {"case_id": case.id, "order": phase.order, "name": phase.name, "start": phase.start,
             "end": phase.end, "start_month": _month(phase.start, first=True),
             "end_month": _month(phase.end, first=False), "description": phase.description,
             "provenance": phase.provenance, "rationale": phase.rationale,
             "source_urls": " ".join(str(url) for url in phase.source_urls)}
            for case in self._cases
            for phase in sorted(case.phases, key=lambda p: p.order)
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})

    @cached_property
    def case_phase_methods(self) -> pd.DataFrame:
        rows = [
            {"case_id": case.id, "phase_order": phase.order, "method_id": method_id}
            for case in self._cases
            for phase in case.phases
            for method_id in phase.method_ids
        ]
        return _frame(rows)

    @cached_property
    def programmes(self) -> pd.DataFrame:
        rows = [
            {"programme_id": p.id, "record_type": "programme", "name": p.name, "lead": p.lead, "country": p.country,
             "period_start": p.period_start, "period_end": p.period_end, "aim": p.aim,
             "scale_reached": p.scale_reached.value, "scale_source_url": p.scale_reached.source_url,
             "scale_caveat": p.scale_reached.caveat, "source_url": p.source_url, "provenance": p.provenance,
             "file": file}
            for file, p in self._records.programmes
        ] + [
            {"programme_id": c.id, "record_type": "case-example", "name": c.name, "lead": c.lead, "country": "England",
             "period_start": c.period_start, "period_end": c.period_end, "aim": c.aim,
             "scale_reached": c.scale_reached.value if c.scale_reached else None,
             "scale_source_url": c.scale_reached.source_url if c.scale_reached else None, "scale_caveat": None,
             "source_url": c.scale_reached.source_url if c.scale_reached else None, "provenance": c.provenance,
             "file": file}
            for file, c in self._records.case_examples if c.profile is not None
        ]
        columns = ["programme_id", "record_type", "name", "lead", "country", "period_start", "period_end", "aim",
                   "scale_reached", "scale_source_url", "scale_caveat", "source_url", "provenance", "file"]
        return _frame(rows, columns=columns, sort=["programme_id"]).astype({"provenance": _PROVENANCE})

    @cached_property
    def programme_profiles(self) -> pd.DataFrame:
        from . import _schema

        rows = []
        for ident, profile in self._programme_profiles:
            row: dict[str, object] = {"programme_id": ident}
            for name in _schema.ProgrammeProfile.model_fields:
                judged = getattr(profile, name)
                row[name] = judged.value if judged is not None else None
                row[f"{name}_rationale"] = judged.rationale if judged is not None else None
            rows.append(row)
        columns = ["programme_id"] + [
            column for name in _schema.ProgrammeProfile.model_fields for column in (name, f"{name}_rationale")
        ]
        return _frame(rows, columns=columns, sort=["programme_id"])

    @cached_property
    def programme_profile_records(self) -> tuple[dict[str, object], ...]:
        """`programme_profiles` as one dict per programme (read them, do not change them), built once: every
        ranking walks the whole library twice (similarity and same situation)."""
        return tuple(self.programme_profiles.to_dict(orient="records"))

    @cached_property
    def programme_methods(self) -> pd.DataFrame:
        rows = [
            {"programme_id": p.id, "method_id": use.method_id, "stage": use.stage, "period": use.period,
             "rationale": use.rationale, "source_url": use.source_url, "provenance": use.provenance,
             "caveat": use.caveat}
            for _, p in self._records.programmes
            for use in p.methods
        ] + [
            {"programme_id": c.id, "method_id": method_id, "stage": phase.stage,
             "period": f"{phase.start} to {phase.end}", "rationale": phase.rationale,
             "source_url": phase.source_urls[0] if phase.source_urls else None, "provenance": phase.provenance,
             "caveat": None}
            for _, c in self._records.case_examples if c.profile is not None
            for phase in sorted(c.phases, key=lambda phase: phase.order)
            for method_id in phase.method_ids
        ]
        columns = ["programme_id", "method_id", "stage", "period", "rationale", "source_url", "provenance", "caveat"]
        return _frame(rows, columns=columns).astype({"provenance": _PROVENANCE})

    @cached_property
    def programme_stages(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Programme id → method id → the stages it was used in, in the data's order (from programme_methods)."""
        uses: dict[str, dict[str, list[str]]] = {}
        table = self.programme_methods
        for ident, method_id, stage in zip(table["programme_id"], table["method_id"], table["stage"], strict=True):
            stages = uses.setdefault(ident, {}).setdefault(method_id, [])
            if isinstance(stage, str) and stage not in stages:
                stages.append(stage)
        return {ident: {m: tuple(s) for m, s in methods.items()} for ident, methods in uses.items()}

    @cached_property
    def programme_figures(self) -> pd.DataFrame:
        rows = [
            {"programme_id": p.id, "order": order, "label": figure.label, "value": figure.value,
             "source_url": figure.source_url, "provenance": figure.provenance, "caveat": figure.caveat}
            for _, p in self._records.programmes
            for order, figure in enumerate(p.figures, start=1)
        ]
        columns = ["programme_id", "order", "label", "value", "source_url", "provenance", "caveat"]
        return _frame(rows, columns=columns).astype({"provenance": _PROVENANCE})

    def programme_profile(self, programme_id: str) -> InterventionProfile:
        """A library programme's situation before it spread, as an intervention profile named after it."""
        from .profile import InterventionProfile  # imported here: load() does not need the profile schema

        profiles = self.programme_profiles.set_index("programme_id")
        if programme_id not in profiles.index:
            from .errors import UnknownIdError

            raise UnknownIdError(f"unknown programme id: {programme_id!r} (known: {', '.join(profiles.index)})")
        row = profiles.loc[programme_id]
        fields = [name for name in _profile_fields(profiles) if pd.notna(row[name])]
        name = self.programmes.set_index("programme_id").loc[programme_id, "name"]
        return InterventionProfile.from_dict({"name": name} | {field: row[field] for field in fields},
                                             source=f"programme {programme_id}")

    @property
    def _programme_profiles(self) -> list[tuple[str, _schema.ProgrammeProfile]]:
        return [(p.id, p.profile) for _, p in self._records.programmes] + [
            (c.id, c.profile) for _, c in self._records.case_examples if c.profile is not None
        ]

    @cached_property
    def glossary(self) -> pd.DataFrame:
        rows = [
            {"term": term.term, "definition": term.definition, "provenance": term.provenance,
             "rationale": term.rationale, "source_url": _url(term.source_url)}
            for term in self._records.glossary.terms
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})

    @cached_property
    def complexity_levels(self) -> pd.DataFrame:
        rows = [
            {"level_id": level.id, "name": level.name, "description": level.description,
             "analogy": level.analogy, "provenance": level.provenance, "source_url": _url(level.source_url)}
            for level in self._records.complexity.levels
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})

    @cached_property
    def nasss_domains(self) -> pd.DataFrame:
        rows = [
            {"domain_id": domain.id, "order": order, "name": domain.name, "description": domain.description,
             "provenance": domain.provenance, "source_url": _url(domain.source_url)}
            for order, domain in enumerate(self._records.complexity.domains, start=1)
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})

    @property
    def _approaches(self) -> list[_schema.Approach]:
        return sorted((approach for _, approach in self._records.approaches), key=lambda a: a.order)

    @property
    def _methods(self) -> list[_schema.Method]:
        return [method for approach in self._approaches for method in approach.methods]

    @property
    def _cases(self) -> list[_schema.CaseExample]:
        return [case for _, case in self._records.case_examples]

    def _points(self, kind: str) -> pd.DataFrame:
        rows = [
            {"approach_id": approach.id, "order": order, "text": point.text, "footnote": point.footnote,
             "provenance": point.provenance}
            for approach in self._approaches
            for order, point in enumerate(getattr(approach, kind), start=1)
        ]
        return _frame(rows).astype({"provenance": _PROVENANCE})


def _profile_fields(profiles: pd.DataFrame) -> list[str]:
    """The profile fields of the `programme_profiles` table (its columns other than the rationales)."""
    return [column for column in profiles.columns if not column.endswith("_rationale")]


def _frame(
    rows: list[dict], *, columns: list[str] | None = None, sort: list[str] | None = None
) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    if sort:
        table = table.sort_values(sort, kind="stable")
    return table.reset_index(drop=True)


def _url(url: object) -> str | None:
    return str(url) if url is not None else None


def _month(value: str, *, first: bool) -> pd.Period:
    """A phase date as a month; a bare year means its first month for a start and its last for an end."""
    if len(value) == 4:
        value = f"{value}-01" if first else f"{value}-12"
    return pd.Period(value, freq="M")
