"""What tests share: paths, Turtle snippets parsed into setups, the bundled setups, the example
calls of named queries, installed commands."""

from __future__ import annotations

import shutil
import sys
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from rdflib import Graph
from shape_cases import PREFIXES

from jeugdgov import Setup, load, validate
from jeugdgov.sparql.library import NamedQuery

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def setup_from(turtle: str, name: str = "example") -> Setup:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return Setup(name=name, graph=graph, source=Path(f"{name}.ttl"))


def defects_found(turtle: str, *selection: str) -> set[str]:
    report = validate(setup_from(turtle), defects=list(selection) or None)
    return {f.defect for f in report.findings}


@cache
def bundled_setups() -> dict[str, Setup]:
    """Every setup of data/, by name, read once per test run."""
    return {s.name: s for s in load(DATA)}


def installed_command(name: str) -> str:
    """A console script of this environment, whether or not the environment is activated."""
    beside_python = Path(sys.executable).parent / name
    command = str(beside_python) if beside_python.exists() else shutil.which(name)
    assert command, f"the {name} command is not installed: run pip install -e '.[test]'"
    return command


def query_examples(query: NamedQuery) -> list[tuple[list[str], dict[str, str]]]:
    """(data files, parameters) of each example call, from the command line or the URL."""
    found = []
    for example in query.examples:
        if example.startswith("GET "):
            found.append(([], dict(parse_qsl(urlsplit(example[4:]).query))))
            continue
        command = example.split(";")[-1].split()
        assert command[:3] == ["jeugdgov", "query", query.name], example
        params = dict(command[i + 1].split("=", 1) for i, word in enumerate(command) if word == "--param")
        files = [w for w in command[3:] if w.endswith((".ttl", ".trig"))]
        found.append((files, params))
    return found
