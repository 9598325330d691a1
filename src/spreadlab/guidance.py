"""Guidance for a plan: actions, roles, adopters, measures, gates, costs, risks, asks, evaluation, communication and
routes to sustain the change, each from `data/guidance/` with its source, and the rule that says which apply.

    import spreadlab
    from spreadlab.guidance import Situation, guidance_for

    collation = spreadlab.load()
    situation = Situation.from_profile(profile, method_ids=("demonstrator-sites",), stages=("test",))
    for match in guidance_for(collation, "measure", situation):   # most specific first
        match.item.text, match.item.measure_type, match.item.source.url, match.because

The matching rule (one place: `Conditions.match`). An item applies to a situation when every key it fills matches:

- `methods`, `stages`, `domains`: the item's list and the situation's share at least one value (the situation's
  methods in the plan or phase, its stages, its NASSS domains rated complex);
- `kinds`, `settings`, `leads`, `evidence`: the situation's value is in the item's list; a value the situation does
  not know (None) matches no filled key, so nothing is shown that the profile does not support;
- `levers_in_hand`: every lever listed is in hand; `levers_not_in_hand`: none of the levers listed is in hand. A
  lever counts as in hand only when the profile says yes, so an ask for a lever applies when it is not declared.

An empty key matches every situation. Matches come most specific first, then in the data's order: an item is the
more specific the more keys it fills other than `stages` (a phase always has a stage, so a stage says when an item
applies, not that it fits this situation better).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .guidance_records import Conditions, Guidance, GuidanceItem, Situation, Source
from .vocabulary import GUIDANCE_TYPES, GuidanceType

if TYPE_CHECKING:
    from .collation import Collation


@dataclass(frozen=True, slots=True)
class GuidanceMatch:
    """An item that applies, and why.

    Attributes:
        item: the guidance.
        because: each key the item depends on, with the situation's values that met it, e.g.
            `(("methods", ("social-franchising-licensing",)),)`; empty when the item applies to every situation.
    """

    item: GuidanceItem
    because: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def specificity(self) -> int:
        """How many of the situation's facts the item depends on, stages apart (the module's ordering rule)."""
        return sum(key != "stages" for key, _ in self.because)


def guidance_for(collation: Collation, type: GuidanceType, situation: Situation) -> tuple[GuidanceMatch, ...]:
    """The items of one type that apply to `situation`, most specific first (see the module's matching rule).

    Raises:
        ValueError: `type` is not a guidance type (the message lists them).
    """
    if type not in GUIDANCE_TYPES:
        raise ValueError(f"unknown guidance type {type!r} (allowed: {', '.join(GUIDANCE_TYPES)})")
    matches = []
    for item in collation.guidance.items:
        if item.type != type:
            continue
        because = item.when.match(situation)
        if because is not None:
            matches.append(GuidanceMatch(item, because))
    return tuple(sorted(matches, key=lambda match: -match.specificity))  # sorted() is stable: data order holds


__all__ = ["Conditions", "Guidance", "GuidanceItem", "GuidanceMatch", "Situation", "Source", "guidance_for"]
