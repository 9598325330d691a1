"""The advice and the plan as plain data to save or print: the JSON objects of `recommend --format json` and
`plan --format json` (DESIGN.md), and the ranking as a table for CSV."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..advice import Advice, MethodAdvice
from ..alike import Alike
from ..plan_guide import PlanGuide
from ..planning import Plan, PlanPhase
from ..profile import InterventionProfile
from . import advice_text as text


def profile_json(profile: InterventionProfile) -> dict[str, Any]:
    """The profile as given, plus the nature used and whether it was derived."""
    return profile.to_dict() | {"nature": profile.nature, "nature_derived": profile.nature_derived}


def method_json(method: MethodAdvice, shown: int) -> dict[str, Any]:
    """One method's advice: its chance and the facts and sentences behind it."""
    return {
        "rank": method.rank, "method_id": method.method_id, "method": method.method,
        "approach_id": method.approach_id, "approach": method.approach, "score": method.chance,
        "chance": method.chance, "base_rate": method.base_rate,
        "lift": round(method.lift, 4) if method.base_rate else None, "standing": method.standing,
        "summary": text.summary_line(method),
        "criteria": {
            "situation_model": {"fit": method.model_chance,
                                "reason": "; ".join(text.part_words(p) for p in method.parts[:3]),
                                "parts": [{"field": p.field, "value": p.value, "log_odds": round(p.log_odds, 4)}
                                          for p in method.parts]},
            "programmes_like_yours": {"fit": method.alike_share,
                                      "reason": text.alike_sentence(method, shown),
                                      "users": list(method.alike_users)},
        },
        "counts": [{"field": c.field, "value": c.value, "used_with": c.used_with, "with_total": c.with_total,
                    "used_others": c.used_others, "others_total": c.others_total,
                    "sentence": text.counts_sentence(c)} for c in method.counts],
        "lever": method.lever, "ask": list(method.ask), "needs": method.needs, "unfunded": method.unfunded,
        "rules": text.rule_sentences(method),
        "provenance": method.provenance,
    }


def alike_json(programme: Alike) -> dict[str, Any]:
    """One programme like yours, with why it is alike and where it differs."""
    return {"id": programme.programme_id, "name": programme.name, "similarity": round(programme.similarity, 4),
            "weight": round(programme.weight, 4), "method_ids": list(programme.method_ids),
            "why": text.alike_why(programme),
            "shared": [{"field": f, "value": v} for f, v in programme.shared],
            "differs": [{"field": f, "yours": mine, "theirs": theirs} for f, mine, theirs in programme.differs]}


def advice_json(advice: Advice, *, top: int | None = None) -> dict[str, Any]:
    """The `recommend --format json` object: profile, warnings, note, methods (best first), similar programmes."""
    methods = advice.methods[:top] if top else advice.methods
    return {
        "profile": profile_json(advice.profile),
        "warnings": text.advice_warnings(advice),
        "note": text.NOTE,
        "excluded_programmes": list(advice.excluded),
        "methods": [method_json(m, advice.shown) for m in methods],
        "similar_programmes": [alike_json(p) for p in advice.closest],
    }


def phase_json(phase: PlanPhase) -> dict[str, Any]:
    """One phase: its months and methods, each with why it is there."""
    return {"order": phase.order, "stage": phase.stage, "stages": list(phase.stages), "name": phase.name,
            "purpose": phase.purpose,
            "start_month": phase.start_month, "end_month": phase.end_month,
            "method_ids": list(phase.method_ids), "methods": list(phase.methods),
            "approach_ids": list(phase.approach_ids),
            "planned": [{"method_id": p.method_id, "method": p.method, "approach": p.approach, "why": p.why,
                         "placed": p.placed, "standing": p.standing, "chance": p.advice.chance,
                         "summary": text.summary_line(p.advice), "ask": list(p.advice.ask),
                         "programmes": list(p.alike_users)} for p in phase.planned]}


def plan_json(plan: Plan) -> dict[str, Any]:
    """The `plan --format json` object."""
    return {"profile": profile_json(plan.profile),
            "warnings": [text.notice_sentence(n) for n in plan.notices], "note": text.NOTE,
            "excluded_programmes": list(plan.advice.excluded),
            "phases": [phase_json(phase) for phase in plan.phases],
            "similar_programmes": [alike_json(p) for p in plan.advice.closest]}


def ranking_frame(advice: Advice) -> pd.DataFrame:
    """The ranking as a table (CSV downloads and `recommend --format csv`), with each method's one-line summary."""
    frame = advice.to_frame()
    frame.insert(frame.columns.get_loc("standing") + 1, "summary", [text.summary_line(m) for m in advice.methods])
    return frame


def plan_frame(guide: PlanGuide) -> pd.DataFrame:
    """The plan as a table: one row per planned method, with its phase, months, why it is there, its chance and
    the phase's first actions, measures and risks (CSV and Excel downloads)."""
    rows = []
    for part in guide.phases:
        phase = part.phase
        for planned in phase.planned:
            rows.append({
                "phase": phase.order, "phase_name": phase.name, "start_month": phase.start_month,
                "end_month": phase.end_month, "method_id": planned.method_id, "method": planned.method,
                "approach": planned.approach, "why": planned.why, "standing": planned.standing,
                "chance": planned.advice.chance, "base_rate": planned.advice.base_rate,
                "ask": "; ".join(planned.advice.ask), "summary": text.summary_line(planned.advice),
                "phase_actions": " | ".join(m.item.text for m in part.actions),
                "phase_measures": " | ".join(m.item.text for m in part.measures),
                "phase_risks": " | ".join(m.item.text for m in part.risks),
            })
    return pd.DataFrame(rows)
