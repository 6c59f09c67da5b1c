"""External SPARQL 1.1 stores: query them and fetch the setups they hold.

``push`` (:mod:`jeugdgov.stores.push`) writes each setup into its named graph, a file's shared
triples and the ontology into named graphs of their own, and records which graphs each setup
shares; the setups of a store are its named graphs that hold a ``jg:Setup``
(:func:`setup_graphs`). Named queries read the union of all graphs, so the store must offer the
default graph as that union (``oxigraph serve --union-default-graph``; Fuseki
``tdb2:unionDefaultGraph``; GraphDB and Virtuoso do so by default). The wire itself is :mod:`jeugdgov.stores.protocol`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results
from rdflib import Graph

from jeugdgov.errors import InputError
from jeugdgov.setups import Setup, name_from_graph_iri, refuse_duplicate_names, setup_from_graph, store_setup
from jeugdgov.sparql.library import Result, Term, with_values
from jeugdgov.stores.protocol import (
    TIMEOUT,
    Credentials,
    describe_query,
    graph_store_url,
    post,
    sparql_query,
    standard_json,
    standard_ntriples,
)

#: The named graph ``push`` writes the ontology into, and in-store validation reads it from.
ONTOLOGY_GRAPH = "https://w3id.org/jeugdgov/def"
#: What ends the name of the graph in which ``push`` records which graphs the setup graphs of
#: a file share (``<file name>#layout``: pushing a file again replaces only its own records).
LAYOUT_SUFFIX = "#layout"
#: ``<setup graph> dct:requires <graph>``: the setup's dataset includes that graph.
REQUIRES = "http://purl.org/dc/terms/requires"
SETUP_CLASS = "https://w3id.org/jeugdgov/def#Setup"
#: the name of a graph a push fills before moving it into place: the graph's own name, then this
FRESH_SUFFIX = "-push-"
#: such a graph left in a store by a push that was killed
LEFTOVER = f"{FRESH_SUFFIX}[0-9a-f]{{12}}$"
SETUP_GRAPHS = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?setup a <{SETUP_CLASS}> }} "
                f"FILTER (!REGEX(STR(?g), \"{LEFTOVER}\")) }} ORDER BY ?g")
DECLARED = (f"SELECT DISTINCT ?g ?shared WHERE {{ GRAPH ?layout {{ ?g <{REQUIRES}> ?shared }} "
            f"GRAPH ?g {{ ?setup a <{SETUP_CLASS}> }} }}")
#: Virtuoso reads whole graphs by this index, named: left to choose, its optimiser picks, after
#: some bulk writes and not others, a plan that looks every triple up again in its POGS index
#: with the object unknown, 30 to 40 times the work (docs/production-stores.md).
VIRTUOSO_WHOLE_GRAPH_INDEX = "RDF_QUAD"


def query(endpoint: str, text: str, bindings: Mapping[str, Term] | None = None, graphs: Sequence[str] = (),
          timeout: float = TIMEOUT, credentials: Credentials | None = None) -> Result:
    """Run a query on an external endpoint; parameters go in as a VALUES block of typed terms.

    ``graphs`` are the query's dataset: the store merges them into its default graph."""
    text = with_values(text, bindings or {})
    answer = sparql_query(endpoint, text, graphs=graphs, credentials=credentials, timeout=timeout,
                          accept="application/sparql-results+json, application/n-triples;q=0.9")
    if "n-triples" in answer.media or "turtle" in answer.media or "text/plain" in answer.media:
        fmt = RdfFormat.TURTLE if "turtle" in answer.media else RdfFormat.N_TRIPLES
        try:
            return [q.triple for q in parse(standard_ntriples(answer.body), format=fmt)]
        except (SyntaxError, ValueError) as error:
            raise InputError(f"the SPARQL endpoint {endpoint} sent RDF that cannot be read for the query "
                             f"{describe_query(text)}: {error}",
                             nl=(f"het SPARQL-endpoint {endpoint} stuurde onleesbare RDF op de query "
                                 f"{describe_query(text)}: {error}", None)) from None
    try:
        return parse_query_results(standard_json(answer.body), format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise InputError(f"the SPARQL endpoint {endpoint} sent results that are not SPARQL JSON for the query "
                         f"{describe_query(text)}: {error}",
                         nl=(f"het SPARQL-endpoint {endpoint} stuurde resultaten die geen SPARQL JSON zijn op de "
                             f"query {describe_query(text)}: {error}", None)) from None


def server_software(endpoint: str, credentials: Credentials | None = None) -> str:
    """What the endpoint says it runs (its Server header, e.g. "oxigraph/0.5.13"), or ""."""
    answer = sparql_query(endpoint, "ASK {}", accept="application/sparql-results+json", credentials=credentials)
    return answer.headers.get("Server", "")


def is_virtuoso(software: str) -> bool:
    """Whether a Server header names Virtuoso, which is sent its shape queries in forms it
    evaluates right and its whole-graph reads with the index named (:func:`dataset_ntriples`)."""
    return software.lower().startswith("virtuoso")


def _construct(endpoint: str, text: str, graphs: Sequence[str] = (), credentials: Credentials | None = None) -> bytes:
    """A CONSTRUCT result as N-Triples."""
    answer = sparql_query(endpoint, text, graphs=graphs, accept="application/n-triples, text/plain;q=0.9",
                          credentials=credentials)
    if "n-triples" not in answer.media and "text/plain" not in answer.media:
        raise InputError(f"the SPARQL endpoint {endpoint} sent {answer.media or 'no media type'} instead of "
                         f"N-Triples for the query {describe_query(text)}",
                         nl=(f"het SPARQL-endpoint {endpoint} stuurde {answer.media or 'geen mediatype'} in plaats "
                             f"van N-Triples op de query {describe_query(text)}", None))
    return standard_ntriples(answer.body)


def dataset_ntriples(endpoint: str, graphs: Sequence[str], credentials: Credentials | None = None,
                     virtuoso: bool = False) -> bytes:
    """The merge of named graphs of a store, as N-Triples (one CONSTRUCT over them); to
    Virtuoso (:func:`is_virtuoso`) naming the index to read them by
    (:data:`VIRTUOSO_WHOLE_GRAPH_INDEX`)."""
    index = f' OPTION (TABLE_OPTION "index {VIRTUOSO_WHOLE_GRAPH_INDEX}")' if virtuoso else ""
    return _construct(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o{index} }}", graphs=graphs,
                      credentials=credentials)


def fetch_graph(endpoint: str, graphs: Sequence[str], credentials: Credentials | None = None,
                virtuoso: bool = False) -> Graph:
    """The merge of named graphs of a store, fetched as N-Triples."""
    source = f"{endpoint} " + " ".join(f"<{g}>" for g in graphs)
    return _graph(source, dataset_ntriples(endpoint, graphs, credentials, virtuoso))


def _graph(source: str, *parts: bytes) -> Graph:
    """One rdflib graph from N-Triples parts, parsed together so that a blank node named in two
    parts (the store's own label) stays one node."""
    graph = Graph()
    try:
        graph.parse(data=b"\n".join(parts).decode("utf-8"), format="nt")
    except Exception as error:  # rdflib's parsers raise many types; all mean a bad answer here
        raise InputError(f"{source} sent RDF that cannot be read: {error}",
                         nl=(f"{source} stuurde onleesbare RDF: {error}", None)) from None
    return graph


def _select(endpoint: str, text: str, credentials: Credentials | None = None) -> list[dict[str, str]]:
    result = query(endpoint, text, credentials=credentials)
    if not isinstance(result, QuerySolutions):
        raise InputError(f"the SPARQL endpoint {endpoint} did not answer the query {describe_query(text)} "
                         "with solutions",
                         nl=(f"het SPARQL-endpoint {endpoint} beantwoordde de query {describe_query(text)} niet "
                             "met oplossingen", None))
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


#: True when some triple of a named graph is not in the default graph: the default graph is then
#: its own graph (the shared part), not the union of all graphs.
SEPARATE_DEFAULT = "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"


@dataclass(frozen=True)
class SetupGraph:
    """A named graph of a store that holds a ``jg:Setup``, and the graphs it declares it shares
    (``dct:requires`` in any graph, as ``push`` records them; None when it declares none)."""

    graph: str
    shares: tuple[str, ...] | None


def setup_graphs(endpoint: str, credentials: Credentials | None = None) -> list[SetupGraph]:
    """The setups of a store: only named graphs that hold a ``jg:Setup`` (a store has graphs of
    its own, e.g. Virtuoso's system graphs, and graphs of shared triples and the ontology)."""
    graphs = [row["g"] for row in _select(endpoint, SETUP_GRAPHS, credentials)]
    declared: dict[str, list[str]] = {}
    for row in _select(endpoint, DECLARED, credentials):
        declared.setdefault(row["g"], []).append(row["shared"])
    return [SetupGraph(g, tuple(sorted(declared[g])) if g in declared else None) for g in graphs]


def fetch_setups(endpoint: str, graph_store: str | None = None, credentials: Credentials | None = None,
                 names: Sequence[str] | None = None) -> list[Setup]:
    """Each setup graph of the store (:func:`setup_graphs`) as a setup, merged with what it shares.

    A setup that declares the graphs it shares (the layout ``push`` writes) is merged with
    them, the ontology graph left out (validation adds the ontology itself). Otherwise it is
    merged with the store's default graph, as TriG is loaded. When the store offers the default
    graph as the union of all graphs, SPARQL cannot tell the shared triples from the others;
    they are then read from the Graph Store Protocol (``graph_store``, e.g.
    ``http://host:7878/store`` for oxigraph), which always serves the default graph itself.
    ``names`` fetches only the setups whose graph or identifier has these names.
    """
    found = setup_graphs(endpoint, credentials)
    if not found:
        everything = _graph(endpoint, _construct(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", credentials=credentials))
        if not len(everything):
            raise InputError(f"the SPARQL endpoint {endpoint} holds no triples",
                             hint="push data to it first: jeugdgov push DATA... --endpoint URL",
                             nl=(f"het SPARQL-endpoint {endpoint} bevat geen triples",
                                 "stuur er eerst gegevens heen: jeugdgov push GEGEVENS... --endpoint URL"))
        return [setup_from_graph(endpoint, everything, fallback=name_from_graph_iri(endpoint))]
    undeclared = any(s.shares is None for s in found)
    separate = undeclared and _ask(endpoint, SEPARATE_DEFAULT, credentials)
    if undeclared and not separate and not graph_store:
        raise InputError(f"the default graph of {endpoint} is the union of all its graphs, so SPARQL cannot "
                         "tell which triples the setups share",
                         hint="give --graph-store URL (its Graph Store Protocol address, for oxigraph "
                         "http://HOST:PORT/store), push with `jeugdgov push` (which records the shared graphs), "
                         "or serve the store without a union default graph",
                         nl=(f"de standaardgraaf van {endpoint} is de vereniging van al zijn grafen, dus kan SPARQL "
                             "niet zeggen welke triples de inrichtingen delen",
                             "geef --graph-store URL (het adres van het Graph Store Protocol, voor oxigraph "
                             "http://HOST:PORT/store), stuur met `jeugdgov push` (dat de gedeelde grafen vastlegt), "
                             "of serveer de store zonder vereniging als standaardgraaf"))
    through_graph_store = graph_store if undeclared and not separate else None
    virtuoso = is_virtuoso(server_software(endpoint, credentials))
    if through_graph_store and virtuoso:
        raise InputError(f"the setups of {endpoint} declare no shared graphs, and the shared triples cannot be read "
                         f"through {graph_store}: Virtuoso's Graph Store Protocol cuts a graph at ResultSetMaxRows "
                         "without saying so",
                         hint="push the setups with `jeugdgov push`, which records the graphs each setup shares",
                         nl=(f"de inrichtingen van {endpoint} noemen geen gedeelde grafen, en de gedeelde triples "
                             f"zijn niet te lezen via {graph_store}: het Graph Store Protocol van Virtuoso breekt een "
                             "graaf af bij ResultSetMaxRows zonder het te zeggen",
                             "stuur de inrichtingen met `jeugdgov push`, dat de grafen vastlegt die elke inrichting "
                             "deelt"))
    shared = _get(graph_store_url(through_graph_store, None), credentials) if through_graph_store else b""
    setups = []
    for setup in found:
        source = f"{endpoint} <{setup.graph}>"
        if setup.shares is not None:
            dataset = [setup.graph, *(g for g in setup.shares if g != ONTOLOGY_GRAPH)]
            merged = _graph(source, dataset_ntriples(endpoint, dataset, credentials, virtuoso))
        elif separate:  # one CONSTRUCT: the setup's graph and the shared default graph together
            text = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ GRAPH <{setup.graph}> {{ ?s ?p ?o }} }} "
                    "UNION { ?s ?p ?o } }")
            merged = _graph(source, _construct(endpoint, text, credentials=credentials))
        else:
            own = _construct(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{setup.graph}> {{ ?s ?p ?o }} }}",
                             credentials=credentials)
            merged = _graph(source, own, shared)
        made = store_setup(endpoint, setup.graph, merged)
        if not names or made.name in names:
            setups.append(made)
    refuse_duplicate_names((s.name, s.source) for s in setups)
    return setups


def _get(url: str, credentials: Credentials | None = None) -> bytes:
    answer = post(url, method="GET", accept="application/n-triples", credentials=credentials, what="read a graph")
    return standard_ntriples(answer.body)


def _ask(endpoint: str, text: str, credentials: Credentials | None = None) -> bool:
    result = query(endpoint, text, credentials=credentials)
    return bool(result) if not isinstance(result, list) else False
