"""Hypothesis strategies for intervention profiles: every valid one, and every kind of bad value per field, each
field drawn from the profile's one table of choices (`profile.CHOICES`), so a field added there is generated here."""

from __future__ import annotations

from hypothesis import strategies as st

from spreadlab.profile import CHOICES, FIELDS, TIMESCALE_RANGE, InterventionProfile
from spreadlab.vocabulary import NASSS_DOMAINS, NATURES, YES_NO

FREE_FIELDS = ("name", "complexity", "timescale_months")
"""The fields whose values are not one of a list of choices."""
REQUIRED_CHOICES = tuple(field for field in CHOICES
                         if field != "nature" and InterventionProfile.model_fields[field].is_required())
OPTIONAL_CHOICES = tuple(field for field in CHOICES if field != "nature" and field not in REQUIRED_CHOICES)
# Names a person can type: control and invisible formatting characters (categories Cc, Cf) are refused on purpose.
_TYPED = st.characters(blacklist_categories=("Cc", "Cf", "Cs"))
names = st.text(_TYPED, min_size=1, max_size=200).filter(lambda text: text.strip() != "")
assessments = st.fixed_dictionaries({domain: st.sampled_from(NATURES) for domain in NASSS_DOMAINS})


@st.composite
def profile_dicts(draw: st.DrawFn, *, timescales: st.SearchStrategy[int] | None = None) -> dict:
    """Any valid profile: every field of CHOICES with any of its values (an optional one given or not), a
    timescale in range, nature given or derived from an assessment."""
    values = {"name": draw(names), "timescale_months": draw(st.integers(*TIMESCALE_RANGE) if timescales is None
                                                            else timescales)}
    values |= {field: draw(st.sampled_from(CHOICES[field])) for field in REQUIRED_CHOICES}
    values |= {field: draw(st.sampled_from(CHOICES[field])) for field in OPTIONAL_CHOICES if draw(st.booleans())}
    how = draw(st.sampled_from(["nature", "complexity", "both"]))
    if how in ("nature", "both"):
        values["nature"] = draw(st.sampled_from(NATURES))
    if how in ("complexity", "both"):
        values["complexity"] = draw(assessments)
    return values


def _not_a_choice(allowed: tuple[str, ...]) -> st.SearchStrategy:
    text = st.text(max_size=30).filter(lambda value: value.strip().lower() not in allowed)
    others = [text, st.integers(), st.floats(allow_nan=False), st.lists(st.sampled_from(allowed), min_size=1,
                                                                       max_size=2)]
    if allowed != YES_NO:  # YAML reads an unquoted yes or no as a boolean, so a yes/no field takes one
        others.append(st.booleans())
    return st.one_of(*others)


_NOT_TIMESCALE = st.one_of(
    st.integers().filter(lambda n: not 1 <= n <= 120),
    st.floats(allow_nan=True).filter(lambda x: not (x == x and x.is_integer() and 1 <= x <= 120)),
    st.booleans(),
    st.text(max_size=10).filter(lambda text: not (text.strip().isascii() and text.strip().isdigit()
                                                  and 1 <= int(text.strip()) <= 120)),
    st.lists(st.integers(1, 120), min_size=1, max_size=2),
)
_NOT_NAME = st.one_of(
    st.text(alphabet=" \t\n", max_size=5),
    st.text(min_size=201, max_size=300).filter(lambda text: len(" ".join(text.split())) > 200),
    st.booleans(),
    st.lists(st.text(min_size=1), min_size=1, max_size=2),
    st.dictionaries(st.text(min_size=1), st.text(), min_size=1, max_size=2),
)
_NOT_ASSESSMENT = st.one_of(
    st.sampled_from(NATURES),
    st.lists(st.sampled_from(NATURES), max_size=7),
    assessments.flatmap(lambda ratings: st.sampled_from(NASSS_DOMAINS).map(
        lambda domain: {k: v for k, v in ratings.items() if k != domain})),
    st.tuples(assessments, st.sampled_from(NASSS_DOMAINS), _not_a_choice(NATURES).filter(lambda v: v is not None)).map(
        lambda args: args[0] | {args[1]: args[2]}),
    st.tuples(assessments, st.text(min_size=1, max_size=20).filter(lambda key: key not in NASSS_DOMAINS)).map(
        lambda args: args[0] | {args[1]: "simple"}),
)
INVALID_VALUES: dict[str, st.SearchStrategy] = {
    "name": _NOT_NAME,
    "timescale_months": _NOT_TIMESCALE,
    "complexity": _NOT_ASSESSMENT,
    **{field: _not_a_choice(allowed) for field, allowed in CHOICES.items()},
}
unknown_fields = st.text(min_size=1, max_size=30).filter(lambda key: key not in FIELDS)
