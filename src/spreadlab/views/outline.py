"""A plan as an outline of headed sections — paragraphs, lists and tables in plain words — written once and rendered
as the board edition and full report (HTML, printed to PDF), the Word document and Markdown, so that every edition
holds the same headings and the same measures.

Two outlines: the **board edition** (at most four A4 pages: the summary and the asks; the plan on a page with its
timeline; measures, gates and the evaluation and communication plans; risks and the route to sustain it), and the
**full plan** (every phase with what to do in it, the whole plan's guidance, then an appendix with every method's
advice and the programmes like yours).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..collation import Collation
from ..guidance import GuidanceMatch
from ..plan_guide import PlanGuide
from ..planning import PlannedMethod
from ..vocabulary import label
from . import advice_text
from .plans import WHY_PLANNED, aim, context_words

BlockKind = Literal["paragraph", "bullets", "numbered", "table", "warning", "timeline"]
BOARD_LIMITS = {"actions": 2, "asks": 4, "gates": 2, "evaluation": 2, "communication": 3, "risks": 5, "sustain": 2,
                "programmes": 3}
"""How many items of each kind the board edition shows, so that it fits four A4 pages (a test prints it)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a list: its words and, for guidance, where it comes from (its provenance and source)."""

    text: str
    provenance: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of a section: a paragraph, a list, a table, a warning, or the plan's timeline (drawn by each
    renderer in its own way, with its words in `rows`)."""

    kind: BlockKind
    text: str = ""
    items: tuple[Item, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A headed section (level 2 or 3) and its blocks; `appendix` marks the full report's appendix."""

    key: str
    heading: str
    level: int
    blocks: tuple[Block, ...]
    appendix: bool = False


@dataclass(frozen=True, slots=True)
class Outline:
    """A whole document: its title (the kind of document), subtitle (the intervention), edition and sections."""

    title: str
    subtitle: str
    edition: Literal["board", "full"]
    sections: tuple[Section, ...] = field(default=())

    def headings(self) -> list[str]:
        """Every heading, in order."""
        return [section.heading for section in self.sections]


def board_outline(guide: PlanGuide, collation: Collation) -> Outline:
    """The board edition: what a board reads, in four pages at most."""
    plan = guide.plan
    profile = plan.profile
    sections = [
        Section("summary", "Summary", 2, (
            Block("paragraph", context_words(profile)),
            *(Block("warning", advice_text.notice_sentence(n)) for n in plan.notices),
            Block("paragraph", f"Aim: {aim(profile)}"),
            Block("numbered", items=tuple(Item(f"{_months(p.start_month, p.end_month)}: {p.name} — "
                                               f"{'; '.join(p.methods)}") for p in plan.phases)),
        )),
        Section("asks", "What we need from others", 2, (_asks(guide, BOARD_LIMITS["asks"]),)),
        Section("plan", "The plan on a page", 2, (
            _timeline(guide),
            Block("table", header=("Phase", "Months", "Methods", "First actions"),
                  rows=tuple((f"{p.phase.order}. {p.phase.name}", _months(p.phase.start_month, p.phase.end_month),
                              "; ".join(_method_words(m) for m in p.phase.planned),
                              " ".join(f"({n}) {_text(a)}" for n, a in
                                       enumerate(p.actions[:BOARD_LIMITS["actions"]], start=1)))
                             for p in guide.phases)),
        )),
        Section("measures", "Measures and gates", 2, (
            _guidance_list(guide.measures, measure=True, empty="No measure is recorded for this plan."),
            *((Block("paragraph", "Go or no-go before wider spread:"),
               _guidance_list(gates[:BOARD_LIMITS["gates"]])) if (gates := _gates(guide)) else ()),
        )),
        Section("evaluation", "Evaluation plan", 3, (_guidance_list(guide.evaluation[:BOARD_LIMITS["evaluation"]]),)),
        Section("communication", "Communication plan", 3,
                (_guidance_list(guide.communication[:BOARD_LIMITS["communication"]]),)),
        Section("risks", "Risks", 2, (_guidance_list(_board_risks(guide)[:BOARD_LIMITS["risks"]], risk=True),)),
        Section("sustain", "How the change lasts", 3, (_guidance_list(guide.sustain[:BOARD_LIMITS["sustain"]]),)),
        Section("programmes", "Programmes like this one", 3, (
            Block("bullets", items=tuple(Item(f"{p.name}: {advice_text.alike_short(p)}")
                                         for p in plan.advice.closest[:BOARD_LIMITS["programmes"]])),)),
    ]
    return Outline("Spread and scale plan: board edition", profile.name, "board", tuple(sections))


def full_outline(guide: PlanGuide, collation: Collation) -> Outline:
    """The full plan: the board's summary and asks, every phase with what to do in it, the whole plan's guidance,
    then an appendix with every method's advice and the programmes like yours."""
    plan = guide.plan
    advice = plan.advice
    board = {section.key: section for section in board_outline(guide, collation).sections}
    sections = [board["summary"], Section("asks", "What we need from others", 2, (_asks(guide),)),
                Section("plan", "The phased plan", 2, (_timeline(guide),))]
    for part in guide.phases:
        phase = part.phase
        blocks = [Block("paragraph", f"{_months(phase.start_month, phase.end_month)}: to {phase.purpose}."),
                  Block("bullets", items=tuple(Item(f"{m.method}: {WHY_PLANNED[m.why]}; "
                                                     f"{advice_text.summary_line(m.advice)}") for m in phase.planned))]
        for title, matches, measure, risk in (("What to do", part.actions, False, False),
                                              ("Who to involve", part.roles, False, False),
                                              ("What to measure", part.measures, True, False),
                                              ("Go or no-go before moving on", part.gates, False, False),
                                              ("Costs and who pays", part.costs, False, False),
                                              ("Risks to watch", part.risks, False, True)):
            if matches:
                blocks += [Block("paragraph", f"{title}:"), _guidance_list(matches, measure=measure, risk=risk)]
        if part.gaps:
            blocks.append(Block("paragraph", f"Not in spreadlab's guidance for this phase: {', '.join(part.gaps)}."))
        sections.append(Section(f"phase-{phase.order}", f"Phase {phase.order}: {phase.name}", 3, tuple(blocks)))
    for key, heading, matches, extra in (
            ("team", "Who to involve", guide.team, {}),
            ("adopters", "Which adopters first", guide.adopters, {"ordered": True}),
            ("measures", "Measures for the whole spread", guide.measures, {"measure": True}),
            ("evaluation", "Evaluation plan", guide.evaluation, {}),
            ("communication", "Communication plan", guide.communication, {}),
            ("kind-risks", "Risks of this kind of innovation", guide.risks, {"risk": True}),
            ("sustain", "How the change lasts when programme support ends", guide.sustain, {})):
        sections.append(Section(key, heading, 2, (_guidance_list(matches, empty="Nothing recorded.", **extra),)))
    for domain, actions in guide.domains:
        sections.append(Section(f"domain-{domain}", f"Complex NASSS domain: {label(domain)}", 3,
                                (_guidance_list(actions),)))
    if guide.gaps:
        sections.append(Section("gaps", "Where spreadlab's guidance holds nothing for this plan", 3,
                                (Block("bullets", items=tuple(Item(gap) for gap in guide.gaps)),)))
    sections.append(Section("appendix", "Appendix: every method's advice", 2, (
        Block("paragraph", advice_text.NOTE),
        Block("table", header=("Rank", "Method", "Chance", "Base rate", "Standing", "Why, in one line"),
              rows=tuple((str(m.rank), m.method, f"{m.chance:.0%}", f"{m.base_rate:.0%}", label(m.standing),
                          advice_text.summary_line(m).split(" — ", 1)[1]) for m in advice.methods)),
    ), appendix=True))
    for method in advice.methods[:10]:
        sections.append(Section(f"appendix-{method.method_id}", f"{method.rank}. {method.method}", 3,
                                (Block("bullets", items=tuple(Item(line) for line in
                                                              advice_text.details(method, advice.shown))),),
                                appendix=True))
    sections.append(Section("appendix-programmes", "Appendix: programmes like this one", 2, (
        Block("bullets", items=tuple(Item(f"{p.name} (similarity {p.similarity:.2f}, weight {p.weight:.0%}): "
                                          f"{advice_text.alike_why(p)}") for p in advice.closest)),), appendix=True))
    return Outline("Spread and scale plan", plan.profile.name, "full", tuple(sections))


def guidance_item(match: GuidanceMatch, *, measure: bool = False, risk: bool = False) -> Item:
    """One guidance item as a line: its words and the specifics of its type, with its provenance and source."""
    item = match.item
    parts = [f"{item.name}: {item.text}" if item.name else item.text]
    if measure and item.measure_type:
        parts.append(f"({label(item.measure_type)} measure; data: {item.data_source})")
    if item.band:
        parts.append(f"(cost {item.band}; paid by {item.who_pays})")
    if risk and item.mitigation:
        parts.append(f"What to do: {item.mitigation}")
    if item.ask_of:
        parts.append(f"(ask {item.ask_of})")
    return Item(" ".join(parts), item.provenance, item.source.title, item.source.url)


def _guidance_list(matches: Sequence[GuidanceMatch], *, measure: bool = False, risk: bool = False,
                   ordered: bool = False, empty: str = "") -> Block:
    if not matches:
        return Block("paragraph", empty)
    return Block("numbered" if ordered else "bullets",
                 items=tuple(guidance_item(m, measure=measure, risk=risk) for m in matches))


def _asks(guide: PlanGuide, limit: int | None = None) -> Block:
    asks = [Item(f"{p.method}: {advice_text.rule_sentences(p.advice)[0]}") for p in guide.plan.asks
            if advice_text.rule_sentences(p.advice)]
    asks += [guidance_item(match) for match in guide.asks]
    asks = asks[:limit] if limit else asks
    if not asks:
        return Block("paragraph", "Nothing: every lever in this plan is in the spread lead's hands.")
    return Block("bullets", items=tuple(asks))


def _gates(guide: PlanGuide) -> list[GuidanceMatch]:
    return list(dict.fromkeys(g for part in guide.phases for g in part.gates))


def _board_risks(guide: PlanGuide) -> list[GuidanceMatch]:
    """The risks of this kind of innovation, then those of the plan's methods, each once."""
    risks = [*guide.risks, *(r for part in guide.phases for r in part.risks)]
    return list({r.item.id: r for r in risks}.values())


def _timeline(guide: PlanGuide) -> Block:
    return Block("timeline", header=("Phase", "Months", "Methods"),
                 rows=tuple((f"{p.order}. {p.name}", _months(p.start_month, p.end_month), "; ".join(p.methods))
                            for p in guide.plan.phases))


def _method_words(planned: PlannedMethod) -> str:
    """A planned method's name, with why it is there when that is more than its chance (a lever, an ask, a test)."""
    if planned.is_ask:
        return f"{planned.method} (an ask of others)"
    if planned.why != "chance":
        return f"{planned.method} ({WHY_PLANNED[planned.why]})"
    return planned.method


def _text(match: GuidanceMatch) -> str:
    return match.item.text


def _months(start: int, end: int) -> str:
    return f"month {start}" if start == end else f"months {start}–{end}"


def to_markdown(outline: Outline) -> str:
    """The outline as Markdown (`spreadlab plan --format markdown`)."""
    lines = [f"# {outline.title}: {outline.subtitle}", ""]
    for section in outline.sections:
        lines += [f"{'#' * section.level} {section.heading}", ""]
        for block in section.blocks:
            lines += [*_markdown_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def _markdown_block(block: Block) -> Iterable[str]:
    if block.kind in ("paragraph",):
        yield block.text
    elif block.kind == "warning":
        yield f"> **Warning:** {block.text}"
    elif block.kind in ("bullets", "numbered"):
        for n, item in enumerate(block.items, start=1):
            line = f"{item.text}{source_words(item)}"
            yield f"{n}. {line}" if block.kind == "numbered" else f"- {line}"
    else:
        yield "| " + " | ".join(block.header) + " |"
        yield "|" + "---|" * len(block.header)
        for row in block.rows:
            yield "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |"


def source_words(item: Item) -> str:
    """Where a line comes from, in words (Markdown and Word): ' (Curated; source: title, address)'."""
    if item.source is None:
        return ""
    return f" ({label(item.provenance or 'curated')}; source: {item.source}, {item.url})"


def to_html(outline: Outline, timeline: str) -> str:
    """The outline as HTML for a report (its sections, the `timeline` SVG where the outline places it, each
    guidance line with its badge and source)."""
    from ._env import render, trusted

    return render("outline/document.html.j2", outline=outline, timeline=trusted(timeline))
