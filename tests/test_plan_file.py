"""A plan a leader keeps: the profile, the programmes left out and the plan's edits in one YAML file that reads back
unchanged and gives the same plan in the CLI; a plain profile is a plan file with no edits."""

from __future__ import annotations

import json

import pytest

import spreadlab
from spreadlab import ProfileError
from spreadlab.cli import main
from spreadlab.plan_file import PlanEdits, PlanFile
from spreadlab.views import exports

EXAMPLE = spreadlab.paths.DATA_DIR / "examples" / "profiles" / "regional-maternity-bundle.yaml"


@pytest.fixture(scope="module")
def saved(collation):
    profile = spreadlab.InterventionProfile.from_yaml(EXAMPLE)
    plan = spreadlab.plan(collation, profile)
    extra = next(m.method_id for m in plan.advice.methods if m.method_id not in plan.method_ids)
    return PlanFile(profile, PlanEdits(drop=(plan.method_ids[0],), add=((extra, "spread"),),
                                       move=((plan.method_ids[-1], "prepare"),)),
                    exclude=(plan.advice.closest[0].programme_id,))


def test_a_plan_file_reads_back_unchanged(saved, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(saved.to_yaml(), encoding="utf-8")
    assert PlanFile.from_yaml(path) == saved


def test_a_plain_profile_is_a_plan_file_without_edits(collation):
    saved = PlanFile.from_yaml(EXAMPLE, collation=collation)
    assert not saved.edits and saved.exclude == ()
    assert saved.plan(collation) == spreadlab.plan(collation, saved.profile)


def test_the_cli_gives_the_saved_plan(collation, saved, tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(saved.to_yaml(), encoding="utf-8")
    assert main(["plan", str(path), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(exports.plan_json(saved.plan(collation))))
    planned = [m for phase in printed["phases"] for m in phase["method_ids"]]
    assert saved.edits.drop[0] not in planned and saved.edits.add[0][0] in planned
    assert printed["excluded_programmes"] == list(saved.exclude)


@pytest.mark.parametrize(("extra", "words"), [
    ({"plan_edits": {"drop": ["no-such-method"]}}, "'no-such-method' is not a recorded method"),
    ({"plan_edits": {"move": {"network": "later"}}}, "'later' is not allowed (allowed: prepare, test, spread, "
                                                       "sustain)"),
    ({"plan_edits": {"reorder": []}}, "unknown key 'reorder' (allowed: drop, add, move)"),
    ({"exclude_programmes": ["nowhere"]}, "'nowhere' is not a programme of the library"),
    ({"exclude_programmes": "girft"}, "must be a list of ids"),
])
def test_a_bad_plan_file_names_the_field_and_the_allowed_values(collation, extra, words):
    values = spreadlab.InterventionProfile.from_yaml(EXAMPLE).to_dict() | extra
    with pytest.raises(ProfileError, match="plan file") as caught:
        PlanFile.from_dict(values, collation=collation)
    assert words in str(caught.value)
