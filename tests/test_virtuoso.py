"""A production store: Virtuoso Open Source 7, started for these tests on a fresh database.

The bundled data is pushed as a user would (`jeugdgov push` with credentials, digest
authentication); then every setup is validated in the store and on fetched data, and every
named query runs there, each compared with local validation and local rows. Where Virtuoso
answers a shape query wrongly, the store check must refuse instead of reporting."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from helpers import DATA, installed_command, query_examples
from rdflib import BNode
from servers import VIRTUOSO_PASSWORD, virtuoso

import jeugdgov.sparql.remote as remote
from jeugdgov import load
from jeugdgov.errors import InputError
from jeugdgov.sparql.library import library, run
from jeugdgov.sparql.protocol import Credentials, sparql_update
from jeugdgov.sparql.remote import VIRTUOSO_MISEVALUATES, fetch_graph, push, query, setup_graphs
from jeugdgov.sparql.store import memory_store

#: Every test here runs against a Virtuoso started for this module.
pytestmark = pytest.mark.slow

SETUPS = sorted(s.name for s in load(DATA) if s.node is not None)  # a store's setups hold a jg:Setup
QUERIES = library()
ADMIN = Credentials("dba", VIRTUOSO_PASSWORD)


def cli(*args: object, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "JEUGDGOV_PASSWORD"}
    if password is not None:
        env["JEUGDGOV_PASSWORD"] = password
    return subprocess.run([installed_command("jeugdgov"), *map(str, args)], capture_output=True, text=True,
                          timeout=900, env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        pushed = cli("push", DATA, "--endpoint", f"{base}/sparql-auth", "--user", "dba", password=VIRTUOSO_PASSWORD)
        assert pushed.returncode == 0, pushed.stderr
        yield base


def findings(output: str) -> set[tuple[str, str, str, str | None]]:
    return {(f["setup"], f["defect"], f["focus"], f["value"]) for f in json.loads(output)["findings"]}


@pytest.fixture(scope="module")
def local() -> set[tuple[str, str, str, str | None]]:
    result = cli("validate", DATA, "--format", "json")
    assert result.returncode == 1, result.stderr
    return {f for f in findings(result.stdout) if f[0] in SETUPS}


def test_only_graphs_holding_a_setup_are_setups(store):
    found = setup_graphs(f"{store}/sparql")
    graphs = [s.graph for s in found]
    assert len(graphs) == len(SETUPS)
    assert not any("virtrdf" in g or "openlinksw" in g or g.endswith("#shared") for g in graphs)
    assert all(remote.ONTOLOGY_GRAPH in s.shares for s in found)


def test_fetched_setups_validate_as_local_files(store, local):
    result = cli("validate", "--endpoint", f"{store}/sparql", "--fetch", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert findings(result.stdout) == local


@pytest.mark.parametrize("name", SETUPS)
def test_a_virtuoso_store_is_validated_on_its_fetched_triples(store, local, name):
    """Virtuoso answers some shape queries wrongly on setups the store check does not look at, so
    its setups are fetched and validated locally, and the command says so: never wrong findings."""
    result = cli("validate", "--endpoint", f"{store}/sparql", "--setup", name, "--format", "json")
    expected = {f for f in local if f[0] == name}
    assert result.returncode == (1 if expected else 0), result.stderr
    assert findings(result.stdout) == expected
    assert "fetched and validated locally" in result.stderr


def test_a_named_query_virtuoso_answers_right_runs_there(store):
    assert "competences" not in VIRTUOSO_MISEVALUATES
    result = cli("query", "competences", "--endpoint", f"{store}/sparql", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) > 1


def test_the_default_check_uses_the_smallest_setup(store):
    result = cli("validate", "--endpoint", f"{store}/sparql", "--setup", "flevoland-handelingskader",
                 "--check-setup", "nothing-like-this")
    assert result.returncode == 2 and "nothing-like-this" in result.stderr and "Traceback" not in result.stderr


def solutions(result) -> object:
    """Rows in a canonical order (GROUP_CONCAT joins in no defined order, so every value is
    compared as its sorted parts; a boolean as a boolean). An empty string counts as no value:
    Virtuoso's GROUP_CONCAT over no values is "", oxigraph's is unbound."""
    if not hasattr(result, "variables"):
        return bool(result)
    names = [v.value for v in result.variables]
    return sorted(tuple((n, tuple(sorted(re.split(r"[,;]? ", s[n].value)))) for n in names
                        if s[n] is not None and s[n].value != "") for s in result)


@pytest.mark.parametrize("name", sorted(set(QUERIES) - VIRTUOSO_MISEVALUATES))
def test_every_named_query_answers_as_locally(store, name):
    local_store = memory_store()
    named = QUERIES[name]
    for _files, params in query_examples(named) or [([], {})]:
        bindings = named.bind(params)
        remote_rows = solutions(query(f"{store}/sparql", named.text, bindings, timeout=20))
        assert remote_rows == solutions(run(local_store, named.text, bindings)), params


@pytest.mark.parametrize("name", sorted(VIRTUOSO_MISEVALUATES))
def test_every_named_query_virtuoso_answers_wrongly_is_refused_there(store, name):
    """Some of these Virtuoso answers wrongly only now and then, so their rows prove nothing
    either way; the command must not run them there."""
    result = cli("query", name, "--endpoint", f"{store}/sparql")
    assert result.returncode == 2 and result.stdout == ""
    assert f"answers the named query '{name}' wrongly" in result.stderr and "Traceback" not in result.stderr


def test_push_without_credentials_is_refused_with_a_hint(store):
    result = cli("push", DATA / "flevoland-handelingskader.ttl", "--endpoint", f"{store}/sparql-auth")
    assert result.returncode == 2 and "401" in result.stderr and "--user" in result.stderr
    assert "Traceback" not in result.stderr


def test_push_with_a_wrong_password_is_refused(store):
    result = cli("push", DATA / "flevoland-handelingskader.ttl", "--endpoint", f"{store}/sparql-auth",
                 "--user", "dba", password="not-the-password")
    assert result.returncode == 2 and "401" in result.stderr and "Traceback" not in result.stderr


def graph_sizes(store: str) -> dict[str, int]:
    result = query(f"{store}/sparql", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {s["g"].value: int(s["n"].value) for s in result}


def test_a_push_that_fails_half_way_leaves_the_store_as_it_was(store, monkeypatch):
    before = graph_sizes(store)
    calls = []

    def failing(endpoint, text, **kwargs):
        calls.append(text)
        if len(calls) == 4:
            raise InputError(f"the SPARQL endpoint {endpoint} answered 500: the disk is full")
        return sparql_update(endpoint, text, **kwargs)

    monkeypatch.setattr(remote, "sparql_update", failing)
    with pytest.raises(InputError, match="nothing was replaced"):
        push([DATA / "lelystad.trig"], endpoint=f"{store}/sparql-auth", credentials=ADMIN)
    assert graph_sizes(store) == before


def test_pushing_again_replaces_and_doubles_nothing(store):
    before = graph_sizes(store)
    result = cli("push", DATA / "lelystad.trig", "--endpoint", f"{store}/sparql-auth", "--user", "dba",
                 password=VIRTUOSO_PASSWORD)
    assert result.returncode == 0, result.stderr
    assert graph_sizes(store) == before


def test_virtuoso_blank_nodes_are_read(store):
    graph = "https://example.org/test/blank-nodes"
    sparql_update(f"{store}/sparql-auth", f"INSERT {{ GRAPH <{graph}> {{ _:a <https://example.org/p> _:b . "
                  "_:b <https://example.org/p> \"x\" } } WHERE {}", credentials=ADMIN)
    try:
        rows = list(query(f"{store}/sparql", f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        assert len(rows) == 2 and all(row["s"].__class__.__name__ == "BlankNode" for row in rows)
        fetched = fetch_graph(f"{store}/sparql", [graph])
        assert len(fetched) == 2 and all(isinstance(s, BNode) for s in fetched.subjects())
        assert len(set(fetched.subjects()) & set(fetched.objects())) == 1  # _:b is one node in both triples
    finally:
        sparql_update(f"{store}/sparql-auth", f"DROP SILENT GRAPH <{graph}>", credentials=ADMIN)
