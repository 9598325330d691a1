"""Parameterised HTML reports (papermill templates in notebooks/reports) and their batch generation.

Submodules are imported on demand: `render`, `case_sections` and `plan_sections` are light (the templates
use them inside the kernel); `execute`, `export` and `batch` bring papermill, nbclient and nbconvert.
"""
