"""The Plan tab: describe the intervention, then see the methods ranked with reasons and a phased plan."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from .. import charts, views
from ..collation import Collation
from ..planning import Plan, plan
from ..profile import InterventionProfile
from ..ranking import recommend
from ..vocabulary import AUDIENCE_SCALES, EVIDENCE_LEVELS, LEVELS, MOTIVATIONS, NATURES, label
from .feedback import message_area, shown_errors
from .figures import live, replace

DERIVE = ""
TOP = 10
RANKING_ALT = "The table above gives the same scores, with each criterion's reason."
TIMELINE_ALT = "The phases below give the same months and methods in words."
_WIDE = {"description_width": "190px"}


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What the Plan tab shows for one profile."""

    profile: InterventionProfile
    ranking: pd.DataFrame
    plan: Plan


def profile_values(form: Mapping[str, Any], complexity: Mapping[str, str] | None) -> dict[str, Any]:
    """The profile fields from the form's values; an empty nature is left out (derived from `complexity`)."""
    values = {key: value for key, value in form.items() if not (key == "nature" and value == DERIVE)}
    if complexity is not None:
        values["complexity"] = dict(complexity)
    return values


def make_plan(collation: Collation, values: Mapping[str, Any]) -> PlanResult:
    """Rank the methods and plan for the profile in `values`; raise ProfileError naming any bad field."""
    profile = InterventionProfile.from_dict(values, source="profile")
    ranking = recommend(collation, profile)
    return PlanResult(profile, ranking, plan(collation, profile, ranking))


def ranking_html(result: PlanResult, top: int = TOP) -> str:
    """The framing, any warnings and the top of the ranking with each criterion's reason and badge."""
    return views.ranking(result.profile, result.ranking, top=top, detailed=top, framing=True, collapsible=True,
                         level=3)


def plan_html(result: PlanResult) -> str:
    """The phases of the plan: months, methods, why, and limitations to watch."""
    return views.phases(result.plan, result.ranking, level=3)


def similar_html(collation: Collation, result: PlanResult) -> str:
    """Real programmes like this intervention, when the ranking found any (nothing otherwise)."""
    return views.similar_programmes(result.ranking, collation, level=3)


def downloads_html(result: PlanResult) -> str:
    """Links that download the ranking as JSON (the `recommend --format json` object) and as CSV."""
    return views.downloads(result.profile, result.ranking)


def plan_report_link(profile: InterventionProfile) -> str:
    """Make the plan report for `profile` (the same HTML as `spreadlab report plan`) and return a link that
    downloads it; the file is made in a temporary folder, so nothing is left on the server."""
    from ..reports.batch import make_report
    from ..reports.jobs import plan_job

    job = plan_job(profile)
    with tempfile.TemporaryDirectory(prefix="spreadlab-report-") as folder:
        content = make_report(job, folder).read_text(encoding="utf-8")
    return views.report_link(content, job.file_name)


def build(collation: Collation) -> widgets.Widget:
    """The Plan tab's form and results."""
    form = {
        "name": widgets.Text(description="Intervention", placeholder="e.g. AF detection in primary care",
                             style=_WIDE, layout=widgets.Layout(width="560px")),
        "nature": _dropdown("Nature", [("Derive from self-assessment", DERIVE), *_options(NATURES)], "complicated"),
        "audience_scale": _dropdown("Audience and scale", _options(AUDIENCE_SCALES), "regional"),
        "motivators": _dropdown("What motivates the audience", _options(MOTIVATIONS), "mixed"),
        "energy_for_change": _dropdown("Energy for change", _options(LEVELS), "medium"),
        "timescale_months": widgets.IntText(value=24, description="Timescale (months)", style=_WIDE,
                                            layout=widgets.Layout(width="320px")),
        "resources": _dropdown("Resources available", _options(LEVELS), "medium"),
        "evidence": _dropdown("Evidence", _options(EVIDENCE_LEVELS), "proven"),
    }
    use_assessment = widgets.Checkbox(value=False, description="Use the 7-domain complexity self-assessment",
                                      indent=False)
    domains = {
        row.domain_id: _dropdown(row.name, _options(NATURES), "simple")
        for row in collation.nasss_domains.itertuples()
    }
    assessment = widgets.Accordion(children=[widgets.VBox([use_assessment, *domains.values()])],
                                   titles=("Complexity self-assessment (optional, NASSS domains)",),
                                   selected_index=None)
    button = widgets.Button(description="Rank and plan", button_style="primary", icon="check")
    messages = message_area()
    ranking = widgets.HTML(layout=widgets.Layout(width="100%"))
    phases = widgets.HTML(layout=widgets.Layout(width="100%"))
    downloads = widgets.HTML()
    report_button = widgets.Button(description="Make the plan report (HTML)", icon="file",
                                   layout=widgets.Layout(width="260px"))
    report_link = widgets.HTML()
    figures: dict[str, widgets.Output] = {}
    results = widgets.VBox(layout=widgets.Layout(width="100%"))
    shown: dict[str, PlanResult] = {}

    @shown_errors(messages)
    def run(button_or_change: object = None) -> None:
        complexity = {domain: control.value for domain, control in domains.items()} if use_assessment.value \
            else None
        result = make_plan(collation, profile_values({k: c.value for k, c in form.items()}, complexity))
        ranking.value = ranking_html(result)
        phases.value = plan_html(result) + similar_html(collation, result)
        downloads.value = downloads_html(result)
        report_link.value = ""
        shown["result"] = result
        results.children = [
            ranking, _show(figures, "ranking", charts.ranking_chart(result.ranking, top=TOP), RANKING_ALT),
            phases, _show(figures, "timeline", charts.plan_timeline(result.plan), TIMELINE_ALT), downloads,
            report_button, report_link,
        ]

    @shown_errors(messages)
    def make_report(button_: object = None) -> None:
        report_button.disabled = True
        report_link.value = views.note("Making the report: this takes a few seconds…")
        try:
            report_link.value = plan_report_link(shown["result"].profile)
        except Exception:
            report_link.value = ""
            raise
        finally:
            report_button.disabled = False

    def clear(change: object = None) -> None:
        results.children = []
        messages.value = ""
        shown.clear()

    button.on_click(run)
    report_button.on_click(make_report)
    for control in [*form.values(), use_assessment, *domains.values()]:
        control.observe(clear, names="value")
    return widgets.VBox([
        widgets.HTML(views.note("Describe the intervention you want to spread and its context, then press "
                                "“Rank and plan”.")),
        *form.values(), assessment, button, messages, results,
    ], layout=widgets.Layout(width="100%"))


def _show(figures: dict[str, widgets.Output], key: str, figure: go.Figure, alt: str) -> widgets.Output:
    """The live chart for `key`, made on first use and updated in place after that."""
    if key in figures:
        replace(figures[key], figure, alt)
    else:
        figures[key] = live(figure, alt)
    return figures[key]


def _options(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(label(value), value) for value in values]


def _dropdown(description: str, options: list[tuple[str, str]], value: str) -> widgets.Dropdown:
    return widgets.Dropdown(options=options, value=value, description=description, style=_WIDE,
                            layout=widgets.Layout(width="560px"))
