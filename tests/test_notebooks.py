"""The example notebooks run from top to bottom, show pictures, and are committed without outputs."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))


def test_the_examples_are_there():
    names = {p.stem for p in NOTEBOOKS}
    assert {"lelystad-phases", "zhz-current-vs-recommended", "findings-walkthrough"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: strip the outputs before committing"
            assert cell.execution_count is None, f"{path.name}: strip the execution counts before committing"


def jeugdgov_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import from jeugdgov in a notebook's code cells."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "jeugdgov":
                found.append((node.module, [alias.name for alias in node.names]))
            elif isinstance(node, ast.Import):
                found += [(alias.name, []) for alias in node.names if alias.name.split(".")[0] == "jeugdgov"]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_declared_public_names(path: Path):
    """A notebook imports from jeugdgov's packages only the names their __all__ declares, not
    from the modules inside them."""
    imports = jeugdgov_imports(path)
    assert imports, f"{path.name} imports nothing from jeugdgov"
    for module_name, names in imports:
        module = importlib.import_module(module_name)
        assert hasattr(module, "__path__") or module_name == "jeugdgov", f"{path.name}: {module_name} is a module"
        undeclared = set(names) - set(module.__all__)
        assert not undeclared, f"{path.name}: {module_name} does not declare {sorted(undeclared)}"


@pytest.mark.parametrize("package", sorted({m for p in NOTEBOOKS for m, _names in jeugdgov_imports(p)}))
def test_packages_a_notebook_uses_declare_what_they_offer(package: str):
    module = importlib.import_module(package)
    assert module.__all__ and all(getattr(module, name, None) is not None for name in module.__all__), package


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, if a cell fails
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook draws pictures"
    if path.stem == "findings-walkthrough":  # the reports and findings show as tables
        assert sum("<table" in o.get("data", {}).get("text/html", "") for o in outputs) >= 3
