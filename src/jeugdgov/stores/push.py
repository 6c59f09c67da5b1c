"""Pushing setups to an external SPARQL 1.1 store, all or nothing, in the layout that
:func:`jeugdgov.stores.remote.fetch_setups` reads back."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, RdfFormat, Triple, serialize

from jeugdgov.errors import InputError
from jeugdgov.resources import ontology_dir
from jeugdgov.stores.embedded import LoadInterrupted, read_files, skolemised
from jeugdgov.stores.protocol import Credentials, graph_store_url, post, sparql_update
from jeugdgov.stores.remote import FRESH_SUFFIX, LAYOUT_SUFFIX, LEFTOVER, ONTOLOGY_GRAPH, REQUIRES

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
RETRIES = 5


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
                             hint="push again to complete it",
                             nl=(f"{error.said_in('nl')[0]}; het versturen stopte halverwege: {_written(done, 'nl')}",
                                 "verstuur opnieuw om het af te maken")) from None
        done.append(name)


def _written(done: Sequence[str], lang: str = "en") -> str:
    if not done:
        return "er is niets geschreven" if lang == "nl" else "nothing was written"
    graphs = ", ".join(f"<{g}>" for g in done)
    if lang == "nl":
        return f"deze grafen zijn vervangen: {graphs} (verwijder ze met DROP GRAPH <...>, of verstuur opnieuw)"
    return f"these graphs were replaced: {graphs} (remove them with DROP GRAPH <...>, or push again to complete)"


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
        listed = ", ".join(f"<{g}>" for g in left)
        raise LoadInterrupted("interrupted: nothing was replaced" + (
            f"; these fresh graphs are left, and the next push removes them: {listed}"
            if left else ", and the fresh graphs were removed"), exit_code=130,
            nl="onderbroken: er is niets vervangen" + (
                f"; deze nieuwe grafen zijn over, en de volgende push verwijdert ze: {listed}"
                if left else ", en de nieuwe grafen zijn verwijderd")) from None
    except InputError as error:
        left = _drop_quietly(endpoint, fresh, credentials)
        listed = ", ".join(f"<{g}>" for g in left)
        raise InputError(f"{error.problem}; nothing was replaced" +
                         (f", but these fresh graphs could not be removed: {listed} (remove them with DROP GRAPH)"
                          if left else ""),
                         hint=error.hint,
                         nl=(f"{error.said_in('nl')[0]}; er is niets vervangen" +
                             (f", maar deze nieuwe grafen konden niet verwijderd worden: {listed} (verwijder ze "
                              "met DROP GRAPH)" if left else ""), error.said_in("nl")[1])) from None
    moved: list[str] = []
    for name in graphs:
        try:
            sparql_update(endpoint, f"MOVE SILENT GRAPH <{name + suffix}> TO GRAPH <{name}>",
                          credentials=credentials, what=f"replace the graph <{name}>")
        except KeyboardInterrupt:
            raise LoadInterrupted(f"interrupted half-way: {_written(moved)}; push again to complete it (it "
                                  "also removes the fresh graphs not yet moved)", exit_code=2,
                                  nl=f"halverwege onderbroken: {_written(moved, 'nl')}; verstuur opnieuw om het "
                                  "af te maken (dat verwijdert ook de nieuwe grafen die nog niet verplaatst zijn)"
                                  ) from None
        except InputError as error:
            waiting = [g + suffix for g in graphs if g not in moved]
            listed = ", ".join(f"<{g}>" for g in waiting)
            raise InputError(f"{error.problem}; the push stopped half-way: {_written(moved)}; not yet moved "
                             f"into place: {listed}",
                             hint="push again to complete it, and DROP the graphs not yet moved",
                             nl=(f"{error.said_in('nl')[0]}; het versturen stopte halverwege: "
                                 f"{_written(moved, 'nl')}; nog niet op hun plaats gezet: {listed}",
                                 "verstuur opnieuw om het af te maken, en verwijder (DROP) de grafen die nog niet "
                                 "verplaatst zijn")) from None
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
