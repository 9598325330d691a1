"""A plan the user keeps and changes in the dashboard (issue 20, item 5): the plan file's edits step by step, the
bundled examples, an uploaded file read or refused in words naming the field, and the Plan tab following each change
with its plan, its changes in words and its downloads (the YAML that reads back, Word, Excel with both sheets, CSV
with a BOM)."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import UTC, datetime

import ipywidgets as widgets
import pytest
from openpyxl import load_workbook

import spreadlab
from spreadlab import ProfileError
from spreadlab.app import plan
from spreadlab.examples import examples
from spreadlab.plan_file import PlanEdits, PlanFile

EXAMPLE = "regional-maternity-bundle"


@pytest.fixture(scope="module")
def maternity() -> PlanFile:
    return next(e for e in examples() if e.path.stem == EXAMPLE).read()


def test_every_bundled_example_is_offered_by_the_name_of_its_intervention():
    found = examples()
    assert len(found) == len(list(spreadlab.paths.EXAMPLE_PROFILES_DIR.glob("*.yaml"))) >= 6
    assert [e.name for e in found] == sorted((e.name for e in found), key=str.casefold)
    assert all(e.read().profile.name == e.name and not e.read().edits for e in found)


def test_drop_add_and_move_are_kept_as_edits_changed_plan_follows(collation, maternity):
    base = maternity.plan(collation)
    first, last = base.method_ids[0], base.method_ids[-1]
    extra = next(m.method_id for m in base.advice.methods if m.method_id not in base.method_ids)
    saved = maternity.dropping(first).adding(extra, "test").moving(last, "prepare")
    assert saved.edits == PlanEdits(drop=(first,), add=((extra, "test"),), move=((last, "prepare"),))
    changed_plan = saved.plan(collation)
    stage = {m: phase.stage for phase in changed_plan.phases for m in phase.method_ids}
    assert first not in stage and stage[extra] == "test" and stage[last] == "prepare"
    assert PlanFile.from_text(saved.to_yaml(), source="saved.yaml", collation=collation) == saved


def test_undoing_an_edit_leaves_no_trace(collation, maternity):
    base = maternity.plan(collation)
    first = base.method_ids[0]
    extra = next(m.method_id for m in base.advice.methods if m.method_id not in base.method_ids)
    assert maternity.adding(extra, "spread").dropping(extra) == maternity
    back = maternity.dropping(first).adding(first, "sustain")  # a dropped method comes back, moved
    assert back.edits == PlanEdits(move=((first, "sustain"),))
    assert maternity.adding(extra, "spread").moving(extra, "test").edits == PlanEdits(add=((extra, "test"),))
    closest = base.advice.closest[0].programme_id
    assert maternity.leaving_out(closest).putting_back(closest) == maternity
    left_out = maternity.leaving_out(closest).plan(collation)
    assert closest not in [p.programme_id for p in left_out.advice.closest]
    with pytest.raises(ProfileError, match="'later' is not a stage of a plan"):
        maternity.moving(first, "later")


@pytest.mark.parametrize(("content", "words"), [
    (b"name: X\nnature: odd\n", "field 'nature': 'odd' is not allowed (allowed: simple, complicated, complex)"),
    (b"name: [unclosed\n", "is not valid YAML"),
    (b"- a list\n", "must be a mapping"),
    ("name: caf\xe9\n".encode("latin-1"), "is not UTF-8 text"),
])
def test_a_bad_upload_is_one_message_naming_the_file_and_the_field(collation, content, words):
    with pytest.raises(ProfileError) as caught:
        PlanFile.from_text(content, source="mine.yaml", collation=collation)
    assert str(caught.value).startswith("mine.yaml") and words in str(caught.value)
    assert "Traceback" not in str(caught.value)


def _tab(collation):
    tab = plan.build(collation, settle=0, open_card=lambda _: None)
    loader = tab.children[0]
    return tab, loader, tab.children[-1]


def _example_with_first_dropped(collation):
    """The Plan tab with the maternity example loaded and its first planned method dropped."""
    tab, loader, results = _tab(collation)
    loader.example.value = EXAMPLE
    loader.load_example.click()
    editor = next(c for c in results.children if isinstance(c, plan.PlanEditor))
    first = editor.planned.options[0][1]
    editor.planned.value = first
    editor.drop.click()
    return tab, results, editor, first


def _links(results: widgets.VBox) -> dict[str, bytes]:
    keep = next(c.value for c in results.children if isinstance(c, widgets.HTML) and "sl-keep" in c.value)
    return {name.rsplit("-", 1)[1]: base64.b64decode(data)
            for name, data in re.findall(r'download="([^"]+)" href="data:[^,]+base64,([^"]+)"', keep)}


def test_loading_an_example_fills_the_form_and_shows_changed_plan_first(collation, maternity):
    tab, loader, results = _tab(collation)
    loader.example.value = EXAMPLE
    loader.load_example.click()
    controls = {getattr(c, "description", ""): c for c in tab.children}
    assert controls["Intervention"].value == maternity.profile.name
    assert controls["Timescale (months)"].value == str(maternity.profile.timescale_months)
    shown = [c.value for c in results.children if isinstance(c, widgets.HTML)]
    assert "Your plan for" in shown[0] and "you have not changed it" in shown[0]
    page = "".join(shown)
    assert page.index("sl-phases-heading") < page.index("sl-guide-heading") < page.index("sl-ranking-heading") \
        < page.index("sl-similar-heading")
    assert _links(results)["plan.yaml"].decode() == maternity.to_yaml()


def test_each_change_makes_the_plan_its_words_and_its_downloads_again(collation, maternity):
    _, results, editor, first = _example_with_first_dropped(collation)
    extra = next(value for _, value in editor.other.options if value != first)
    editor.other.value, editor.at_stage.value = extra, "sustain"
    editor.add.click()
    expected = maternity.dropping(first).adding(extra, "sustain")
    words = html.unescape(results.children[0].value)
    names = dict(zip(collation.methods["method_id"], collation.methods["name"], strict=True))
    assert f"dropped {names[first]}" in words and f"added {names[extra]} to “Sustain at scale”" in words
    changed_plan = expected.plan(collation)
    phases = html.unescape(next(c.value for c in results.children if isinstance(c, widgets.HTML)
                                and "sl-phases" in c.value))
    assert f'data-id="{first}"' not in phases and f'data-id="{extra}"' in phases
    assert [m for m, _ in editor.planned.options] and [v for _, v in editor.planned.options] == \
        list(changed_plan.method_ids)
    links = _links(results)
    assert links["plan.yaml"].decode() == expected.to_yaml()
    assert links["plan.csv"].startswith(b"\xef\xbb\xbf") and names[extra] in links["plan.csv"].decode("utf-8-sig")
    assert load_workbook(io.BytesIO(links["plan.xlsx"])).sheetnames == ["Plan", "Ranking"]
    assert links["plan.docx"][:2] == b"PK"
    editor.undo.click()
    assert _links(results)["plan.yaml"].decode() == maternity.to_yaml()


def test_an_uploaded_plan_gives_the_same_plan_and_a_bad_one_a_message(collation, maternity):
    saved = maternity.dropping(maternity.plan(collation).method_ids[0])
    tab, loader, results = _tab(collation)
    loader.upload.value = ({"name": "mine.yaml", "type": "", "size": 1, "last_modified": datetime.now(UTC),
                            "content": memoryview(saved.to_yaml().encode())},)
    assert loader.upload.value == ()
    assert _links(results)["plan.yaml"].decode() == saved.to_yaml()
    bad = re.sub(r"resources: \w+", "resources: lots", maternity.to_yaml())
    loader.upload.value = ({"name": "bad.yaml", "type": "", "size": 1, "last_modified": datetime.now(UTC),
                            "content": memoryview(bad.encode())},)
    (errors,) = [html.unescape(c.value) for c in tab.children if isinstance(c, widgets.HTML) and "sl-error" in c.value]
    assert errors.count('role="alert"') == 1
    assert "bad.yaml: field 'resources': 'lots' is not allowed (allowed: low, medium, high)" in errors
    assert _links(results)["plan.yaml"].decode() == saved.to_yaml()  # the plan shown stays


def test_changes_stay_when_the_form_is_changed_and_sent_again(collation, maternity):
    tab, results, _editor, dropped = _example_with_first_dropped(collation)
    controls = {getattr(c, "description", ""): c for c in tab.children}
    controls["Timescale (months)"].value = "36"
    assert not results.children  # a changed form hides the plan it no longer describes
    next(c for c in tab.children if isinstance(c, widgets.Button) and c.description == "Rank and plan").click()
    saved = PlanFile.from_text(_links(results)["plan.yaml"], source="saved")
    assert saved.profile.timescale_months == 36 and saved.edits.drop == (dropped,)


@pytest.mark.kernel
@pytest.mark.browser  # the report's PDF is printed by Chromium
def test_the_report_button_makes_the_report_of_the_plan_as_changed(collation, maternity):
    """The report follows the leader's changes, as the plan, its guidance and the downloads do (it used to be made
    from the profile alone)."""
    from spreadlab.views import outline
    from spreadlab.views.visible import visible_text

    _, results, _editor, first = _example_with_first_dropped(collation)
    button = next(c for c in results.children if isinstance(c, widgets.Button) and "report" in c.description)
    button.click()
    link = next(c.value for c in results.children if isinstance(c, widgets.HTML) and "data:text/html" in c.value)
    page = base64.b64decode(re.search(r'href="data:text/html;[^"]*base64,([^"]+)"', link).group(1)).decode()
    changed_plan = maternity.dropping(first).plan(collation)
    shown = outline.full_outline(spreadlab.guide(collation, changed_plan), collation)
    assert visible_text(outline.to_html(shown, spreadlab.views.plan_timeline(changed_plan))) in visible_text(page)
    assert "data:application/pdf;base64," in link

