"""Parameterised HTML reports (papermill templates in notebooks/reports) and their batch generation.

Submodules are imported on demand: `render`, `case_sections` and `plan_sections` are light (the templates use them
inside the kernel; their HTML comes from `spreadlab.views`); `execute`, `export` and `batch` bring papermill,
nbclient and nbconvert. `export.ReportExporter` (nbconvert exporter `spreadlab_report`) and
`engine.ReusedKernelEngine` (papermill engine `spreadlab`) are registered as entry points.
"""
