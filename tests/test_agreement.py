"""Agreement between codings (spreadlab.agreement, `spreadlab agreement`): the rounds kept in data/coding/ still give
the kappas the coding guide reports, and every cell where a round's two codings disagreed is resolved once, by a rule
the codebook holds, with the tally its log states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from spreadlab.agreement import PROFILE_FIELDS, compare_rounds

ROOT = Path(__file__).resolve().parents[1]
CODING = ROOT / "data" / "coding"
# (resolution log, the round kept from the library, the blind round, overall kappa the coding guide reports)
ROUNDS = [("resolution-round1.yaml", "first", "second", "0.74"),
          ("resolution-round2.yaml", "library2", "third", "0.76"),
          ("resolution-round3.yaml", "library3", "fourth", "0.80"),
          ("resolution-round4.yaml", "library4", "fifth", "0.79")]


@pytest.mark.parametrize(("log", "first", "second", "kappa"), ROUNDS)
def test_each_round_still_gives_the_kappa_the_coding_guide_reports(cli, log, first, second, kappa):
    done = cli("agreement", first, second, "--blind-only")
    assert done.returncode == 0, done.stderr
    assert f"kappa {kappa} over every programme × method cell" in done.stdout.splitlines()[0]
    assert f"kappa {kappa}" in (CODING / "README.md").read_text(encoding="utf-8")


def _disagreements(collation, first: str, second: str) -> dict[tuple[str, str], tuple[str, str]]:
    """Every cell the two rounds read differently: a method one coded and the other did not, or a profile field."""
    agreement = compare_rounds(collation, first, second, blind_only=True)
    cells = {(ident, method): ("used", "not used") for ident, (only_first, _) in agreement.disagreements.items()
             for method in only_first}
    cells |= {(ident, method): ("not used", "used") for ident, (_, only_second) in agreement.disagreements.items()
              for method in only_second}
    a = {coding.programme_id: coding for coding in collation.codings[first]}
    b = {coding.programme_id: coding for coding in collation.codings[second]}
    for ident in agreement.programme_ids:
        for field in PROFILE_FIELDS:
            pair = (getattr(a[ident].profile, field).value, getattr(b[ident].profile, field).value)
            if pair[0] != pair[1]:
                cells[(ident, field)] = pair
    return cells


@pytest.mark.parametrize(("log", "first", "second", "kappa"), ROUNDS)
def test_every_disagreement_is_resolved_once_by_a_codebook_rule_with_the_tally_the_log_states(collation, log, first,
                                                                                             second, kappa):
    text = (CODING / log).read_text(encoding="utf-8")
    entries = yaml.safe_load(text)
    logged = [((entry["programme_id"], entry.get("method_id") or entry.get("field")), (entry["first"],
                                                                                       entry["second"]))
              for entry in entries]
    assert len({cell for cell, _ in logged}) == len(logged), "a cell is resolved twice"
    assert dict(logged) == _disagreements(collation, first, second)
    rules = ({rule.id for rule in collation.codebook.rules} | set(collation.methods["method_id"])
             | {rule.field for rule in collation.codebook.profile_fields})
    assert {entry["rule"] for entry in entries} <= rules
    assert all(entry["reason"].strip() for entry in entries)
    tally = [sum(entry["decision"] == entry[side] for entry in entries) for side in ("first", "second")]
    tally.append(len(entries) - sum(entry["decision"] in (entry["first"], entry["second"]) for entry in entries))
    stated = re.search(r"(\d+) cells: the .+? right in (\d+), the .+? in (\d+), neither in (\d+)", " ".join(
        line.lstrip("# ") for line in text.splitlines() if line.startswith("#")))
    assert stated, f"{log} does not state its tally"
    assert [int(n) for n in stated.groups()] == [len(entries), *tally]
