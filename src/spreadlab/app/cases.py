"""The Case examples tab: each programme's aim, figures and phases, with the methods it used on a timeline."""

from __future__ import annotations

import ipywidgets as widgets

from .. import charts, views
from ..collation import Collation
from . import fields
from .figures import live

CHART_ALT = "The phases above list the same methods and dates in words."


def case_html(collation: Collation, case_id: str) -> str:
    """A case example's summary (lead, aim, period, key figures, where the collation mentions it) and phases."""
    return views.case_summary(collation, case_id) + views.case_phases(collation, case_id, level=4, named=True)


def build(collation: Collation) -> widgets.Widget:
    """Both case examples, one after the other, each with its timeline chart."""
    children: list[widgets.Widget] = [widgets.HTML(views.note(
        "How two national programmes combined methods over time. Each chart row is a method the programme "
        "used, under its approach."))]
    for case_id in collation.case_examples["case_id"]:
        children += [fields.table_area(case_html(collation, case_id)),
                     live(charts.case_timeline(collation, case_id), CHART_ALT)]
    return widgets.VBox(children, layout=widgets.Layout(width="100%"))
