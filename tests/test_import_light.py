"""`import spreadlab` stays light: plotting, widgets and notebook machinery load only when asked for."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("plotly", "ipywidgets", "papermill", "nbformat", "nbclient", "voila")


def _modules_after(code: str, tmp_path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def _top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def test_import_spreadlab_does_not_import_the_heavy_stack(tmp_path):
    loaded = _top_level(_modules_after("import spreadlab", tmp_path))
    assert "spreadlab" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_loading_the_collation_does_not_import_the_heavy_stack_either(tmp_path):
    loaded = _top_level(_modules_after("import spreadlab; spreadlab.load().method_summary", tmp_path))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_check_can_see_a_heavy_import(tmp_path):
    """The same check notices plotly when something does import it, so the tests above can fail."""
    loaded = _top_level(_modules_after("import spreadlab, plotly.graph_objects", tmp_path))
    assert "plotly" in loaded


def test_every_public_name_is_reachable_from_the_package():
    """Names imported on first use still come from `spreadlab` itself, as `__all__` promises."""
    import spreadlab

    missing = [name for name in spreadlab.__all__ if getattr(spreadlab, name, None) is None]
    assert missing == []
    assert set(spreadlab.__all__) <= set(dir(spreadlab))


def test_the_type_checking_imports_name_the_public_names():
    """The imports for type checkers bring in exactly the public names the package imports on first use."""
    import ast
    import importlib.metadata
    from pathlib import Path

    import spreadlab

    tree = ast.parse(Path(spreadlab.__file__).read_text(encoding="utf-8"))
    guarded = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    typed = {alias.name for node in guarded.body for alias in node.names}
    eager = {"Collation", "load", "CollationError", "ProfileError", "SpreadlabError", "UnknownIdError"}
    assert typed | eager == set(spreadlab.__all__) and not typed & eager
    assert spreadlab.__version__ == importlib.metadata.version("spreadlab")
    assert (Path(spreadlab.__file__).parent / "py.typed").exists()
