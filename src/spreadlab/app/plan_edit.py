"""The Plan tab's controls that change a plan: move a planned method to another phase or drop it, add any other
method at a chosen phase, undo every change; and, beside each programme like yours, a button to its card and one
that leaves it out of the advice. Each control hands `change` a step from one plan file to the next
(`PlanFile.moving`, `dropping`, `adding`, `leaving_out`, `putting_back`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets
from tornado.ioloop import IOLoop

from .. import views
from ..collation import Collation
from ..plan_file import PlanEdits, PlanFile
from . import fields

if TYPE_CHECKING:
    from .plan_result import PlanResult

Change = Callable[..., None]
"""Makes the plan again after a step from one plan file to the next; `focus_on`, an element id, is where the
focus goes after it."""
SIMILAR_HEADING = "sl-similar-heading"  # where the focus goes when a programme's own buttons are gone
EDITOR_HEADING = "Change the plan"


class PlanEditor(widgets.VBox):
    """The controls that move, drop and add methods; `show` fills them from the plan shown."""

    def __init__(self, collation: Collation, change: Change, *, settle: float = 0) -> None:
        """`settle`: seconds between a click and reading the choices (ipywidgets may send a click before the last
        choice made while the kernel was busy); at once when 0."""
        stages = [(name, stage) for stage, name in views.stage_names(collation).items()]
        self.planned = fields.dropdown("A method in the plan", ())
        self.to_stage = fields.dropdown("Move it to the phase", stages, "spread")
        self.move = fields.button("Move it", "arrows-v")
        self.drop = fields.button("Drop it from the plan", "times")
        self.other = fields.dropdown("A method not in the plan (its chance in this situation)", ())
        self.at_stage = fields.dropdown("Add it at the phase", stages, "spread")
        self.add = fields.button("Add it to the plan", "plus")
        self.undo = fields.button("Undo all my changes", "undo")
        self._stage_of: dict[str, str] = {}
        self.planned.observe(lambda _: self._follow(), names="value")

        def later(step: Callable[[PlanFile], PlanFile]) -> Callable[[object], None]:
            def clicked(_: object) -> None:
                if settle <= 0:
                    change(step)
                else:
                    IOLoop.current().call_later(settle, change, step)
            return clicked
        self.move.on_click(later(lambda saved: saved.moving(self.planned.value, self.to_stage.value)))
        self.drop.on_click(later(lambda saved: saved.dropping(self.planned.value)))
        self.add.on_click(later(lambda saved: saved.adding(self.other.value, self.at_stage.value)))
        self.undo.on_click(later(lambda saved: PlanFile(saved.profile, PlanEdits())))
        super().__init__([
            widgets.HTML(views.question_group(EDITOR_HEADING, level=4)),
            widgets.HTML(views.note("Move or drop a method of the plan, or add one: the plan, its guidance, its "
                                    "timeline and the downloads follow at once.")),
            self.planned, self.to_stage, fields.row(self.move, self.drop),
            self.other, self.at_stage, fields.row(self.add), fields.row(self.undo),
        ], layout=widgets.Layout(width="100%"))
        self.add_class("sl-plan-editor")

    def show(self, result: PlanResult) -> None:
        """Offer the methods of the plan shown to move or drop, and every other method to add."""
        plan = result.plan
        self._stage_of = {p.method_id: phase.stage for phase in plan.phases for p in phase.planned}
        _offer(self.planned, [(f"{p.method} (phase {phase.order})", p.method_id)
                              for phase in plan.phases for p in phase.planned])
        _offer(self.other, [(f"{m.method} ({m.chance:.0%})", m.method_id) for m in plan.advice.methods
                            if m.method_id not in self._stage_of])
        self.move.disabled = self.drop.disabled = self.planned.value is None
        self.add.disabled = self.other.value is None
        self.undo.disabled = not (result.saved.edits or result.saved.exclude)
        self._follow()

    def _follow(self) -> None:
        """The phase to move to starts at the chosen method's own."""
        if self.planned.value in self._stage_of:
            self.to_stage.value = self._stage_of[self.planned.value]


def programme_controls(result: PlanResult, collation: Collation, change: Change,
                       open_card: Callable[[str], None] | None) -> list[widgets.Widget]:
    """Beside each programme like yours, a button that opens its card (with `open_card`) and one that leaves it out
    of the advice; then a button per programme left out that counts it again."""
    controls: list[widgets.Widget] = []
    closest = result.advice.closest
    if closest:
        words = "Open a programme's card in the Casebook tab, or leave it out of the advice if it is not like yours:" \
            if open_card is not None else "Leave a programme out of the advice if it is not like yours:"
        controls.append(widgets.HTML(views.note(words)))
    for programme in closest:
        buttons = []
        if open_card is not None:
            card = fields.button(f"Card of {programme.name}", "folder-open",
                           tooltip=f"Open the card of {programme.name} in the Casebook tab")
            card.add_class("sl-card-link")
            card.on_click(lambda _, ident=programme.programme_id: open_card(ident))
            buttons.append(card)
        leave = fields.button(f"Leave {programme.name} out", "eye-slash",
                        tooltip=f"Leave {programme.name} out of the advice: the plan is made again without it")
        leave.add_class("sl-leave-out")
        leave.on_click(lambda _, ident=programme.programme_id: change(lambda saved: saved.leaving_out(ident),
                                                                    focus_on=SIMILAR_HEADING))
        controls.append(fields.row(*buttons, leave))
    names = dict(zip(collation.programmes["programme_id"], collation.programmes["name"].astype(str), strict=True))
    if result.saved.exclude:
        controls.append(widgets.HTML(views.note("Left out of the advice at your request:")))
    for ident in result.saved.exclude:
        back = fields.button(f"Put {names.get(ident, ident)} back", "eye")
        back.add_class("sl-put-back")
        back.on_click(lambda _, ident=ident: change(lambda saved: saved.putting_back(ident), focus_on=SIMILAR_HEADING))
        controls.append(fields.row(back))
    return controls


def _offer(control: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
    """New options, keeping the choice when it is still among them."""
    kept = control.value if control.value in {value for _, value in options} else None
    control.options = options
    control.value = kept if kept is not None else options[0][1] if options else None
