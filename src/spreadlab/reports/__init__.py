"""Parameterised HTML and PDF reports (papermill templates in notebooks/reports) and their batch generation.

Submodules are imported on demand: `render`, `case_sections` and `plan_sections` are light (the templates use them
inside the kernel; their HTML comes from `spreadlab.views`); `execute`, `export` and `batch` bring papermill,
nbclient and nbconvert, and `pdf` Playwright. `export.ReportExporter` (nbconvert exporter `spreadlab_report`) and
`engine.ReusedKernelEngine` (papermill engine `spreadlab`) are registered as entry points. `results` holds what a
batch made (rows, statuses, manifest), `files` names and writes files, `lock` keeps one batch per output folder,
`portfolio` reads spreadsheets and YAML portfolios.
"""
