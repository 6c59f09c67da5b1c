"""External SPARQL 1.1 stores: query them, fetch setups from them, push data to them.

``push`` writes each setup into its named graph, a file's shared triples and the ontology into
named graphs of their own, and records which graphs each setup shares (:func:`push_layout`);
the setups of a store are its named graphs that hold a ``jg:Setup`` (:func:`setup_graphs`).
Named queries read the union of all graphs, so the store must offer the default graph as that
union (``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph``; GraphDB
and Virtuoso do so by default). The wire itself is :mod:`jeugdgov.sparql.protocol`.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)
from rdflib import Graph

from jeugdgov.errors import InputError
from jeugdgov.resources import ontology_dir
from jeugdgov.setups import Setup, name_from_graph_iri, refuse_duplicate_names, setup_from_graph
from jeugdgov.sparql.library import Result, Term, with_values
from jeugdgov.sparql.protocol import (
    TIMEOUT,
    Credentials,
    describe_query,
    graph_store_url,
    post,
    sparql_query,
    sparql_update,
    standard_json,
    standard_ntriples,
)
from jeugdgov.sparql.store import LoadInterrupted, read_files, skolemised

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
UPDATE_BATCH = 1000  # triples per INSERT DATA: Virtuoso's SPARQL compiler runs out of memory near 5,000
#: Triples per Graph Store Protocol POST into a fresh graph: stores load N-Triples in bulk, and a
#: graph of a million triples still goes in several requests that can run side by side.
GRAPH_STORE_BATCH = 50_000
#: Write requests in flight at once while filling the fresh graphs: the store parses and indexes
#: one while the next is on the wire (Virtuoso's test set-up serves 4 connections).
PUSH_PARALLEL = 3
#: How a store says that a write collided with another one and was rolled back (SQL state
#: 40001; Virtuoso: "SR172: Transaction deadlocked"); such a write is simply sent again.
ROLLED_BACK = ("40001", "deadlocked")
#: Virtuoso reads whole graphs by this index, named: left to choose, its optimiser picks, after
#: some bulk writes and not others, a plan that looks every triple up again in its POGS index
#: with the object unknown, 30 to 40 times the work (docs/production-stores.md).
VIRTUOSO_WHOLE_GRAPH_INDEX = "RDF_QUAD"
RETRIES = 5


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
                             f"{describe_query(text)}: {error}") from None
    try:
        return parse_query_results(standard_json(answer.body), format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise InputError(f"the SPARQL endpoint {endpoint} sent results that are not SPARQL JSON for the query "
                         f"{describe_query(text)}: {error}") from None


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
                         f"N-Triples for the query {describe_query(text)}")
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
        raise InputError(f"{source} sent RDF that cannot be read: {error}") from None
    return graph


def _select(endpoint: str, text: str, credentials: Credentials | None = None) -> list[dict[str, str]]:
    result = query(endpoint, text, credentials=credentials)
    if not isinstance(result, QuerySolutions):
        raise InputError(f"the SPARQL endpoint {endpoint} did not answer the query {describe_query(text)} "
                         "with solutions")
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
                         "or serve the store without a union default graph")
    through_graph_store = graph_store if undeclared and not separate else None
    virtuoso = is_virtuoso(server_software(endpoint, credentials))
    if through_graph_store and virtuoso:
        raise InputError(f"the setups of {endpoint} declare no shared graphs, and the shared triples cannot be read "
                         f"through {graph_store}: Virtuoso's Graph Store Protocol cuts a graph at ResultSetMaxRows "
                         "without saying so",
                         hint="push the setups with `jeugdgov push`, which records the graphs each setup shares")
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
        made = setup_from_graph(source, merged, fallback=name_from_graph_iri(setup.graph))
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


@dataclass
class Pushed:
    """What a push wrote: triples, setup graphs and every graph it replaced."""

    triples: int
    setups: int
    graphs: list[str]


def push_layout(paths: Sequence[str | Path], with_ontology: bool = True) -> dict[str, list[Triple]]:
    """Graph name -> triples, as ``push`` writes them: each setup in its named graph, a file's
    shared triples in a named graph of their own (``<file name>#shared``, with the file's stable
    ``urn:jeugdgov:file:`` name), the ontology in :data:`ONTOLOGY_GRAPH`, and in
    ``<file name>#layout`` which graphs each setup graph shares.
    Blank nodes are skolemised (IRIs made from the file's name, the same on every push): stores
    rename blank nodes, and a SPARQL Update cannot name one."""
    graphs: dict[str, list[Triple]] = {}
    layout: list[Triple] = []
    requires = NamedNode(REQUIRES)
    for parsed in map(skolemised, read_files(paths, with_ontology=with_ontology)):
        is_ontology = parsed.path.resolve().parent == _ontology_folder()
        shared_name = ONTOLOGY_GRAPH if is_ontology else parsed.iri + "#shared"
        own: set[str] = set()
        for quad in parsed.quads:
            name = shared_name if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
            graphs.setdefault(name, []).append(quad.triple)
            if not isinstance(quad.graph_name, DefaultGraph):
                own.add(name)
        for name in sorted(own):
            layout.append(Triple(NamedNode(name), requires, NamedNode(ONTOLOGY_GRAPH)))
            if shared_name in graphs and not is_ontology:
                layout.append(Triple(NamedNode(name), requires, NamedNode(shared_name)))
        if layout:
            graphs[parsed.iri + LAYOUT_SUFFIX] = layout
            layout = []
    return graphs


def _ontology_folder() -> Path:
    return ontology_dir().resolve()


def push(paths: Sequence[str | Path], endpoint: str | None = None, graph_store: str | None = None,
         with_ontology: bool = True, credentials: Credentials | None = None) -> Pushed:
    """Send files to an external store in the layout of :func:`push_layout`, all or nothing.

    Every file is parsed before anything is sent. With ``endpoint`` (SPARQL Update) each graph
    is first written to a fresh graph of its own (its name and a random suffix); only when all
    are written are they moved over the graphs they replace (SPARQL 1.1 ``MOVE``), so a push
    that fails while writing leaves the store's graphs as they were (the fresh graphs are
    dropped again). A failure while moving names the graphs already replaced. Given
    ``graph_store`` as well, the fresh graphs are written through the Graph Store Protocol
    (N-Triples in bulk, much faster than INSERT DATA) and still moved into place by SPARQL
    Update. Given only ``graph_store``, each graph is replaced directly (the protocol has no
    transaction; a failure says what was replaced).
    """
    if not endpoint and not graph_store:
        raise InputError("give --endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)",
                         nl=("geef --endpoint (SPARQL Update) of --graph-store (Graph Store Protocol)", None))
    graphs = push_layout(paths, with_ontology=with_ontology)
    count = sum(len(triples) for name, triples in graphs.items() if not name.endswith(LAYOUT_SUFFIX))
    setups = len([name for name in graphs if name != ONTOLOGY_GRAPH and not name.endswith(("#shared", LAYOUT_SUFFIX))])
    if graph_store and not endpoint:
        _push_graph_store(graph_store, graphs, credentials)
    else:
        _again_if_rolled_back(partial(_drop_leftovers, endpoint or "", graphs, credentials))
        _push_update(endpoint or "", graphs, credentials, graph_store)
    return Pushed(count, setups, sorted(graphs))


def _drop_leftovers(endpoint: str, graphs: Mapping[str, list[Triple]], credentials: Credentials | None) -> None:
    """Empty the fresh graphs of the same names that a killed push left, which would else hold
    every setup once more (one update: an update endpoint answers no query that lists them)."""
    names = " ".join(f"<{name}>" for name in graphs)
    sparql_update(endpoint, f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES ?name {{ {names} }} "
                            "GRAPH ?g { ?s ?p ?o } "
                            f"FILTER (STRSTARTS(STR(?g), CONCAT(STR(?name), \"{FRESH_SUFFIX}\")) "
                            f"&& REGEX(STR(?g), \"{LEFTOVER}\")) }}",
                  credentials=credentials, what="remove the fresh graphs an interrupted push left")


def _push_graph_store(base: str, graphs: Mapping[str, list[Triple]], credentials: Credentials | None) -> None:
    """PUT each graph; the Graph Store Protocol has no transaction, so a failure says what was replaced."""
    done: list[str] = []
    for name, triples in graphs.items():
        try:
            post(graph_store_url(base, name), body=serialize(triples, format=RdfFormat.N_TRIPLES),
                 content_type="application/n-triples", method="PUT", credentials=credentials,
                 what=f"write the graph <{name}>")
        except InputError as error:
            raise InputError(f"{error.problem}; the push stopped half-way: {_written(done)}",
                             hint="push again to complete it") from None
        done.append(name)


def _written(done: Sequence[str]) -> str:
    if not done:
        return "nothing was written"
    return "these graphs were replaced: " + ", ".join(f"<{g}>" for g in done) + \
        " (remove them with DROP GRAPH <...>, or push again to complete)"


def _fresh_writes(graphs: Mapping[str, list[Triple]], suffix: str, endpoint: str, graph_store: str | None,
                  credentials: Credentials | None) -> list[Callable[[], object]]:
    """The requests that fill the fresh graphs, each adding one batch of a graph's triples."""
    writes: list[Callable[[], object]] = []
    for name, triples in graphs.items():
        temporary = name + suffix
        size = GRAPH_STORE_BATCH if graph_store else UPDATE_BATCH
        for start in range(0, len(triples), size):
            batch = triples[start:start + size]
            what = f"write the graph <{name}>"
            if graph_store:
                writes.append(partial(_post_batch, graph_store_url(graph_store, temporary), batch, credentials, what))
            else:
                writes.append(partial(_insert_batch, endpoint, temporary, batch, credentials, what))
    return writes


def _post_batch(url: str, triples: Sequence[Triple], credentials: Credentials | None, what: str) -> None:
    """Add triples to a graph through the Graph Store Protocol (serialised only when sent)."""
    post(url, body=serialize(triples, format=RdfFormat.N_TRIPLES), content_type="application/n-triples",
         credentials=credentials, what=what)


def _insert_batch(endpoint: str, graph: str, triples: Sequence[Triple], credentials: Credentials | None,
                  what: str) -> None:
    _insert_graphs(endpoint, {graph: triples}, credentials, what)


def _insert_graphs(endpoint: str, graphs: Mapping[str, Sequence[Triple]], credentials: Credentials | None,
                   what: str) -> None:
    """One INSERT DATA of triples into several graphs."""
    blocks = "".join(f"GRAPH <{graph}> {{\n" + "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
                     + "}\n" for graph, triples in graphs.items())
    sparql_update(endpoint, f"INSERT DATA {{\n{blocks}}}", credentials=credentials, what=what)


def _first_of_each_tag(graphs: Mapping[str, list[Triple]]) -> tuple[dict[str, list[Triple]], dict[str, list[Triple]]]:
    """The graphs split in two: the first triple with each language tag and each datatype, and
    all the others.

    Virtuoso numbers a language tag (and a datatype) the first time it stores one, in a table of
    its own; two writes side by side that bring the same new tag can both try to add it, and one
    fails with "SR197: Non unique primary key on DB.DBA.RDF_LANGUAGE" (openlink/virtuoso-opensource
    issue 1329). Written first, in one write of their own, these triples introduce every tag
    before the writes that run side by side."""
    seen: set[str] = set()
    first: dict[str, list[Triple]] = {}
    rest: dict[str, list[Triple]] = {}
    for name, triples in graphs.items():
        others = rest[name] = []
        for triple in triples:
            term = triple.object
            if not isinstance(term, Literal):
                others.append(triple)
                continue
            tag = f"@{term.language}" if term.language else term.datatype.value
            if tag in seen:
                others.append(triple)
            else:
                seen.add(tag)
                first.setdefault(name, []).append(triple)
    return first, rest


def _again_if_rolled_back(write: Callable[[], object]) -> None:
    """Send a write; again, after a short pause, when the store rolled it back for a collision
    with a write running beside it (nothing of it was written, so sending it again is safe)."""
    for attempt in range(RETRIES + 1):
        try:
            write()
            return
        except InputError as error:
            if attempt == RETRIES or not any(sign in error.problem for sign in ROLLED_BACK):
                raise
            time.sleep(0.2 * (attempt + 1))


def _run_all(writes: Sequence[Callable[[], object]]) -> None:
    """Run the requests :data:`PUSH_PARALLEL` at a time; on the first failure the ones not yet
    started are cancelled, the running ones finish, and the failure is raised."""
    with ThreadPoolExecutor(max_workers=PUSH_PARALLEL) as pool:
        futures = [pool.submit(_again_if_rolled_back, write) for write in writes]
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = next((error for f in futures if f in finished and (error := f.exception()) is not None), None)
        if failed is not None:
            for future in futures:
                future.cancel()
            wait(futures)
            raise failed


def _push_update(endpoint: str, graphs: Mapping[str, list[Triple]], credentials: Credentials | None,
                 graph_store: str | None = None) -> None:
    suffix = FRESH_SUFFIX + secrets.token_hex(6)
    fresh = [name + suffix for name in graphs]
    first, rest = _first_of_each_tag(graphs)
    try:
        if first:
            _again_if_rolled_back(partial(_insert_graphs, endpoint, {n + suffix: t for n, t in first.items()},
                                          credentials, "write the language tags and datatypes"))
        _run_all(_fresh_writes(rest, suffix, endpoint, graph_store, credentials))
    except KeyboardInterrupt:
        left = _drop_quietly(endpoint, fresh, credentials)
        raise LoadInterrupted("interrupted: nothing was replaced" + (
            f"; these fresh graphs are left, and the next push removes them: {', '.join(f'<{g}>' for g in left)}"
            if left else ", and the fresh graphs were removed"), exit_code=130) from None
    except InputError as error:
        left = _drop_quietly(endpoint, fresh, credentials)
        raise InputError(f"{error.problem}; nothing was replaced" +
                         (f", but these fresh graphs could not be removed: {', '.join(f'<{g}>' for g in left)}"
                          " (remove them with DROP GRAPH)" if left else ""),
                         hint=error.hint) from None
    moved: list[str] = []
    for name in graphs:
        try:
            sparql_update(endpoint, f"MOVE SILENT GRAPH <{name + suffix}> TO GRAPH <{name}>",
                          credentials=credentials, what=f"replace the graph <{name}>")
        except KeyboardInterrupt:
            raise LoadInterrupted(f"interrupted half-way: {_written(moved)}; push again to complete it (it "
                                  "also removes the fresh graphs not yet moved)", exit_code=2) from None
        except InputError as error:
            waiting = [g + suffix for g in graphs if g not in moved]
            raise InputError(f"{error.problem}; the push stopped half-way: {_written(moved)}; not yet moved "
                             f"into place: {', '.join(f'<{g}>' for g in waiting)}",
                             hint="push again to complete it, and DROP the graphs not yet moved") from None
        moved.append(name)


def _drop_quietly(endpoint: str, graphs: Sequence[str], credentials: Credentials | None) -> list[str]:
    """Drop graphs; the ones that could not be dropped."""
    left = []
    for graph in graphs:
        try:
            sparql_update(endpoint, f"DROP SILENT GRAPH <{graph}>", credentials=credentials)
        except InputError:
            left.append(graph)
    return left
