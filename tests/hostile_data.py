"""A copy of the data folder whose names carry markup, as an edited `--data` folder could: a link in a method's
name, an approach's and a case example's."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

import spreadlab
from spreadlab import charts

LINK = '<a href="https://evil.example/">'
NAMES = {  # file in the data folder -> (name as shipped, name as edited)
    "approaches/3-piloting-rolling-out.yaml": ("Demonstrator sites", f"{LINK}Demonstrator</a> sites & more"),
    "approaches/2-networking.yaml": ("Networking, peer learning and collaboration", f"{LINK}Networking</a> & <b>peers"),
    "case_examples/atrial-fibrillation.yaml": ("Atrial Fibrillation programme", f"{LINK}AF</a> programme"),
}


def marked_up_collation(data_copy: Path) -> spreadlab.Collation:
    """The collation of `data_copy` once its names carry links."""
    for name, (shipped, edited) in NAMES.items():
        path = data_copy / name
        text = path.read_text(encoding="utf-8")
        assert f"name: {shipped}\n" in text, f"{name} no longer holds {shipped!r}"
        path.write_text(text.replace(f"name: {shipped}\n", f"name: '{edited}'\n", 1), encoding="utf-8")
    return spreadlab.load(data_copy)


def every_chart(collation: spreadlab.Collation, profile: spreadlab.InterventionProfile) -> dict[str, go.Figure]:
    """Each chart spreadlab draws with plotly, on `collation`."""
    return {
        "approach map": charts.approach_map(collation),
        "considerations": charts.considerations_heatmap(collation),
        "sunburst": charts.sunburst(collation),
        "compare": charts.compare_chart(collation, ["demonstrator-sites", "networking"]),
        "case timeline": charts.case_timeline(collation, "atrial-fibrillation"),
        "plan timeline": charts.plan_timeline(spreadlab.plan(collation, profile)),
        "ranking": charts.ranking_chart(spreadlab.recommend(collation, profile)),
    }
