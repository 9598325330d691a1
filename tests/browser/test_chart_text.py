"""Names from an edited data folder drawn by plotly.js in Chromium: a link in a method's, an approach's or a case
example's name is shown as its text, never drawn as a link (issue 23). The charts are drawn in a page of their
own with the plotly.js the dashboard serves, without a server: what is tested is plotly reading the labels."""

from __future__ import annotations

import json

import pytest

import spreadlab
from hostile_data import every_chart, marked_up_collation
from spreadlab import plotly_asset
from spreadlab.app.figures import bundle

pytestmark = pytest.mark.browser


def test_a_link_in_the_datas_names_is_drawn_as_text_in_every_chart(browser, data_copy, profile_values):
    collation = marked_up_collation(data_copy)
    figures = every_chart(collation, spreadlab.InterventionProfile.from_dict(profile_values))
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    try:
        page.set_content("".join(f'<div id="chart-{number}" style="width: 1200px"></div>'
                                 for number in range(len(figures))))
        page.add_script_tag(path=str(plotly_asset.plotly_js()))
        for number, figure in enumerate(figures.values()):
            page.evaluate("([id, figure]) => Plotly.newPlot(id, figure.data, figure.layout)",
                          [f"chart-{number}", json.loads(figure.to_json())])
        drawn = page.evaluate("""() => Array.from(document.querySelectorAll('[id^="chart-"]')).map(chart => ({
            links: chart.querySelectorAll('svg a').length, text: chart.querySelector('svg').textContent}))""")
    finally:
        page.close()
    for name, chart in zip(figures, drawn, strict=True):
        assert chart["links"] == 0, f"the {name} chart draws a link"
    shown = " ".join(chart["text"] for chart in drawn)
    assert '<a href="https://evil.example/">Demonstrator</a> sites & more' in shown
    assert "evil.example" in drawn[list(figures).index("case timeline")]["text"]
    caption = bundle(figures["case timeline"])["text/html"]
    # The title above the chart: the name as text, escaped once by the page (never "&amp;lt;a" on screen).
    assert "<strong>&lt;a href=&#34;https://evil.example/&#34;&gt;AF&lt;/a&gt; programme" in caption
