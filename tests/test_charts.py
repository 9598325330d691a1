"""The plotly figures show the data they claim to: checked on the figure data, not on pixels."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

import spreadlab
from spreadlab import charts


@pytest.fixture(scope="module")
def profile(profile_values) -> spreadlab.InterventionProfile:
    return spreadlab.InterventionProfile.from_dict(profile_values)


def test_approach_map_shows_every_approach_with_its_stated_and_recorded_methods(collation):
    figure = charts.approach_map(collation)
    stated, recorded = figure.data
    assert isinstance(figure, go.Figure)
    assert len(recorded.x) == len(collation.approaches) == 7
    investing = list(collation.approaches["approach_id"]).index("investing-incentivising")
    assert "2 of 8 recorded" in recorded.text[investing]
    assert stated.marker.size[investing] > recorded.marker.size[investing]
    assert [row[0] for row in recorded.customdata] == list(collation.approaches["approach_id"])


def test_approach_map_marks_curated_positions(collation):
    figure = charts.approach_map(collation)
    approaches = collation.approaches
    curated = (approaches["central_standardisation_provenance"] == "curated") | (
        approaches["motivation_provenance"] == "curated"
    )
    marked = [charts.CURATED_MARK in text.split("<br>")[-2] for text in figure.data[1].text]
    assert marked == list(curated)
    assert "curated" in figure.layout.title.subtitle.text


def test_approaches_in_the_same_cell_do_not_overlap(collation):
    figure = charts.approach_map(collation)
    points = list(zip(figure.data[1].x, figure.data[1].y, strict=True))
    assert len(set(points)) == len(points)


def test_considerations_heatmap_ticks_the_values_each_method_has(collation):
    figure = charts.considerations_heatmap(collation)
    heatmap = figure.data[0]
    assert list(heatmap.y) == list(collation.method_summary["name"])
    row = list(collation.method_summary["method_id"]).index("horizon-scanning")
    ticked = {x for x, z in zip(heatmap.x, heatmap.z[row], strict=True) if z}
    assert ticked == {
        "Stage of development: Prototype/testing",
        "Audience and scale: Regional",
        "Audience and scale: National",
        "Resources needed: Low",
        "Timeframe: Short",
    }


def test_considerations_heatmap_marks_curated_cells_and_can_be_limited(collation):
    figure = charts.considerations_heatmap(collation, ["network", "rolling-out"])
    heatmap = figure.data[0]
    assert list(heatmap.y) == ["Network", "Rolling out"]
    cells = [cell for row in heatmap.text for cell in row if cell]
    curated = set(collation.considerations.loc[
        collation.considerations["method_id"].isin(["network", "rolling-out"]), "provenance"
    ])
    assert all(cell == "✓*" for cell in cells) == (curated == {"curated"})


def test_sunburst_shows_methods_under_approaches_and_the_unrecorded_gap(collation):
    figure = charts.sunburst(collation)
    burst = figure.data[0]
    parents = dict(zip(burst.ids, burst.parents, strict=True))
    assert parents["honest-broker"] == "networking"
    assert parents["investing-incentivising/not-recorded"] == "investing-incentivising"
    labels = dict(zip(burst.ids, burst.labels, strict=True))
    assert labels["investing-incentivising/not-recorded"] == "6 not recorded"
    assert "capacity-capability/not-recorded" not in parents
    values = dict(zip(burst.ids, burst.values, strict=True))
    for approach in collation.approaches.itertuples():
        children = sum(values[i] for i, parent in parents.items() if parent == approach.approach_id)
        assert children == values[approach.approach_id] == approach.methods_stated


def test_compare_chart_has_one_row_per_chosen_id(collation):
    figure = charts.compare_chart(collation, ["networking", "coordinating", "honest-broker"])
    heatmap = figure.data[0]
    assert list(heatmap.y) == [
        "Networking, peer learning and collaboration",
        "Coordinating through large scale engagement and national programmes",
        "Honest broker",
    ]
    national = list(heatmap.x).index("Audience and scale: National")
    assert heatmap.text[1][national] == "3/3"
    assert heatmap.z[2][national] == 0


def test_compare_chart_rejects_unknown_ids_and_too_few(collation):
    with pytest.raises(spreadlab.UnknownIdError, match="netwrk"):
        charts.compare_chart(collation, ["netwrk", "network"])
    with pytest.raises(spreadlab.SpreadlabError, match="2 to 5"):
        charts.compare_chart(collation, ["network"])


@pytest.mark.parametrize("case_id", ["atrial-fibrillation", "transfer-of-care-around-medicines"])
def test_case_timeline_has_a_bar_per_phase_and_method(collation, case_id):
    figure = charts.case_timeline(collation, case_id)
    phases = collation.case_phases[collation.case_phases["case_id"] == case_id]
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    assert len(figure.data) == len(phases)
    for bar, phase in zip(figure.data, phases.itertuples(), strict=True):
        assert bar.name.startswith(f"{phase.order}. {phase.name}")
        phase_methods = set(used.loc[used["phase_order"] == phase.order, "method_id"])
        assert {m for _, m in bar.customdata} == phase_methods
        assert bar.base[0].startswith(str(phase.start_month))
    assert figure.layout.xaxis.type == "date"


def test_case_timeline_rejects_an_unknown_case(collation):
    with pytest.raises(spreadlab.UnknownIdError, match="atrial-fibrillation"):
        charts.case_timeline(collation, "af")


def test_plan_timeline_spans_each_phase_within_the_timescale(collation, profile):
    plan = spreadlab.plan(collation, profile)
    figure = charts.plan_timeline(plan)
    assert len(figure.data) == len(plan.phases)
    for bar, phase in zip(figure.data, plan.phases, strict=True):
        assert bar.base[0] == phase.start_month - 1
        assert bar.base[0] + bar.x[0] == phase.end_month <= profile.timescale_months
        label = bar.y[0].replace("<br>", " ")
        assert label.startswith(f"<b>{phase.order}. {phase.name}</b>")
        assert label.split("</b> ", 1)[1] == "; ".join(phase.methods)
    assert list(figure.layout.xaxis.range) == [0, 24]


def test_ranking_chart_lists_methods_best_first_with_their_base_rates_and_reasons(collation, profile):
    import html

    from spreadlab.views.advice_text import summary_line

    advice = spreadlab.recommend(collation, profile)
    figure = charts.ranking_chart(advice, top=5)
    bar, base = figure.data
    assert [row[0] for row in bar.customdata] == [m.method_id for m in advice.methods[:5]]
    assert list(bar.x) == [m.chance for m in advice.methods[:5]]
    assert list(base.x) == [m.base_rate for m in advice.methods[:5]]
    assert html.escape(summary_line(advice.methods[0]), quote=False) in bar.hovertext[0]  # plotly's text


def test_names_from_the_data_reach_every_chart_as_text_never_as_markup(data_copy, profile):
    """Plotly draws `<a href>` found in a label as a link: an edited data folder's names must not become one.
    (tests/browser/test_chart_text.py draws the same charts with plotly.js.)"""
    import json

    from hostile_data import LINK, every_chart, marked_up_collation

    collation = marked_up_collation(data_copy)
    planned = {method for phase in spreadlab.plan(collation, profile).phases for method in phase.methods}
    for name, figure in every_chart(collation, profile).items():
        spec = json.dumps(json.loads(figure.to_json()), ensure_ascii=False)
        assert "<a " not in spec, name
        if name != "plan timeline" or any(LINK in method for method in planned):  # a plan names its methods only
            assert "&lt;a" in spec, name  # as text (a label may wrap inside it)
