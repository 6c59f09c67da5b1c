"""The %%sparql magic in a real Jupyter kernel: SPARQL text and named queries, on the bundled
data, a loaded setup, a store and an endpoint, shown as tables and kept with --out."""

from __future__ import annotations

import nbformat
import pytest
from helpers import DATA
from nbclient import NotebookClient
from servers import jeugdgov_serve

#: a kernel starts and pandas imports: seconds
pytestmark = pytest.mark.slow

COUNT_SETUPS = """PREFIX jg: <https://w3id.org/jeugdgov/def#>
SELECT (COUNT(DISTINCT ?setup) AS ?setups) WHERE { GRAPH ?g { ?setup a jg:Setup } }"""


def execute(*sources: str) -> list[list[dict]]:
    """Run code cells in a fresh kernel; the outputs of each."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True).execute()
    return [cell.outputs for cell in notebook.cells]


def text(outputs: list[dict]) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)


def html(outputs: list[dict]) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs)


def test_the_magic_runs_text_and_named_queries_on_setups_stores_and_files(tmp_path):
    outputs = execute(
        "%load_ext jeugdgov",
        f"%%sparql --out counted\n{COUNT_SETUPS}",
        "print('setups:', int(counted['setups'][0]))",
        f"import jeugdgov\nsetup = jeugdgov.load({str(DATA / 'lelystad.trig')!r})[0]",
        f"%%sparql --source setup --out one\n{COUNT_SETUPS}",
        "print('one:', int(one['setups'][0]))",
        "%sparql setups --source setup lang=en --out rows",
        "print('label:', rows['label'][0])",
        f"%%sparql -s {DATA / 'zhz.trig'}\nsetups",
        "%%sparql\nASK { ?s ?p ?o }",
        "%sparql setups lang=xx",
        "%%sparql --source no_such_thing\nASK {}",
        "%%sparql\nSELECT * WHERE { ?s ?p }",
        "%sparql setups --out 1x",
        "number = 5",
        "%%sparql --source number\nASK {}",
        "%sparql setups lang=xx --lang en",
    )
    assert not [o for cell in outputs for o in cell if o.output_type == "error"]
    assert "<table" in html(outputs[1])  # a table, also when kept
    assert "setups: 6" in text(outputs[2])
    assert "one: 1" in text(outputs[5])
    assert "label: Lelystad" in text(outputs[7])
    assert "<table" in html(outputs[8]) and "zhz" in html(outputs[8]).lower()
    assert "True" in html(outputs[9]) + text(outputs[9])
    for bad in [*outputs[10:14], outputs[15]]:  # one line saying what is wrong, in Dutch; no traceback, no table
        assert text(bad).startswith("fout: ") and "Traceback" not in text(bad) and not html(bad)
    assert "lang" in text(outputs[10]) and "no_such_thing" in text(outputs[11]) and "1x" in text(outputs[13])
    assert "number" in text(outputs[15]) and "int" in text(outputs[15])
    assert "geen namen in de taal 'xx'" in text(outputs[10])
    assert text(outputs[16]).startswith("error: parameter 'lang': no labels in language 'xx'")


def test_the_magic_asks_an_endpoint(tmp_path):
    with jeugdgov_serve(tmp_path, str(DATA / "lelystad.trig"), "--quiet") as base:
        outputs = execute("%load_ext jeugdgov", f"%%sparql --source {base}/query --out remote\n{COUNT_SETUPS}",
                          "print('remote:', int(remote['setups'][0]))")
    assert "remote: 3" in text(outputs[2])
