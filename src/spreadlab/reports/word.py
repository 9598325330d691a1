"""The plan's Word file on its way from the report's kernel to the batch: made in the kernel from the plan it just
made (so no row is planned twice) and glued into the executed notebook as an output of Word's own media type, base64
encoded as notebooks keep binary outputs (`render.attach_word`); the batch reads it back (`glued_word`) and writes it
beside the report, and the report page leaves it out."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def encoded(content: bytes) -> str:
    """The Word file as the text an executed notebook keeps."""
    return base64.b64encode(content).decode("ascii")


def glued_word(executed: NotebookNode) -> bytes | None:
    """The Word file glued into an executed report notebook (None when it holds none, or not a valid one)."""
    for cell in executed.cells:
        for output in cell.get("outputs", ()):
            text = output.get("data", {}).get(MEDIA_TYPE)
            if isinstance(text, str):
                try:
                    return base64.b64decode(text, validate=True)
                except binascii.Error:
                    return None
    return None
