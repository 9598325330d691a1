"""The casebook: words (by stem, reaching the vocabulary's labels) find the matching programmes in well under a
second, the filters offer only what the data holds, and a card and a comparison carry every fact with its source."""

from __future__ import annotations

import re
import time

import pytest
from markupsafe import escape

import spreadlab
from casebook_data import MANDATED, data_with_kinds, data_without_kinds
from spreadlab import views
from spreadlab.casebook import FILTERS, Casebook, Query, casebook

SEARCH_SECONDS = 1.0


@pytest.fixture(scope="module")
def kinds_book(tmp_path_factory: pytest.TempPathFactory) -> Casebook:
    """The casebook of a data folder in which four programmes have a kind and a setting."""
    return Casebook.from_collation(spreadlab.load(data_with_kinds(tmp_path_factory.mktemp("kinds") / "data")))


@pytest.fixture(scope="module")
def book(collation) -> Casebook:
    return casebook(collation)


def ids(matches) -> list[str]:
    return [match.card.programme_id for match in matches]


def test_every_programme_of_the_library_has_a_card(book, collation):
    assert [card.programme_id for card in book.cards] == list(collation.programmes["programme_id"])
    cases = [card for card in book.cards if card.record_type == "case-example"]
    assert {card.programme_id for card in cases} == set(collation.case_examples["case_id"])


@pytest.mark.parametrize("words", ["virtual wards", "maternity", "digital", "mandated"])
def test_the_four_questions_are_answered_in_under_a_second(book, words):
    started = time.perf_counter()
    found = book.search(Query(words=words))
    assert time.perf_counter() - started < SEARCH_SECONDS
    assert found


def test_virtual_wards_finds_the_programmes_that_speak_of_them(book):
    found = ids(book.search(Query(words="virtual wards")))
    assert "covid-oximetry-at-home" in found
    for card in (match.card for match in book.search(Query(words="virtual wards"))):
        text = " ".join([card.name, card.aim, card.scale_reached or "", *(u.rationale or "" for u in card.methods),
                         *(f.label + f.value for f in card.figures)]).lower()
        assert "virtual" in text and "ward" in text


def test_mandated_finds_every_programme_a_mandate_required_and_none_by_a_no(kinds_book):
    found = kinds_book.search(Query(words="mandated"))
    assert MANDATED in ids(found)
    assert "profile" in next(m for m in found if m.card.programme_id == MANDATED).found_in
    for match in found:
        if match.card.fact("mandate") != "yes":  # found by its own words, never by a "no"
            assert "profile" not in match.found_in, match.card.programme_id


def test_words_reach_the_labels_of_kind_and_setting(kinds_book):
    digital = ids(kinds_book.search(Query(words="digital")))
    maternity = ids(kinds_book.search(Query(words="maternity")))
    assert {"covid-oximetry-at-home", "electronic-prescription-service"} <= set(digital)
    assert {"saving-babies-lives-care-bundle", "prompt-maternity-training"} <= set(maternity)
    # "neonatal" is only in the label of the maternity setting ("Maternity and neonatal") for this programme
    assert "prompt-maternity-training" in ids(kinds_book.search(Query(words="neonatal")))
    assert "profile" in next(m for m in kinds_book.search(Query(words="remote monitoring"))
                             if m.card.programme_id == "covid-oximetry-at-home").found_in


def test_a_word_matches_by_its_start_and_by_its_stem(book):
    assert ids(book.search(Query(words="wards"))) == ids(book.search(Query(words="ward")))
    assert set(ids(book.search(Query(words="matern")))) >= set(ids(book.search(Query(words="maternity"))))
    assert book.search(Query(words="xyzzy")) == []
    assert len(book.search(Query(words="  the  "))) == len(book.cards)  # a stop word alone asks nothing


def test_filters_offer_only_the_values_the_data_holds(book, kinds_book, tmp_path):
    bare = Casebook.from_collation(spreadlab.load(data_without_kinds(tmp_path / "data")))
    assert bare.options()["kind"] == () and bare.options()["setting"] == ()
    assert dict(kinds_book.options()["kind"]) == {"digital": 2, "clinical-practice": 1, "capability": 1}
    assert dict(kinds_book.options()["setting"]) == {"community": 1, "primary-care": 1, "maternity": 2}
    options = book.options()
    assert set(options) == set(FILTERS)
    for name, values in options.items():
        for value, count in values:
            assert len(book.search(Query(**{name: value}))) == count, (name, value)


def test_filters_narrow_the_words_and_every_filter_must_hold(kinds_book):
    found = kinds_book.search(Query(words="maternity", setting="maternity", kind="capability"))
    assert ids(found) == ["prompt-maternity-training"]
    assert kinds_book.search(Query(setting="maternity", country="Australia")) == []
    ninety = kinds_book.search(Query(period="1990s"))
    assert ninety and all(match.card.period_start.startswith("199") for match in ninety)
    national = kinds_book.search(Query(lead="national-body", method="rolling-out"))
    assert national and all(m.card.fact("spread_lead") == "national-body" and "rolling-out" in m.card.method_ids
                            for m in national)


def test_sorting(book):
    by_name = [m.card.name.casefold() for m in book.search(Query(sort="name"))]
    assert by_name == sorted(by_name)
    newest = [m.card.period_start for m in book.search(Query(sort="newest"))]
    assert newest == sorted(newest, reverse=True)
    best = book.search(Query(words="maternity"))
    assert [m.score for m in best] == sorted((m.score for m in best), reverse=True)
    assert "matern" in best[0].card.name.lower()  # "maternal" and "maternity" share their stem
    with pytest.raises(spreadlab.UnknownIdError, match="sort order"):
        book.search(Query(sort="random"))


def test_a_card_holds_the_facts_with_their_sources(book, collation):
    card = book.card("act-fast-stroke-campaign")
    row = collation.programmes.set_index("programme_id").loc["act-fast-stroke-campaign"]
    assert (card.lead, card.aim, card.period_start, card.period_end) == (row.lead, row.aim, "2009-02", None)
    figures = collation.programme_figures[collation.programme_figures["programme_id"] == card.programme_id]
    assert [f.label for f in card.figures] == list(figures["label"])
    assert all(f.source_url for f in card.figures)
    assert [u.stage for u in card.methods] == sorted((u.stage for u in card.methods),
                                                     key=spreadlab.vocabulary.PLAN_STAGES.index)
    profile = collation.programme_profiles.set_index("programme_id").loc[card.programme_id]
    assert card.fact("mandate") == profile["mandate"] and card.fact("kind") == profile["kind"]
    case = book.card("atrial-fibrillation")
    assert case.record_type == "case-example" and case.figures  # the collation's case figures


def test_an_unknown_programme_is_named_with_close_matches(book):
    with pytest.raises(spreadlab.UnknownIdError, match="act-fast-stroke-campaign"):
        book.card("act-fast-stroke")


def test_two_programmes_side_by_side(book):
    comparison = book.compare("act-fast-stroke-campaign", "atrial-fibrillation")
    left, right = set(comparison.left.method_ids), set(comparison.right.method_ids)
    assert set(comparison.shared_methods) == left & right
    assert set(comparison.only_left) == left - right and set(comparison.only_right) == right - left
    page = views.programme_comparison(comparison)
    assert "Act F.A.S.T. stroke awareness campaign and Atrial Fibrillation programme side by side" in page
    assert page.count('data-item="Act F.A.S.T. stroke awareness campaign"') == page.count(
        'data-item="Atrial Fibrillation programme"')


def test_the_card_view_shows_every_figure_source_caveat_and_stage(book):
    card = book.card("act-fast-stroke-campaign")
    page = views.programme_card(card)
    assert f'id="{views.card_anchor(card.programme_id)}"' in page
    for figure in card.figures:
        assert figure.source_url in page and escape(figure.caveat or "") in page
    assert page.count('class="sl-bar"') == len(card.methods)  # one bar per method and stage on the timeline
    for stage in {u.stage for u in card.methods}:
        assert f">{spreadlab.vocabulary.label(stage)}</h5>" in page
    for use in card.methods:
        assert escape(use.rationale or "") in page and escape(use.caveat or "") in page


def test_results_say_how_many_match_and_where_the_words_were_found(kinds_book):
    matches = kinds_book.search(Query(words="mandated"))
    page = views.casebook_results(matches, len(kinds_book.cards), words="mandated")
    assert f"{len(matches)} of {len(kinds_book.cards)} programmes match “mandated”." in page
    assert re.findall(r'<li data-id="([^"]+)"', page) == ids(matches)
    assert "Words found in its situation before it spread" in page
    none = views.casebook_results([], len(kinds_book.cards), words="<b>x</b>")
    assert "No programme matches" in none and "<b>x</b>" not in none
