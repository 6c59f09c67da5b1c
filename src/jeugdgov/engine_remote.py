"""The fast engine in an external SPARQL store: the shape queries run in the store.

Each named graph of the store is a setup. Its dataset is the merge of that graph, the graph
holding the jeugdgov ontology and any graphs the user names as shared; it is sent with every
query as the protocol's ``default-graph-uri`` parameters, so the store merges the graphs and
does the work. Only the results (and the labels of the nodes they name) travel back.

SPARQL has no name for a store's own default graph, so a dataset cannot merge it with a named
graph. When the default graph holds triples of its own (the layout ``jeugdgov push`` writes:
shared facts and the ontology there), the setups are fetched instead
(:func:`jeugdgov.remote.fetch_setups`) and validated locally, and the caller is told so.

For an oxigraph server the queries get the same LATERAL rewrite as locally
(:mod:`jeugdgov.engine_plan`); other stores get standard SPARQL 1.1.
"""

from __future__ import annotations

import json
import urllib.error
from collections.abc import Callable, Iterable, Iterator, Sequence

from rdflib import RDF, RDFS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from jeugdgov.engine import LABELS, Progress, check_translatable, evaluate, report_for, translation_for
from jeugdgov.engine_plan import with_lateral_paths
from jeugdgov.errors import InputError
from jeugdgov.loading import Setup, _setup
from jeugdgov.validation import Report, _involving_properties

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
            text = with_lateral_paths(text)
        document, _server = _request(self.endpoint, text, self.graphs)
        for binding in document.get("results", {}).get("bindings", []):
            yield {name: _term(value) for name, value in binding.items()}

    def describe(self, nodes: set[Node]) -> Graph:
        """Types, labels and involved parties of the nodes, with the parties' labels."""
        graph = Graph()
        involving = list(_involving_properties())
        wanted = [RDF.type, *LABELS, *involving]
        parties: set[Node] = set()
        for s, p, o in self._triples(nodes, wanted):
            graph.add((s, p, o))
            if p in involving:
                parties.add(o)
        for triple in self._triples(parties - nodes, list(LABELS)):
            graph.add(triple)
        return graph

    def _triples(self, nodes: Iterable[Node], predicates: list[URIRef]) -> Iterator[tuple[Node, Node, Node]]:
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
                      with_shacl_report: bool = True) -> list[Report]:
    """Validate every setup (named graph) of a store, with the queries running in the store."""
    selection = frozenset(defects or ())
    translation = translation_for(selection)
    if translation.untranslatable and not fallback:
        check_translatable(translation)
    if translation.untranslatable or _ask(endpoint, OWN_DEFAULT):
        # pySHACL needs the data at hand, and so does a store whose default graph has no name.
        return _fetched(endpoint, defects, names, fallback, graph_store, note)
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
    lateral = _server(endpoint).lower().startswith("oxigraph")
    reports: list[Report] = []
    seen: dict[str, str] = {}
    for graph in setups:
        runner = EndpointRunner(endpoint, [graph, *common], lateral=lateral)
        setup = _remote_setup(endpoint, graph, runner)
        if setup.name in seen:
            raise InputError(f"two graphs of {endpoint} hold a setup called '{setup.name}'",
                             hint="give each jg:Setup its own dct:identifier")
        seen[setup.name] = graph
        if names and setup.name not in names:
            continue
        if progress:
            progress(f"validating {setup.name} in the store")
        raw = evaluate(runner, translation.queries, progress)
        reports.append(report_for(setup, raw, runner, defects, with_shacl_report=with_shacl_report))
    if names:
        unknown = sorted(set(names) - set(seen))
        if unknown:
            raise InputError(f"no setup named {', '.join(unknown)}", hint=f"setups found: {', '.join(seen)}")
    return reports


def _remote_setup(endpoint: str, graph: str, runner: EndpointRunner) -> Setup:
    from jeugdgov.remote import _name  # the setup names the fetching path gives

    description = Graph()
    text = (f"SELECT ?s ?p ?o WHERE {{ ?s a <https://w3id.org/jeugdgov/def#Setup> ; ?p ?o . "
            f"VALUES ?p {{ {RDF.type.n3()} {RDFS.label.n3()} {DCTERMS.identifier.n3()} }} }}")
    for row in runner.select(text):
        description.add((row["s"], row["p"], row["o"]))
    return _setup(f"{endpoint} <{graph}>", description, fallback=_name(graph))  # type: ignore[arg-type]


def _fetched(endpoint: str, defects: Iterable[str] | None, names: Sequence[str] | None, fallback: bool,
             graph_store: str | None, note: Callable[[str], None] | None) -> list[Report]:
    from jeugdgov.remote import fetch_setups
    from jeugdgov.validation import validate

    if note:
        note(f"the setups of {endpoint} are fetched and validated here: its default graph holds triples of "
             "its own, which a SPARQL dataset cannot merge with a named graph, or some shapes need pySHACL "
             "(put shared triples and the ontology in named graphs to validate in the store)")
    setups = fetch_setups(endpoint, graph_store=graph_store)
    if names:
        unknown = sorted(set(names) - {s.name for s in setups})
        if unknown:
            raise InputError(f"no setup named {', '.join(unknown)}",
                             hint=f"setups found: {', '.join(s.name for s in setups)}")
        setups = [s for s in setups if s.name in names]
    return [validate(s, defects=defects, engine="fast", fallback=fallback) for s in setups]


#################################################################
# The protocol
#################################################################

def _request(endpoint: str, text: str, graphs: Sequence[str] = ()) -> tuple[dict, str]:
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setTimeout(TIMEOUT)
    client.setReturnFormat(JSON)
    client.setQuery(text)
    for graph in graphs:
        client.addDefaultGraph(graph)
    try:
        response = client.query().response
        server = response.headers.get("Server", "")
        return json.loads(response.read().decode("utf-8")), server
    except SPARQLWrapperException as error:
        message = str(error).replace("\n", " ").strip()
        raise InputError(f"the SPARQL endpoint {endpoint} refused a shape query: {message}") from None
    except urllib.error.HTTPError as error:
        raise InputError(f"the SPARQL endpoint {endpoint} answered {error.code} to a shape query") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot reach the SPARQL endpoint {endpoint}: {reason}",
                         hint="check the URL and that the store is running") from None


def _rows(endpoint: str, text: str) -> list[dict[str, Node]]:
    document, _server = _request(endpoint, text)
    return [{k: _term(v) for k, v in b.items()} for b in document.get("results", {}).get("bindings", [])]


def _ask(endpoint: str, text: str) -> bool:
    document, _server = _request(endpoint, text)
    return bool(document.get("boolean"))


def _server(endpoint: str) -> str:
    return _request(endpoint, "ASK {}")[1]


def _term(value: dict[str, str]) -> Node:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])
