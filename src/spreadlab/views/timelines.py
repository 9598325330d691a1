"""Timelines as small static SVG (no browser, no plotly.js): a plan's phases over its months, the methods a case
example used in each of its phases, every plan of a batch over the months, and bars of how many plans use each
approach (drawn in the same style, a bar from 0 to the count). Each comes with a text alternative that says the
same in words.

Static SVG rather than plotly: a report with plotly.js inlined weighed about 4.9 MB, and kaleido starts Chromium
(about 1.7 s per image); these render in milliseconds, print sharply and work offline.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from ..collation import Collation
from ..planning import Plan
from ..vocabulary import PLAN_STAGES, label
from ._env import render
from .messages import CHART_MIN_WIDTH

if TYPE_CHECKING:
    from ..casebook import Card

WIDTH, LABEL_WIDTH, TOP, LINE = 760, 300, 34, 15
LEGEND_LINE = 18
TITLE_LINE, TITLE_WIDTH = 18, 80  # a title's lines: 80 characters of 15 px bold text fit the chart's 760 px
PORTFOLIO_LABEL = 42  # characters of a plan's label on the portfolio timeline: one line per plan
COUNT_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)
# NHS colours dark enough for white text on them (each at least 4.5:1).
BAR_COLOURS = ("#005EB8", "#006747", "#7C2855", "#330072", "#8A1538", "#425563", "#AE2573", "#003087")
BAR_NAMES = ("blue", "green", "plum", "purple", "burgundy", "grey", "pink", "dark blue")  # the colours in words


@dataclass(frozen=True, slots=True)
class _Row:
    lines: list[str]
    sub: tuple[str, ...] = ()


def plan_timeline(plan: Plan, *, chart_id: str = "sl-plan-timeline") -> str:
    """The plan's phases over the months available, one row per phase."""
    months = plan.profile.timescale_months
    rows = [_Row(_wrap(f"{p.order}. {p.name}", 40)) for p in plan.phases]
    bars = [(i, p.start_month - 1, p.end_month, f"months {p.start_month}–{p.end_month}",
             f"{p.name}: months {p.start_month} to {p.end_month}; " + "; ".join(p.methods))
            for i, p in enumerate(plan.phases)]
    alt = " ".join(f"Phase {p.order}, {p.name}: {_months(p.start_month, p.end_month)}, with "
                   f"{'; '.join(p.methods)}." for p in plan.phases)
    return _timeline(chart_id, f"Plan over {months} months", rows, bars, months, "Month", alt,
                     colours=range(len(rows)))


def case_timeline(collation: Collation, case_id: str, *, chart_id: str | None = None) -> str:
    """A case example's phases over time: one row per method it used (with its approach), one colour per phase."""
    phases = collation.case_phases[collation.case_phases["case_id"] == case_id]
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    methods = collation.methods.set_index("method_id")
    approaches = collation.approaches.set_index("approach_id")["name"]
    order = [m for m in collation.methods["method_id"] if m in set(used["method_id"])]
    start = phases["start_month"].min()
    span = (phases["end_month"].max() - start).n + 1
    rows = [_Row(_wrap(methods.loc[m, "name"], 40), tuple(_wrap(approaches[methods.loc[m, "approach_id"]], 44)))
            for m in order]
    bars, alt = [], []
    for i, phase in enumerate(phases.itertuples()):
        ids = list(used.loc[used["phase_order"] == phase.order, "method_id"])
        first, last = (phase.start_month - start).n, (phase.end_month - start).n + 1
        bars += [(order.index(m), first, last, f"phase {phase.order}",
                  f"Phase {phase.order}, {phase.name} ({phase.start} to {phase.end}): {methods.loc[m, 'name']}", i)
                 for m in ids]
        alt.append(f"Phase {phase.order}, {phase.name}, {phase.start} to {phase.end}: "
                   f"{'; '.join(methods.loc[m, 'name'] for m in ids)}.")
    name = collation.case_examples.set_index("case_id").loc[case_id, "name"]
    ticks = [(n, str((start + n).year)) for n in range(span) if (start + n).month == 1]
    return _timeline(chart_id or f"sl-case-timeline-{case_id}", f"{name}: phases and the methods used", rows,
                     [bar[:5] for bar in bars], span, "Time", " ".join(alt), colours=[bar[5] for bar in bars],
                     ticks=ticks or [(0, str(start.year))])


def stage_timeline(card: Card, *, chart_id: str | None = None) -> str:
    """A programme's methods by stage of its life: one row per method (with its approach), a bar in each stage it
    was used in, labelled with the period when it fits; the stages are the plan's (prepare, test, spread, sustain)."""
    order = list(dict.fromkeys(use.method_id for use in card.methods))
    first = {use.method_id: use for use in card.methods}
    rows = [_Row(_wrap(first[m].method, 40), tuple(_wrap(first[m].approach, 44))) for m in order]
    bars, alt = [], []
    for use in card.methods:
        stage = PLAN_STAGES.index(use.stage)
        bars.append((order.index(use.method_id), stage, stage + 1, use.period or "",
                     f"{use.method}: {label(use.stage)}{f', {use.period}' if use.period else ''}"))
    for stage_id in PLAN_STAGES:
        used = [use for use in card.methods if use.stage == stage_id]
        if used:
            alt.append(f"{label(stage_id)}: " + "; ".join(
                f"{use.method}{f' ({use.period})' if use.period else ''}" for use in used) + ".")
    return _timeline(chart_id or f"sl-stages-{card.programme_id}", f"{card.name}: methods used by stage", rows,
                     bars, len(PLAN_STAGES), "Stage of the programme", " ".join(alt),
                     colours=[PLAN_STAGES.index(use.stage) for use in card.methods],
                     ticks=[(n, "") for n in range(len(PLAN_STAGES) + 1)],
                     columns=[(n + 0.5, label(stage)) for n, stage in enumerate(PLAN_STAGES)])


def usage_chart(chart_id: str, title: str, items: Sequence[tuple[str, int]], *, axis: str = "Plans") -> str:
    """Bars of how many plans use each item (its name, the count), in the order given."""
    span = max((count for _, count in items), default=0) or 1
    step = next(s for s in COUNT_STEPS if span / s <= 10)
    rows = [_Row(_wrap(name, 40)) for name, _ in items]
    bars = [(i, 0, count, str(count), f"{name}: {_plans(count)}") for i, (name, count) in enumerate(items)]
    alt = "; ".join(f"{name}: {_plans(count)}" for name, count in items) + "."
    return _timeline(chart_id, title, rows, bars, span, axis, alt, colours=[0] * len(bars),
                     ticks=[(n, str(n)) for n in range(0, span + 1, step)], count_labels=True)


def portfolio_timeline(planned: Sequence[Any], months: int, phase_names: Sequence[str], *, table: str,
                       chart_id: str = "sl-portfolio-timeline") -> str:
    """Every plan on one timeline: one line per plan (objects with `row`, `name` and a `plan` digest with its
    `phases`), its phases over the months, one colour per phase name; the table called `table` gives each
    plan in words. Scrolls inside its own region, so a thousand plans keep the page short."""
    colour = {name: i for i, name in enumerate(phase_names)}
    rows = [_Row([_cut(f"Row {item.row}: {item.name}", PORTFOLIO_LABEL)]) for item in planned]
    bars = [(i, phase.start_month - 1, phase.end_month, str(phase.order), None)
            for i, item in enumerate(planned) for phase in item.plan.phases]
    colours = [colour[phase.name] for item in planned for phase in item.plan.phases]
    legend = [(colour[name], name) for name in phase_names]
    alt = (f"{_plans(len(planned))} over up to {months} months, one line each; phases coloured "
           + "; ".join(f"{BAR_NAMES[colour[name] % len(BAR_NAMES)]} for {name}" for name in phase_names)
           + f". Each plan's phases and months are in words in the column Phases (months) of the {table}.")
    return _timeline(chart_id, f"All plans over months 1 to {months}", rows, bars, months, "Month", alt,
                     colours=colours, legend=legend, tall=True)


def _timeline(chart_id, title, rows, bars, span, axis, alt, *, colours, ticks=None, legend=(), tall=False,
              count_labels=False, columns=()) -> str:
    """The chart: `rows` down the side, `bars` (row, first, last, text, hover or None) across `span` units.
    `legend` (colour, words) sits under the title; a `tall` chart has its axis on top and scrolls downwards too;
    with `count_labels` a bar's text that does not fit inside it is written after it; `columns` (position, words)
    name stretches of the axis, wrapped under it, instead of tick values."""
    title_lines = _wrap(title, TITLE_WIDTH)
    under_title = TOP + TITLE_LINE * (len(title_lines) - 1)
    top = under_title + LEGEND_LINE * len(legend) + (18 if tall else 0)
    heights = [(len(row.lines) + len(row.sub)) * LINE + 14 for row in rows]
    tops = [top + offset for offset in accumulate(heights, initial=0)][:len(rows)]
    bottom = top + sum(heights)
    scale = (WIDTH - LABEL_WIDTH - (40 if count_labels else 10)) / max(span, 1)  # room for a count after a bar
    x = lambda month: round(LABEL_WIDTH + month * scale, 1)  # noqa: E731 - a tiny local helper
    if ticks is None:
        step = next(s for s in (1, 2, 3, 6, 12, 24) if span / s <= 12)
        ticks = [(m, str(m)) for m in range(0, span + 1, step)]
    shapes = []
    for (row, first, last, text, hover), colour in zip(bars, colours, strict=True):
        width = round((last - first) * scale, 1)
        inside = width >= 7 * len(text) + 12
        shapes.append({"x": x(first), "w": width, "y": tops[row] + 4, "h": heights[row] - 8,
                       "colour": BAR_COLOURS[colour % len(BAR_COLOURS)], "title": hover,
                       "text": text if inside or count_labels else "", "inside": inside})
    named = [{"x": x(m), "lines": _wrap(words, max(8, int(scale / 7)))} for m, words in columns]
    below = LINE * max((len(column["lines"]) for column in named), default=0)  # the columns' names under the axis
    return render("timeline.svg.j2", id=chart_id, title=title, title_lines=title_lines, alt=alt, width=WIDTH,
                  min_width=CHART_MIN_WIDTH,
                  height=bottom + (16 if tall else 44) + below, top=top, bottom=bottom, left=LABEL_WIDTH, axis=axis,
                  axis_y=bottom + 34 + below, ticks=[{"x": x(m), "text": t} for m, t in ticks], tall=tall,
                  columns=named,
                  legend=[{"y": under_title + LEGEND_LINE * i, "colour": BAR_COLOURS[c % len(BAR_COLOURS)],
                           "text": words} for i, (c, words) in enumerate(legend)],
                  rows=[{"y": top + LINE + 2, "lines": row.lines, "sub": row.sub} for row, top in zip(rows, tops,
                                                                                                     strict=True)],
                  bars=shapes, caption="The chart in words:")


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _months(start: int, end: int) -> str:
    return f"month {start}" if start == end else f"months {start} to {end}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _plans(count: int) -> str:
    return f"{count} plan" if count == 1 else f"{count} plans"
