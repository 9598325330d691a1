"""The sentences of the advice: the engine returns facts (chances, counts, parts, rules, notices) and these
functions write them in plain words, once, for the CLI, the JSON, the dashboard and the reports."""

from __future__ import annotations

from collections.abc import Sequence

from ..advice import Advice, Counts, MethodAdvice, Notice
from ..alike import Alike
from ..usage_model import Part
from ..vocabulary import in_sentence, label

NOTE = (
    "A transparent aid, not an evidence-validated prediction: each method's chance is how often programmes in a "
    "situation like yours used it, estimated from a library of real, sourced spread programmes and what you told "
    "spreadlab, with the rules you can read in docs/scoring.md. It covers only the methods recorded from the "
    "collation, not all of the methods it states.")

# Who holds a (field, value): the programmes it describes, as a noun phrase after "the N …".
_HOLDERS: dict[str, dict[str, str] | str] = {
    "kind": "programmes spreading {}",
    "setting": "programmes in {}",
    "nature": "programmes with {} interventions",
    "audience_scale": "programmes with a {} audience",
    "adopter_count": "programmes where {} organisations or teams had to change",
    "adopters": "programmes where {} had to change",
    "spread_lead": "programmes led by {}",
    "motivators": "programmes whose audience had {} motivators",
    "energy_for_change": "programmes whose audience had {} energy for change",
    "timescale": "programmes with a {}-term timescale",
    "resources": "programmes with {} resources",
    "evidence": "programmes with {} evidence",
    "central_funding": {"yes": "programmes with central funding", "no": "programmes without central funding"},
    "mandate": {"yes": "mandated programmes", "no": "programmes without a mandate"},
    "incentive": {"yes": "programmes with an incentive payment in hand",
                  "no": "programmes without an incentive payment"},
    "contract": {"yes": "programmes with a contract route in hand", "no": "programmes without a contract route"},
    "regulation": {"yes": "programmes checked by a regulator or audit", "no": "programmes no regulator checked"},
}
_LABELLED = {"kind", "setting", "adopter_count", "adopters", "spread_lead"}
_DECLARED: dict[str, dict[str, str] | str] = {
    "kind": "the innovation: {}",
    "setting": "the setting: {}",
    "nature": "a {} intervention",
    "audience_scale": "a {} audience",
    "adopter_count": "{} organisations or teams must change",
    "adopters": "{} must change",
    "spread_lead": "led by {}",
    "motivators": "{} motivators",
    "energy_for_change": "{} energy for change",
    "timescale": "a {}-term timescale",
    "resources": "{} resources",
    "evidence": "{} evidence",
    "central_funding": {"yes": "central funding", "no": "no central funding"},
    "mandate": {"yes": "a mandate", "no": "no mandate"},
    "incentive": {"yes": "an incentive payment in hand", "no": "no incentive payment"},
    "contract": {"yes": "a contract route in hand", "no": "no contract route"},
    "regulation": {"yes": "a regulator or audit checks it", "no": "no regulator checks it"},
}
LEVER_WORDS = {"mandate": "the mandate", "incentive": "the incentive payment", "contract": "the contract route",
               "regulation": "the regulator or audit"}
HOLDER_WORDS = {"national-body": "NHS England or the national body responsible",
                "regional-body": "your region or regional body (e.g. the health innovation network)",
                "local-organisation": "a local organisation", "grassroots": "the staff or patients involved"}
FOUNDATION_WORDS = "what most programmes do, in this situation too"
STANDING_WORDS = {"foundation": f"a foundation: {FOUNDATION_WORDS}",
                  "distinctive": "a distinctive choice for a situation like yours", "other": ""}


def holders(field: str, value: str) -> str:
    """The programmes with one (field, value), e.g. "mandated programmes"."""
    return _phrase(_HOLDERS, field, value)


def declared(field: str, value: str) -> str:
    """One declared (field, value) in a few words, e.g. "a mandate", "the setting: acute hospitals"."""
    return _phrase(_DECLARED, field, value)


def counts_sentence(counts: Counts) -> str:
    """"10 of the 18 mandated programmes used it, 5 of the 114 others"."""
    return (f"{counts.used_with} of the {counts.with_total} {holders(counts.field, counts.value)} used it, "
            f"{counts.used_others} of the {counts.others_total} others")


def part_words(part: Part) -> str:
    """How one declared value moves the odds, e.g. "a mandate: odds ×3.1"."""
    return f"{declared(part.field, part.value)}: odds ×{part.odds_ratio:.1f}"


def chance_words(method: MethodAdvice) -> str:
    """"64% (30% of all programmes; ×2.1)"."""
    lift = f"; ×{method.lift:.1f}" if method.base_rate else ""
    return f"{method.chance:.0%} ({method.base_rate:.0%} of all programmes{lift})"


def summary_line(method: MethodAdvice) -> str:
    """One scannable line: the chance, then the single most telling piece of evidence (the lever in hand, the
    ask, the count behind the strongest part, or what programmes like yours did)."""
    return f"{chance_words(method)} — {_evidence(method)}"


def details(method: MethodAdvice, shown: int) -> list[str]:
    """The facts behind a method's advice, one sentence each, for the folded details."""
    lines = []
    if STANDING_WORDS[method.standing]:
        lines.append(f"It is {STANDING_WORDS[method.standing]}.")
    lines += [f"{counts_sentence(c).capitalize()}." for c in method.counts]
    if method.parts:
        lines.append("What moves the estimate most: " + "; ".join(part_words(p) for p in method.parts[:3]) + ".")
    lines.append(alike_sentence(method, shown))
    lines += rule_sentences(method)
    return lines


def alike_sentence(method: MethodAdvice, shown: int) -> str:
    """How many of the programmes most like yours used the method, naming them."""
    users = f" ({', '.join(method.alike_users)})" if method.alike_users else ""
    return f"Of the {shown} programmes most like yours, {len(method.alike_users)} used it{users}."


def rule_sentences(method: MethodAdvice) -> list[str]:
    """What the leader's declarations make of the method: a lever in hand, an ask, resources to secure."""
    lines = []
    if method.lever:
        lines.append(f"In the plan because {LEVER_WORDS[method.lever]} is in your hands: use it on purpose.")
    if method.ask:
        lines.append(f"Your spread lead cannot use this themselves: ask {_or(method.ask)} for it.")
    if method.needs:
        lines.append(f"It needs {method.needs} resources, more than you have: you would need to secure them.")
    if method.unfunded:
        lines.append("It needs substantial resources and no central funding is available: say who will pay.")
    return lines


def notice_sentence(notice: Notice) -> str:
    """A notice in plain words; each says only what the engine did."""
    facts = notice.facts
    if notice.code == "emerging-evidence":
        return ("The collation is for interventions with enough evidence to justify spreading them. With emerging "
                "evidence, build that evidence first and decide on wider spread from the results.")
    if notice.code == "tests-first":
        return (f"Evidence is still emerging, so the plan tests the intervention first ({_and(facts['methods'])}) "
                "with an evaluation alongside, before it spreads.")
    if notice.code == "no-test-method":
        return ("Evidence is still emerging, but no method that tests the intervention could be planned: add a "
                "test with an evaluation before spreading.")
    if notice.code == "no-test-phase":
        return "A mandated standard with proven evidence needs no pilot: the plan has no test phase."
    if notice.code == "short-timescale":
        reason = (f"a {facts['value']} intervention" if facts["because"] == "nature"
                  else f"{label(str(facts['value'])).lower()} organisations or teams")
        return (f"{facts['months']} months is short for {reason}: spreads like this usually need at least "
                f"{facts['needed']} months. Narrow the scope or plan for longer.")
    if notice.code == "asks":
        return f"Some levers are not yours to pull: the plan asks others for {_and(facts['methods'])}."
    raise ValueError(f"no words for notice {notice.code!r}")


def alike_why(programme: Alike) -> str:
    """Why a programme counts as like yours, and where it differs (the heaviest fields first), e.g. "Alike in kind
    of innovation (digital tool, record or remote monitoring), main care setting (community health services).
    Differs in who leads the spread: a national body (yours: a regional body)"."""
    same = ", ".join(f"{_question(field)} ({_value(field, value)})" for field, value in programme.shared[:4])
    differs = "; ".join(f"{_question(field)}: {_value(field, theirs) if theirs else 'not known'} "
                        f"(yours: {_value(field, mine)})" for field, mine, theirs in programme.differs[:3])
    return (f"Alike in {same}." if same else "Alike in little that you declared.") + (
        f" Differs in {differs}." if differs else "")


def alike_short(programme: Alike) -> str:
    """Why a programme counts as like yours, in a few words: what it shares (the heaviest three fields)."""
    same = [_question(field) for field, _ in programme.shared[:3]]
    if not same:
        return "alike in little that you declared"
    return "alike in " + (same[0] if len(same) == 1 else f"{', '.join(same[:-1])} and {same[-1]}")


def advice_warnings(advice: Advice) -> list[str]:
    """The advice's notices as sentences."""
    return [notice_sentence(n) for n in advice.notices]


def _evidence(method: MethodAdvice) -> str:
    if method.lever:
        return f"{LEVER_WORDS[method.lever]} is in your hands"
    if method.ask:
        return f"ask {_or(method.ask)} for it"
    up = method.lift >= 1  # the counts behind the part that moves it the way it went: up, or down below its base rate
    telling = next((c for c, p in zip(method.counts, method.parts, strict=False) if (p.log_odds > 0) == up), None)
    if telling is not None and method.standing != "foundation":
        return counts_sentence(telling)
    if method.standing == "foundation":
        return FOUNDATION_WORDS
    users = len(method.alike_users)
    return f"{users} of the programmes most like yours used it" if users else "few programmes like yours used it"


def _phrase(table: dict[str, dict[str, str] | str], field: str, value: str) -> str:
    words = table[field]
    if isinstance(words, dict):
        return words[value]
    shown = in_sentence(label(value)) if field in _LABELLED else label(value).lower()
    return words.format(shown)


def _question(field: str) -> str:
    """A field as a short noun phrase inside a sentence."""
    from ..profile import FIELD_QUESTIONS

    return "timescale" if field == "timescale" else in_sentence(FIELD_QUESTIONS[field])


def _value(field: str, value: str) -> str:
    return in_sentence(label(value)) if field in _LABELLED else label(value).lower()


def _or(items: Sequence[str]) -> str:
    words = [HOLDER_WORDS.get(item, item) for item in items]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
