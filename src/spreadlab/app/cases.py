"""The Case examples tab: each programme's aim, figures and phases, with the methods it used on a timeline."""

from __future__ import annotations

import ipywidgets as widgets

from .. import charts
from ..collation import Collation
from . import fields, html
from .figures import live


def case_html(collation: Collation, case_id: str) -> str:
    """A case example's summary: lead, aim, period, key figures, phases and where the collation mentions it."""
    case = collation.case_examples.set_index("case_id").loc[case_id]
    methods = collation.methods.set_index("method_id")["name"]
    parts = [
        f'<div class="sl-case" data-case="{html.text(case_id)}">',
        f"<h3>{html.text(case['name'])} {html.badge(case['provenance'])}</h3>",
        f"<p><b>Led by:</b> {html.text(case['lead'])} · <b>Period:</b> {html.text(case['period_start'])} to "
        f"{html.text(case['period_end'])}</p>",
        f"<p><b>Aim:</b> {html.text(case['aim'])}</p>",
    ]
    if isinstance(case["rationale"], str):
        parts.append(f"<p><small>{html.text(case['rationale'])}</small></p>")
    phases = collation.case_phases[collation.case_phases["case_id"] == case_id]
    used = collation.case_phase_methods[collation.case_phase_methods["case_id"] == case_id]
    rows = []
    for phase in phases.itertuples():
        names = [methods[m] for m in used.loc[used["phase_order"] == phase.order, "method_id"]]
        rows.append(f"<tr><td>{phase.order}. {html.text(phase.name)}</td><td>{phase.start_month} to "
                    f"{phase.end_month}</td><td>{'<br>'.join(html.text(n) for n in names)}</td>"
                    f"<td>{html.text(phase.description)}</td><td>{html.badge(phase.provenance)}</td></tr>")
    parts.append('<table class="sl-table"><thead><tr><th>Phase</th><th>When</th><th>Methods used</th>'
                 f"<th>What happened</th><th>From</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    figures = collation.case_figures[collation.case_figures["case_id"] == case_id]
    if not figures.empty:
        parts.append("<h4>Key figures</h4><ul>")
        for figure in figures.itertuples():
            caveat = f" <i>({html.text(figure.caveat)})</i>" if isinstance(figure.caveat, str) else ""
            parts.append(f"<li>{html.text(figure.label)}: <b>{html.text(figure.value)}</b>{caveat} "
                         f'{html.badge(figure.provenance)} <a href="{html.text(figure.source_url)}" '
                         'target="_blank" rel="noopener">source</a></li>')
        parts.append("</ul>")
    mentions = collation.case_mentions[collation.case_mentions["case_id"] == case_id]
    for mention in mentions.itertuples():
        parts.append(f"<p>{html.text(mention.text)} ({html.text(methods[mention.method_id])}) "
                     f"{html.badge(mention.provenance)}</p>")
    parts.append("</div>")
    return "".join(parts)


def build(collation: Collation) -> widgets.Widget:
    """Both case examples, one after the other, each with its timeline chart."""
    children: list[widgets.Widget] = [widgets.HTML(
        "<p>How two national programmes combined methods over time. Each chart row is a method the programme "
        "used, under its approach.</p>")]
    for case_id in collation.case_examples["case_id"]:
        children += [fields.table_area(case_html(collation, case_id)),
                     live(charts.case_timeline(collation, case_id))]
    return widgets.VBox(children, layout=widgets.Layout(width="100%"))
