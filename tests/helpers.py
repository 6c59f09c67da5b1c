"""What tests share: paths, Turtle snippets parsed into setups, the bundled setups, the example
calls of named queries, installed commands, the command run in this process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Graph
from shape_cases import PREFIXES

from jeugdgov import Setup, cli, load, validate
from jeugdgov.sparql.library import NamedQuery

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
#: The two engines, for tests that must hold for both; pySHACL takes seconds where the fast
#: engine takes milliseconds, so its cases run in the full suite only (marked slow).
ENGINES = ["fast", pytest.param("pyshacl", marks=pytest.mark.slow)]


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


def jeugdgov(*args: object, cwd: str | Path | None = None,
             env: Mapping[str, str | None] | None = None) -> subprocess.CompletedProcess[str]:
    """``jeugdgov ARGS`` run in this process through the entry point's own ``main`` (its messages
    and exit codes), as the installed command runs it but without starting Python and importing
    every library again (a second or more a call). ``env`` changes variables (None removes one);
    stdin is empty and never a terminal."""
    arguments = [str(a) for a in args]
    before, previous = sys.argv, Path.cwd()
    consoles = (cli.stdout(), cli.stderr())
    widths = [console.width for console in consoles]
    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        sys.argv = ["jeugdgov", *arguments]
        for console in consoles:  # as a fresh process sets them: COLUMNS, else 80 off a terminal
            console.width = int(os.environ.get("COLUMNS") or 80)
        try:
            if cwd is not None:
                os.chdir(cwd)
            cli.main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        finally:
            sys.argv = before
            os.chdir(previous)
            for console, width in zip(consoles, widths, strict=True):
                console.width = width
        sys.stdout.flush()
        sys.stderr.flush()
        return subprocess.CompletedProcess(["jeugdgov", *arguments], code, stdout.getvalue().decode(),
                                           stderr.getvalue().decode())


def children_of(pid: int) -> set[int]:
    """The child processes of a process, zombies included, from /proc (none once it has ended)."""
    try:
        return {int(child) for task in os.listdir(f"/proc/{pid}/task")
                for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def ctrl_c_reachable() -> None:
    """For ``Popen(preexec_fn=...)`` in tests that press Ctrl-C: a test run started in the
    background of a shell ignores SIGINT, and its commands would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
