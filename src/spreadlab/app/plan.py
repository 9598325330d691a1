"""The Plan tab: start from an example or a saved plan, or describe the intervention; see the plan first (its phases
with what to do, then what makes it work), change it, keep it as files, then the methods ranked with reasons and the
programmes like yours. A `PlanFile` holds what is shown: the profile, the programmes left out and the plan's edits."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
from tornado.ioloop import IOLoop

from .. import charts, views
from ..collation import Collation
from ..errors import ProfileError
from ..plan_file import PlanFile
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
from .plan_edit import PlanEditor, programme_controls
from .plan_load import PlanLoader
from .plan_result import PlanResult, make_result

DERIVE = ""
NOT_KNOWN = ""
CONTEXT_QUESTIONS = "About the audience and the means of spread (optional)"
CLICK_SETTLE = 0.3  # seconds between a click on "Rank and plan" and reading the form
TOP = 10
PLAN_HEADING = "sl-plan-heading"  # the results' first heading, where the focus goes once they are shown
RANKING_ALT = "The tables above give the same chances and base rates, with the facts behind each."
TIMELINE_ALT = "The phases below give the same months and methods in words."
WORKING = "Ranking the methods and making the plan: this takes a few seconds…"
DONE = "The plan and the ranking are below."
CHANGED = "The plan is made again with your change."
LOADED = "Loaded {name}: the form holds its profile and the plan is below."
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


def profile_values(form: Mapping[str, Any], complexity: Mapping[str, str] | None) -> dict[str, Any]:
    """The profile fields from the form's values; an empty nature is left out (derived from `complexity`)."""
    values = {key: value for key, value in form.items() if not (key == "nature" and value == DERIVE)}
    if complexity is not None:
        values["complexity"] = dict(complexity)
    return values


def make_plan(collation: Collation, values: Mapping[str, Any]) -> PlanResult:
    """Rank the methods and plan for the profile in `values`; raise ProfileError naming any bad field."""
    return make_result(collation, PlanFile(InterventionProfile.from_dict(values, source="profile")))


def ranking_html(result: PlanResult, top: int = TOP) -> str:
    """The framing, any warnings and the likeliest methods, distinctive choices apart from foundations."""
    return views.ranking(result.advice, top=top, detailed=top, framing=True, collapsible=True, level=3)


def changes_html(collation: Collation, result: PlanResult) -> str:
    """The plan's heading and what the leader changed in the advice's plan."""
    return views.plan_changes(result.saved, collation, level=3)


def plan_html(collation: Collation, result: PlanResult) -> str:
    """The phases of the plan with what to do in each, then the whole plan's aim, measures and the rest."""
    return (views.phases(result.guide, collation, level=3) + views.plan_guide(result.guide, collation, level=3))


def similar_html(collation: Collation, result: PlanResult) -> str:
    """Real programmes like this intervention, with why each is alike."""
    return views.similar_programmes(result.advice, collation, level=3)


def downloads_html(collation: Collation, result: PlanResult) -> str:
    """Links that keep the plan: the plan file (YAML), the plan as Word, Excel and CSV, and the ranking."""
    return views.plan_downloads(result.saved, result.guide, collation, level=3)


def plan_report_link(saved: PlanFile) -> str:
    """Make the plan report of `saved` (the profile with the programmes left out and the plan's edits) as HTML and
    PDF (the files of `spreadlab report plan FILE --format both`) and return links that download them; the files
    are made in a temporary folder, so nothing is left on the server."""
    from ..reports.batch import make_report_files
    from ..reports.jobs import plan_job

    job = plan_job(saved)
    with tempfile.TemporaryDirectory(prefix="spreadlab-report-") as folder:
        html_file, pdf_file = make_report_files(job, folder, output_format="both")
        return views.report_link(html_file.read_text(encoding="utf-8"), html_file.name, pdf_file.read_bytes(),
                                 pdf_file.name)


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


def build(collation: Collation, *, settle: float = CLICK_SETTLE,
          open_card: Callable[[str], None] | None = None) -> widgets.Widget:
    """The Plan tab: loading, the form, and the results; a click makes the plan `settle` seconds later (at once
    when 0).

    While the plan is made the button is greyed out and a line says so; then the focus moves to the results. Each
    change to the plan (a method moved, dropped or added, a programme left out) makes it again at once. With
    `open_card` (the dashboard's), each programme like this one gets a button that opens its card."""
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
    changes = fields.table_area()
    phases = fields.table_area()
    keep = fields.table_area()
    ranking = fields.table_area()
    similar = fields.table_area()
    programmes = widgets.VBox(layout=widgets.Layout(width="100%"))
    report_button = widgets.Button(description="Make the plan report (HTML and PDF)", icon="file",
                                   layout=widgets.Layout(width="auto", max_width="100%"))
    report_link = widgets.HTML()
    figures: dict[str, widgets.Output] = {}
    results = widgets.VBox(layout=widgets.Layout(width="100%"))
    shown: dict[str, PlanResult] = {}
    kept: dict[str, PlanFile] = {}  # the last plan shown: its changes stay when the form is sent again
    tried = [False]  # problems are shown once the user has tried to send the form, then follow each change
    pending = [False]  # a click is waiting for the values typed before it
    filling = [False]  # the form is being filled from a loaded plan: its changes are not the user's

    def check() -> tuple[dict[str, Any], list[str]]:
        values, problems = read_form({key: control.value for key, control in form.items()}, use_assessment.value)
        if tried[0]:
            messages.value = "".join(views.error(problem) for problem in problems)
            for field in FORM:
                fields.mark_invalid(form[field.key], field.problem in problems)
        return values, problems

    def show(result: PlanResult, done: str) -> None:
        """Show the plan first, then the ranking and the programmes like yours."""
        changes.value = changes_html(collation, result)
        phases.value = plan_html(collation, result)
        keep.value = downloads_html(collation, result)
        ranking.value = ranking_html(result)
        similar.value = similar_html(collation, result)
        editor.show(result)
        programmes.children = programme_controls(result, collation, change, open_card)
        report_link.value = ""
        shown["result"] = result
        kept["saved"] = result.saved
        results.children = [
            changes, _show(figures, "timeline", charts.plan_timeline(result.plan), TIMELINE_ALT), editor, phases,
            keep, report_button, report_link,
            ranking, _show(figures, "ranking", charts.ranking_chart(result.advice, top=TOP), RANKING_ALT),
            similar, programmes,
        ]
        status.value = views.status(done)

    @shown_errors(messages)
    def change(step: Callable[[PlanFile], PlanFile], focus_on: str | None = None) -> None:
        if "result" in shown:
            show(make_result(collation, step(shown["result"].saved)), CHANGED)
            if focus_on is not None:  # the control that was used is gone: the focus goes where it was
                move_focus(focus, focus_on)

    editor = PlanEditor(collation, change, settle=settle)

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
        before = kept.get("saved")
        if before is not None and (before.edits or before.exclude):  # the leader's changes stay with a new profile
            result = make_result(collation, PlanFile(result.profile, before.edits, before.exclude))
        show(result, DONE)
        move_focus(focus, PLAN_HEADING, from_widget=button)

    def load(saved: PlanFile) -> None:
        result = make_result(collation, saved)
        filling[0] = True
        try:
            fill_form(form, use_assessment, domains, saved.profile)
        finally:
            filling[0] = False
        tried[0] = False
        check()
        show(result, LOADED.format(name=saved.profile.name))
        move_focus(focus, PLAN_HEADING)

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
        result = shown["result"]
        try:
            report_link.value = plan_report_link(result.saved)
        except Exception:
            report_link.value = ""
            raise
        finally:
            report_button.disabled = False

    def changed(change_: object = None) -> None:
        if pending[0] or filling[0]:  # the plan about to be made reads this value, or a loaded plan set it
            return
        results.children = []
        shown.pop("result", None)
        status.value = ""
        if not tried[0]:
            messages.value = ""
        check()

    # The nature and the self-assessment say one thing: ticking the assessment derives the nature from it (the
    # dropdown shows "Derive…"), choosing a nature in the dropdown stops using the assessment.
    def nature_chosen(change_: dict[str, Any]) -> None:
        use_assessment.value = change_["new"] == DERIVE

    def assessment_used(change_: dict[str, Any]) -> None:
        assessment.layout.display = "flex" if change_["new"] else "none"
        if change_["new"]:
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
    children: list[widgets.Widget] = [PlanLoader(collation, load, messages), widgets.HTML(views.note(
        "Or describe the intervention you want to spread and its context, then press “Rank and plan”."))]
    for field in FORM:
        if field.optional and field is next(f for f in FORM if f.optional):
            children.append(widgets.HTML(views.question_group(CONTEXT_QUESTIONS, level=3)))
        children.append(form[field.key])
        if field.key == "nature":  # what the levels mean, and the self-assessment that can derive one
            children += [widgets.HTML(views.levels(collation)), use_assessment, assessment]
    return widgets.VBox([*children, button, status, messages, focus, results], layout=widgets.Layout(width="100%"))


def fill_form(form: Mapping[str, widgets.ValueWidget], use_assessment: widgets.Checkbox,
              domains: Mapping[str, widgets.Dropdown], profile: InterventionProfile) -> None:
    """Set the form to `profile`: its fields, "Not known" for context left out, and the self-assessment ticked
    with its ratings when the nature was derived from it."""
    values = profile.to_dict()
    for field in FORM:
        if field.key == "nature" and profile.nature_derived:
            continue
        value = values.get(field.key, NOT_KNOWN if field.optional else field.default)
        form[field.key].value = value if field.options else str(value)
    if profile.nature_derived:
        use_assessment.value = True  # which shows "Derive…" as the nature
        for domain, rating in profile.complexity or ():
            domains[domain].value = rating
    else:
        use_assessment.value = False
        form["nature"].value = profile.nature


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
