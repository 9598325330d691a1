"""axe-core run on a page with the WCAG 2.0, 2.1 and 2.2 A and AA rules, and a readable account of what fails.

axe-core comes inside the axe-playwright-python package (its `axe.min.js`), so nothing is fetched when a test runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
OPTIONS = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
EVERY_RULE = {"resultTypes": ["violations"]}
"""Every rule axe-core runs by default: WCAG A and AA, best practices (landmarks, heading order, …) and the rest."""
SETTLE_MS = 300
MAX_FIT_ROUNDS = 4

# The height of everything the page holds, its own scrolling boxes included (Voilà scrolls inside #rendered_cells,
# a report scrolls the document): axe checks contrast only for what is inside the viewport.
_CONTENT_HEIGHT = """() => {
  const scrolling = Array.from(document.querySelectorAll('*')).filter(
    e => e.scrollHeight > e.clientHeight && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY));
  const tops = scrolling.map(e => e.getBoundingClientRect().top + window.scrollY + e.scrollHeight);
  return Math.ceil(Math.max(document.documentElement.scrollHeight, ...tops));
}"""


@dataclass(frozen=True, slots=True)
class Violation:
    """One axe rule that failed, with the nodes that fail it.

    Attributes:
        rule: axe's rule id, e.g. `color-contrast`.
        impact: minor, moderate, serious or critical.
        help: what the rule asks for, in axe's words.
        nodes: per failing node, its CSS target, its HTML (shortened) and axe's reason.
    """

    rule: str
    impact: str
    help: str
    nodes: tuple[str, ...]


def fit_viewport(page: Page, width: int) -> int:
    """Make the viewport `width` px wide and taller than all the page's content; return its height."""
    height = 0
    for _ in range(MAX_FIT_ROUNDS):  # the content's height changes with the width, and charts redraw
        page.set_viewport_size({"width": width, "height": max(height, 800)})
        page.wait_for_timeout(SETTLE_MS)
        needed = page.evaluate(_CONTENT_HEIGHT) + 50
        if needed <= height:
            break
        height = needed
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(SETTLE_MS)
    return height


def violations(page: Page, *, every_rule: bool = False) -> list[Violation]:
    """axe-core's WCAG A and AA violations on the page as it is now (with `every_rule`, those of every rule)."""
    response = Axe().run(page, options=EVERY_RULE if every_rule else OPTIONS).response
    return [
        Violation(v["id"], v["impact"] or "", v["help"], tuple(_node(node) for node in v["nodes"]))
        for v in response["violations"]
    ]


def counts(found: list[Violation]) -> dict[str, int]:
    """Failing nodes per rule."""
    return dict(Counter({v.rule: len(v.nodes) for v in found}).most_common())


def report(where: str, found: list[Violation], *, nodes_per_rule: int = 8) -> str:
    """A readable account of the violations: per rule its nodes, the first few shown in full."""
    lines = [f"{where}: {sum(len(v.nodes) for v in found)} nodes fail {len(found)} axe rules: {counts(found)}"]
    for violation in found:
        lines.append(f"- {violation.rule} ({violation.impact}, {len(violation.nodes)} nodes): {violation.help}")
        lines += [f"    {node}" for node in violation.nodes[:nodes_per_rule]]
        if len(violation.nodes) > nodes_per_rule:
            lines.append(f"    … and {len(violation.nodes) - nodes_per_rule} more")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str, *, every_rule: bool = False) -> None:
    """Fail with the report unless axe finds no WCAG A or AA violation on the page (no violation of any rule, with
    `every_rule`)."""
    found = violations(page, every_rule=every_rule)
    assert not found, report(where, found)


def _node(node: dict) -> str:
    snippet = " ".join(node["html"].split())
    snippet = snippet if len(snippet) <= 160 else snippet[:157] + "..."
    reason = " ".join((node.get("failureSummary") or "").split())
    return f"{' > '.join(map(str, node['target']))}: {snippet} — {reason}"
