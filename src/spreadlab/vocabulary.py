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
PlanStage = Literal["prepare", "test", "spread", "sustain"]
AdopterCount = Literal["few", "dozens", "hundreds"]
Adopters = Literal["frontline-teams", "provider-organisations", "commissioners", "patients-public"]
SpreadLead = Literal["national-body", "regional-body", "local-organisation", "grassroots"]
YesNo = Literal["yes", "no"]
Kind = Literal["digital", "medtech", "medicines", "clinical-practice", "service-model", "reconfiguration",
               "public-campaign", "capability"]
Setting = Literal["primary-care", "acute", "community", "mental-health", "maternity", "social-care", "public-health",
                  "whole-system"]
NasssDomain = Literal[
    "condition", "technology", "value_proposition", "adopters", "organisations", "wider_system", "embedding"
]
Lever = Literal["mandate", "incentive", "contract", "regulation", "central_funding"]
GuidanceType = Literal["action", "role", "adopter-segment", "measure", "gate", "cost", "risk", "ask", "evaluation",
                       "communication", "sustain"]
MeasureType = Literal["adoption", "fidelity", "outcome", "balancing"]
CommunicationPhase = Literal["awareness", "how-to"]
SustainRoute = Literal["commissioning", "contract", "tariff", "ownership", "routine"]

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
PLAN_STAGES: tuple[str, ...] = get_args(PlanStage)
ADOPTER_COUNTS: tuple[str, ...] = get_args(AdopterCount)
ADOPTERS: tuple[str, ...] = get_args(Adopters)
SPREAD_LEADS: tuple[str, ...] = get_args(SpreadLead)
YES_NO: tuple[str, ...] = get_args(YesNo)
KINDS: tuple[str, ...] = get_args(Kind)
SETTINGS: tuple[str, ...] = get_args(Setting)
LEVERS: tuple[str, ...] = get_args(Lever)
"""The levers a profile can declare in hand; each is also an optional yes/no field of the profile."""
GUIDANCE_TYPES: tuple[str, ...] = get_args(GuidanceType)
MEASURE_TYPES: tuple[str, ...] = get_args(MeasureType)
COMMUNICATION_PHASES: tuple[str, ...] = get_args(CommunicationPhase)
SUSTAIN_ROUTES: tuple[str, ...] = get_args(SustainRoute)

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
    "prepare": "Prepare and signal the priority",
    "test": "Test, adapt and evaluate",
    "sustain": "Sustain at scale",
    "few": "A few (up to 10)",
    "dozens": "Dozens (11 to 100)",
    "hundreds": "Hundreds (over 100)",
    "frontline-teams": "Frontline teams",
    "provider-organisations": "Provider organisations",
    "commissioners": "Commissioners and systems",
    "patients-public": "Patients and the public",
    "national-body": "A national body",
    "regional-body": "A regional body (e.g. an AHSN)",
    "local-organisation": "A local organisation",
    "grassroots": "Staff, clinicians or patients themselves",
    "same_situation": "Programmes in the same situation",
    "digital": "Digital tool, record or remote monitoring",
    "medtech": "Device, diagnostic test or other health technology",
    "medicines": "Medicines use or prescribing safety",
    "clinical-practice": "Care bundle, checklist or clinical practice",
    "service-model": "New service, pathway or model of care",
    "reconfiguration": "Reconfiguring where services are provided",
    "public-campaign": "Public behaviour or awareness campaign",
    "capability": "Workforce, culture or improvement capability",
    "primary-care": "Primary care (general practice, pharmacy, dentistry)",
    "acute": "Acute hospitals",
    "community": "Community health services",
    "mental-health": "Mental health and learning disability",
    "maternity": "Maternity and neonatal",
    "social-care": "Social care",
    "public-health": "Public health and the public",
    "whole-system": "Across the whole system",
    "mandate": "A mandate",
    "incentive": "A financial incentive",
    "contract": "A contract route",
    "regulation": "Regulation or inspection",
    "central_funding": "Central funding",
    "action": "Action",
    "role": "Who to involve",
    "adopter-segment": "Adopters, in order",
    "measure": "Measure",
    "gate": "Go/no-go gate",
    "cost": "Cost and who pays",
    "risk": "Risk",
    "ask": "Ask of others",
    "evaluation": "Evaluation",
    "communication": "Communication",
    "adoption": "Adoption and reach",
    "fidelity": "Fidelity",
    "outcome": "Outcome",
    "balancing": "Balancing",
    "awareness": "Awareness",
    "how-to": "Technical how-to",
    "commissioning": "Commissioning",
    "tariff": "Tariff or payment",
    "ownership": "Ownership",
    "routine": "Routine systems",
}


def label(value: str) -> str:
    """Return the words a user sees for a vocabulary value (e.g. `prototype-testing` → `Prototype/testing`)."""
    return LABELS.get(value, value.replace("_", " ").replace("-", " ").capitalize())


def in_sentence(text: str) -> str:
    """`text` as it reads inside a sentence: the first letter lowered, the rest kept, so acronyms survive
    (`A regional body (e.g. an AHSN)` → `a regional body (e.g. an AHSN)`)."""
    return text[:1].lower() + text[1:]
