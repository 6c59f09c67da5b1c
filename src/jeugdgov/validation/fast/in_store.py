"""The fast engine in an external SPARQL store: the shape queries run in the store.

Each named graph of the store is a setup. Its dataset is the merge of that graph, the graph
holding the jeugdgov ontology and any graphs the user names as shared; it is sent with every
query as the protocol's ``default-graph-uri`` parameters, so the store merges the graphs and
does the work. Only the results (and the labels of the nodes they name) travel back.

SPARQL has no name for a store's own default graph, so a dataset cannot merge it with a named
graph. When the default graph holds triples of its own (the layout ``jeugdgov push`` writes:
shared facts and the ontology there), the setups are fetched instead
(:func:`jeugdgov.sparql.remote.fetch_setups`) and validated locally, and the caller is told so.

For an oxigraph server the queries get the same LATERAL rewrite as locally
(:mod:`jeugdgov.validation.fast.rewrite`); other stores get standard SPARQL 1.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date

from pyoxigraph import QuerySolutions
from rdflib import RDF, RDFS, Graph, Node, URIRef
from rdflib.namespace import DCTERMS, OWL

from jeugdgov.errors import InputError
from jeugdgov.setups import (
    Setup,
    name_from_graph_iri,
    refuse_duplicate_names,
    refuse_unknown_names,
    select,
    setup_from_graph,
)
from jeugdgov.sparql.remote import fetch_setups, query, server_software
from jeugdgov.validation.fast.engine import (
    Progress,
    Triple,
    check_translatable,
    described,
    evaluate,
    report_for,
    setup_as_of,
    to_rdflib,
    translation_for,
    validate_setup,
)
from jeugdgov.validation.fast.rewrite import for_oxigraph
from jeugdgov.validation.findings import Report

ONTOLOGY = "https://w3id.org/jeugdgov/def"
TIMEOUT = 600  # seconds for one shape query on national data
OWN_DEFAULT = "ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
BATCH = 500  # nodes per VALUES block when fetching labels


class EndpointRunner:
    """Queries over one dataset (a merge of named graphs) of a SPARQL endpoint."""

    def __init__(self, endpoint: str, graphs: Sequence[str], lateral: bool = False) -> None:
        self.endpoint = endpoint
        self.graphs = list(graphs)
        self.lateral = lateral

    def select(self, text: str) -> Iterator[dict[str, Node]]:
        if self.lateral:
            text = for_oxigraph(text)
        return _rows(self.endpoint, text, self.graphs)

    def describe(self, nodes: set[Node]) -> list[Triple]:
        return described(nodes, self.triples, self.pointing)

    def pointing(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The triples with these predicates whose object is one of the nodes (named nodes:
        a query cannot name a blank node)."""
        iris = sorted(n for n in nodes if isinstance(n, URIRef))
        values = " ".join(p.n3() for p in predicates)
        for start in range(0, len(iris), BATCH):
            objects = " ".join(n.n3() for n in iris[start:start + BATCH])
            text = f"SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {objects} }} VALUES ?p {{ {values} }} ?s ?p ?o }}"
            for row in self.select(text):
                yield row["s"], row["p"], row["o"]

    def triples(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        iris = sorted(n for n in nodes if isinstance(n, URIRef))  # blank nodes cannot be named
        values = " ".join(p.n3() for p in predicates)
        for start in range(0, len(iris), BATCH):
            subjects = " ".join(n.n3() for n in iris[start:start + BATCH])
            text = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {subjects} }} VALUES ?p {{ {values} }} ?s ?p ?o }}"
            for row in self.select(text):
                yield row["s"], row["p"], row["o"]


def validate_endpoint(endpoint: str, defects: Iterable[str] | None = None, names: Sequence[str] | None = None,
                      shared: Sequence[str] = (), fallback: bool = False, progress: Progress | None = None,
                      graph_store: str | None = None, note: Callable[[str], None] | None = None,
                      with_shacl_report: bool = True, as_of: date | None = None) -> list[Report]:
    """Validate every setup (named graph) of a store, with the queries running in the store, on
    the reference date ``as_of`` (by default the end of each setup's period, else today)."""
    selection = frozenset(defects or ())
    translation = translation_for(selection, as_of)
    if translation.untranslatable and not fallback:
        check_translatable(translation)
    if translation.untranslatable or bool(query(endpoint, OWN_DEFAULT, timeout=TIMEOUT)):
        # pySHACL needs the data at hand, and so does a store whose default graph has no name.
        return _fetched(endpoint, defects, names, fallback, graph_store, note, as_of)
    graphs = [row["g"] for row in _rows(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")]
    ontology_graphs = [str(row["g"]) for row in _rows(
        endpoint, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{ONTOLOGY}> a <{OWL.Ontology}> }} }}")]
    if not ontology_graphs:
        raise InputError(f"the SPARQL endpoint {endpoint} holds no jeugdgov ontology in a named graph",
                         hint=f"load ontology/*.ttl into the graph <{ONTOLOGY}>, e.g. "
                         f"curl -X POST -H 'Content-Type: text/turtle' --data-binary @ontology/jeugdgov.ttl "
                         f"'http://HOST:PORT/store?graph={ONTOLOGY}' (and the other ontology files)")
    missing = sorted(set(shared) - {str(g) for g in graphs})
    if missing:
        raise InputError(f"the SPARQL endpoint {endpoint} has no graph {', '.join(missing)}",
                         hint="--shared-graph names a graph of the store that every setup shares")
    common = [*ontology_graphs, *shared]
    setups = [str(g) for g in graphs if str(g) not in common]
    if not setups:
        raise InputError(f"the SPARQL endpoint {endpoint} holds no setup graphs",
                         hint="push data to it first: jeugdgov push DATA... --endpoint URL")
    lateral = server_software(endpoint).lower().startswith("oxigraph")
    runners = [EndpointRunner(endpoint, [graph, *common], lateral=lateral) for graph in setups]
    found = [(_remote_setup(endpoint, graph, runner), runner) for graph, runner in zip(setups, runners, strict=True)]
    refuse_duplicate_names((setup.name, setup.source) for setup, _ in found)
    refuse_unknown_names(names, (setup.name for setup, _ in found))
    reports: list[Report] = []
    for setup, runner in found:
        if names and setup.name not in names:
            continue
        if progress:
            progress(f"validating {setup.name} in the store")
        setup_date = as_of or setup_as_of(runner, setup)
        raw = evaluate(runner, translation_for(selection, setup_date).queries, progress)
        reports.append(report_for(setup, raw, runner, defects, with_shacl_report=with_shacl_report,
                                  as_of=setup_date))
    return reports


def _remote_setup(endpoint: str, graph: str, runner: EndpointRunner) -> Setup:
    description = Graph()
    text = (f"SELECT ?s ?p ?o WHERE {{ ?s a <https://w3id.org/jeugdgov/def#Setup> ; ?p ?o . "
            f"VALUES ?p {{ {RDF.type.n3()} {RDFS.label.n3()} {DCTERMS.identifier.n3()} }} }}")
    for row in runner.select(text):
        description.add((row["s"], row["p"], row["o"]))
    setup = setup_from_graph(f"{endpoint} <{graph}>", description, fallback=name_from_graph_iri(graph))
    setup.complete = False
    return setup


def _fetched(endpoint: str, defects: Iterable[str] | None, names: Sequence[str] | None, fallback: bool,
             graph_store: str | None, note: Callable[[str], None] | None, as_of: date | None) -> list[Report]:
    if note:
        note(f"the setups of {endpoint} are fetched and validated here: its default graph holds triples of "
             "its own, which a SPARQL dataset cannot merge with a named graph, or some shapes need pySHACL "
             "(put shared triples and the ontology in named graphs to validate in the store)")
    setups = select(fetch_setups(endpoint, graph_store=graph_store), names)
    return [validate_setup(s, defects, fallback=fallback, as_of=as_of) for s in setups]


def _rows(endpoint: str, text: str, graphs: Sequence[str] = ()) -> Iterator[dict[str, Node]]:
    result = query(endpoint, text, graphs=graphs, timeout=TIMEOUT)
    if not isinstance(result, QuerySolutions):
        raise InputError(f"the SPARQL endpoint {endpoint} did not answer a SELECT with solutions")
    names = [v.value for v in result.variables]
    for solution in result:
        yield {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
