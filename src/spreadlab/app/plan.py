"""The Plan tab: describe the intervention, then see the methods ranked with reasons and a phased plan."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
from tornado.ioloop import IOLoop

from .. import charts, views
from ..advice import Advice, recommend
from ..collation import Collation
from ..errors import ProfileError
from ..plan_guide import PlanGuide, guide
from ..planning import Plan, plan
from ..profile import (
    CHOICES,
    CONTEXT_FIELDS,
    FIELD_QUESTIONS,
    NAME_MAX,
    TIMESCALE_RANGE,
    InterventionProfile,
    derive_nature,
)
from ..vocabulary import label
from . import fields
from .feedback import message_area, shown_errors
from .figures import live, replace
from .focus import focus_area, move_focus

DERIVE = ""
NOT_KNOWN = ""
CONTEXT_QUESTIONS = "About the audience and the means of spread (optional)"
CLICK_SETTLE = 0.3  # seconds between a click on "Rank and plan" and reading the form
TOP = 10
RANKING_HEADING = "sl-ranking-heading"  # the results' first heading, where the focus goes once they are shown
RANKING_ALT = "The tables above give the same chances and base rates, with the facts behind each."
TIMELINE_ALT = "The phases above give the same months and methods in words."
WORKING = "Ranking the methods and making the plan: this takes a few seconds…"
DONE = "The ranking and the plan are below."
ASSESSMENT_INTRO = (
    "NASSS (non-adoption, abandonment, scale-up, spread and sustainability) is a framework from research on why "
    "health technologies are taken up, or abandoned, as they spread. Rate each of its seven domains as simple, "
    "complicated or complex for your intervention; the nature these ratings give is shown under them.")


def _options(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((label(value), value) for value in values)


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of the profile form; a new profile field is one more entry in FORM.

    Attributes:
        key: the profile field it fills.
        label: the question as the form asks it.
        options: (label, value) pairs to choose from; empty for a typed answer.
        default: the answer shown at first.
        placeholder: an example shown in an empty box.
        bounds: for a typed whole number, the lowest and highest allowed.
        problem: what the form says when the answer cannot be sent, in the form's words.
        optional: a choice that may be left as "Not known", and is then left out of the profile.
    """

    key: str
    label: str
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""
    placeholder: str = ""
    bounds: tuple[int, int] | None = None
    problem: str = ""
    optional: bool = False


def _choice(key: str, default: str) -> FormField:
    return FormField(key, FIELD_QUESTIONS[key], _options(CHOICES[key]), default)


def _context(key: str) -> FormField:
    return FormField(key, FIELD_QUESTIONS[key], (("Not known", NOT_KNOWN), *_options(CHOICES[key])), NOT_KNOWN,
                     optional=True)


FORM = (
    FormField("name", "Intervention", placeholder="e.g. AF detection in primary care",
              problem=f"Give the intervention a name (up to {NAME_MAX} characters)."),
    FormField("nature", FIELD_QUESTIONS["nature"],
              (("Derive from the complexity self-assessment", DERIVE), *_options(CHOICES["nature"])), "complicated",
              problem="Choose the nature of the intervention, or tick “Use the complexity self-assessment” to "
                      "derive it."),
    _choice("audience_scale", "regional"),
    _choice("motivators", "mixed"),
    _choice("energy_for_change", "medium"),
    FormField("timescale_months", FIELD_QUESTIONS["timescale_months"], default="24", bounds=TIMESCALE_RANGE,
              problem=f"Give the timescale as a whole number of months from {TIMESCALE_RANGE[0]} to "
                      f"{TIMESCALE_RANGE[1]}."),
    _choice("resources", "medium"),
    _choice("evidence", "proven"),
    *(_context(key) for key in CONTEXT_FIELDS),
)


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What the Plan tab shows for one profile: the advice, the plan and everything it needs."""

    profile: InterventionProfile
    advice: Advice
    plan: Plan
    guide: PlanGuide


def profile_values(form: Mapping[str, Any], complexity: Mapping[str, str] | None) -> dict[str, Any]:
    """The profile fields from the form's values; an empty nature is left out (derived from `complexity`)."""
    values = {key: value for key, value in form.items() if not (key == "nature" and value == DERIVE)}
    if complexity is not None:
        values["complexity"] = dict(complexity)
    return values


def make_plan(collation: Collation, values: Mapping[str, Any]) -> PlanResult:
    """Rank the methods and plan for the profile in `values`; raise ProfileError naming any bad field."""
    profile = InterventionProfile.from_dict(values, source="profile")
    advice = recommend(collation, profile)
    the_plan = plan(collation, profile, advice)
    return PlanResult(profile, advice, the_plan, guide(collation, the_plan))


def ranking_html(result: PlanResult, top: int = TOP) -> str:
    """The framing, any warnings and the likeliest methods, distinctive choices apart from foundations."""
    return views.ranking(result.advice, top=top, detailed=top, framing=True, collapsible=True, level=3)


def plan_html(collation: Collation, result: PlanResult) -> str:
    """The phases of the plan with what to do in each, then the whole plan's aim, measures and the rest."""
    return (views.phases(result.guide, collation, level=3) + views.plan_guide(result.guide, collation, level=3))


def similar_html(collation: Collation, result: PlanResult) -> str:
    """Real programmes like this intervention, with why each is alike."""
    return views.similar_programmes(result.advice, collation, level=3)


def downloads_html(result: PlanResult) -> str:
    """Links that download the advice as JSON (the `recommend --format json` object) and the ranking as CSV."""
    return views.downloads(result.advice)


def plan_report_link(profile: InterventionProfile) -> str:
    """Make the plan report for `profile` (the same HTML as `spreadlab report plan`) and return a link that
    downloads it; the file is made in a temporary folder, so nothing is left on the server."""
    from ..reports.batch import make_report
    from ..reports.jobs import plan_job

    job = plan_job(profile)
    with tempfile.TemporaryDirectory(prefix="spreadlab-report-") as folder:
        content = make_report(job, folder).read_text(encoding="utf-8")
    return views.report_link(content, job.file_name)


def read_form(typed: Mapping[str, str], use_assessment: bool) -> tuple[dict[str, Any], list[str]]:
    """The profile fields from what the form holds (each control's value by field key), and what stops the form
    being sent, in the form's own words; the form is sent only when that list is empty."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for field in FORM:
        value = _read(field, typed[field.key])
        if field.optional and value == NOT_KNOWN:
            continue
        if value is None or (field.key == "nature" and value == DERIVE and not use_assessment):
            problems.append(field.problem)
        else:
            values[field.key] = value
    return values, problems


def card_buttons(result: PlanResult, open_card: Callable[[str], None]) -> list[widgets.Widget]:
    """A button per programme like this one that opens its card in the Casebook tab, after a line saying so."""
    if not result.advice.closest:
        return []
    buttons: list[widgets.Widget] = [widgets.HTML(views.note("Open a programme's card in the Casebook tab:"))]
    for programme in result.advice.closest:
        button = widgets.Button(description=f"Card of {programme.name}", icon="folder-open",
                                tooltip=f"Open the card of {programme.name} in the Casebook tab",
                                layout=widgets.Layout(width="auto", max_width="100%", height="auto"))
        button.add_class("sl-card-link")
        button.on_click(lambda _, ident=programme.programme_id: open_card(ident))
        buttons.append(button)
    return buttons


def build(collation: Collation, *, settle: float = CLICK_SETTLE,
          open_card: Callable[[str], None] | None = None) -> widgets.Widget:
    """The Plan tab's form and results; a click makes the plan `settle` seconds later (at once when 0).

    While the plan is made the button is greyed out and a line says so; then the focus moves to the results.
    With `open_card` (the dashboard's), each programme like this one gets a button that opens its card."""
    form: dict[str, widgets.ValueWidget] = {
        field.key: fields.dropdown(field.label, field.options, field.default) if field.options
        else fields.text(field.label, field.placeholder, field.default)
        for field in FORM
    }
    use_assessment = fields.checkbox("Use the complexity self-assessment (optional): rate the seven NASSS domains "
                                     "to derive the nature")
    domains = {
        row.domain_id: fields.dropdown(row.name, _options(CHOICES["nature"]), "simple")
        for row in collation.nasss_domains.sort_values("order").itertuples()
    }
    domain_help = {row.domain_id: widgets.HTML(views.domain_help(row))
                   for row in collation.nasss_domains.itertuples()}
    # A checkbox rather than an Accordion: an Accordion's header cannot be reached with the Tab key.
    derived = widgets.HTML()
    assessment = widgets.VBox(
        [widgets.HTML(views.note(ASSESSMENT_INTRO)),
         *(item for domain in domains for item in (domains[domain], domain_help[domain])), derived],
        layout=widgets.Layout(width="100%", display="none"))

    def show_derived(change: object = None) -> None:
        nature = derive_nature(tuple((domain, control.value) for domain, control in domains.items()))
        derived.value = views.derived_nature(nature)
    button = widgets.Button(description="Rank and plan", button_style="primary", icon="check")
    messages = message_area()
    status = widgets.HTML(layout=widgets.Layout(width="100%"))
    focus = focus_area()
    ranking = fields.table_area()
    phases = fields.table_area()
    similar = fields.table_area()
    cards = widgets.Box(layout=widgets.Layout(width="100%"))
    cards.add_class("sl-card-links")
    downloads = widgets.HTML()
    report_button = widgets.Button(description="Make the plan report (HTML)", icon="file",
                                   layout=widgets.Layout(width="auto", max_width="100%"))
    report_link = widgets.HTML()
    figures: dict[str, widgets.Output] = {}
    results = widgets.VBox(layout=widgets.Layout(width="100%"))
    shown: dict[str, PlanResult] = {}
    tried = [False]  # problems are shown once the user has tried to send the form, then follow each change
    pending = [False]  # a click is waiting for the values typed before it

    def check() -> tuple[dict[str, Any], list[str]]:
        values, problems = read_form({key: control.value for key, control in form.items()}, use_assessment.value)
        if tried[0]:
            messages.value = "".join(views.error(problem) for problem in problems)
            for field in FORM:
                fields.mark_invalid(form[field.key], field.problem in problems)
        return values, problems

    @shown_errors(messages)
    def send(values: dict[str, Any]) -> None:
        complexity = {domain: control.value for domain, control in domains.items()} if use_assessment.value \
            else None
        try:
            result = make_plan(collation, profile_values(values, complexity))
        except ProfileError as error:  # the form's checks should leave none; if any come, say them in its words
            said = {field.key: field.problem for field in FORM if field.problem}
            if not error.problems or any(problem.field not in said for problem in error.problems):
                raise
            raise ProfileError("\n".join(said[problem.field] for problem in error.problems),
                               problems=error.problems) from None
        ranking.value = ranking_html(result)
        phases.value = plan_html(collation, result)
        similar.value = similar_html(collation, result)
        cards.children = card_buttons(result, open_card) if open_card is not None else []
        downloads.value = downloads_html(result)
        report_link.value = ""
        shown["result"] = result
        results.children = [
            ranking, _show(figures, "ranking", charts.ranking_chart(result.advice, top=TOP), RANKING_ALT),
            phases, _show(figures, "timeline", charts.plan_timeline(result.plan), TIMELINE_ALT), similar, cards,
            downloads, report_button, report_link,
        ]
        status.value = views.status(DONE)
        move_focus(focus, RANKING_HEADING, from_widget=button)

    def run() -> None:
        pending[0] = False
        tried[0] = True
        try:
            values, problems = check()
            if not problems:
                send(values)
        finally:
            button.disabled = False
            if not shown:
                status.value = ""

    def pressed(button_: object = None) -> None:
        # ipywidgets sends a click at once but holds back value updates while the kernel is busy, so a click can
        # arrive before the last things typed; the plan is made once those have had time to arrive.
        button.disabled = True
        status.value = views.status(WORKING)
        if settle <= 0:
            run()
        elif not pending[0]:
            pending[0] = True
            IOLoop.current().call_later(settle, run)

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

    def changed(change: object = None) -> None:
        if pending[0]:  # the plan about to be made reads this value
            return
        results.children = []
        shown.clear()
        status.value = ""
        if not tried[0]:
            messages.value = ""
        check()

    # The nature and the self-assessment say one thing: ticking the assessment derives the nature from it (the
    # dropdown shows "Derive…"), choosing a nature in the dropdown stops using the assessment.
    def nature_chosen(change: dict[str, Any]) -> None:
        use_assessment.value = change["new"] == DERIVE

    def assessment_used(change: dict[str, Any]) -> None:
        assessment.layout.display = "flex" if change["new"] else "none"
        if change["new"]:
            form["nature"].value = DERIVE

    button.on_click(pressed)
    use_assessment.observe(assessment_used, names="value")
    show_derived()
    for control in domains.values():
        control.observe(show_derived, names="value")
    report_button.on_click(make_report)
    form["nature"].observe(nature_chosen, names="value")
    for control in [*form.values(), use_assessment, *domains.values()]:
        control.observe(changed, names="value")
    children: list[widgets.Widget] = [widgets.HTML(views.note(
        "Describe the intervention you want to spread and its context, then press “Rank and plan”."))]
    for field in FORM:
        if field.optional and field is next(f for f in FORM if f.optional):
            children.append(widgets.HTML(views.question_group(CONTEXT_QUESTIONS, level=3)))
        children.append(form[field.key])
        if field.key == "nature":  # what the levels mean, and the self-assessment that can derive one
            children += [widgets.HTML(views.levels(collation)), use_assessment, assessment]
    return widgets.VBox([*children, button, status, messages, focus, results], layout=widgets.Layout(width="100%"))


def _read(field: FormField, raw: object) -> object | None:
    """The value of one field as the profile takes it, or None when the form cannot send it."""
    if field.options:
        return raw
    text = " ".join(str(raw).split())
    if field.bounds is not None:
        low, high = field.bounds
        return int(text) if text.isascii() and text.isdigit() and low <= int(text) <= high else None
    return text if 0 < len(text) <= NAME_MAX else None


def _show(figures: dict[str, widgets.Output], key: str, figure: go.Figure, alt: str) -> widgets.Output:
    """The live chart for `key`, made on first use and updated in place after that."""
    if key in figures:
        replace(figures[key], figure, alt)
    else:
        figures[key] = live(figure, alt)
    return figures[key]
