"""The dashboard's handlers: plain functions from widget values to tables, charts and messages."""

from __future__ import annotations

import asyncio
import base64
import html
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import pytest
from markupsafe import escape

import spreadlab
import spreadlab.app
from casebook_data import data_without_kinds
from spreadlab import charts, plotly_asset, views
from spreadlab.app import about, casebook, cases, compare, explore, figures, plan
from spreadlab.app.feedback import shown_errors
from spreadlab.views import exports


def _row_ids(table_html: str) -> list[str]:
    return re.findall(r'<tr data-id="([^"]+)"', table_html)


# Explore


def test_no_filter_shows_every_recorded_method(collation):
    filters = explore.Filters()
    rows = explore.matching_methods(collation, filters)
    page = explore.results_html(collation, rows, filters)
    assert "24 of 24 recorded methods match." in page
    assert _row_ids(page) == list(collation.method_summary["method_id"])


def test_filters_narrow_the_rows(collation):
    filters = explore.Filters(audience_scale="local", timeframe="short")
    rows = explore.matching_methods(collation, filters)
    page = explore.results_html(collation, rows, filters)
    assert set(_row_ids(page)) == {"honest-broker", "competition-crowdsourcing", "local-needs-identification"}
    assert "3 of 24" in page


def test_results_show_provenance_badges(collation):
    filters = explore.Filters(approach="networking")
    rows = explore.matching_methods(collation, filters)
    page = explore.results_html(collation, rows, filters)
    for provenance in ("collation", "collation-summary", "curated"):
        expected = (rows["provenance"] == provenance).sum() + (rows["considerations_provenance"] == provenance).sum()
        assert page.count(f'data-provenance="{provenance}"') == expected


def test_leaving_out_curated_values_explains_an_empty_result(collation):
    filters = explore.Filters(audience_scale="local", timeframe="short", include_curated=False)
    rows = explore.matching_methods(collation, filters)
    page = explore.results_html(collation, rows, filters)
    assert rows.empty
    assert "No method meets all these filters" in page and "only the values the collation itself states" in page


def test_search_text_is_never_echoed_unescaped(collation):
    filters = explore.Filters(text="<script>alert(1)</script>")
    page = explore.results_html(collation, explore.matching_methods(collation, filters), filters)
    assert "<script>" not in page


def test_method_card_shows_description_considerations_examples_and_the_approach(collation):
    card = explore.method_card_html(collation, "honest-broker")
    assert "Honest broker" in card
    assert "Networking, peer learning and collaboration" in card
    assert "Practical considerations" in card and "Why:" in card
    assert "Strengths of the approach" in card and "Limitations of the approach" in card
    assert 'data-provenance="curated"' in card


def test_unknown_approach_filter_is_a_readable_error(collation):
    with pytest.raises(spreadlab.UnknownIdError, match="networkin"):
        explore.matching_methods(collation, explore.Filters(approach="networkin"))


# Compare


def test_compare_asks_for_two_or_more(collation):
    assert "Choose 2 to 5" in compare.comparison_html(collation, ["network"])


def test_compare_shows_one_column_per_choice(collation):
    page = compare.comparison_html(collation, ["network", "rolling-out", "networking"])
    headings = re.findall(r'<th scope="col">([^<]+)</th>', page.split("</thead>")[0])
    assert headings == ["Aspect", "Network", "Rolling out", "Networking, peer learning and collaboration"]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert rows[:3] == ["Method or approach", "Approach", "What it is"] and "Methods recorded" in rows
    assert "[curated]" not in page and "kind" not in rows
    assert 'data-provenance="curated"' in page


def test_compare_rejects_more_than_five(collation):
    ids = list(collation.methods["method_id"][:6])
    with pytest.raises(spreadlab.SpreadlabError, match="2 to 5"):
        compare.comparison_html(collation, ids)


def test_compare_choices_list_approaches_then_methods(collation):
    options = compare.choices(collation)
    assert options[0] == ("Approach: Building capacity and capability", "capacity-capability")
    assert len(options) == 7 + 24


# Plan


def test_profile_values_leave_out_a_nature_to_derive_and_add_the_assessment(profile_values):
    complexity = dict.fromkeys(spreadlab.vocabulary.NASSS_DOMAINS, "simple") | {"technology": "complex"}
    values = plan.profile_values({**profile_values, "nature": plan.DERIVE}, complexity)
    assert "nature" not in values and values["complexity"] == complexity
    profile = spreadlab.InterventionProfile.from_dict(values)
    assert profile.nature == "complex" and profile.nature_derived


def test_plan_ranks_every_method_and_plans_within_the_timescale(collation, profile_values):
    result = plan.make_plan(collation, profile_values)
    assert len(result.advice.methods) == 24
    assert result.plan.phases and all(p.end_month <= 24 for p in result.plan.phases)
    page = plan.ranking_html(result)
    assert page.count("not an evidence-validated prediction") == 1  # the framing, once
    assert len(_row_ids(page)) == plan.TOP
    assert page.count("<details") == plan.TOP
    best = result.advice.methods[0]
    facts = page.split(f'<details class="sl-item" data-id="{best.method_id}">')[1].split("</details>")[0]
    assert "programmes most like yours" in facts
    shown = plan.plan_html(collation, result)
    assert "What to do" in shown and "Who to involve" in shown and "Evaluation plan" in shown


@pytest.mark.parametrize(("field", "value", "words"), [
    ("timescale_months", 500, "from 1 to 120"),
    ("name", "", "1–200 characters"),
    ("resources", "lots", "allowed: low, medium, high"),
])
def test_a_bad_profile_value_is_an_error_naming_the_field(collation, profile_values, field, value, words):
    with pytest.raises(spreadlab.ProfileError) as raised:
        plan.make_plan(collation, {**profile_values, field: value})
    assert field in str(raised.value) and words in str(raised.value)


def test_the_intervention_name_is_escaped(collation, profile_values):
    result = plan.make_plan(collation, {**profile_values, "name": "<img src=x onerror=alert(1)>"})
    page = plan.ranking_html(result)
    assert "<img" not in page and "&lt;img" in page


def test_emerging_evidence_shows_its_warning(collation, profile_values):
    result = plan.make_plan(collation, {**profile_values, "evidence": "emerging"})
    assert "sl-warning" in plan.ranking_html(result)


def test_downloads_hold_the_ranking_as_json_and_csv(collation, profile_values):
    result = plan.make_plan(collation, profile_values)
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"',
                            plan.downloads_html(collation, result)))
    assert set(links) == {"af-detection-in-primary-care-ranking.json", "af-detection-in-primary-care-ranking.csv",
                          "af-detection-in-primary-care-plan.yaml"}  # the plan's Word, Excel and CSV are bytes
    as_json = json.loads(base64.b64decode(links["af-detection-in-primary-care-ranking.json"]))
    assert as_json == json.loads(json.dumps(exports.advice_json(result.advice)))
    csv_text = base64.b64decode(links["af-detection-in-primary-care-ranking.csv"]).decode()
    assert csv_text.splitlines()[0].startswith("rank,method_id,method")
    assert len(csv_text.splitlines()) == 25


# Case examples and About the data


@pytest.mark.parametrize("case_id", ["atrial-fibrillation", "transfer-of-care-around-medicines"])
def test_case_pages_show_phases_methods_and_figures(collation, case_id):
    page = cases.case_html(collation, case_id)
    case = collation.case_examples.set_index("case_id").loc[case_id]
    assert case["name"] in page
    for phase in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples():
        assert f"Phase {phase.order}: {phase.name}" in page
    assert "Public figures" in page


def test_coverage_shows_the_gap_between_stated_and_recorded_methods(collation):
    page = about.coverage_html(collation)
    assert "The collation states 34 methods" in page and "24 are recorded" in page
    assert "6 not recorded (2 of 8 recorded)" in page


def test_curation_counts_add_up(collation):
    counts = about.curation_counts(collation).set_index("kind")
    assert counts.loc["Methods"].sum() == 24
    assert counts.loc["Practical considerations"].sum() == 24 * 4
    assert counts.loc["Approach characteristics"].sum() == 14


# Feedback, charts and the app


def test_errors_from_a_callback_are_shown_in_the_page():
    messages = widgets.HTML()

    @shown_errors(messages)
    def fails_for_the_user() -> None:
        raise spreadlab.ProfileError("profile: field 'name': '' is not allowed <here>")

    fails_for_the_user()
    assert 'class="sl sl-error" role="alert"' in messages.value and "&lt;here&gt;" in messages.value


def test_every_problem_of_a_profile_gets_its_own_box():
    messages = widgets.HTML()

    @shown_errors(messages)
    def two_bad_fields() -> None:
        spreadlab.InterventionProfile.from_dict({"name": "X", "nature": "odd", "resources": "lots"})

    two_bad_fields()
    assert messages.value.count('role="alert"') == 6  # nature, resources and four missing fields
    shown = html.unescape(messages.value)
    assert "field 'nature': 'odd' is not allowed (allowed: simple, complicated, complex)" in shown
    assert "field 'resources': 'lots' is not allowed (allowed: low, medium, high)" in shown


def test_the_plan_form_shows_every_problem_at_once(collation):
    tab = plan.build(collation, settle=0)
    controls = _plan_controls(tab)
    controls["Timescale (months)"].value = "500"
    _click(tab, "Rank and plan")
    (errors,) = _errors(tab)
    assert errors.count('role="alert"') == 2
    assert "Give the intervention a name" in errors and "from 1 to 120" in errors
    assert "sl-invalid" in controls["Timescale (months)"]._dom_classes
    assert "sl-invalid" in controls["Intervention"]._dom_classes


def test_problems_the_form_let_through_are_said_in_its_words_every_one(collation, profile_values, monkeypatch):
    """Should the library refuse values the form's own checks passed, each is shown in the form's words."""
    monkeypatch.setattr(plan, "read_form", lambda typed, use: (dict(profile_values, name=" ",
                                                                     timescale_months=500), []))
    tab = plan.build(collation, settle=0)
    _click(tab, "Rank and plan")
    (errors,) = _errors(tab)
    words = {field.key: field.problem for field in plan.FORM}
    assert errors.count('role="alert"') == 2
    assert escape(words["name"]) in errors and escape(words["timescale_months"]) in errors


def test_a_bug_in_a_callback_is_shown_and_logged(caplog):
    messages = widgets.HTML(value="old")

    @shown_errors(messages)
    def broken() -> None:
        raise KeyError("oops")

    with caplog.at_level(logging.ERROR):
        broken()
    assert "Something went wrong (KeyError" in messages.value
    assert "dashboard callback failed" in caplog.text


def test_charts_are_sent_as_plotly_json():
    chart = figures.live(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    figures.replace(chart, go.Figure(go.Bar(x=["a"], y=[5])))
    (output,) = chart.outputs
    data = output["data"][figures.PLOTLY_MIMETYPE]["data"]
    assert data == [{"type": "bar", "x": ["a"], "y": [5]}]


def test_charts_are_drawn_in_the_page_by_the_plotly_js_the_server_serves():
    page = figures.bundle(go.Figure(go.Bar(x=["a"], y=[5])))["text/html"]
    assert f'"{plotly_asset.URL_PATH}?v={plotly_asset.cache_key()}"' in page
    titled = r'aria-labelledby="(sl-chart-[0-9a-f]+-title)".*<figcaption id="\1" class="sl-chart-title">'
    assert re.search(titled, page, re.DOTALL)
    assert _figure_in(page)["data"] == [{"type": "bar", "x": ["a"], "y": [5]}]


def test_chart_text_cannot_break_out_of_its_script():
    title = '</script><script>alert("x")</script> & <!-- <b>'
    page = figures.bundle(go.Figure(layout={"title": {"text": title}}))["text/html"]
    assert page.count("</script>") == 1 and page.rstrip().endswith("</script>")
    assert "<!--" not in page and "<b>" not in page
    assert f"<strong>{escape(title)}</strong>" in page  # the title is drawn as text above the chart
    assert "title" not in _figure_in(page)["layout"]


def test_a_dashboard_chart_is_titled_in_the_page_and_never_drawn_narrower_than_it_can_be_read():
    figure = go.Figure(go.Bar(x=[1], y=["a"]), layout={"title": {"text": "Scores", "subtitle": {"text": "0 to 1"}}})
    page = figures.bundle(figure, "The table gives the same.")["text/html"]
    assert re.search(r'<figcaption[^>]*><strong>Scores</strong> <span class="sl-chart-note">0 to 1</span>', page)
    assert f'style="min-width: {views.CHART_MIN_WIDTH}px"' in page
    assert re.search(r'<div class="sl-scroll" role="region" aria-label="Scores \(chart\)" tabindex="0">', page)
    assert "displayModeBar: false" in page
    assert _figure_in(page)["layout"]["margin"]["t"] == views.CHART_TOP_MARGIN


def _figure_in(page: str) -> dict:
    """The figure a chart's script passes to plotly.js, read back as JSON."""
    return json.loads(re.search(r'\}\)\(document\.getElementById\("sl-chart-[0-9a-f]+"\), (.*)\);\n</script>\n?$',
                                page, re.DOTALL).group(1))


def test_the_app_has_six_tabs_built_when_first_selected(collation):
    app = spreadlab.app.build(collation)
    _header, messages, tabs = app.children
    assert list(tabs.titles) == [title for title, _ in spreadlab.app.TABS]
    assert [len(panel.children) for panel in tabs.children] == [2, 0, 0, 0, 0, 0]
    for index in range(1, 6):
        tabs.selected_index = index
    assert [len(panel.children) for panel in tabs.children] == [2, 2, 2, 2, 2, 2]
    assert messages.value == ""
    headings = [panel.children[0].value for panel in tabs.children]  # issue 21, item 13: h1, then each tab's h2
    assert headings == [views.tab_heading(spreadlab.app.HEADINGS[module]) for _, module in spreadlab.app.TABS]
    assert all(heading.startswith("<h2") for heading in headings)


def test_the_explore_tab_updates_table_and_chart_together(collation):
    tab = explore.build(collation)
    grid = tab.children[1]
    results, chart = tab.children[3], tab.children[6]
    audience = next(c for c in grid.children if getattr(c, "description", "") == "Audience and scale")
    audience.value = "local"
    rows = explore.matching_methods(collation, explore.Filters(audience_scale="local"))
    assert _row_ids(results.value) == list(rows["method_id"])
    shown = chart.outputs[0]["data"][figures.PLOTLY_MIMETYPE]["data"][0]["y"]
    assert list(shown) == list(rows["name"])


def test_the_explore_tab_draws_no_chart_when_nothing_matches(collation):
    tab = explore.build(collation)
    grid, chart = tab.children[1], tab.children[6]
    search = next(c for c in grid.children if getattr(c, "description", "") == "Search")
    search.value = "no method has this word: xyzzy"
    assert "No method meets all these filters" in tab.children[3].value
    assert chart.outputs == ()


def test_the_compare_tab_greys_out_a_sixth_choice_and_shows_no_stale_chart(collation):
    tab = compare.build(collation)
    boxes = {box.description: box for group in tab.children[1].children for box in group.children}
    assert not any(box.value for box in boxes.values())  # issue 21, item 11: it opened with two ticked
    assert "0 ticked" in tab.children[2].value
    for box in list(boxes.values())[:5]:
        box.value = True
    assert all(box.disabled for box in boxes.values() if not box.value)
    assert "the most that can be compared" in tab.children[2].value
    for box in [box for box in boxes.values() if box.value][1:]:
        box.value = False
    assert tab.children[4].value == "" and tab.children[5].outputs == ()
    assert "tick at least 2" in tab.children[2].value
    assert not any(box.disabled for box in boxes.values())


def _plan_controls(tab: widgets.Box) -> dict[str, widgets.Widget]:
    return {getattr(c, "description", ""): c for c in tab.children}


def _click(tab: widgets.Box, name: str) -> None:
    next(c for c in tab.children if isinstance(c, widgets.Button) and c.description == name).click()


def _errors(tab: widgets.Box) -> list[str]:
    return [c.value for c in tab.children if isinstance(c, widgets.HTML) and "sl-error" in c.value]


@pytest.mark.parametrize(("typed", "problem"), [
    ("500", "Give the timescale as a whole number of months from 1 to 120."),
    ("2.5", "Give the timescale as a whole number of months from 1 to 120."),
    ("", "Give the timescale as a whole number of months from 1 to 120."),
])
def test_the_plan_form_says_what_is_wrong_with_the_timescale_in_its_own_words(collation, typed, problem):
    tab = plan.build(collation, settle=0)
    controls = _plan_controls(tab)
    controls["Intervention"].value = "AF detection"
    controls["Timescale (months)"].value = typed
    _click(tab, "Rank and plan")
    (errors,) = _errors(tab)
    assert escape(problem) in errors and "timescale_months" not in errors
    assert "sl-invalid" in controls["Timescale (months)"]._dom_classes
    assert "sl-invalid" not in controls["Intervention"]._dom_classes


def test_the_plan_form_is_not_sent_while_it_has_a_problem(collation):
    values, problems = plan.read_form({field.key: field.default for field in plan.FORM}, use_assessment=False)
    assert problems == ["Give the intervention a name (up to 200 characters)."]
    assert "name" not in values and values["timescale_months"] == 24


def _assessment(tab: widgets.Box) -> tuple[widgets.Checkbox, widgets.Box]:
    use = next(c for c in tab.children if isinstance(c, widgets.Checkbox))
    return use, tab.children[tab.children.index(use) + 1]


def test_context_fields_left_as_not_known_stay_out_of_the_profile(collation):
    typed = {field.key: field.default for field in plan.FORM} | {"name": "AF detection", "mandate": "yes"}
    values, problems = plan.read_form(typed, use_assessment=False)
    assert not problems and values["mandate"] == "yes"
    assert not {"adopter_count", "adopters", "spread_lead", "central_funding"} & set(values)
    result = plan.make_plan(collation, plan.profile_values(values, None))
    assert result.profile.mandate == "yes" and result.profile.adopters is None


def test_deriving_the_nature_ticks_and_shows_the_self_assessment(collation):
    tab = plan.build(collation, settle=0)
    controls = _plan_controls(tab)
    use, assessment = _assessment(tab)
    assert assessment.layout.display == "none"
    controls["Nature of the intervention"].value = plan.DERIVE
    assert use.value is True and assessment.layout.display == "flex"
    use.value = False
    controls["Intervention"].value = "AF detection"
    _click(tab, "Rank and plan")
    (errors,) = _errors(tab)
    assert "Choose the nature of the intervention" in errors and "&#x27;nature&#x27;" not in errors


def test_the_plan_tab_explains_the_levels_and_the_nasss_domains_with_provenance(collation):
    tab = plan.build(collation, settle=0)
    page = "".join(c.value for c in tab.children if isinstance(c, widgets.HTML))
    for row in collation.complexity_levels.itertuples():
        assert escape(row.description) in page
    notes = "".join(c.value for c in _assessment(tab)[1].children if isinstance(c, widgets.HTML))
    for row in collation.nasss_domains.itertuples():
        assert escape(row.description) in notes
    assert notes.count('data-provenance="curated"') == len(collation.nasss_domains)
    assert "counts as <b>Simple</b>" in notes
    next(c for c in _assessment(tab)[1].children if getattr(c, "description", "") == "The technology").value = "complex"
    assert "counts as <b>Complex</b>" in _assessment(tab)[1].children[-1].value


def test_a_click_waits_for_the_values_typed_before_it(collation):
    def click_then_type() -> widgets.Box:
        # in a thread of its own, with an event loop of its own, as the kernel has one (the test process's main loop
        # may already be running Playwright's)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            tab = plan.build(collation, settle=0.2)
            controls = _plan_controls(tab)
            controls["Intervention"].value = "AF detection"
            _click(tab, "Rank and plan")
            controls["Timescale (months)"].value = "18"  # arrives after the click, as a held-back update does
            loop.run_until_complete(asyncio.sleep(0.4))
            return tab
        finally:
            loop.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        tab = pool.submit(click_then_type).result()
    results = tab.children[-1]
    assert results.children, _errors(tab)
    assert "Plan over 18 months" in json.dumps(results.children[1].outputs[0]["data"][figures.PLOTLY_MIMETYPE])


def test_html_tables_escape_every_value(collation):
    rows = collation.method_summary.head(1).assign(name="<b>bold</b>", approach=pd.NA)
    page = views.method_results(collation, rows)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>" not in page and "&lt;NA&gt;" not in page


def test_the_about_tab_says_what_the_programme_library_holds_and_leaves_the_programmes_to_the_casebook(collation):
    """Issue 21, item 4: the tab was a 132-row wall with the glossary at the bottom."""
    page = about.programmes_html(collation)
    count = len(collation.programmes)
    assert f"{count} real spread programmes" in page and "<strong>Casebook</strong> tab" in page
    assert "<table" not in page and 'data-id="' not in page
    tab = about.build(collation)
    html = "".join(child.value for child in tab.children if isinstance(child, widgets.HTML))
    anchors = re.findall(r'<a href="#([^"]+)">', tab.children[0].value)
    assert anchors == [anchor for anchor, _ in about.SECTIONS]
    assert all(f'id="{anchor}"' in html for anchor in anchors)
    assert html.index("sl-glossary-heading") < html.index("sl-programmes-heading") < html.index("sl-curation-heading")


def test_ticking_the_self_assessment_ranks_with_the_nature_it_derives(collation, monkeypatch):
    """Issue 21, item 2: with the box ticked, the ranking used the dropdown's nature, not the one the form showed."""
    made: list[plan.PlanResult] = []
    original = plan.make_plan

    def spy(*args: object) -> plan.PlanResult:
        made.append(original(*args))
        return made[-1]

    monkeypatch.setattr(plan, "make_plan", spy)
    tab = plan.build(collation, settle=0)
    controls = _plan_controls(tab)
    use, assessment = _assessment(tab)
    controls["Intervention"].value = "AF detection"
    controls["Nature of the intervention"].value = "complicated"
    use.value = True
    assert controls["Nature of the intervention"].value == plan.DERIVE
    next(c for c in assessment.children if getattr(c, "description", "") == "The technology").value = "complex"
    assert "counts as <b>Complex</b>" in assessment.children[-1].value
    _click(tab, "Rank and plan")
    (result,) = made
    assert (result.profile.nature, result.profile.nature_derived) == ("complex", True)
    controls["Nature of the intervention"].value = "simple"  # a nature chosen outright stops the assessment
    assert use.value is False and assessment.layout.display == "none"


def test_rank_and_plan_says_it_is_working_then_that_the_results_are_below(collation):
    """Issue 21, item 3: the button is greyed out and a line says what is happening; then the focus moves to the
    results' first heading."""
    tab = plan.build(collation, settle=0)
    controls = _plan_controls(tab)
    controls["Intervention"].value = "AF detection"
    button = next(c for c in tab.children if isinstance(c, widgets.Button))
    status = tab.children[tab.children.index(button) + 1]
    seen: list[tuple[bool, str]] = []
    status.observe(lambda change: seen.append((button.disabled, change["new"])), names="value")
    button.click()
    assert seen[0] == (True, views.status(plan.WORKING))
    assert status.value == views.status(plan.DONE) and 'role="status"' in status.value
    assert button.disabled is False
    focus = next(c for c in tab.children if isinstance(c, widgets.Output))
    script = focus.outputs[0]["data"]["text/html"]
    assert f'"{plan.PLAN_HEADING}"' in script
    assert '".sl-focus-from"' in script and "sl-focus-from" in button._dom_classes  # never pulls a person back
    assert f'id="{plan.PLAN_HEADING}"' in tab.children[-1].children[0].value


def test_each_programme_like_yours_opens_its_card(collation):
    opened: list[str] = []
    tab = plan.build(collation, settle=0, open_card=opened.append)
    name = "Virtual wards for people living with frailty"
    _plan_controls(tab)["Intervention"].value = name
    _click(tab, "Rank and plan")
    values, _ = plan.read_form({field.key: field.default for field in plan.FORM} | {"name": name},
                               use_assessment=False)
    closest = plan.make_plan(collation, plan.profile_values(values, None)).advice.closest
    programmes = tab.children[-1].children[-1]
    buttons = [c for row in programmes.children if isinstance(row, widgets.Box) for c in row.children
               if "sl-card-link" in c._dom_classes]
    assert closest and [b.description for b in buttons] == [f"Card of {p.name}" for p in closest]
    for button in buttons:
        button.click()
    assert opened == [p.programme_id for p in closest]


def test_the_casebook_tab_searches_filters_opens_a_card_and_compares(collation):
    tab = casebook.build(collation)
    tab.search.value = "mandated"
    found = spreadlab.casebook.casebook(collation).search(spreadlab.casebook.Query(words="mandated"))
    assert f"{len(found)} of {len(collation.programmes)} programmes match" in tab.results.value
    assert [ident for _, ident in tab.picker.options][1:] == [m.card.programme_id for m in found]
    assert tab.picker.value == casebook.NONE and "Choose a programme" in tab.card.value
    tab.filters["lead"].value = "national-body"
    national = [m.card.programme_id for m in found if m.card.fact("spread_lead") == "national-body"]
    assert [ident for _, ident in tab.picker.options][1:] == national
    tab.picker.value = national[0]
    assert f'data-programme="{national[0]}"' in tab.card.value
    tab.other.value = "atrial-fibrillation"
    assert "side by side" in tab.comparison.value
    tab.search.value = "no programme has this word: xyzzy"
    assert "No programme matches" in tab.results.value and tab.picker.value == casebook.NONE
    assert tab.comparison.value == ""


def test_opening_a_programme_from_elsewhere_lists_everything_and_shows_its_card(collation):
    tab = casebook.build(collation)
    tab.search.value = "maternity"
    tab.filters["country"].value = "Scotland"
    tab.show_programme("act-fast-stroke-campaign")
    assert tab.search.value == "" and tab.filters["country"].value == casebook.NONE
    assert len(tab.picker.options) == len(collation.programmes) + 1
    assert 'data-programme="act-fast-stroke-campaign"' in tab.card.value
    with pytest.raises(spreadlab.UnknownIdError):
        tab.show_programme("no-such-programme")


def test_the_casebook_filters_offer_what_the_data_holds_with_counts(collation, tmp_path):
    tab = casebook.build(collation)
    lead = {value: words for words, value in tab.filters["lead"].options}
    assert lead[casebook.NONE] == "Any"
    counts = dict(spreadlab.casebook.casebook(collation).options()["lead"])
    assert lead["national-body"] == f"A national body ({counts['national-body']})"
    bare = casebook.build(spreadlab.load(data_without_kinds(tmp_path / "data")))
    assert bare.filters["kind"].options == ((casebook.NOT_RECORDED, casebook.NONE),)  # no programme records one
    assert bare.filters["kind"].disabled and not bare.filters["lead"].disabled


def test_compare_values_read_as_plain_words(collation):
    """Issue 21, item 11: the Compare tab showed `Variable (The collation's cell reads "Variab…" (cut off))`."""
    ids = list(collation.methods["method_id"])
    for start in range(0, len(ids), 5):
        chosen = ids[start:start + 5] if len(ids) - start >= 2 else ids[-2:]
        for value in spreadlab.compare(collation, chosen)["value"]:
            assert not re.search(r"\([^)]*\(", value), value  # no parenthesis inside another


def test_the_card_picker_never_shows_a_blank_box(collation):
    tab = explore.build(collation)
    picker = next(c for c in tab.children if getattr(c, "description", "") == "Full card of")
    assert picker.options[0] == explore.NO_METHOD and picker.value == explore.ANY
    assert picker.label == "Choose a method…"


def test_no_planned_method_is_followed_by_an_unexplained_provenance(collation, profile_values):
    """Issue 21, item 11: "(audience and scale: Curated)" followed every planned method, unexplained."""
    page = plan.plan_html(collation, plan.make_plan(collation, profile_values))
    assert "(audience and scale:" not in page


def test_the_compare_chart_says_what_a_fraction_in_a_cell_means(collation):
    figure = charts.compare_chart(collation, ["networking", "network"])
    assert "3/7 means that 3 of its 7 recorded methods fit" in figure.layout.title.subtitle.text
    assert figure.data[0].customdata[0][0].endswith("of its 7 recorded methods fit")
