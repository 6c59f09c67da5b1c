"""Start-up of the command: validating RDF files to JSON imports only what it uses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data"
#: What validating RDF input with the fast engine has no use for: workbooks (their writer and
#: their reader's mapping), pictures, the server, the HTML report, the reference engine and
#: rdflib's SPARQL parser (the query checks are kept from an earlier run), and rich, which only
#: text output and a terminal need.
UNUSED = ("openpyxl", "yaml", "matplotlib", "uvicorn", "starlette", "jinja2", "pyshacl", "pyparsing", "numpy",
          "networkx", "owlready2", "SPARQLWrapper", "rich")
#: Parts of jeugdgov itself that only other inputs and commands use: reading workbooks, the
#: named-query library, the notebook API, reading and writing a SPARQL store, the help's texts;
#: and what one file off a terminal needs not: worker processes, a progress display.
UNUSED_HERE = ("jeugdgov.workbook.reading", "jeugdgov.workbook.mapping", "jeugdgov.sparql.library",
               "jeugdgov.notebook", "jeugdgov.stores.remote", "jeugdgov.stores.push",
               "jeugdgov.validation.fast.in_store", "jeugdgov.help_nl", "jeugdgov.help_types",
               "concurrent.futures.process", "rich.progress")


def _imported(*args: str, cache: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "jeugdgov", *args], capture_output=True,
                            text=True, env=environment, timeout=300)
    modules = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", result.stderr, re.MULTILINE))
    return modules | {name.split(".")[0] for name in modules}, result


@pytest.mark.slow  # the installed command, twice, with -X importtime
def test_validate_to_json_imports_only_what_it_uses(tmp_path):
    command = ("validate", str(DATA / "lelystad.trig"), "--format", "json")
    first, _ = _imported(*command, cache=tmp_path)  # fills the cache of query checks
    assert "pyparsing" in first  # the checks were made: the parser is only skipped when kept
    imported, result = _imported(*command, cache=tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    assert json.loads(result.stdout)["findings"]
    assert {"jeugdgov", "pyoxigraph", "typer"} <= imported  # the measurement sees imports at all
    assert imported.isdisjoint(UNUSED), sorted(imported & set(UNUSED))
    assert imported.isdisjoint(UNUSED_HERE), sorted(imported & set(UNUSED_HERE))
