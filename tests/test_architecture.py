"""The package's import structure: no cycles, stages that import only earlier stages, and no
private name used outside its module."""

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


#: The stages, in order: a stage imports from earlier stages only, and the stages of one tuple
#: import nothing of each other. The rest of the package is either shared by every stage
#: (errors, resources, output, words, ...) or an entry point over all of them (cli, notebook).
STAGES = [
    ("workbook",),
    ("setups",),
    ("sparql",),  # the query library: queries, their text, parameters and results
    ("stores",),  # where setups are kept: the embedded store, external SPARQL stores
    ("validation",),
    ("analysis", "norms", "synth"),
    ("viz", "server", "dossier"),
]
ENTRY_POINTS = {"cli", "notebook", "magic", "watch", "__main__"}


def part(module: str) -> str:
    """The subpackage or top-level module of jeugdgov a module belongs to ("" for jeugdgov itself)."""
    return module.split(".")[1] if "." in module else ""


def stage_of(module: str) -> int | None:
    return next((index for index, names in enumerate(STAGES) if part(module) in names), None)


def test_what_is_beside_the_stages_imports_none_of_them():
    staged = {name for names in STAGES for name in names}
    wrong = sorted(f"{source} imports {target}" for source, target in import_graph().edges
                   if part(source) not in staged | ENTRY_POINTS | {""} and stage_of(target) is not None)
    assert wrong == []


def backward_imports(graph: nx.DiGraph) -> list[str]:
    """The imports of a stage from itself (another subpackage of it) or from a later stage."""
    return sorted(f"{source} imports {target}" for source, target in graph.edges
                  if stage_of(source) is not None and stage_of(target) is not None
                  and stage_of(target) >= stage_of(source) and part(source) != part(target))


def test_each_stage_imports_only_earlier_stages():
    assert backward_imports(import_graph()) == []


def test_the_query_library_knows_no_store_and_the_council_report_no_pictures():
    edges = import_graph().edges
    assert [e for e in edges if part(e[0]) == "sparql" and part(e[1]) == "stores"] == []
    assert [e for e in edges if part(e[0]) == "dossier" and part(e[1]) == "viz"] == []


def test_the_stage_check_sees_a_backward_import_and_allows_a_forward_one():
    graph = nx.DiGraph([("jeugdgov.sparql.library", "jeugdgov.stores.remote"),
                        ("jeugdgov.dossier.html", "jeugdgov.viz.inline"),
                        ("jeugdgov.stores.remote", "jeugdgov.sparql.library"),
                        ("jeugdgov.validation.findings", "jeugdgov.errors")])
    assert backward_imports(graph) == ["jeugdgov.dossier.html imports jeugdgov.viz.inline",
                                       "jeugdgov.sparql.library imports jeugdgov.stores.remote"]


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
