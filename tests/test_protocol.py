"""What stores send that the standard does not foresee: partial answers, capped rows, slow
answers, Virtuoso's blank node labels and ASK answers; each read right or refused clearly.

The stores here are small loopback HTTP servers that answer one fixed way."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import pytest
from rdflib import BNode
from servers import serving

from jeugdgov.errors import InputError
from jeugdgov.stores.protocol import Credentials, standard_json, standard_ntriples
from jeugdgov.stores.remote import query

ROWS = {"head": {"vars": ["s"]}, "results": {"bindings": [
    {"s": {"type": "bnode", "value": "nodeID://b10006"}},
    {"s": {"type": "bnode", "value": "nodeID://b10007"}},
    {"s": {"type": "uri", "value": "https://example.org/a"}},
]}}


@contextmanager
def answering(body: bytes, headers: dict[str, str] | None = None, delay: float = 0,
              status: int = 200) -> Iterator[str]:
    """A store at a loopback address that answers every request with this body and headers."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url


def test_virtuoso_blank_node_labels_are_read():
    with answering(json.dumps(ROWS).encode()) as endpoint:
        rows = [solution["s"] for solution in query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")]
    assert len(rows) == 3
    assert rows[0] != rows[1]  # distinct labels stay distinct nodes
    assert rows[2].value == "https://example.org/a"


def test_the_same_virtuoso_label_is_the_same_node_in_results_and_in_ntriples():
    body = standard_json(json.dumps(ROWS).encode())
    label = json.loads(body)["results"]["bindings"][0]["s"]["value"]
    assert f"_:{label} " in standard_ntriples(b"<nodeID://b10006> <https://example.org/p> \"x\" .\n").decode()
    assert BNode(label) != BNode(json.loads(body)["results"]["bindings"][1]["s"]["value"])


def test_virtuoso_ask_answer_is_a_boolean():
    answer = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
        {"__ASK_RETVAL": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                          "value": "0"}}]}}
    with answering(json.dumps(answer).encode()) as endpoint:
        assert bool(query(endpoint, "ASK { ?s ?p ?o }")) is False


def test_a_partial_answer_is_refused():
    headers = {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results, query interrupted"}
    with answering(json.dumps(ROWS).encode(), headers) as endpoint, \
            pytest.raises(InputError, match="partial answer") as caught:
        query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")
    assert endpoint in str(caught.value) and "SELECT ?s WHERE" in str(caught.value)


def test_an_answer_cut_at_the_row_cap_is_refused():
    with answering(json.dumps(ROWS).encode(), {"X-SPARQL-MaxRows": "3"}) as endpoint, \
            pytest.raises(InputError, match="maximum of 3 rows"):
        query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")


def test_an_answer_below_the_row_cap_is_read():
    with answering(json.dumps(ROWS).encode(), {"X-SPARQL-MaxRows": "10000"}) as endpoint:
        assert len(list(query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }"))) == 3


def test_a_slow_store_times_out_and_says_so():
    with answering(json.dumps(ROWS).encode(), delay=3) as endpoint, \
            pytest.raises(InputError, match="timed out after 1 s") as caught:
        query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }", timeout=1)
    assert "cannot reach" not in str(caught.value)


def test_a_server_error_names_the_endpoint_and_the_query():
    with answering(b"Virtuoso 37000 Error SQ156: Internal Optimized compiler error", status=500) as endpoint, \
            pytest.raises(InputError, match="answered 500") as caught:
        query(endpoint, "PREFIX ex: <https://example.org/>\nSELECT ?s WHERE { ?s ex:p ?o }")
    assert endpoint in str(caught.value) and "SQ156" in str(caught.value)
    assert "SELECT ?s WHERE { ?s ex:p ?o }" in str(caught.value)


def test_results_that_are_not_json_are_bad_input():
    with answering(b"<html>oops</html>") as endpoint, pytest.raises(InputError, match="not SPARQL JSON"):
        query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")


def test_refused_credentials_say_how_to_give_them():
    with answering(b"Unauthorized", status=401) as endpoint, pytest.raises(InputError) as caught:
        query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }", credentials=Credentials("dba", "wrong"))
    assert "401" in str(caught.value) and "JEUGDGOV_PASSWORD" in str(caught.value)


@contextmanager
def counting_connections(keep_open: bool) -> Iterator[tuple[str, list[int]]]:
    """A store that answers every query with no rows and counts the connections it accepts;
    unless ``keep_open``, it closes each connection after one answer without saying so."""
    accepted: list[int] = []
    empty = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps connections open

        def setup(self) -> None:
            super().setup()
            accepted.append(1)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(empty)))
            self.end_headers()
            self.wfile.write(empty)
            self.wfile.flush()
            if not keep_open:
                self.close_connection = True

        def log_message(self, *_args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url, accepted


def test_queries_reuse_one_connection():
    with counting_connections(keep_open=True) as (endpoint, accepted):
        for _ in range(5):
            assert list(query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")) == []
    assert len(accepted) == 1


def test_a_connection_the_store_closed_is_replaced():
    with counting_connections(keep_open=False) as (endpoint, accepted):
        for _ in range(3):
            assert list(query(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")) == []
    assert len(accepted) == 3
