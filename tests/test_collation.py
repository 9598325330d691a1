"""`spreadlab.load()` and the tables of `Collation`: columns, vocabularies, joins, provenance, the data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import spreadlab
from spreadlab.vocabulary import (
    AUDIENCE_SCALES,
    CONSIDERATIONS,
    LEVELS,
    MOTIVATIONS,
    NASSS_DOMAINS,
    PROVENANCES,
    STAGES,
    TIMEFRAMES,
)

# The stable ids of DESIGN.md, in the collation's order.
METHOD_IDS = {
    "capacity-capability": [
        "national-skills-coaching-programmes", "dedicated-resource-provision",
        "broad-education-personal-development", "innovation-specific-capacity-building", "learning-systems",
    ],
    "networking": [
        "network", "co-production-with-end-users", "patient-voice-enablement", "honest-broker",
        "leadership-support-champions", "partner-networks", "collaboratives",
    ],
    "piloting-rolling-out": ["demonstrator-sites", "rolling-out"],
    "coordinating": ["central-coordination", "competition-crowdsourcing", "social-franchising-licensing"],
    "investing-incentivising": ["performance-related-funding", "flexible-commercial-deals"],
    "governing-assuring": [
        "regulation-inspection-audit", "contractual-obligation", "national-signals-campaigns",
    ],
    "identifying-priorities": ["local-needs-identification", "horizon-scanning"],
}
METHODS_STATED = {
    "capacity-capability": 5, "networking": 7, "piloting-rolling-out": 2, "coordinating": 3,
    "investing-incentivising": 8, "governing-assuring": 5, "identifying-priorities": 4,
}

# Columns each table promises in the Collation docstring, in order.
COLUMNS = {
    "approaches": [
        "approach_id", "order", "name", "definition", "methods_stated", "methods_recorded", "methods_missing",
        "central_standardisation", "central_standardisation_provenance", "central_standardisation_rationale",
        "motivation", "motivation_provenance", "motivation_rationale", "source_url", "provenance", "caveat",
        "file",
    ],
    "methods": [
        "method_id", "approach_id", "order", "name", "description", "provenance", "source_url", "caveat",
    ],
    "strengths": ["approach_id", "order", "text", "footnote", "provenance"],
    "limitations": ["approach_id", "order", "text", "footnote", "provenance"],
    "examples": ["method_id", "order", "name", "provenance", "caveat"],
    "considerations": [
        "method_id", "consideration", "value", "note", "provenance", "note_provenance", "rationale", "caveat",
    ],
    "method_summary": [
        "method_id", "approach_id", "approach", "name", "stage", "audience_scale", "resources",
        "resources_note", "timeframe", "timeframe_note", "provenance", "considerations_provenance",
    ],
    "case_examples": [
        "case_id", "name", "lead", "aim", "period_start", "period_end", "provenance", "rationale", "file",
    ],
    "case_figures": ["case_id", "order", "label", "value", "source_url", "provenance", "caveat"],
    "case_mentions": ["case_id", "method_id", "text", "provenance"],
    "case_phases": [
        "case_id", "order", "name", "start", "end", "start_month", "end_month", "description", "provenance",
        "rationale", "source_urls",
    ],
    "case_phase_methods": ["case_id", "phase_order", "method_id"],
    "programmes": [
        "programme_id", "record_type", "name", "lead", "country", "period_start", "period_end", "aim", "scale_reached",
        "scale_source_url", "scale_caveat", "source_url", "provenance", "file",
    ],
    "programme_methods": ["programme_id", "method_id", "stage", "period", "rationale", "source_url", "provenance",
                          "caveat"],
    "programme_figures": ["programme_id", "order", "label", "value", "source_url", "provenance", "caveat"],
    "glossary": ["term", "definition", "provenance", "rationale", "source_url"],
    "complexity_levels": ["level_id", "name", "description", "analogy", "provenance", "source_url"],
    "nasss_domains": ["domain_id", "order", "name", "description", "provenance", "source_url"],
}

# Every column holding a controlled vocabulary, with the categories it must have.
CATEGORIES = {
    ("approaches", "central_standardisation"): LEVELS,
    ("approaches", "motivation"): MOTIVATIONS,
    ("considerations", "consideration"): CONSIDERATIONS,
    ("considerations", "value"): tuple(dict.fromkeys(STAGES + AUDIENCE_SCALES + LEVELS + TIMEFRAMES)),
    ("method_summary", "resources"): LEVELS,
    ("method_summary", "timeframe"): TIMEFRAMES,
} | {
    (table, column): PROVENANCES
    for table, columns in COLUMNS.items()
    for column in columns
    if column.endswith("provenance")
}


def _ids(series: pd.Series) -> set[str]:
    return set(series.astype(str))


@pytest.mark.parametrize("table", list(COLUMNS))
def test_every_table_has_its_documented_columns_in_order(collation, table):
    frame = getattr(collation, table)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == COLUMNS[table]
    assert len(frame) > 0 or table in MAY_BE_EMPTY
    assert list(frame.index) == list(range(len(frame))), "tables have a plain 0..n-1 index"


MAY_BE_EMPTY = {"programme_figures"}  # no programme's figures are recorded yet
DESCRIBED_IN_WORDS = {"programme_profiles"}  # "programme_id, then each profile field and its <field>_rationale"


def _documented_columns(doc: str) -> dict[str, list[str]]:
    """Each table's column list as the Collation docstring gives it (one `- `table`: a, b, c.` bullet each)."""
    listing = re.split(r"\n\s*\n", doc.split("Tables", 1)[1])[1]
    bullets = re.split(r"\n\s*- ", "\n" + listing.strip())[1:]
    documented = {}
    for bullet in bullets:
        plain = re.sub(r"\([^)]*\)", "", " ".join(bullet.split()))
        names, columns = plain.split(":", 1)
        for table in re.findall(r"`(\w+)`", names):
            documented[table] = [column.strip() for column in columns.strip().rstrip(".").split(",")]
    return documented


def test_documented_columns_are_the_ones_in_the_docstring():
    documented = _documented_columns(spreadlab.Collation.__doc__)
    assert {table: columns for table, columns in documented.items() if table not in DESCRIBED_IN_WORDS} == COLUMNS


def test_programme_profiles_hold_each_profile_field_with_its_rationale(collation):
    columns = list(collation.programme_profiles.columns)
    fields = columns[1::2]
    assert columns[0] == "programme_id" and columns[2::2] == [f"{field}_rationale" for field in fields]
    assert {"nature", "audience_scale", "timescale_months"} <= set(fields)


def test_the_docstring_check_fails_when_a_column_is_left_out():
    doc = spreadlab.Collation.__doc__.replace("case_id, order, label, value,", "case_id, label, value,")
    assert _documented_columns(doc)["case_figures"] != COLUMNS["case_figures"]


@pytest.mark.parametrize(("table", "column"), sorted(CATEGORIES))
def test_controlled_vocabularies_are_categorical(collation, table, column):
    values = getattr(collation, table)[column]
    assert isinstance(values.dtype, pd.CategoricalDtype), f"{table}.{column} is {values.dtype}"
    assert list(values.cat.categories) == list(CATEGORIES[(table, column)])
    assert values.dropna().isin(CATEGORIES[(table, column)]).all()


def test_levels_are_ordered_so_they_compare(collation):
    standardisation = collation.approaches["central_standardisation"]
    assert standardisation.cat.ordered
    assert (standardisation >= "low").all()
    assert collation.method_summary["resources"].cat.ordered


def test_approaches_come_in_order_one_to_seven_with_the_stable_ids(collation):
    approaches = collation.approaches
    assert list(approaches["order"]) == list(range(1, 8))
    assert list(approaches["approach_id"]) == list(METHOD_IDS)
    assert approaches["approach_id"].is_unique
    assert all(name.strip() for name in approaches["name"])


def test_the_24_recorded_methods_have_the_design_ids_in_collation_order(collation):
    methods = collation.methods
    assert len(methods) == 24
    assert methods["method_id"].is_unique
    for approach_id, expected in METHOD_IDS.items():
        rows = methods[methods["approach_id"] == approach_id]
        assert list(rows["method_id"]) == expected
        assert list(rows["order"]) == list(range(1, len(expected) + 1))
    assert list(collation.method_summary["method_id"]) == list(methods["method_id"])


def test_stated_method_counts_and_the_gap_are_in_the_approaches_table(collation):
    approaches = collation.approaches.set_index("approach_id")
    assert approaches["methods_stated"].to_dict() == METHODS_STATED
    recorded = collation.methods.groupby("approach_id").size()
    assert approaches["methods_recorded"].to_dict() == recorded.to_dict()
    gap = approaches["methods_stated"] - approaches["methods_recorded"]
    assert (approaches["methods_missing"] == gap).all()
    assert approaches["methods_missing"].to_dict() == {
        "capacity-capability": 0, "networking": 0, "piloting-rolling-out": 0, "coordinating": 0,
        "investing-incentivising": 6, "governing-assuring": 2, "identifying-priorities": 2,
    }
    assert approaches["methods_stated"].sum() == 34


def test_every_method_belongs_to_a_known_approach(collation):
    assert _ids(collation.methods["approach_id"]) <= _ids(collation.approaches["approach_id"])
    assert _ids(collation.strengths["approach_id"]) == _ids(collation.approaches["approach_id"])
    assert _ids(collation.limitations["approach_id"]) == _ids(collation.approaches["approach_id"])


def test_examples_and_considerations_point_at_recorded_methods(collation):
    method_ids = _ids(collation.methods["method_id"])
    assert _ids(collation.examples["method_id"]) <= method_ids
    assert _ids(collation.considerations["method_id"]) == method_ids, "every method has considerations"
    assert _ids(collation.case_mentions["method_id"]) <= method_ids


def test_every_method_has_all_four_considerations(collation):
    kinds = collation.considerations.groupby("method_id", observed=True)["consideration"].agg(
        lambda values: set(values.astype(str))
    )
    assert (kinds == set(CONSIDERATIONS)).all()
    considerations = collation.considerations
    single = considerations[considerations["consideration"].isin(["resources", "timeframe"])]
    assert not single.duplicated(["method_id", "consideration"]).any(), "one value each"


def test_consideration_values_belong_to_their_own_vocabulary(collation):
    allowed = {
        "stage": STAGES, "audience_scale": AUDIENCE_SCALES, "resources": LEVELS, "timeframe": TIMEFRAMES,
    }
    for row in collation.considerations.itertuples():
        assert row.value in allowed[row.consideration], row


def test_case_phases_name_recorded_methods_and_existing_phases(collation):
    phase_methods = collation.case_phase_methods
    assert _ids(phase_methods["method_id"]) <= _ids(collation.methods["method_id"])
    assert _ids(phase_methods["case_id"]) == _ids(collation.case_examples["case_id"])
    phases = set(zip(collation.case_phases["case_id"], collation.case_phases["order"], strict=True))
    assert set(zip(phase_methods["case_id"], phase_methods["phase_order"], strict=True)) == phases


def test_case_examples_have_the_stable_ids_and_phases_in_time_order(collation):
    case_ids = ["atrial-fibrillation", "transfer-of-care-around-medicines"]
    assert list(collation.case_examples["case_id"]) == case_ids
    for case_id, phases in collation.case_phases.groupby("case_id"):
        assert list(phases["order"]) == list(range(1, len(phases) + 1)), case_id
        assert (phases["start_month"] <= phases["end_month"]).all(), case_id
        assert phases["start_month"].is_monotonic_increasing, case_id
    assert _ids(collation.case_figures["case_id"]) <= _ids(collation.case_examples["case_id"])


def test_a_bare_year_spans_january_to_december(collation):
    phases = collation.case_phases
    assert isinstance(phases["start_month"].dtype, pd.PeriodDtype)
    for row in phases.itertuples():
        if len(row.start) == 4:
            assert row.start_month == pd.Period(f"{row.start}-01", freq="M")
        if len(row.end) == 4:
            assert row.end_month == pd.Period(f"{row.end}-12", freq="M")


def test_the_one_consideration_the_collation_states_is_demonstrator_sites(collation):
    considerations = collation.considerations
    stated = considerations[considerations["provenance"] == "collation"]
    assert set(stated["method_id"]) == {"demonstrator-sites"}
    demonstrator = considerations[considerations["method_id"] == "demonstrator-sites"]
    values = demonstrator.groupby("consideration", observed=True)["value"].agg(lambda v: set(v.astype(str)))
    assert values["stage"] == {"prototype-testing", "spread"}
    assert values["audience_scale"] == {"local", "regional", "national"}
    assert values["timeframe"] == {"variable"}
    resources_note = demonstrator.loc[demonstrator["consideration"] == "resources", "note"].iloc[0]
    assert "Funding and local engagement/capacity" in resources_note
    summary = collation.method_summary.set_index("method_id")
    assert (summary.drop(index="demonstrator-sites")["considerations_provenance"] == "curated").all()


TABLES_WITH_PROVENANCE = [table for table, columns in COLUMNS.items() if "provenance" in columns]


@pytest.mark.parametrize("table", TABLES_WITH_PROVENANCE)
def test_every_record_has_one_of_the_three_provenances(collation, table):
    frame = getattr(collation, table)
    for column in (c for c in frame.columns if c.endswith("provenance")):
        values = frame[column] if column == "provenance" else frame[column].dropna()
        assert values.notna().all(), f"{table}.{column} has a record without provenance"
        assert set(values.astype(str)) <= set(PROVENANCES), f"{table}.{column}"


def _has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


# method_summary repeats the provenance of `methods`, where the sources are.
@pytest.mark.parametrize("table", [t for t in TABLES_WITH_PROVENANCE if t != "method_summary"])
def test_curated_rows_say_why_and_summary_rows_say_where(collation, table):
    frame = getattr(collation, table)
    reasons = [c for c in ("rationale", "source_url", "source_urls") if c in frame.columns]
    for row in frame[frame["provenance"] == "curated"].to_dict("records"):
        assert any(_has_text(row[c]) for c in reasons), f"{table}: curated, no reason: {row}"
    for row in frame[frame["provenance"] == "collation-summary"].to_dict("records"):
        assert _has_text(row.get("source_url")), f"{table}: summary, no source: {row}"


def test_both_approach_characteristics_are_curated_with_a_rationale(collation):
    approaches = collation.approaches
    for name in ("central_standardisation", "motivation"):
        assert (approaches[f"{name}_provenance"] == "curated").all()
        assert approaches[f"{name}_rationale"].map(_has_text).all()
    assert (approaches["provenance"] == "collation").all()


def test_considerations_with_a_note_have_the_notes_provenance(collation):
    considerations = collation.considerations
    with_note = considerations[considerations["note"].notna()]
    assert with_note["note_provenance"].notna().all()
    assert considerations.loc[considerations["note"].isna(), "note_provenance"].isna().all()


def test_glossary_and_complexity_vocabulary(collation):
    assert collation.glossary["term"].is_unique
    assert collation.glossary["definition"].map(_has_text).all()
    assert list(collation.complexity_levels["level_id"]) == ["simple", "complicated", "complex"]
    assert list(collation.nasss_domains["domain_id"]) == list(NASSS_DOMAINS)
    assert list(collation.nasss_domains["order"]) == list(range(1, 8))


def test_load_reads_the_folder_it_is_given(data_copy):
    (data_copy / "glossary.yaml").write_text(
        "terms:\n  - term: Only term\n    definition: The one term in this copy.\n    provenance: curated\n"
        "    rationale: Written for this test.\n",
        encoding="utf-8",
    )
    loaded = spreadlab.load(data_copy)
    assert loaded.data_dir == data_copy
    assert list(loaded.glossary["term"]) == ["Only term"]
    assert len(loaded.methods) == 24
    assert len(spreadlab.load(str(data_copy)).approaches) == 7, "a str path works too"


def test_load_by_default_reads_the_bundled_data_from_any_working_directory(tmp_path):
    code = (
        "import json, spreadlab; c = spreadlab.load(); "
        "print(json.dumps([str(c.data_dir), len(c.approaches), list(c.methods['method_id'])]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    data_dir, approaches, method_ids = json.loads(done.stdout)
    assert Path(data_dir).is_dir() and not Path(data_dir).is_relative_to(tmp_path)
    assert approaches == 7
    assert method_ids == [m for ids in METHOD_IDS.values() for m in ids]


def test_a_missing_folder_is_a_collation_error(tmp_path):
    with pytest.raises(spreadlab.CollationError, match="is not a folder"):
        spreadlab.load(tmp_path / "nowhere")


def test_load_reads_no_environment_variable(monkeypatch, tmp_path):
    """The data folder is an argument, never ambient: only the dashboard notebook reads $SPREADLAB_DATA."""
    from spreadlab.paths import DATA_DIR, DATA_ENV

    monkeypatch.setenv(DATA_ENV, str(tmp_path / "nowhere"))
    assert spreadlab.load().data_dir == DATA_DIR
    assert len(spreadlab.load(cache=False).approaches) == 7
