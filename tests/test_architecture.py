"""The package's import structure: no cycles, and no private name used outside its module."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import jeugdgov

PACKAGE = Path(jeugdgov.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in a module, at any depth."""
    tree = ast.parse(MODULES[name].read_text(), filename=str(MODULES[name]))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def import_graph() -> nx.DiGraph:
    """Modules of jeugdgov and what they import; ``from a import b`` of submodule b is an edge to a.b."""
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for name in MODULES:
        for module, names in imports(name):
            targets = [f"{module}.{n}" if f"{module}.{n}" in MODULES else module for n in names] or [module]
            graph.add_edges_from((name, t) for t in targets if t in MODULES and t != name)
    return graph


def test_the_walk_finds_function_level_imports():
    assert ("jeugdgov.sparql.library", ["ParameterError"]) in imports("jeugdgov.cli")


def test_no_import_cycle_between_modules():
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_no_import_cycle_between_subpackages():
    def package(module: str) -> str:
        return ".".join(module.split(".")[:2])

    graph = nx.DiGraph()
    for source, target in import_graph().edges:
        if package(source) != package(target) and package(target) != "jeugdgov":
            graph.add_edge(package(source), package(target))
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"cycles between subpackages: {cycles}"


def test_no_private_name_imported_from_another_module():
    private = [f"{name} imports {module}.{n}" for name in MODULES for module, names in imports(name)
               if module.startswith("jeugdgov") for n in names if n.startswith("_") and n != "__version__"]
    assert private == []


def test_tests_and_benchmarks_import_no_private_name():
    root = PACKAGE.parents[1]
    private = []
    for path in [*root.glob("tests/*.py"), *root.glob("benchmarks/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jeugdgov"):
                private.extend(f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_"))
    assert private == []
