"""docs/worked-examples.md: each of the six worked examples names a bundled profile, and its full plan beside it is
what `spreadlab plan PROFILE --format markdown` prints today (so the docs cannot drift from the engine)."""

import re
from pathlib import Path

import pytest

import spreadlab
from spreadlab.views.outline import full_outline, to_markdown

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "worked-examples.md"
PROFILES = spreadlab.paths.DATA_DIR / "examples" / "profiles"
NAMED = re.findall(r"\]\(worked-examples/([a-z0-9-]+)\.md\)", DOC.read_text(encoding="utf-8"))


def test_the_doc_works_six_examples_each_a_bundled_profile():
    assert len(NAMED) == 6
    assert all((PROFILES / f"{name}.yaml").is_file() for name in NAMED)


@pytest.mark.parametrize("name", NAMED)
def test_each_example_s_plan_in_the_docs_is_the_plan_spreadlab_makes(collation, name):
    profile = spreadlab.InterventionProfile.from_yaml(PROFILES / f"{name}.yaml")
    made = to_markdown(full_outline(spreadlab.guide(collation, spreadlab.plan(collation, profile)), collation))
    written = (ROOT / "docs" / "worked-examples" / f"{name}.md").read_text(encoding="utf-8")
    assert written == made, (f"docs/worked-examples/{name}.md is out of date: run `spreadlab plan "
                             f"data/examples/profiles/{name}.yaml --format markdown > docs/worked-examples/{name}.md`")
