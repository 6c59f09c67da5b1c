"""External SPARQL 1.1 stores: query them, fetch setups from them, push data to them.

The store is read as the embedded one is laid out (:mod:`jeugdgov.sparql.store`): each named graph a
setup, the default graph what the setups share. Named queries read the union of all graphs, so
the store must offer the default graph as that union (``oxigraph serve --union-default-graph``;
Fuseki ``tdb2:unionDefaultGraph``; GraphDB and Virtuoso do so by default).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import DefaultGraph, QueryResultsFormat, RdfFormat, Triple, parse, parse_query_results, serialize
from rdflib import Graph
from SPARQLWrapper import INSERT, JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from jeugdgov.errors import InputError
from jeugdgov.setups import Setup, name_from_graph_iri, refuse_duplicate_names, setup_from_graph
from jeugdgov.sparql.library import Result, Term, with_values
from jeugdgov.sparql.store import read_files

TIMEOUT = 120  # seconds to wait for an external store


def query(endpoint: str, text: str, bindings: Mapping[str, Term] | None = None, graphs: Sequence[str] = (),
          timeout: int = TIMEOUT) -> Result:
    """Run a query on an external endpoint; parameters go in as a VALUES block of typed terms.

    ``graphs`` are the query's dataset: the store merges them into its default graph."""
    client = _client(endpoint, with_values(text, bindings or {}), graphs=graphs, timeout=timeout)
    client.setReturnFormat(JSON)
    client.addCustomHttpHeader("Accept", "application/sparql-results+json, application/n-triples;q=0.9")
    raw, media, _server = _fetch(endpoint, client)
    if "n-triples" in media or "turtle" in media:
        fmt = RdfFormat.N_TRIPLES if "n-triples" in media else RdfFormat.TURTLE
        return [q.triple for q in parse(raw, format=fmt)]
    try:
        return parse_query_results(raw, format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise InputError(f"the endpoint {endpoint} sent results that are not SPARQL JSON: {error}") from None


def server_software(endpoint: str) -> str:
    """What the endpoint says it runs (its Server header, e.g. "oxigraph/0.5.13"), or ""."""
    client = _client(endpoint, "ASK {}")
    client.setReturnFormat(JSON)
    return _fetch(endpoint, client)[2]


def _client(endpoint: str, text: str, update: bool = False, graphs: Sequence[str] = (),
            timeout: int = TIMEOUT) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)  # queries and VALUES blocks can be longer than a URL may be
    client.setTimeout(timeout)
    client.setQuery(text)
    for graph in graphs:  # the protocol's default-graph-uri
        client.addDefaultGraph(graph)
    # Say what the request is instead of letting SPARQLWrapper guess from the text: its guess
    # reads keywords in comments (a header saying "Load such a report" becomes a LOAD update).
    client.queryType = INSERT if update else SELECT
    return client


def _fetch(endpoint: str, client: SPARQLWrapper) -> tuple[bytes, str, str]:
    """The body of the answer, its media type and the server's name."""
    try:
        response = client.query()
        raw = response.response.read()
        media = response.response.headers.get("Content-Type", "")
        server = response.response.headers.get("Server", "")
    except SPARQLWrapperException as error:
        message = str(error).replace("\n", " ").strip()
        raise InputError(f"the SPARQL endpoint {endpoint} refused the request: {message}") from None
    except urllib.error.HTTPError as error:
        raise InputError(f"the SPARQL endpoint {endpoint} answered {error.code}: {_body(error)}") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot reach the SPARQL endpoint {endpoint}: {reason}",
                         hint="check the URL and that the store is running") from None
    return raw, media.lower(), server


def _body(error: urllib.error.HTTPError) -> str:
    try:
        return error.read().decode("utf-8", "replace").strip()[:500]
    except OSError:
        return error.reason


def _construct(endpoint: str, text: str) -> bytes:
    """A CONSTRUCT result as N-Triples."""
    client = _client(endpoint, text)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    raw, media, _server = _fetch(endpoint, client)
    if "n-triples" not in media and "text/plain" not in media:
        raise InputError(f"the SPARQL endpoint {endpoint} sent {media or 'no media type'} instead of N-Triples")
    return raw


def _graph(source: str, *parts: bytes) -> Graph:
    """One rdflib graph from N-Triples parts, parsed together so that a blank node named in two
    parts (the store's own label) stays one node."""
    graph = Graph()
    try:
        graph.parse(data=b"\n".join(parts).decode("utf-8"), format="nt")
    except Exception as error:  # rdflib's parsers raise many types; all mean a bad answer here
        raise InputError(f"{source} sent RDF that cannot be read: {error}") from None
    return graph


def _select(endpoint: str, text: str) -> list[dict[str, str]]:
    result = query(endpoint, text)
    if isinstance(result, list):
        raise InputError(f"the SPARQL endpoint {endpoint} answered a SELECT with RDF")
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


#: True when some triple of a named graph is not in the default graph: the default graph is then
#: its own graph (the shared part), not the union of all graphs.
SEPARATE_DEFAULT = "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"


def fetch_setups(endpoint: str, graph_store: str | None = None) -> list[Setup]:
    """Each named graph of the store as a setup, with the default graph merged in (as TriG is loaded).

    When the store offers the default graph as the union of all graphs, SPARQL cannot tell the
    shared triples from the others; they are then read from the Graph Store Protocol
    (``graph_store``, e.g. ``http://host:7878/store`` for oxigraph), which always serves the
    default graph itself.
    """
    graphs = [row["g"] for row in _select(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")]
    if not graphs:
        everything = _graph(endpoint, _construct(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }"))
        if not len(everything):
            raise InputError(f"the SPARQL endpoint {endpoint} holds no triples",
                             hint="push data to it first: jeugdgov push DATA... --endpoint URL")
        return [setup_from_graph(endpoint, everything, fallback=name_from_graph_iri(endpoint))]
    separate = _ask(endpoint, SEPARATE_DEFAULT)
    if not separate and not graph_store:
        raise InputError(f"the default graph of {endpoint} is the union of all its graphs, so SPARQL cannot "
                         "tell which triples the setups share",
                         hint="give --graph-store URL (its Graph Store Protocol address, for oxigraph "
                         "http://HOST:PORT/store), or serve the store without a union default graph")
    shared = b"" if separate else _get(f"{graph_store}?default")
    setups = []
    for graph in graphs:
        source = f"{endpoint} <{graph}>"
        if separate:  # one CONSTRUCT: the setup's graph and the shared default graph together
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }} }}"
            merged = _graph(source, _construct(endpoint, text))
        else:
            own = _construct(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            merged = _graph(source, own, shared)
        setups.append(setup_from_graph(source, merged, fallback=name_from_graph_iri(graph)))
    refuse_duplicate_names((s.name, s.source) for s in setups)
    return setups


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise InputError(f"the graph store {url} answered {error.code}: {_body(error)}") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot reach the graph store {url}: {reason}",
                         hint="check the URL and that the store is running") from None


def _ask(endpoint: str, text: str) -> bool:
    result = query(endpoint, text)
    return bool(result) if not isinstance(result, list) else False


def push(paths: Sequence[str | Path], endpoint: str | None = None, graph_store: str | None = None,
         with_ontology: bool = True) -> tuple[int, int]:
    """Send files to an external store; returns (quads, graphs) sent.

    Every file is parsed before anything is sent. With a Graph Store Protocol URL each named
    graph is replaced (PUT) and the shared triples are added to the default graph (POST); with
    a SPARQL Update endpoint the same happens in one update request, which stores such as
    oxigraph apply as one transaction.
    """
    if not endpoint and not graph_store:
        raise InputError("give --endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)")
    files = read_files(paths, with_ontology=with_ontology)
    graphs: dict[str, list[Triple]] = {}
    for parsed in files:
        for quad in parsed.quads:
            key = "" if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
            graphs.setdefault(key, []).append(quad.triple)
    count = sum(len(triples) for triples in graphs.values())
    if graph_store:
        for name, triples in graphs.items():
            target = f"{graph_store}?default" if not name else f"{graph_store}?graph={quote(name, safe='')}"
            _send(target, "POST" if not name else "PUT", serialize(triples, format=RdfFormat.N_TRIPLES))
    else:
        _send_update(endpoint or "", graphs)
    return count, len([g for g in graphs if g])


def _send(url: str, method: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise InputError(f"the graph store {url} answered {error.code}: {_body(error)}") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot reach the graph store {url}: {reason}",
                         hint="check the URL and that the store is running") from None


def _send_update(endpoint: str, graphs: Mapping[str, list[Triple]]) -> None:
    parts = [f"DROP SILENT GRAPH <{name}> ;" for name in graphs if name]
    data = []
    for name, triples in graphs.items():
        lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        data.append(f"GRAPH <{name}> {{\n{lines}\n}}" if name else lines)
    parts.append("INSERT DATA {\n" + "\n".join(data) + "\n}")
    client = _client(endpoint, "\n".join(parts), update=True)
    _fetch(endpoint, client)
