"""Which texts would make pyoxigraph call out (SERVICE, LOAD), judged against the engine itself."""

from __future__ import annotations

import http.server
import threading
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pyoxigraph import Store

from jeugdgov.errors import InputError
from jeugdgov.sparql.calls import CACHED_TEXT, is_allowed, refused_call, remote_calls


@pytest.mark.parametrize(("text", "targets"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", ["http://127.0.0.1:9/x"]),
    ("select * where { sErViCe SILENT <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
    ("SELECT * WHERE { BIND (<urn:e> AS ?e) SERVICE ?e { ?s ?p ?o } }", [None]),
    ("load <http://a.example/d.ttl> INTO GRAPH <urn:g>", ["http://a.example/d.ttl"]),
    ("SELECT * WHERE { SERVICE # a comment between\n <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
    # a comment ends at CR as well as LF
    ("SELECT * WHERE { #\rSERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", ["http://127.0.0.1:9/x"]),
    # an escaped # belongs to the prefixed name and starts no comment
    ("PREFIX e: <http://e/> SELECT * WHERE { BIND(e:a\\# AS ?v) SERVICE <http://127.0.0.1:9/x> { } }",
     ["http://127.0.0.1:9/x"]),
    # prefixed names, and escapes in IRIs, are resolved as the engine resolves them
    ("PREFIX s: <http://a.example/> SELECT * WHERE { SERVICE s:sp\\~q { } }", ["http://a.example/sp~q"]),
    ("SELECT * WHERE { SERVICE <http://a.example/\\u002E\\u002E/x> { } }", ["http://a.example/../x"]),
    ("BASE <http://a.example/> SELECT * WHERE { SERVICE <x> { } }", [None]),
    # text this reading cannot place, next to the letters of SERVICE: assumed to call out
    ("SELECT * WHERE { \\ SERVICE <http://a.example/s> { } }", [None]),
])
def test_calls_out_are_found_as_the_engine_reads_the_text(text, targets):
    assert remote_calls(text) == targets
    assert refused_call(text, ()) is not None


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5",
    # the words only in an IRI, a string or a comment: no call
    'SELECT ?s WHERE { ?s <urn:download> "SERVICE desk" } # LOAD nothing',
    "PREFIX service: <urn:service:> SELECT ?s WHERE { ?s service:load ?o }",
    "SELECT ?s WHERE { ?s ?p '''a\nSERVICE <http://a.example/> {}''' }",
])
def test_texts_without_a_call_pass(text):
    assert remote_calls(text) == []
    assert refused_call(text, ()) is None


def test_an_allow_list_lets_its_own_targets_through():
    text = "SELECT * WHERE { SERVICE <http://a.example/sparql> { ?s ?p ?o } }"
    assert refused_call(text, ("http://a.example/",)) is None
    assert refused_call(text, ("http://b.example/",)) is not None
    assert refused_call("SELECT * WHERE { SERVICE ?e { } }", ("http://a.example/",)) is not None
    assert refused_call("SELECT * WHERE { SERVICE ?e { } }", ("*",)) is None


@pytest.mark.parametrize(("target", "allowed"), [
    ("http://127.0.0.1:7/sparql", True),
    ("HTTP://127.0.0.1:7/sparql/", True),
    ("http://127.0.0.1:7/sparql/./more", True),
    ("http://127.0.0.1:7/sparql/x/../y", True),
    ("http://127.0.0.1:7/sparql/../admin", False),
    ("http://127.0.0.1:7/sparql/%2e%2e/admin", False),
    ("http://127.0.0.1:7/sparql/%2E%2E/admin", False),
    ("http://127.0.0.1:7/sparqlx", False),
    ("http://127.0.0.1:8/sparql", False),
    ("http://127.0.0.1:7@evil.example/sparql", False),
    ("http://user@127.0.0.1:7/sparql", False),
    ("https://127.0.0.1:7/sparql", False),
    ("http://localhost:7/sparql", False),
    ("http://127.1:7/sparql", False),
    ("not an address", False),
])
def test_allow_list_entries_and_targets_are_compared_normalised(target, allowed):
    assert is_allowed(target, ("http://127.0.0.1:7/sparql",)) is allowed


def test_the_default_port_and_the_case_of_the_host_do_not_matter():
    assert is_allowed("http://A.Example:80/s", ("http://a.example/s",))
    assert is_allowed("https://a.example/s?x=1", ("https://a.example:443/s?x=1",))
    assert not is_allowed("https://a.example/s?x=2", ("https://a.example:443/s?x=1",))


def test_repeated_and_long_texts_are_judged_alike():
    call = "SELECT * WHERE { SERVICE <http://a.example/s> { ?s ?p ?o } }"
    quiet = "# no service here\nSELECT * WHERE { ?s ?p ?o }"
    for _ in range(2):  # the second time from the remembered answer
        assert remote_calls(call) == ["http://a.example/s"] and remote_calls(quiet) == []
    padding = "#" + "x" * CACHED_TEXT + "\n"  # too long to be remembered
    assert remote_calls(padding + call) == ["http://a.example/s"] and remote_calls(padding + quiet) == []


# --- the differential test: generated texts, judged by this reading and by the engine's requests


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


SERVICE = "SERVICE <http://127.0.0.1:PORT/x> { }"
LOAD = "LOAD <http://127.0.0.1:PORT/x>"
#: white space as SPARQL has it, and (rarely) characters that other readers take for it
SPACE = st.sampled_from([" ", "\t", "\r", "\n", "\r\n"] * 6 + ["\x0c", "\xa0", "\x0b", "\u2028", "\x85"])
HIDDEN = st.sampled_from([SERVICE, LOAD, "sErViCe SILENT <http://127.0.0.1:PORT/x> {}",
                          "load silent <http://127.0.0.1:PORT/x>"])
#: pieces of names, strings and IRIs: most valid in some of them, a few in none
PIECE = st.one_of(
    st.sampled_from(["a", "#", "\\#", "\\.", "\\~", "%23", ":", ".", "-", "é", "\\'", '\\"', "\\\\", "\\u0022",
                     "\\u003E", "}", "'", '"', "'" * 3, '"' * 3] * 3 + [">", "\\", "%2"]),
    SPACE, HIDDEN)
PIECES = st.lists(PIECE, max_size=3).map("".join)


@st.composite
def _term(draw) -> str:
    """A prefixed name, string or IRI with odd characters in it, perhaps one the engine refuses."""
    kind = draw(st.sampled_from(["name", "string", "iri"]))
    if kind == "name":
        return f"e:a{draw(PIECES)}"
    if kind == "string":
        quote = draw(st.sampled_from(["'", '"', "'" * 3, '"' * 3]))
        return f"{quote}{draw(PIECES)}{quote}"
    return f"<http://e/{draw(PIECES)}>"


@st.composite
def texts(draw) -> tuple[str, str]:
    """A query (a group of BINDs, comments and calls) or an update (INSERT DATA, comments, LOAD)."""
    kind = draw(st.sampled_from(["query", "update"]))
    parts = []
    for index in range(draw(st.integers(1, 5))):
        shape = draw(st.sampled_from(["term", "term", "comment", "call"]))
        if shape == "comment":
            parts.append("#" + draw(PIECES) + draw(SPACE))
        elif shape == "call":
            parts.append(SERVICE if kind == "query" else LOAD + " ;")
        elif kind == "query":
            parts.append(f"BIND({draw(_term())} AS ?v{index})")
        else:
            parts.append(f"INSERT DATA {{ e:s e:p {draw(_term())} }} ;")
    body = "".join(part + draw(SPACE) for part in parts)
    if kind == "query":
        return kind, f"PREFIX e: <http://e/> SELECT * WHERE {{ {body} }}"
    return kind, f"PREFIX e: <http://e/> {body} INSERT DATA {{ e:s e:p 0 }}"


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(text_of_kind=texts())
def test_the_reading_never_disagrees_with_the_engine_on_calling_out(listener, text_of_kind):
    kind, template = text_of_kind
    text = template.replace("PORT", str(listener))
    before = len(_Counter.requests)
    parsed = True
    try:
        if kind == "query":
            list(Store().query(text))
        else:
            Store().update(text)
    except SyntaxError:
        parsed = False
    except OSError:
        pass  # the listener's error answer: the request was made
    fetched = _Counter.requests[before:]
    event(f"parsed: {parsed}, called out: {bool(fetched)}")
    if fetched:
        targets = remote_calls(text)
        assert targets and refused_call(text, ()) is not None, f"the engine called out, unseen: {text!r}"
        assert all(target is None or is_allowed(target, (f"http://127.0.0.1:{listener}/",))
                   for target in targets)
    elif parsed:
        assert remote_calls(text) == [], f"a call seen where the engine makes none: {text!r}"


@pytest.mark.parametrize("hiding", ["#\r", "# no call here\r\n", "BIND(e:a\\# AS ?v) "])
def test_a_query_file_hiding_a_call_is_refused_before_it_runs(tmp_path, listener, hiding):
    from helpers import DATA
    from typer.testing import CliRunner

    from jeugdgov import cli

    path = tmp_path / "x.rq"
    path.write_bytes(f"# @title nl x\n# @title en x\nPREFIX e: <urn:e:> SELECT * WHERE {{ {hiding}"
                     f"SERVICE <http://127.0.0.1:{listener}/x> {{ ?s ?p ?o }} }}".encode())
    before = len(_Counter.requests)
    result = CliRunner().invoke(cli.app, ["query", str(path), str(DATA / "flevoland-handelingskader.ttl")])
    assert isinstance(result.exception, InputError) and "SERVICE" in str(result.exception)  # exit 2 in main()
    assert _Counter.requests[before:] == []


def test_a_call_the_reading_misses_reaches_nothing_from_a_query_over_local_data(tmp_path, listener, monkeypatch):
    """The second wall: with the reading of SERVICE switched off, the query still runs where no
    connection can be opened, and says so; the rest of the process keeps its network."""
    import urllib.request

    from helpers import DATA
    from typer.testing import CliRunner

    import jeugdgov.sparql.library as library
    from jeugdgov import cli

    monkeypatch.setattr(library, "remote_calls", lambda _text: [])
    path = tmp_path / "x.rq"
    path.write_text(f"# @title nl x\n# @title en x\nSELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener}/x> "
                    "{ ?s ?p ?o } }", encoding="utf-8")
    before = len(_Counter.requests)
    result = CliRunner().invoke(cli.app, ["query", str(path), str(DATA / "flevoland-handelingskader.ttl")])
    assert isinstance(result.exception, InputError), result.output
    assert "netwerkverzoeken" in result.exception.text(lang="nl"), result.exception
    assert _Counter.requests[before:] == []
    with pytest.raises(urllib.error.HTTPError):  # this thread still reaches the listener
        urllib.request.urlopen(f"http://127.0.0.1:{listener}/y", timeout=5)
    assert _Counter.requests[before:] == ["/y"]
