"""Shared helpers: parse Turtle snippets into setups and collect defect ids."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from shape_cases import PREFIXES

from jeugdgov import Setup, validate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def setup_from(turtle: str, name: str = "example") -> Setup:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return Setup(name=name, graph=graph, source=Path(f"{name}.ttl"))


def defects_found(turtle: str, *selection: str) -> set[str]:
    report = validate(setup_from(turtle), defects=list(selection) or None)
    return {f.defect for f in report.findings}


def installed_command(name: str) -> str:
    """A console script of this environment, whether or not the environment is activated."""
    beside_python = Path(sys.executable).parent / name
    command = str(beside_python) if beside_python.exists() else shutil.which(name)
    assert command, f"the {name} command is not installed: run pip install -e '.[test]'"
    return command


@pytest.fixture(scope="session")
def jeugdgov_command() -> str:
    return installed_command("jeugdgov")
