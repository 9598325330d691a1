"""The notebooks run headless from top to bottom in a real kernel, show widgets, and are committed without outputs."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from spreadlab.paths import NOTEBOOKS_DIR

NOTEBOOKS = ["explore.ipynb", "dashboard.ipynb"]
KERNEL_START_TIMEOUT = 60
CELL_TIMEOUT = 120
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
PLOTLY = "application/vnd.plotly.v1+json"


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / name, as_version=4)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(name: str):
    notebook = _read(name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.mark.kernel
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_headless(name: str):
    notebook = _read(name)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, startup_timeout=KERNEL_START_TIMEOUT,
                            kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    client.execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert any(WIDGET_VIEW in output.get("data", {}) for output in outputs)
    if name == "explore.ipynb":  # the filter and the comparison each draw a chart inside their widgets
        state = notebook.metadata.widgets[WIDGET_STATE]["state"]
        drawn = [model for model in state.values() if model["model_name"] == "OutputModel"
                 and any(PLOTLY in output.get("data", {}) for output in model["state"].get("outputs", []))]
        assert len(drawn) == 2
