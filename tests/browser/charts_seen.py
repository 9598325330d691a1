"""What a person sees of a chart, measured in the page: a plotly chart of the dashboard or a static SVG chart of a
report is drawn at the size it was laid out, inside its container, with every bar, row and column the data hold
drawn and labelled, its axes present, and nothing covering it when hovered (issue 21, items 1 and 6).

Each check returns a list of problems in words (empty when the chart is whole), so a failing test says what a
person would have seen.
"""

from __future__ import annotations

from pathlib import Path

from accessibility import fit_viewport
from playwright.sync_api import Locator, Page

WIDTHS = (1400, 1024, 768, 320)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "charts"
REDRAW_TIMEOUT = 15_000
PLOTLY = ".js-plotly-plot"
STATIC = "figure.sl-timeline"

# Shared by both checks: `r` is an element's box, `inside` whether box `a` lies within box `b` (1 px of rounding).
_HELPERS = """
  const r = e => e.getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1
    && a.bottom <= b.bottom + 1;
  const words = e => (e.textContent || '').trim().slice(0, 60);
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'
    && getComputedStyle(e).display !== 'none' && r(e).width > 0;
  const scrollArea = region => {  // the box the region's content can be scrolled over, inside its borders
    const box = r(region);
    const left = box.left + region.clientLeft - region.scrollLeft, top = box.top + region.clientTop - region.scrollTop;
    return {left: left, right: left + region.scrollWidth, top: top, bottom: top + region.scrollHeight};
  };
  const regionProblems = (region, figure, minWidth) => {
    const problems = [];
    if (!region) return ['not inside a scrolling region'];
    const box = r(region);
    if (!inside(box, r(figure))) problems.push('its region sticks out of its figure');
    if (box.right > document.documentElement.clientWidth + 1 || box.left < -1)
      problems.push(`its region (${Math.round(box.left)} to ${Math.round(box.right)} px) sticks out of the window`);
    if (region.clientWidth >= minWidth + 2 && region.scrollWidth > region.clientWidth + 1)
      problems.push(`it scrolls sideways although its region (${region.clientWidth} px) has room for it`);
    const hint = figure.querySelector('.sl-scroll-hint'), scrolls = region.scrollWidth > region.clientWidth + 1;
    if (!hint) problems.push('no line to say when it scrolls sideways');
    else if (scrolls && !shown(hint)) problems.push('it scrolls sideways but nothing above it says so');
    else if (!scrolls && shown(hint)) problems.push('the line above it says it scrolls sideways but it does not');
    return problems;
  };
"""

_PLOTLY_PROBLEMS = """(plot, minWidth) => {""" + _HELPERS + """
  const problems = [];
  const full = plot._fullLayout;
  const svg = plot.querySelector('.main-svg');
  if (!full || !svg) return ['not drawn'];
  const box = r(svg);
  if (Math.abs(box.width - full.width) > 1 || Math.abs(box.height - full.height) > 1)
    problems.push(`drawn ${Math.round(box.width)}×${Math.round(box.height)} px but laid out `
                  + `${full.width}×${full.height} px`);
  if (Math.abs(full.width - plot.clientWidth) > 1)
    problems.push(`laid out ${full.width} px wide in a container of ${plot.clientWidth} px`);
  const region = plot.closest('.sl-scroll');
  problems.push(...regionProblems(region, plot.closest('figure'), minWidth));
  if (region && !inside(box, scrollArea(region))) problems.push('the drawing lies outside its region');
  for (const text of plot.querySelectorAll('.main-svg text')) {
    if (words(text) && shown(text) && !inside(r(text), box)) problems.push(`text cut: "${words(text)}"`);
  }
  const size = full._size;
  const area = {left: box.left + size.l, right: box.left + size.l + size.w, top: box.top + size.t,
                bottom: box.top + size.t + size.h};
  const cartesian = full._has && full._has('cartesian');
  if (cartesian) {
    for (const axis of ['x', 'y']) {
      const layoutAxis = full[axis + 'axis'];
      const ticks = Array.from(plot.querySelectorAll(`.${axis}tick text`)).filter(t => shown(t) && words(t));
      if (!ticks.length) problems.push(`no ${axis} axis labels`);
      if (layoutAxis.type === 'category') {
        const categories = new Set(plot._fullData.flatMap(trace => Array.from(trace[axis] || [])));
        if (ticks.length !== categories.size)
          problems.push(`${categories.size} ${axis === 'x' ? 'columns' : 'rows'} but ${ticks.length} labels`);
      }
      if (axis === 'y') {
        const tops = ticks.map(t => r(t)).sort((a, b) => a.top - b.top);
        for (let i = 1; i < tops.length; i++) if (tops[i].top < tops[i - 1].bottom - 2)
          problems.push('row labels overlap');
      }
    }
  }
  for (const bar of plot.querySelectorAll('.bars .point path')) {
    const b = r(bar);
    if (b.width < 1 || b.height < 1) problems.push('a bar is not drawn');
    else if (!inside(b, area)) problems.push('a bar is cut by the plot area');
  }
  const barPoints = plot._fullData.filter(t => t.type === 'bar').reduce((n, t) => n + (t.x || []).length, 0);
  const barsDrawn = plot.querySelectorAll('.bars .point path').length;
  if (barsDrawn !== barPoints) problems.push(`${barPoints} bars in the data, ${barsDrawn} drawn`);
  const texts = plot._fullData.filter(t => t.type === 'bar' && t.text).reduce((n, t) => n + t.x.length, 0);
  const textsShown = Array.from(plot.querySelectorAll('.bars .bartext')).filter(t => shown(t) && words(t)).length;
  if (textsShown !== texts) problems.push(`${texts} bar labels in the data, ${textsShown} shown`);
  for (const map of plot.querySelectorAll('.hm image')) if (!inside(r(map), area)) problems.push('heatmap cut');
  const points = plot._fullData.filter(t => t.type === 'scatter' && t.text).reduce((n, t) => n + t.x.length, 0);
  const labels = Array.from(plot.querySelectorAll('.scatterlayer .textpoint text')).filter(shown).length;
  if (labels !== points) problems.push(`${points} labelled points in the data, ${labels} labels shown`);
  for (const title of plot.querySelectorAll('.g-xtitle text, .g-ytitle text'))
    if (!words(title)) problems.push('an axis has an empty title');
  return problems;
}"""

_COVERED = """(plot) => {
  const seen = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'
    && Number(getComputedStyle(e.closest('.modebar') || e).opacity) > 0;
  const buttons = Array.from(plot.querySelectorAll('.modebar-btn')).filter(seen).map(e => e.getBoundingClientRect());
  if (!buttons.length) return [];
  const width = Math.max(...buttons.map(b => b.right)) - Math.min(...buttons.map(b => b.left));
  return [`hovering shows a mode bar of ${buttons.length} buttons, ${Math.round(width)} px wide, over the chart`];
}"""

_STATIC_PROBLEMS = """(figure, minWidth) => {""" + _HELPERS + """
  const problems = [];
  const svg = figure.querySelector('svg');
  const box = r(svg);
  const region = svg.closest('.sl-scroll');
  problems.push(...regionProblems(region, figure, minWidth));
  if (region && !inside(box, scrollArea(region))) problems.push('the drawing lies outside its region');
  const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
  if (Math.abs(box.width / box.height - width / height) > 0.01) problems.push('drawn out of proportion');
  for (const item of svg.querySelectorAll('text, rect')) {
    if (shown(item) && !inside(r(item), box)) problems.push(`cut: "${words(item) || item.tagName}"`);
  }
  const bars = svg.querySelectorAll('rect.sl-bar');
  if (!bars.length) problems.push('no bars');
  for (const bar of bars) if (r(bar).width < 1) problems.push('a bar is not drawn');
  const rows = new Set(Array.from(bars).map(b => b.getAttribute('y')));
  const labelled = Array.from(svg.querySelectorAll(':scope > text[x="0"]')).filter(t => words(t)).length;
  if (labelled < rows.size) problems.push(`${rows.size} rows of bars but ${labelled} row labels`);
  const scale = box.width / width;  // the drawing's size against the size its text was set at
  const fontSize = Math.min(...Array.from(svg.querySelectorAll('text'))
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
  if (fontSize < 11) problems.push(`text drawn at ${fontSize.toFixed(1)} px`);
  return problems;
}"""


def plotly_problems(plot: Locator, min_width: int) -> list[str]:
    """What is wrong with how the dashboard chart `plot` (a .js-plotly-plot) is drawn, hovered too."""
    problems = plot.evaluate(_PLOTLY_PROBLEMS, min_width)
    box = plot.bounding_box()
    if box:
        plot.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        plot.page.wait_for_timeout(150)
        problems += plot.evaluate(_COVERED)
        plot.page.mouse.move(0, 0)
    return problems


def static_problems(figure: Locator, min_width: int) -> list[str]:
    """What is wrong with how a report's static SVG chart (`figure.sl-timeline`) is drawn."""
    return figure.evaluate(_STATIC_PROBLEMS, min_width)


def wait_for_redraw(page: Page) -> None:
    """Wait until every plotly chart on the page has been laid out again at its container's width."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(p => p.offsetParent)"
        ".every(p => p._fullLayout && Math.abs(p._fullLayout.width - p.clientWidth) <= 1)",
        timeout=REDRAW_TIMEOUT)


def keep_screenshot(page: Page, name: str, width: int) -> Path:
    """A screenshot of everything the page holds at `width`, kept under test-artifacts/charts/ to be looked at."""
    fit_viewport(page, width)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(path))
    return path
