"""The fast engine against a real `oxigraph serve`: the shape queries run in the store and find
what local validation finds."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from helpers import DATA, ROOT, installed_command
from servers import oxigraph, serving

import jeugdgov.stores.remote
from jeugdgov import load
from jeugdgov.validation import ValidationOptions
from jeugdgov.validation.fast.in_store import ONTOLOGY, validate_endpoint

#: Every test here runs against an `oxigraph serve` started for it.
pytestmark = pytest.mark.slow


SHARED = "https://w3id.org/jeugdgov/id/lelystad/gedeeld"


def put(base: str, graph: str | None, quads: list[ox.Quad]) -> None:
    body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    target = f"{base}/store?graph={quote(graph, safe='')}" if graph else f"{base}/store?default"
    request = urllib.request.Request(target, data=body, method="POST",
                                     headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def lelystad_and_ontology(shared_as: str | None) -> dict[str | None, list[ox.Quad]]:
    """Graph name -> quads: Lelystad's setups, its shared default graph (named or not), the ontology."""
    quads = list(ox.parse(path=str(DATA / "lelystad.trig"), base_iri=(DATA / "lelystad.trig").resolve().as_uri()))
    graphs: dict[str | None, list[ox.Quad]] = {}
    for quad in quads:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(shared_as if name is None else name, []).append(quad)
    ontology_graph = ONTOLOGY if shared_as else None
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graphs.setdefault(ontology_graph, []).extend(ox.parse(path=str(path)))
    return graphs


@pytest.fixture
def local_findings(pyshacl_reference) -> Counter:
    return Counter((f.setup, f.defect, f.focus, f.value)
                   for s in load(DATA / "lelystad.trig") for f in pyshacl_reference(s.name).findings)


@pytest.fixture(scope="module")
def named_layout(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("named")
    with oxigraph(folder, union=False) as base:
        for graph, quads in lelystad_and_ontology(shared_as=SHARED).items():
            put(base, graph, quads)
        yield base


def test_queries_run_in_the_store_and_find_what_local_validation_finds(named_layout, monkeypatch, local_findings):
    def no_fetching(*_args, **_kwargs):
        raise AssertionError("the setups were fetched instead of validated in the store")

    monkeypatch.setattr(jeugdgov.stores.remote, "fetch_setups", no_fetching)
    reports = validate_endpoint(f"{named_layout}/query", options=ValidationOptions(shared=[SHARED], fetch=False))
    assert sorted(r.setup.name for r in reports) == ["lelystad-cooperatie", "lelystad-jel", "lelystad-netwerk"]
    found = Counter((f.setup, f.defect, f.focus, f.value) for r in reports for f in r.findings)
    assert found == local_findings
    cooperative = next(r for r in reports if r.setup.name == "lelystad-cooperatie")
    passed_on = next(f for f in cooperative.findings if f.defect == "subsidy-passed-on")
    assert passed_on.evidence == "unrecorded", "the unclear permission is asked in the store too"
    message = passed_on.message("en")
    assert "permit passing the subsidy on" in message and "Gemeente Lelystad" in message


def test_cli_validates_in_the_store(named_layout):
    result = subprocess.run([installed_command("jeugdgov"), "validate", "--endpoint", f"{named_layout}/query",
                             "--in-store", "--shared-graph", SHARED, "--setup", "lelystad-cooperatie",
                             "--format", "json"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert [s["name"] for s in document["setups"]] == ["lelystad-cooperatie"]
    assert {"subsidy-passed-on", "no-stake", "money-vs-accountability"} <= {f["defect"] for f in document["findings"]}
    assert "note:" not in result.stderr


def test_a_store_without_the_ontology_is_refused(tmp_path):
    with oxigraph(tmp_path, union=False) as base:
        graphs = lelystad_and_ontology(shared_as=SHARED)
        for graph, quads in graphs.items():
            if graph != ONTOLOGY:
                put(base, graph, quads)
        result = subprocess.run([installed_command("jeugdgov"), "validate", "--endpoint", f"{base}/query",
                                 "--in-store", "--shared-graph", SHARED], capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    assert "no jeugdgov ontology" in result.stderr and result.stdout == ""


def test_an_unnamed_default_graph_is_fetched_and_said_so(tmp_path, local_findings):
    notes: list[str] = []
    with oxigraph(tmp_path, union=False) as base:
        for graph, quads in lelystad_and_ontology(shared_as=None).items():
            put(base, graph, quads)
        reports = validate_endpoint(f"{base}/query", options=ValidationOptions(note=notes.append))
    assert notes and "fetched" in notes[0]
    found = Counter((f.setup, f.defect, f.focus, f.value) for r in reports for f in r.findings)
    assert found == local_findings


def test_unknown_shared_graph_is_bad_input(named_layout):
    from jeugdgov import InputError

    with pytest.raises(InputError, match="has no graph"):
        validate_endpoint(f"{named_layout}/query", options=ValidationOptions(shared=["https://example.org/nothing"]))


@contextmanager
def dropping_proxy(target: str) -> Iterator[str]:
    """A store that answers wrongly: it forwards every query to ``target`` and drops the first
    row of each answer that names focus nodes."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = urllib.request.Request(target, data=body, method="POST", headers={
                "Content-Type": self.headers["Content-Type"], "Accept": self.headers.get("Accept", "")})
            with urllib.request.urlopen(request, timeout=60) as response:
                media, answer = response.headers["Content-Type"], response.read()
            if "json" in media:
                document = json.loads(answer)
                if "this" in document.get("head", {}).get("vars", []) and document["results"]["bindings"]:
                    document["results"]["bindings"].pop(0)
                answer = json.dumps(document).encode()
            self.send_response(200)
            self.send_header("Content-Type", media)
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: object) -> None:
            pass

    with serving(Handler, "/query") as url:
        yield url


def test_a_store_that_drops_rows_is_refused_by_the_check(named_layout, local_findings):
    from jeugdgov import InputError

    with dropping_proxy(f"{named_layout}/query") as proxy:
        with pytest.raises(InputError, match="answers the shape queries differently") as caught:
            validate_endpoint(proxy, options=ValidationOptions(shared=[SHARED], check_setup="lelystad-cooperatie",
                                                               fetch=False))
        assert proxy in str(caught.value) and "only locally" in str(caught.value) and "--in-store" in str(caught.value)
        # Without the check the wrong answers would have been reported as findings.
        unchecked = validate_endpoint(proxy, options=ValidationOptions(shared=[SHARED], check=False, fetch=False))
    found = Counter((f.setup, f.defect, f.focus, f.value) for r in unchecked for f in r.findings)
    assert found != local_findings


def test_the_check_passes_a_store_that_answers_right(named_layout, local_findings):
    reports = validate_endpoint(f"{named_layout}/query", options=ValidationOptions(
        shared=[SHARED], check_setup="lelystad-cooperatie", fetch=False))
    found = Counter((f.setup, f.defect, f.focus, f.value) for r in reports for f in r.findings)
    assert found == local_findings


def test_every_bundled_setup_pushed_to_oxigraph_is_validated_in_the_store_as_locally(tmp_path):
    """The layout `jeugdgov push` writes: each setup and shared graph named, the ontology in its own."""
    def findings(output: str) -> set[tuple[str, str, str, str | None]]:
        return {(f["setup"], f["defect"], f["focus"], f["value"]) for f in json.loads(output)["findings"]}

    setups = {s.name for s in load(DATA) if s.node is not None}
    local = subprocess.run([installed_command("jeugdgov"), "validate", DATA, "--format", "json"],
                           capture_output=True, text=True, timeout=600)
    assert local.returncode == 1, local.stderr
    with oxigraph(tmp_path, union=False) as base:
        pushed = subprocess.run([installed_command("jeugdgov"), "push", DATA, "--endpoint", f"{base}/update"],
                                capture_output=True, text=True, timeout=600)
        assert pushed.returncode == 0, pushed.stderr
        result = subprocess.run([installed_command("jeugdgov"), "validate", "--endpoint", f"{base}/query",
                                 "--in-store", "--format", "json"], capture_output=True, text=True, timeout=600)
        assert result.returncode == 1, result.stderr
        assert "note:" not in result.stderr  # validated in the store, not fetched
        assert {s["name"] for s in json.loads(result.stdout)["setups"]} == setups
        assert findings(result.stdout) == {f for f in findings(local.stdout) if f[0] in setups}
        read = subprocess.run([installed_command("jeugdgov"), "validate", "--endpoint", f"{base}/query",
                               "--format", "json"], capture_output=True, text=True, timeout=600)  # read, the default
        assert read.returncode == 1, read.stderr
        assert findings(read.stdout) == findings(result.stdout)
        assert all(f"{base}/query <" in s["source"] for s in json.loads(read.stdout)["setups"])
