"""The programme library: real, sourced spread programmes, validated like the rest of the data."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

import spreadlab

HELD_OUT = ("escape-pain", "pincer", "precept", "laparotomy", "productive ward", "releasing time to care", "feno",
            "stop the pressure", "20,000 days", "20000 days")
MODEL = "programmes/red-bag-scheme.yaml"
# Hosts of copies the curators have had to cite: document-sharing sites, staging servers, reposts, a raw-IP mirror.
COPY_HOSTS = re.compile(
    r"(^|\.)(docslib\.org|slideplayer\.com|docsbay\.net|docplayer\.[a-z]+|dokumen\.tips|fdocuments\.[a-z]+|pubhtml5\.com"
    r"|cupdf\.com|studylib\.net|vdocuments\.[a-z]+|vdocument\.in|moam\.info|readkong\.com|yumpu\.com|careersdocbox\.com"
    r"|healthdocbox\.com|paperzz\.com|scribd\.com|issuu\.com|slideum\.com|slidelegend\.com|docest\.com|powershow\.com"
    r"|yudu\.com|joomag\.com|slideshare\.net|slideserve\.com|researchgate\.net|scilit\.net|grantome\.com|omb\.report"
    r"|documents\.pub|stg\.cruk\.org|ulster-staging\.pure\.elsevier\.com|jpshuntong\.com|laurenscitycats\.org"
    r"|highburys\.uk|speedwaystaging\.co\.uk|staging\.unicef\.org\.uk|ahrq-stage\.ahrq\.gov|dev\.ihi\.org"
    r"|production-like\.nhsd\.io|ai-bt\.com|engagemail\.net|leatherneck\.com|dhirubhai\.net|hcpa\.info)$"
    r"|^\d+\.\d+\.\d+\.\d+$")


def test_the_library_holds_at_least_18_real_programmes_besides_the_case_examples(collation):
    programmes = collation.programmes
    assert (programmes["record_type"] == "programme").sum() >= 18
    assert set(programmes.loc[programmes["record_type"] == "case-example", "programme_id"]) == {
        "atrial-fibrillation", "transfer-of-care-around-medicines"}


def test_the_programmes_kept_aside_for_an_independent_check_are_not_in_the_data(collation):
    text = " ".join(collation.programmes[["programme_id", "name", "aim"]].astype(str).agg(" ".join, axis=1)).lower()
    text += " ".join(collation.programme_methods["rationale"].astype(str)).lower()
    found = [name for name in HELD_OUT if name in text]
    assert not found, f"held-out programmes appear in the library: {found}"


def test_every_fact_sourced_to_a_copy_says_so_and_no_programme_is_introduced_by_one(collation):
    """A reader must know when a link is a copy of the original, so that they look for the original."""
    def copy(url) -> bool:
        return isinstance(url, str) and bool(COPY_HOSTS.search((urlparse(url).hostname or "").rstrip(".")))

    records = [(f"{row.programme_id}: method {row.method_id}", row.source_url, row.caveat)
               for row in collation.programme_methods.itertuples()]
    records += [(f"{row.programme_id}: figure {row.label!r}", row.source_url, row.caveat)
                for row in collation.programme_figures.itertuples()]
    records += [(f"{row.programme_id}: scale reached", row.scale_source_url, row.scale_caveat)
                for row in collation.programmes.itertuples()]
    unflagged = [where for where, url, caveat in records
                 if copy(url) and not (isinstance(caveat, str) and "copy" in caveat.lower())]
    assert not unflagged, unflagged
    assert sum(copy(url) for _, url, _ in records) > 0  # the check meets real copies in the bundled data
    assert not [ident for ident, url in zip(collation.programmes["programme_id"], collation.programmes["source_url"],
                                            strict=True) if copy(url)]


def test_the_library_covers_all_seven_approaches_and_a_range_of_contexts(collation):
    used = collation.programme_methods.merge(collation.methods[["method_id", "approach_id"]], on="method_id")
    assert set(used["approach_id"]) == set(collation.approaches["approach_id"])
    profiles = collation.programme_profiles
    assert set(profiles["audience_scale"]) == {"local", "regional", "national"}
    assert set(profiles["nature"]) == {"simple", "complicated", "complex"}
    assert set(profiles["resources"]) == {"low", "medium", "high"}
    assert profiles["timescale_months"].min() <= 24 and profiles["timescale_months"].max() >= 60


def test_every_fact_about_a_programme_carries_its_source(collation):
    for table in (collation.programme_methods, collation.programme_figures):
        assert table["source_url"].str.startswith("http").all()
    programmes = collation.programmes
    assert programmes["scale_source_url"].str.startswith("http").all()
    assert programmes["scale_reached"].str.len().gt(0).all()
    profiles = collation.programme_profiles
    for field in ("nature", "audience_scale", "motivators", "energy_for_change", "timescale_months", "resources",
                  "evidence"):
        assert profiles[f"{field}_rationale"].str.len().gt(10).all(), field
    assert set(collation.programme_methods["provenance"].astype(str)) == {"curated"}


def test_every_programme_profile_is_a_valid_intervention_profile(collation):
    for ident in collation.programmes["programme_id"]:
        profile = collation.programme_profile(ident)
        assert profile.name and profile.timescale_months >= 1


def _write(data: Path, name: str, change) -> None:
    path = data / name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


BROKEN = {
    "unknown method": (lambda d: d["methods"][0].update(method_id="telepathy"),
                       "programmes/red-bag-scheme.yaml: red-bag-scheme: methods[telepathy]: method_id: "
                       "'telepathy' is not a recorded method id"),
    "bad stage": (lambda d: d["methods"][0].update(stage="launch"),
                  "programmes/red-bag-scheme.yaml: red-bag-scheme: methods[national-signals-campaigns]: stage: "
                  "'launch' is not allowed (allowed: prepare, test, spread, sustain)"),
    "profile value": (lambda d: d["profile"]["resources"].update(value="lots"),
                      "programmes/red-bag-scheme.yaml: red-bag-scheme: profile.resources.value: 'lots' is not "
                      "allowed (allowed: low, medium, high)"),
    "missing rationale": (lambda d: d["profile"]["nature"].pop("rationale"),
                          "programmes/red-bag-scheme.yaml: red-bag-scheme: profile.nature.rationale: required field "
                          "is missing"),
    "method without source": (lambda d: d["methods"][1].pop("source_url"),
                              "programmes/red-bag-scheme.yaml: red-bag-scheme: methods[central-coordination]: "
                              "source_url: required field is missing"),
    "reversed dates": (lambda d: d.update(period_start="2019", period_end="2015"),
                       "programmes/red-bag-scheme.yaml: red-bag-scheme: period_end 2015 is before period_start 2019"),
    "case id reused": (lambda d: d.update(id="atrial-fibrillation"),
                       "programmes/red-bag-scheme.yaml: atrial-fibrillation: id: duplicate programme id "
                       "'atrial-fibrillation'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_programme_file_names_file_record_field_and_problem(data_copy, case):
    change, expected = BROKEN[case]
    _write(data_copy, MODEL, change)
    with pytest.raises(spreadlab.CollationError) as caught:
        spreadlab.load(data_copy)
    lines = [str(problem) for problem in caught.value.problems]
    assert expected in lines, lines


def test_list_programmes_prints_the_library(cli):
    result = cli("list", "programmes", "--format", "csv")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.strip().splitlines()
    assert header.startswith("programme_id,record_type,name,lead,country")
    assert len(rows) == len(spreadlab.load().programmes)
    assert any(row.startswith("red-bag-scheme,programme,") for row in rows)
