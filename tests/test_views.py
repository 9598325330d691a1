"""The one view layer: badges drawn from provenance data, colours at WCAG AA contrast, every value escaped, views
that show advice and plans in words, the programmes like yours, and SVG timelines that say what they show."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spreadlab
from spreadlab import views
from spreadlab.views import timelines
from spreadlab.views._env import TEMPLATES

SCRIPT = "<script>alert(1)</script>"
SOURCE = Path(spreadlab.__file__).parent


@pytest.fixture(scope="module")
def result(collation, profile_values):
    profile = spreadlab.InterventionProfile.from_dict(profile_values | {"name": f"AF {SCRIPT} & co"})
    advice = spreadlab.recommend(collation, profile)
    return profile, advice, spreadlab.plan(collation, profile, advice)


@pytest.mark.parametrize(("provenance", "words"), [
    ("collation", "Collation"), ("collation-summary", "Collation (summary)"), ("curated", "Curated")])
def test_a_badge_says_where_a_value_comes_from_in_the_vocabularys_words(provenance, words):
    badge = views.badge(provenance)
    assert f'data-provenance="{provenance}"' in badge and f"sl-badge-{provenance}" in badge
    assert badge.endswith(f">{words}</span>") and words == spreadlab.vocabulary.label(provenance)


def test_a_missing_provenance_draws_no_badge_and_an_unknown_one_is_not_styled_as_known():
    assert views.badge(None) == "" and views.badge(float("nan")) == ""
    assert "sl-badge-unknown" in views.badge(SCRIPT) and "<script>" not in views.badge(SCRIPT)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_check_can_fail():
    assert contrast("#FFFFFF", "#ED8B00") < 4.5  # the old white-on-orange "Curated" badge: 2.5:1


def test_badges_and_boxes_have_at_least_4_5_to_1_contrast():
    css = (TEMPLATES / "spreadlab.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"(\.sl-(?:badge-[\w-]+|error|note|warning)) \{([^}]*)\}", css))
    assert {".sl-badge-collation", ".sl-badge-collation-summary", ".sl-badge-curated", ".sl-error"} <= set(rules)
    for selector, body in rules.items():
        background = re.search(r"background: (?:var\(--[\w-]+, )?(#[0-9A-Fa-f]{6})", body).group(1)
        colour = re.search(r"(?<![-\w])color: (?:var\(--[\w-]+, )?(#[0-9A-Fa-f]{6})", body)
        ink = colour.group(1) if colour else "#212B32"
        assert contrast(ink, background) >= 4.5, (selector, ink, background)


def test_chart_colours_have_at_least_4_5_to_1_contrast():
    assert all(contrast("#FFFFFF", colour) >= 4.5 for colour in timelines.BAR_COLOURS)
    svg = (TEMPLATES / "timeline.svg.j2").read_text(encoding="utf-8")
    assert all(contrast(fill, "#FFFFFF") >= 4.5 for fill in set(re.findall(r'fill="(#[0-9A-F]{6})"', svg))
               if fill != "#FFFFFF")


def test_what_a_user_typed_is_escaped_in_every_plan_view(collation, result):
    profile, advice, plan = result
    guide = spreadlab.guide(collation, plan)
    pages = [views.profile_summary(plan), views.ranking(advice), views.phases(guide, collation),
             views.report_title("Plan", profile.name), views.downloads(advice), views.plan_timeline(plan),
             views.how_ranked(collation, advice), views.plan_guide(guide, collation),
             views.at_a_glance(guide, collation)]
    for page in pages:
        assert "<script>" not in page
    assert "AF &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in pages[1] + pages[3]


def test_the_ranking_shows_distinctive_choices_apart_from_foundations_one_line_each(collation, result):
    _, advice, _ = result
    page = views.ranking(advice, detailed=3, collapsible=True)
    tables = dict(re.findall(r'data-standing="(\w+)">(.*?)</table>', page, re.S))
    for method in advice.methods:
        assert f'<tr data-id="{method.method_id}">' in tables[method.standing]
    assert page.count("<details") == 3
    first = page.split(f'<details class="sl-item" data-id="{advice.methods[0].method_id}">')[1].split("</details>")[0]
    assert "programmes most like yours" in first


@dataclass(frozen=True)
class _Programme:
    programme_id: str
    name: str

    def to_dict(self) -> dict:
        return {"id": self.programme_id, "name": self.name, "similarity": 0.8125, "method_ids": ["network"],
                "scale_reached": "All 42 ICSs", "scale_caveat": f"The link is a copy {SCRIPT}",
                "sources": ["https://example.org/a", "javascript:alert(1)"]}


def test_programmes_like_yours_say_why_and_link_to_their_casebook_card(collation, result):
    _, advice, _ = result
    page = views.similar_programmes(advice, collation, casebook="#casebook/")
    assert "Programmes like yours" in page and page.count("<tr data-id=") == len(advice.closest)
    for programme in advice.closest:
        row = page.split(f'<tr data-id="{programme.programme_id}">')[1].split("</tr>")[0]
        assert f'href="#casebook/{programme.programme_id}"' in row and "Alike in" in row
    assert 'href="javascript' not in page


def test_the_plan_timeline_draws_each_phase_over_its_months_and_says_so_in_words(result):
    _, _, plan = result
    svg = views.plan_timeline(plan)
    bars = [(float(x), float(w)) for x, w in re.findall(r'class="sl-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"',
                                                         svg)]
    assert len(bars) == len(plan.phases)
    per_month = bars[0][1] / (plan.phases[0].end_month - plan.phases[0].start_month + 1)
    for (x, width), phase in zip(bars, plan.phases, strict=True):
        assert x == pytest.approx(timelines.LABEL_WIDTH + (phase.start_month - 1) * per_month, abs=1)
        assert width == pytest.approx((phase.end_month - phase.start_month + 1) * per_month, abs=1)
    words = re.search(r"<figcaption[^>]*>(.*)</figcaption>", svg, re.S).group(1)
    for phase in plan.phases:
        assert f"Phase {phase.order}, {phase.name}" in words and "; ".join(phase.methods) in words


def test_no_html_is_built_or_escaped_outside_the_views():
    """HTML, escaping and badges have one home: spreadlab.views (its templates and `_env`)."""
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "views" in path.relative_to(SOURCE).parts or path.name == "charts.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"markupsafe|html\.escape|from html import|sl-badge|<(p|div|span|table|tr|td|h[1-6]|ul|li)[ >]",
                     text):
            offenders.append(str(path.relative_to(SOURCE)))
    assert offenders == []


def test_the_library_programmes_most_like_the_profile_are_listed_with_their_badges(collation, result):
    _, advice, plan = result
    page = views.similar_programmes(advice, collation)
    assert re.findall(r'<tr data-id="([^"]+)">', page) == [p.programme_id for p in advice.closest]
    provenance = collation.programmes.set_index("programme_id")["provenance"].astype(str)
    for programme in advice.closest:
        row = page.split(f'<tr data-id="{programme.programme_id}">')[1].split("</tr>")[0]
        assert re.findall(r'data-provenance="([^"]+)"', row) == [provenance[programme.programme_id]]


@given(st.text(min_size=1, max_size=60).filter(str.strip))
@settings(max_examples=60, deadline=None)
def test_no_text_a_user_types_adds_markup(name):
    """Whatever the name, the page has the same tags as with a plain name: it is shown, never run."""
    plain = views.report_title("Plan", "x") + views.error("x") + views.note("x")
    typed = views.report_title("Plan", name) + views.error(name) + views.note(name)
    assert typed.count("<") == plain.count("<") and typed.count(">") == plain.count(">")


def test_a_plan_opens_with_a_summary_a_board_can_act_on(collation):
    profile = spreadlab.InterventionProfile.from_yaml(spreadlab.paths.DATA_DIR / "examples" / "profiles"
                                                      / "local-integrated-care.yaml")
    guide = spreadlab.guide(collation, spreadlab.plan(collation, profile))
    page = views.at_a_glance(guide, collation)
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", str(page)).split()))
    assert text.startswith("Summary Integrated neighbourhood teams for older people with complex needs: a complex "
                           "intervention with proven evidence, aimed at a local audience")
    for phase in guide.plan.phases:
        assert f"{phase.name} — {'; '.join(phase.methods)}" in text, phase.name
    assert "What we need from others" in text and "Aim:" in text
    for programme in guide.plan.advice.closest[:3]:
        assert programme.name in text



@pytest.mark.parametrize("case_id", ["atrial-fibrillation", "transfer-of-care-around-medicines"])
def test_a_case_report_opens_with_aim_scale_reached_and_the_combination_used(collation, case_id):
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", str(views.case_summary(collation, case_id,
                                                                                    report=True))).split()))
    scale = collation.programmes.set_index("programme_id").loc[case_id, "scale_reached"]
    aim, reached, used = text.index("Aim "), text.index(f"Scale reached {scale}"), text.index("The combination it used")
    assert aim < reached < used < text.index("Public figures")
    for phase in collation.case_phases[collation.case_phases["case_id"] == case_id].itertuples():
        assert f"{phase.start} to {phase.end}, {phase.name}:" in text


def test_a_reports_programmes_like_yours_link_to_their_cards_in_the_same_page(collation, result):
    """Issue 21: every "programme like yours" leads to its card; in a report the cards follow the table."""
    advice = result[1]
    page = views.similar_programmes(advice, collation, cards=True)
    closest = [p.programme_id for p in advice.closest]
    links = re.findall(r'<tr data-id="[^"]+"><th scope="row"><a href="#([^"]+)"', page)
    assert closest and links == [views.card_anchor(ident) for ident in closest]
    assert re.findall(r'<article class="sl sl-programme-card" id="([^"]+)"', page) == links
    assert page.count('<figure class="sl sl-chart sl-timeline"') == len(closest)  # each with its stage timeline
    assert "Its situation before it spread" not in page  # the report's cards keep to the facts
    assert 'href="#' not in views.similar_programmes(advice, collation)  # the dashboard opens cards with buttons


def test_the_stylesheet_says_a_chart_scrolls_below_the_width_the_views_draw_charts_at():
    """The stylesheet cannot read views.CHART_MIN_WIDTH, so its container query repeats the number; they must agree
    (the line above a chart says it scrolls sideways exactly when the chart is wider than its region)."""
    widths = re.findall(r"@container sl-chart \(width < (\d+)px\)", views.stylesheet())
    assert widths == [str(views.CHART_MIN_WIDTH)]
    chart = views.plotly_chart({"data": [], "layout": {"title": {"text": "A chart"}}}, chart_id="c", url="p.js", alt="")
    assert 'class="sl-scroll-hint"' in chart


def test_a_chart_title_from_plotly_text_is_shown_escaped_once():
    """Charts write names with <, > and & as entities for plotly; above the chart they read as the name itself."""
    page = views.plotly_chart({"data": [], "layout": {"title": {"text": "Tom &amp; Jerry &lt;b&gt;<br>plan",
                                                                 "subtitle": {"text": "A &amp; B"}}}},
                              chart_id="c", url="p.js", alt="")
    assert "<strong>Tom &amp; Jerry &lt;b&gt; plan</strong>" in page
    assert "A &amp; B</span>" in page and "&amp;amp;" not in page
