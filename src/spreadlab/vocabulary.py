"""The controlled vocabularies of the collation data and of intervention profiles, in one place.

Ordered vocabularies are listed from least to most, so their position doubles as a rank.
"""

from __future__ import annotations

from typing import Literal, get_args

Provenance = Literal["collation", "collation-summary", "curated"]
Level = Literal["low", "medium", "high"]
Motivation = Literal["extrinsic", "intrinsic", "mixed"]
Stage = Literal["prototype-testing", "spread", "adoption-scale"]
AudienceScale = Literal["local", "regional", "national"]
Timeframe = Literal["short", "medium", "long", "variable"]
Nature = Literal["simple", "complicated", "complex"]
Evidence = Literal["proven", "emerging"]
Footnote = Literal["i", "ii", "iii", "iv", "v", "vi"]
ConsiderationName = Literal["stage", "audience_scale", "resources", "timeframe"]
NasssDomain = Literal[
    "condition", "technology", "value_proposition", "adopters", "organisations", "wider_system", "embedding"
]

PROVENANCES: tuple[str, ...] = get_args(Provenance)
LEVELS: tuple[str, ...] = get_args(Level)
MOTIVATIONS: tuple[str, ...] = get_args(Motivation)
STAGES: tuple[str, ...] = get_args(Stage)
AUDIENCE_SCALES: tuple[str, ...] = get_args(AudienceScale)
TIMEFRAMES: tuple[str, ...] = get_args(Timeframe)
NATURES: tuple[str, ...] = get_args(Nature)
EVIDENCE_LEVELS: tuple[str, ...] = get_args(Evidence)
CONSIDERATIONS: tuple[str, ...] = get_args(ConsiderationName)
NASSS_DOMAINS: tuple[str, ...] = get_args(NasssDomain)

LABELS: dict[str, str] = {
    "collation": "Collation",
    "collation-summary": "Collation (summary)",
    "curated": "Curated",
    "prototype-testing": "Prototype/testing",
    "spread": "Spread",
    "adoption-scale": "Adoption/scale",
    "audience_scale": "Audience and scale",
    "stage": "Stage of development",
    "resources": "Resources needed",
    "timeframe": "Timeframe",
}


def label(value: str) -> str:
    """Return the words a user sees for a vocabulary value (e.g. `prototype-testing` → `Prototype/testing`)."""
    return LABELS.get(value, value.replace("_", " ").replace("-", " ").capitalize())
