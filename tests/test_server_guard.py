"""The endpoint's guard on its own: which texts would call out (SERVICE, LOAD) and which not."""

from __future__ import annotations

import pytest

from jeugdgov.server.guard import CACHED_TEXT, refused_call, remote_calls


@pytest.mark.parametrize(("text", "targets"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", ["http://127.0.0.1:9/x"]),
    ("select * where { sErViCe SILENT <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
    ("SELECT * WHERE { BIND (<urn:e> AS ?e) SERVICE ?e { ?s ?p ?o } }", [None]),
    ("load <http://a.example/d.ttl> INTO GRAPH <urn:g>", ["http://a.example/d.ttl"]),
    ("SELECT * WHERE { SERVICE # a comment between\n <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
])
def test_calls_out_are_found_in_any_case_and_spacing(text, targets):
    assert remote_calls(text) == targets
    assert refused_call(text, ()) is not None


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5",
    # the words only in an IRI, a string or a comment: no call
    'SELECT ?s WHERE { ?s <urn:download> "SERVICE desk" } # LOAD nothing',
    "PREFIX service: <urn:service:> SELECT ?s WHERE { ?s service:load ?o }",
])
def test_texts_without_a_call_pass(text):
    assert remote_calls(text) == []
    assert refused_call(text, ()) is None


def test_an_allow_list_lets_its_own_targets_through():
    text = "SELECT * WHERE { SERVICE <http://a.example/sparql> { ?s ?p ?o } }"
    assert refused_call(text, ("http://a.example/",)) is None
    assert refused_call(text, ("http://b.example/",)) is not None


def test_repeated_and_long_texts_are_judged_alike():
    call = "SELECT * WHERE { SERVICE <http://a.example/s> { ?s ?p ?o } }"
    quiet = "# no service here\nSELECT * WHERE { ?s ?p ?o }"
    for _ in range(2):  # the second time from the remembered answer
        assert remote_calls(call) == ["http://a.example/s"] and remote_calls(quiet) == []
    padding = "#" + "x" * CACHED_TEXT + "\n"  # too long to be remembered
    assert remote_calls(padding + call) == ["http://a.example/s"] and remote_calls(padding + quiet) == []
