"""The Plan tab's start: load one of the bundled examples by its name, or upload a plan file (or a plain profile) the
user saved; a bad file is said in the tab's message area, one line per problem naming the field."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from .. import views
from ..collation import Collation
from ..examples import examples
from ..plan_file import PlanFile
from . import fields
from .feedback import shown_errors

LOAD_HEADING = "Start from an example or a saved plan"
NO_EXAMPLE = ""
UPLOAD = "Upload a saved plan or profile (YAML)"


class PlanLoader(widgets.VBox):
    """An example picker with its button, and a file upload; each hands `load` the plan file it read."""

    def __init__(self, collation: Collation, load: Callable[[PlanFile], None], messages: widgets.HTML) -> None:
        bundled = {example.path.stem: example for example in examples()}
        self.example = fields.dropdown("An example", (("Choose an example…", NO_EXAMPLE),
                                                      *((e.name, stem) for stem, e in bundled.items())), NO_EXAMPLE)
        self.load_example = fields.button("Load the example", "folder-open")
        self.load_example.disabled = True
        self.upload = widgets.FileUpload(accept=".yaml,.yml", multiple=False, description=UPLOAD,
                                         layout=widgets.Layout(width="auto", max_width="100%", height="auto"))
        self.upload.add_class("sl-upload")
        self.upload.add_class(fields.WRAPPING)

        @shown_errors(messages)
        def example_chosen(_: object = None) -> None:
            load(bundled[self.example.value].read())

        @shown_errors(messages)
        def uploaded(change: dict) -> None:
            if not change["new"]:  # emptied below, ready for the next file
                return
            (file,) = change["new"]
            try:
                load(PlanFile.from_text(bytes(file["content"]), source=file["name"], collation=collation))
            finally:
                self.upload.value = ()

        self.example.observe(lambda change: setattr(self.load_example, "disabled", change["new"] == NO_EXAMPLE),
                             names="value")
        self.load_example.on_click(example_chosen)
        self.upload.observe(uploaded, names="value")
        super().__init__([
            widgets.HTML(views.question_group(LOAD_HEADING, level=3)),
            widgets.HTML(views.note("Load one of the bundled examples, or a plan you saved here with “Save the "
                                    "plan”: it fills the form below and shows the plan with your changes.")),
            self.example, fields.row(self.load_example), fields.row(self.upload),
        ], layout=widgets.Layout(width="100%"))
        self.add_class("sl-plan-loader")
