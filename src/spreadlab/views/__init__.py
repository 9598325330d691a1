"""spreadlab's one view layer: library results turned into HTML by Jinja2 templates (package data in
`views/templates`), with one stylesheet and one provenance badge. The dashboard's tabs and the report templates
call these functions; neither builds HTML of its own.

Every function returns an HTML string in which every value from the data or a user is escaped.
"""

from __future__ import annotations

from ._env import PROVENANCE_MEANINGS, from_plotly, render, stylesheet, to_plotly
from .about import about_contents, coverage, curation, glossary, programmes, provenance_legend, report_footer, sources
from .casebook import card_anchor, casebook_results, programme_card, programme_comparison
from .cases import case_methods, case_phases, case_summary
from .form import derived_nature, domain_help, levels, question_group
from .messages import (
    CHART_MIN_WIDTH,
    CHART_TOP_MARGIN,
    badge,
    dashboard_header,
    error,
    focus_script,
    note,
    plotly_chart,
    report_title,
    status,
    style,
    tab_heading,
    warning,
)
from .methods import comparison, method_card, method_results
from .pages import index_page, pdf_footer
from .plan_keeping import plan_changes, plan_downloads, stage_names
from .plans import (
    at_a_glance,
    download_link,
    downloads,
    how_ranked,
    phases,
    plan_guide,
    profile_summary,
    ranking,
    report_link,
    similar_programmes,
)
from .timelines import case_timeline, plan_timeline

__all__ = [
    "CHART_MIN_WIDTH",
    "CHART_TOP_MARGIN",
    "PROVENANCE_MEANINGS",
    "about_contents",
    "at_a_glance",
    "badge",
    "card_anchor",
    "case_methods",
    "case_phases",
    "case_summary",
    "case_timeline",
    "casebook_results",
    "comparison",
    "coverage",
    "curation",
    "dashboard_header",
    "derived_nature",
    "domain_help",
    "download_link",
    "downloads",
    "error",
    "focus_script",
    "from_plotly",
    "glossary",
    "how_ranked",
    "index_page",
    "levels",
    "method_card",
    "method_results",
    "note",
    "pdf_footer",
    "phases",
    "plan_changes",
    "plan_downloads",
    "plan_guide",
    "plan_timeline",
    "plotly_chart",
    "profile_summary",
    "programme_card",
    "programme_comparison",
    "programmes",
    "provenance_legend",
    "question_group",
    "ranking",
    "render",
    "report_footer",
    "report_link",
    "report_title",
    "similar_programmes",
    "sources",
    "stage_names",
    "status",
    "style",
    "stylesheet",
    "tab_heading",
    "to_plotly",
    "warning",
]
