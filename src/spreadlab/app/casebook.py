"""The Casebook tab: search the programme library by words, filter and sort it, open a programme's card and compare
it with another (the logic is `spreadlab.casebook`'s, the HTML `spreadlab.views`')."""

from __future__ import annotations

import ipywidgets as widgets

from .. import views
from ..casebook import FILTERS, SORTS, Query, casebook, filter_label
from ..collation import Collation
from ..profile import FIELD_QUESTIONS
from . import fields
from .feedback import message_area, shown_errors

NONE = ""
FILTER_QUESTIONS = {
    "method": "Method used",
    "kind": FIELD_QUESTIONS["kind"],
    "setting": FIELD_QUESTIONS["setting"],
    "scale": FIELD_QUESTIONS["audience_scale"],
    "country": "Country",
    "lead": "Who led the spread",
    "period": "When it started",
}
"""Each filter as the tab asks it (the profile's own questions where the filter is a profile field)."""
CHOOSE_A_PROGRAMME = "Choose a programme…"
CHOOSE_ANOTHER = "Choose another programme…"
NOT_RECORDED = "Not recorded for any programme yet"
SEARCH_EXAMPLES = "e.g. virtual wards, maternity, digital, mandated"


class CasebookTab(widgets.VBox):
    """The tab's widgets and what they do; `show_programme(programme_id)` shows a programme's card (the Plan tab's
    "programmes like yours" use it)."""

    def __init__(self, collation: Collation, *, level: int = 3) -> None:
        self._collation, self._book, self._level = collation, casebook(collation), level
        options = self._book.options()
        self.search = fields.text("Search the casebook", SEARCH_EXAMPLES)
        self.filters = {name: fields.dropdown(FILTER_QUESTIONS[name], [("Any", NONE), *(
            (f"{filter_label(name, value, collation)} ({count})", value) for value, count in options[name])], NONE)
            for name in FILTERS}
        for name, control in self.filters.items():
            if not options[name]:  # no programme records it yet: say so rather than offer only "Any"
                control.options, control.disabled = [(NOT_RECORDED, NONE)], True
        self.sort = fields.dropdown("Sort by", [(words, key) for key, words in SORTS.items()], "best")
        self.messages = message_area()
        self.results = fields.table_area()
        self.picker = fields.dropdown("Open the card of", [(CHOOSE_A_PROGRAMME, NONE)], NONE)
        self.card = fields.table_area()
        by_name = sorted(self._book.cards, key=lambda card: card.name.casefold())
        self.other = fields.dropdown("Compare it with", [(CHOOSE_ANOTHER, NONE), *(
            (card.name, card.programme_id) for card in by_name)], NONE)
        self.comparison = fields.table_area()
        self._quiet = False  # set while `show_programme` resets the controls, so the results are made once
        self.refresh = shown_errors(self.messages)(self._refresh)
        self.show_card = shown_errors(self.messages)(self._show_card)
        self.show_comparison = shown_errors(self.messages)(self._show_comparison)
        for control in [self.search, *self.filters.values(), self.sort]:
            control.observe(self.refresh, names="value")
        self.picker.observe(self.show_card, names="value")
        self.other.observe(self.show_comparison, names="value")
        choices = widgets.Box([*self.filters.values(), self.sort], layout=widgets.Layout(width="100%"))
        choices.add_class("sl-choices")
        intro = views.note(
            f"The programme library as a casebook: {len(self._book.cards)} real spread programmes, each with its "
            "aim, who led it, when, what it reached and the methods it used by stage, every fact with its source. "
            "Search by words, narrow with the filters, open a programme's card, then compare it with another.")
        super().__init__([widgets.HTML(intro), self.search, choices, self.messages, self.results, self.picker,
                          self.card, self.other, self.comparison], layout=widgets.Layout(width="100%"))
        self.refresh()
        self.show_card()

    def query(self) -> Query:
        """The search the controls describe now."""
        return Query(words=self.search.value, sort=self.sort.value,
                     **{name: control.value for name, control in self.filters.items()})

    def show_programme(self, programme_id: str) -> None:
        """Show the card of `programme_id` with every programme listed (words and filters cleared), and move the
        keyboard focus to the card's picker, right above the card."""
        self._book.card(programme_id)  # an unknown id fails here, before anything changes
        self._quiet = True
        try:
            self.search.value = ""
            for control in self.filters.values():
                control.value = NONE
        finally:
            self._quiet = False
        self.refresh()
        self.picker.value = programme_id
        self.picker.focus()

    def _refresh(self, change: object = None) -> None:
        if self._quiet:
            return
        query = self.query()
        matches = self._book.search(query)
        self.results.value = views.casebook_results(matches, len(self._book.cards), words=query.words,
                                                    level=self._level)
        options = [(CHOOSE_A_PROGRAMME, NONE), *((match.card.name, match.card.programme_id) for match in matches)]
        if tuple(options) != self.picker.options:
            current = self.picker.value
            self.picker.options = options
            self.picker.value = current if current in {ident for _, ident in options} else NONE

    def _show_card(self, change: object = None) -> None:
        chosen = self.picker.value
        self.card.value = views.programme_card(self._book.card(chosen), level=self._level) if chosen else \
            views.note(f"Choose a programme in “{self.picker.description}” to see its card.")
        self._show_comparison()

    def _show_comparison(self, change: object = None) -> None:
        chosen, other = self.picker.value, self.other.value
        if not chosen or not other:
            self.comparison.value = ""
        elif chosen == other:
            self.comparison.value = views.note("Choose a programme other than the one whose card is open.")
        else:
            self.comparison.value = views.programme_comparison(self._book.compare(chosen, other), level=self._level)


def build(collation: Collation) -> widgets.Widget:
    """The Casebook tab."""
    return CasebookTab(collation)
