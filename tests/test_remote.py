"""External stores: push to a real `oxigraph serve`, query it and validate its setups."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request

import pytest
from helpers import DATA, jeugdgov, query_examples
from rdflib import BNode, Literal
from servers import free_port, get, oxigraph
from SPARQLWrapper import JSON, SPARQLWrapper

from jeugdgov import load
from jeugdgov.sparql.library import library, run
from jeugdgov.stores.embedded import memory_store
from jeugdgov.stores.remote import fetch_setups, query

#: The tests here push to, query and validate an `oxigraph serve` started for them.
pytestmark = pytest.mark.slow

QUERIES = library()


@pytest.fixture(scope="module")
def union_store(tmp_path_factory) -> str:
    """oxigraph with the bundled data pushed by `jeugdgov push` (SPARQL Update), default graph = union."""
    folder = tmp_path_factory.mktemp("oxigraph-union")
    with oxigraph(folder, union=True) as base:
        pushed = jeugdgov("push", DATA, "--endpoint", f"{base}/update")
        assert pushed.returncode == 0, pushed.stderr
        yield base


def solutions(result) -> list[tuple[tuple[str, tuple[str, ...]], ...]]:
    """Solutions in a canonical order. GROUP_CONCAT joins in no defined order, so every value is
    compared as its sorted parts."""
    names = [v.value for v in result.variables]
    return sorted(tuple((n, tuple(sorted(re.split(r"[,;]? ", s[n].value)))) for n in names if s[n] is not None)
                  for s in result)


def test_pushed_setups_are_named_graphs(union_store):
    client = SPARQLWrapper(f"{union_store}/query")
    client.setQuery("SELECT DISTINCT ?id WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/identifier> ?id } }")
    client.setReturnFormat(JSON)
    found = {b["id"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    assert found == {s.name for s in load(DATA) if s.node is not None}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_answers_the_same_on_the_external_store(union_store, name):
    local = memory_store()
    named = QUERIES[name]
    for _files, params in query_examples(named) or [([], {})]:
        bindings = named.bind(params)
        assert solutions(query(f"{union_store}/query", named.text, bindings)) == \
            solutions(run(local, named.text, bindings)), params


def test_query_command_on_an_endpoint(union_store):
    result = jeugdgov("query", "cost-estimates-per-model", "--endpoint", f"{union_store}/query",
                 "--format", "csv", "-p", "model=mdl:huidig")
    assert result.returncode == 0, result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["fteMin"], row["fteMax"], row["costMin"], row["costMax"]) == ("131", "163", "13100000", "16300000")


def test_plain_get_as_a_bi_tool_against_oxigraph(union_store):
    from urllib.parse import urlencode

    text = QUERIES["setups"].text
    status, headers, body = get(f"{union_store}/query?{urlencode({'query': text})}", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(body.decode())))) == 6


def test_setups_from_a_store_equal_the_loaded_ones(tmp_path):
    """Without a union default graph SPARQL reads the shared triples exactly (one CONSTRUCT per setup)."""
    with oxigraph(tmp_path, union=False) as base:
        from jeugdgov.stores.push import push

        push([DATA / "lelystad.trig"], endpoint=f"{base}/update", with_ontology=False)
        fetched = {s.name: s.graph for s in fetch_setups(f"{base}/query")}
    loaded = {s.name: s.graph for s in load(DATA / "lelystad.trig")}
    assert set(fetched) == set(loaded)
    for name, graph in loaded.items():
        assert len(fetched[name]) == len(graph)
        assert _ground(fetched[name]) == _ground(graph)


def _ground(graph) -> set[tuple]:
    """The triples without blank nodes (nor the IRIs push gives them), literals by value (a store
    writes 100.0 as 100)."""
    def blank(node) -> bool:
        return isinstance(node, BNode) or "#genid-" in str(node)
    return {(s, p, (o.toPython(), o.datatype, o.language) if isinstance(o, Literal) else o)
            for s, p, o in graph if not blank(s) and not blank(o)}


def test_pushed_setups_carry_their_shared_graph(union_store):
    """push records which graph each setup shares: a union default graph needs no Graph Store."""
    setups = {s.name: s for s in fetch_setups(f"{union_store}/query")}
    loaded = {s.name: s.graph for s in load(DATA) if s.node is not None}
    assert set(setups) == set(loaded)  # only graphs holding a jg:Setup are setups
    # The shared Lelystad facts are back in each Lelystad setup, and nothing of the other
    # phases' own graphs.
    jel = setups["lelystad-jel"].graph
    assert _ground(loaded["lelystad-jel"]) <= _ground(jel)
    assert len(setups["lelystad-jel"].graph) == len(loaded["lelystad-jel"])
    assert not any(str(s).endswith("/lelystad/jgt-cooperatie") for s in jel.subjects())


def test_union_store_needs_the_graph_store_for_shared_triples(tmp_path):
    """A TriG file loaded as it is (shared triples in the default graph) into a union store."""
    from jeugdgov.errors import InputError

    with oxigraph(tmp_path, union=True) as base:
        request = urllib.request.Request(f"{base}/store", data=(DATA / "lelystad.trig").read_bytes(), method="POST",
                                         headers={"Content-Type": "application/trig"})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        with pytest.raises(InputError, match="union"):
            fetch_setups(f"{base}/query")
        setups = {s.name: s for s in fetch_setups(f"{base}/query", graph_store=f"{base}/store")}
    loaded = {s.name: s.graph for s in load(DATA / "lelystad.trig")}
    assert set(setups) == set(loaded)
    jel = setups["lelystad-jel"].graph
    assert _ground(loaded["lelystad-jel"]) <= _ground(jel)
    assert not any(str(s).endswith("/lelystad/jgt-cooperatie") for s in jel.subjects())


def test_push_with_the_graph_store_protocol(tmp_path):
    with oxigraph(tmp_path, union=False) as base:
        result = jeugdgov("push", DATA / "flevoland-handelingskader.ttl", "--graph-store",
                     f"{base}/store", "--no-ontology")
        assert result.returncode == 0, result.stderr
        again = jeugdgov("push", DATA / "flevoland-handelingskader.ttl", "--graph-store",
                    f"{base}/store", "--no-ontology")  # replaces the graph: nothing doubles
        assert again.returncode == 0
        (setup,) = fetch_setups(f"{base}/query")
    (local,) = load(DATA / "flevoland-handelingskader.ttl")
    assert setup.name == "flevoland-handelingskader" and len(setup.graph) == len(local.graph)


def _findings(output: str) -> set[tuple[str, str, str, str | None]]:
    return {(f["setup"], f["defect"], f["focus"], f["value"]) for f in json.loads(output)["findings"]}


def test_validate_an_external_store(tmp_path):
    selection = "roles,money"
    with oxigraph(tmp_path, union=False) as base:
        pushed = jeugdgov("push", DATA / "lelystad.trig", "--endpoint", f"{base}/update")
        assert pushed.returncode == 0, pushed.stderr
        remote = jeugdgov("validate", "--endpoint", f"{base}/query", "--shapes", selection,
                     "--format", "json")
    local = jeugdgov("validate", DATA / "lelystad.trig", "--shapes", selection, "--format", "json")
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert _findings(remote.stdout) == _findings(local.stdout)
    assert {"subsidy-passed-on", "money-vs-accountability"} <= {f[1] for f in _findings(remote.stdout)}


def test_validate_a_union_store_through_its_graph_store(union_store):
    remote = jeugdgov("validate", "--endpoint", f"{union_store}/query", "--graph-store",
                 f"{union_store}/store", "--setup", "flevoland-handelingskader", "--format", "json")
    local = jeugdgov("validate", DATA / "flevoland-handelingskader.ttl", "--format", "json")
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert _findings(remote.stdout) == _findings(local.stdout)


@pytest.mark.parametrize("command", [
    ("query", "setups", "--endpoint"),
    ("validate", "--endpoint"),
    ("push", str(DATA / "flevoland-handelingskader.ttl"), "--endpoint"),
])
def test_unreachable_endpoint_exits_2(command):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = jeugdgov(*command, url)
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and url in result.stderr
    assert "Traceback" not in result.stderr

