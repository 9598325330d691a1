"""The batch index's portfolio at a glance, from a real batch (real kernels): the rows that failed come first with
their row numbers and reasons, the counts of approaches and methods and the timeline match the rows' plans, a
rerun that skips every report keeps the overview, and names typed with HTML stay text."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import spreadlab
from portfolios import example_rows, write_portfolio
from spreadlab.reports.digest import MethodDigest, PhaseDigest, PlanDigest
from spreadlab.reports.overview import overview
from spreadlab.reports.portfolio import read_portfolio
from spreadlab.reports.results import RowResult, Status
from test_reports import SCRIPT, run_cli, visible_text

SECTIONS = ("Rows that failed", "Approaches and methods the plans use", "All plans on one timeline",
            "Resources the plans call for", "Every report")
LABEL_WIDTH, CHART_WIDTH = 300, 760  # the portfolio timeline's geometry (views/timelines.py)


@pytest.fixture(scope="module")
def batch(spreadlab_exe, tmp_path_factory) -> dict:
    """Four good rows (one named with HTML, one with a long name) and two invalid ones, made by `spreadlab
    batch`, then run again with nothing changed."""
    folder = tmp_path_factory.mktemp("overview")
    rows = example_rows()[:4]
    rows[1]["name"] = f"{SCRIPT} & co"
    rows[3]["name"] = "A very long intervention name that the timeline's label has to cut short somewhere"
    rows.insert(2, dict(rows[0], name="Too many months", timescale_months="999"))
    rows.append(dict(rows[0], name="Plenty of <i>resources</i>", resources="plenty"))
    portfolio = write_portfolio(folder / "portfolio.csv", rows)
    out = folder / "out"
    first = run_cli(spreadlab_exe, "batch", str(portfolio), "--out", str(out), "--jobs", "2", cwd=folder)
    assert "6 rows: 4 made, 0 unchanged, 2 failed" in first.stderr, first.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    again = run_cli(spreadlab_exe, "batch", str(portfolio), "--out", str(out), cwd=folder)
    assert "6 rows: 0 made, 4 unchanged, 2 failed" in again.stderr, again.stderr
    return {"portfolio": portfolio, "out": out, "index": index, "manifest": manifest,
            "rerun": (out / "index.html").read_text(encoding="utf-8")}


def _section(page: str, heading: str) -> str:
    start = page.index(f">{heading}</h2>")
    return page[start:page.index("</section>", start)]


def _plans(portfolio: Path, collation) -> dict[int, spreadlab.Plan]:
    """The plan of every valid row, made here with the library, by row number as the spreadsheet shows it."""
    return {row.number: spreadlab.plan(collation, row.profile) for row in read_portfolio(portfolio)
            if row.profile is not None}


@pytest.mark.kernel
def test_the_index_opens_with_the_rows_that_failed_their_row_numbers_and_reasons(batch):
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", batch["index"])
    assert headings == list(SECTIONS), "the overview's sections come in this order, the table last"
    failed = [row for row in batch["manifest"]["rows"] if row["status"] == "invalid"]
    assert [row["row"] for row in failed] == [4, 7]
    section = visible_text(_section(batch["index"], "Rows that failed"))
    assert "2 rows have no report" in section
    for row in failed:
        assert f"{row['row']} {row['name']} invalid {row['error']}" in section
    assert "timescale_months" in failed[0]["error"] and "'resources'" in failed[1]["error"]
    assert section.index(failed[0]["name"]) < section.index(failed[1]["name"])


@pytest.mark.kernel
def test_approach_and_method_counts_are_those_of_the_rows_plans(batch, collation):
    plans = _plans(batch["portfolio"], collation)
    assert len(plans) == 4
    approach_names = collation.approaches.set_index("approach_id")["name"]
    methods = Counter(m for p in plans.values() for m in {m for phase in p.phases for m in phase.methods})
    approaches = Counter(approach_names[a] for p in plans.values()
                         for a in {a for phase in p.phases for a in phase.approach_ids})
    section = _section(batch["index"], "Approaches and methods the plans use")
    shown = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]+</td><td>(\d+)</td>', section))
    assert {html.unescape(name): int(count) for name, count in shown.items()} == dict(methods)
    caption = visible_text(re.search(r'<figcaption id="sl-approach-counts-caption">(.*?)</figcaption>', section,
                                     re.S).group(1))
    said = dict(re.findall(r"(?:: |; )([^:;]+): (\d+) plans?", caption))
    assert {name: int(count) for name, count in said.items()} == dict(approaches)
    bars = re.findall(r'<text x="[\d.]+" y="[\d.]+" fill="#(?:FFFFFF|212B32)">(\d+)</text>', section)
    assert sorted(map(int, bars), reverse=True) == sorted(approaches.values(), reverse=True)


@pytest.mark.kernel
def test_the_timeline_has_one_line_per_plan_over_the_months_of_its_phases(batch, collation):
    plans = _plans(batch["portfolio"], collation)
    section = _section(batch["index"], "All plans on one timeline")
    labels = re.findall(r'<tspan x="0" dy="0">Row (\d+): ([^<]*)</tspan>', section)
    assert [int(number) for number, _ in labels] == sorted(plans)
    assert html.unescape(labels[-1][1]).endswith("…") and len(html.unescape(labels[-1][1])) < 42
    months = max(p.profile.timescale_months for p in plans.values())
    assert f"All plans over months 1 to {months}" in section
    scale = (CHART_WIDTH - LABEL_WIDTH - 10) / months
    rects = [(float(x), float(y), float(w)) for x, y, w in re.findall(
        r'<rect class="sl-bar" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', section)]
    by_line = {y: [] for _, y, _ in rects}
    for x, y, w in rects:
        by_line[y].append((round((x - LABEL_WIDTH) / scale) + 1, round((x + w - LABEL_WIDTH) / scale)))
    assert len(by_line) == len(plans)
    for (number, plan), drawn in zip(sorted(plans.items()), by_line.values(), strict=True):
        assert drawn == [(p.start_month, p.end_month) for p in plan.phases], number
    table = visible_text(_section(batch["index"], "Every report"))
    for plan in plans.values():
        assert "; ".join(f"{p.order}. {p.name} ({p.start_month}–{p.end_month})" for p in plan.phases) in table


@pytest.mark.kernel
def test_the_resources_table_counts_plans_by_resources_available_and_needed(batch, collation):
    plans = _plans(batch["portfolio"], collation)
    needs = collation.considerations.query("consideration == 'resources'").set_index("method_id")["value"]
    levels = ("low", "medium", "high")
    section = visible_text(_section(batch["index"], "Resources the plans call for"))
    for available in levels:
        group = [p for p in plans.values() if p.profile.resources == available]
        if not group:
            assert f"{available.capitalize()} {len(group)}" not in section
            continue
        highest = Counter(max((needs[m] for ph in p.phases for m in ph.method_ids), key=levels.index)
                          for p in group)
        above = sum(levels.index(need) > levels.index(available) for need in highest.elements())
        cells = " ".join(str(highest[level]) for level in levels)
        assert f"{available.capitalize()} {len(group)} {cells} {above}" in section
    assert "Curated" in section


@pytest.mark.kernel
def test_a_rerun_that_skips_every_report_keeps_the_overview(batch):
    for heading in SECTIONS[:-1]:
        assert _section(batch["rerun"], heading) == _section(batch["index"], heading), heading
    rows = json.loads((batch["out"] / "manifest.json").read_text(encoding="utf-8"))["rows"]
    kept = {row["row"]: row["plan"] for row in rows if row["status"] == "unchanged"}
    assert kept == {row["row"]: row["plan"] for row in batch["manifest"]["rows"] if row["status"] == "made"}


@pytest.mark.kernel
def test_names_typed_with_html_stay_text_in_the_overview(batch):
    page = batch["index"]
    assert SCRIPT not in page and "<i>resources</i>" not in page
    timeline = _section(page, "All plans on one timeline")
    assert "Row 3: &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</tspan>" in timeline
    assert "Plenty of &lt;i&gt;resources&lt;/i&gt;" in _section(page, "Rows that failed")
    assert page.count("<script>") == 1  # only the sorting script


@pytest.mark.kernel
def test_a_row_whose_previous_plan_is_missing_is_made_again(spreadlab_exe, tmp_path):
    portfolio = write_portfolio(tmp_path / "portfolio.csv", example_rows()[:2])
    out = tmp_path / "out"
    assert run_cli(spreadlab_exe, "batch", str(portfolio), "--out", str(out), cwd=tmp_path).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["rows"][0].pop("plan")  # as a manifest written before plans were recorded
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    again = run_cli(spreadlab_exe, "batch", str(portfolio), "--out", str(out), cwd=tmp_path)
    assert "2 rows: 1 made, 1 unchanged, 0 failed" in again.stdout + again.stderr, again.stderr
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rows"]
    assert all(row["plan"]["phases"] for row in rows)


def _digest(resources: str, *needs: str) -> PlanDigest:
    methods = tuple(MethodDigest(f"m{i}", f"Method {i}", f"a{i % 2}", f"Approach {i % 2}", need, "curated")
                    for i, need in enumerate(needs))
    return PlanDigest((), 12, resources, (PhaseDigest(1, "Only", 1, 12, tuple(m.method_id for m in methods)),),
                      methods)


def test_the_overview_counts_each_approach_once_a_plan_and_plans_needing_more_than_they_have():
    results = [RowResult(2, "a", "a.html", "h", Status.MADE, plan=_digest("low", "low", "high", "medium")),
               RowResult(3, "b", "b.html", "h", Status.UNCHANGED, plan=_digest("high", "high")),
               RowResult(4, "c", None, None, Status.INVALID, error="bad"),
               RowResult(5, "d", "d.html", "h", Status.PENDING)]
    seen = overview(results)
    assert [(u.name, u.plans) for u in seen.approaches] == [("Approach 0", 2), ("Approach 1", 1)]
    assert [(u.name, u.plans) for u in seen.methods] == [("Method 0", 2), ("Method 1", 1), ("Method 2", 1)]
    assert [(r.available, r.plans, r.by_need, r.above) for r in seen.resources] == [
        ("low", 1, (0, 0, 1), 1), ("high", 1, (0, 0, 1), 0)]
    assert seen.above_resources == 1 and seen.pending == 1 and [r.row for r in seen.failed] == [4]
    assert [r.row for r in seen.planned] == [2, 3] and seen.months == 12
