"""The plan as files a programme team keeps and edits: a Word document of the outline (python-docx), an Excel
workbook with the ranking and the plan on separate sheets (openpyxl), and the plan as CSV that Excel opens in the
right encoding (UTF-8 with a byte-order mark)."""

from __future__ import annotations

import csv
import io

from ..plan_guide import PlanGuide
from . import exports
from .outline import Block, Outline, source_words

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: without it, Excel on Windows reads UTF-8 as its local code page."""


def to_docx(outline: Outline) -> bytes:
    """The outline as a Word document: the same headings, lists and tables, editable."""
    from docx import Document  # imported here: only the Word download needs python-docx

    document = Document()
    document.core_properties.title = f"{outline.title}: {outline.subtitle}"
    document.add_heading(outline.title, level=0)
    document.add_paragraph(outline.subtitle)
    appendix_started = False
    for section in outline.sections:
        if section.appendix and not appendix_started:
            document.add_page_break()
            appendix_started = True
        document.add_heading(section.heading, level=section.level - 1)
        for block in section.blocks:
            _docx_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_block(document, block: Block) -> None:  # noqa: ANN001  (python-docx's Document)
    if block.kind == "paragraph":
        document.add_paragraph(block.text)
    elif block.kind == "warning":
        paragraph = document.add_paragraph()
        paragraph.add_run("Warning: ").bold = True
        paragraph.add_run(block.text)
    elif block.kind in ("bullets", "numbered"):
        style = "List Number" if block.kind == "numbered" else "List Bullet"
        for item in block.items:
            paragraph = document.add_paragraph(item.text, style=style)
            if item.source is not None:
                paragraph.add_run(source_words(item)).italic = True
    else:
        table = document.add_table(rows=1, cols=len(block.header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, block.header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in block.rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text


def plan_csv(guide: PlanGuide) -> bytes:
    """The plan, one row per planned method, as CSV that Excel opens correctly (UTF-8 with a BOM)."""
    frame = exports.plan_frame(guide)
    text = io.StringIO()
    frame.to_csv(text, index=False, quoting=csv.QUOTE_MINIMAL)
    return text.getvalue().encode(CSV_ENCODING)


def plan_workbook(guide: PlanGuide) -> bytes:
    """An Excel workbook: the plan on one sheet, the ranking of every method on another, each with its header row
    frozen and its columns sized to their contents."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the sheets below are made by name, in order
    sheets = (("Plan", exports.plan_frame(guide)), ("Ranking", exports.ranking_frame(guide.plan.advice)))
    for title, frame in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(frame.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            sheet.append([_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for letter_index, column in enumerate(sheet.iter_cols(), start=1):
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[get_column_letter(letter_index)].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    """A value as a spreadsheet cell: numbers stay numbers, missing values are empty, text that a spreadsheet
    would run as a formula is kept as text."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
