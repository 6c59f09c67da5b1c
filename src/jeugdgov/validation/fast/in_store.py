"""The fast engine on an external SPARQL store: its setups read and validated here, or the shape
queries run in the store.

Each named graph of the store that holds a ``jg:Setup`` is a setup. Its dataset is the merge of
that graph, the graph holding the jeugdgov ontology, the graphs the setup declares it shares
(the layout ``jeugdgov push`` writes) and any graphs the user names as shared.

By default each dataset is read in one CONSTRUCT and validated here as a file is, in memory and
in parallel processes: evaluating the shape queries is several times faster in memory than in
a store on disk (docs/production-stores.md has the figures), and the findings do not depend on
the store's query engine. In the store (``fetch`` False) the dataset is sent with every query
as the protocol's ``default-graph-uri`` parameters, so the store merges the graphs and does the
work; only the results (and the labels of the nodes they name) travel back.

A store may answer a query wrongly without saying so (Virtuoso does, see
docs/production-stores.md), so one setup is first validated both in the store and locally on
its fetched triples (:func:`check_store`); a store whose answers differ is refused.

SPARQL has no name for a store's own default graph, so a dataset cannot merge it with a named
graph. When setups declare no shared graphs and the default graph holds triples of its own
(a TriG file loaded as it is), the setups are fetched instead
(:func:`jeugdgov.stores.remote.fetch_setups`) and validated locally, and the caller is told so.

For an oxigraph server the queries get the same LATERAL rewrite as locally
(:mod:`jeugdgov.validation.fast.rewrite`); for Virtuoso, the forms it evaluates correctly
(:mod:`jeugdgov.validation.fast.virtuoso`); other stores get standard SPARQL 1.1.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from pyoxigraph import QuerySolutions
from rdflib import RDF, RDFS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL

from jeugdgov.errors import InputError
from jeugdgov.resources import local_name, to_rdflib
from jeugdgov.setups import (
    Setup,
    name_from_graph_iri,
    refuse_duplicate_names,
    refuse_unknown_names,
    select,
    store_setup,
)
from jeugdgov.stores.protocol import Credentials, describe_query
from jeugdgov.stores.remote import (
    ONTOLOGY_GRAPH,
    SetupGraph,
    dataset_ntriples,
    fetch_graph,
    fetch_setups,
    is_virtuoso,
    query,
    server_software,
    setup_graphs,
)
from jeugdgov.validation.fast.engine import validate_setup
from jeugdgov.validation.fast.evaluation import (
    Progress,
    Triple,
    check_translatable,
    evaluate,
    setup_as_of,
    translation_for,
)
from jeugdgov.validation.fast.local_store import LocalRunner, store_for
from jeugdgov.validation.fast.parallel import validate_in_turn
from jeugdgov.validation.fast.rewrite import for_oxigraph
from jeugdgov.validation.fast.shacl_report import described, report_for
from jeugdgov.validation.fast.translate import ShapeQuery
from jeugdgov.validation.fast.virtuoso import for_virtuoso
from jeugdgov.validation.findings import RawResult, Report
from jeugdgov.validation.options import ValidationOptions

ONTOLOGY = ONTOLOGY_GRAPH
TIMEOUT = 600  # seconds for one shape query on national data
OWN_DEFAULT = "ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
BATCH = 500  # nodes per VALUES block when fetching labels
SHOWN = 5  # differing results named per shape when the store check fails
PARALLEL = 2  # setups validated at the same time, each with one request open at a time
READERS = 3  # setups read at the same time


class EndpointRunner:
    """Queries over one dataset (a merge of named graphs) of a SPARQL endpoint."""

    def __init__(self, endpoint: str, graphs: Sequence[str], lateral: bool = False,
                 credentials: Credentials | None = None, virtuoso: bool = False) -> None:
        self.endpoint = endpoint
        self.graphs = list(dict.fromkeys(graphs))
        self.lateral = lateral
        self.credentials = credentials
        self.virtuoso = virtuoso

    def select(self, text: str) -> Iterator[dict[str, Node]]:
        if self.lateral:
            text = for_oxigraph(text)
        elif self.virtuoso:
            text = for_virtuoso(text)
        return _rows(self.endpoint, text, self.graphs, self.credentials)

    def describe(self, nodes: set[Node]) -> list[Triple]:
        return described(nodes, self.triples, self.pointing)

    def pointing(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The triples with these predicates whose object is one of the nodes."""
        return self._matching("?o", nodes, predicates)

    def triples(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The triples with these predicates whose subject is one of the nodes."""
        return self._matching("?s", nodes, predicates)

    def _matching(self, position: str, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        iris = sorted(n for n in nodes if isinstance(n, URIRef))  # a query cannot name a blank node
        values = " ".join(p.n3() for p in predicates)
        for start in range(0, len(iris), BATCH):
            terms = " ".join(n.n3() for n in iris[start:start + BATCH])
            text = f"SELECT ?s ?p ?o WHERE {{ VALUES {position} {{ {terms} }} VALUES ?p {{ {values} }} ?s ?p ?o }}"
            for row in self.select(text):
                yield row["s"], row["p"], row["o"]

def validate_endpoint(endpoint: str, defects: Iterable[str] | None = None,
                      options: ValidationOptions | None = None) -> list[Report]:
    """Validate every setup graph of a store (the named graphs holding a ``jg:Setup``), or those
    named by ``options.setups``.

    Each setup's dataset is its graph, the ontology graph, the graphs it declares it shares
    (:func:`jeugdgov.stores.remote.setup_graphs`) and ``options.shared``. With ``options.fetch``
    (the default) each dataset is read from the store and validated here, in memory: the store
    evaluates the shape queries on disk, several times slower, and may evaluate some wrongly.
    Without it the shape queries run in the store; unless ``options.check`` is off, one setup
    (``options.check_setup``, else the smallest) is first validated both in the store and
    locally on its fetched triples, and a store that answers differently is refused."""
    options = options or ValidationOptions()
    names, shared, credentials = options.setups, options.shared, options.credentials
    as_of, progress, check_setup = options.as_of, options.progress, options.check_setup
    selection = frozenset(defects or ())
    translation = translation_for(selection, as_of)
    if translation.untranslatable and not options.fallback:
        check_translatable(translation)
    if shared:
        _refuse_missing_graphs(endpoint, shared, credentials)
    found = setup_graphs(endpoint, credentials)
    if options.fetch:
        return _fetched(endpoint, found, defects, options)
    if not found:
        raise InputError(f"the SPARQL endpoint {endpoint} holds no named graph with a jg:Setup",
                         hint="push data to it first: jeugdgov push DATA... --endpoint URL",
                         nl=(f"het SPARQL-endpoint {endpoint} bevat geen benoemde graaf met een jg:Setup",
                             "stuur er eerst gegevens heen: jeugdgov push GEGEVENS... --endpoint URL"))
    undeclared = not shared and any(s.shares is None for s in found)
    if translation.untranslatable or (undeclared and _ask(endpoint, OWN_DEFAULT, credentials)):
        # pySHACL needs the data at hand, and so does a store whose default graph has no name.
        return _fetched(endpoint, found, defects, options)
    ontology_graphs = [str(row["g"]) for row in _rows(
        endpoint, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{ONTOLOGY}> a <{OWL.Ontology}> }} }}",
        credentials=credentials)]
    if not ontology_graphs:
        raise InputError(f"the SPARQL endpoint {endpoint} holds no jeugdgov ontology in a named graph",
                         hint=f"push it with `jeugdgov push` (it writes the ontology into <{ONTOLOGY}>), or "
                         f"load ontology/*.ttl into that graph yourself",
                         nl=(f"het SPARQL-endpoint {endpoint} bevat geen jeugdgov-ontologie in een benoemde graaf",
                             f"stuur haar met `jeugdgov push` (dat de ontologie in <{ONTOLOGY}> schrijft), of laad "
                             "ontology/*.ttl zelf in die graaf"))
    software = server_software(endpoint, credentials)
    lateral = software.lower().startswith("oxigraph")
    runners = [EndpointRunner(endpoint, [s.graph, *ontology_graphs, *shared, *(s.shares or ())], lateral=lateral,
                              credentials=credentials, virtuoso=is_virtuoso(software)) for s in found]
    described_setups = [(_remote_setup(endpoint, s.graph, runner), runner)
                        for s, runner in zip(found, runners, strict=True)]
    refuse_duplicate_names((setup.name, setup.source) for setup, _ in described_setups)
    refuse_unknown_names(names, (setup.name for setup, _ in described_setups))
    if check_setup is not None:
        refuse_unknown_names([check_setup], (setup.name for setup, _ in described_setups))
    chosen = [(setup, runner) for setup, runner in described_setups if not names or setup.name in names]

    def dated_queries(setup: Setup, runner: EndpointRunner) -> tuple[date, list[ShapeQuery]]:
        setup_date = as_of or setup_as_of(runner, setup)
        return setup_date, translation_for(selection, setup_date).queries

    done: dict[str, list[RawResult]] = {}
    if options.check:
        candidates = [pair for pair in described_setups if pair[0].name == check_setup] if check_setup else chosen
        setup, runner = candidates[0] if check_setup else _smallest(endpoint, candidates, credentials)
        if progress:
            progress(f"checking the store on {setup.name}")
        done[setup.name] = check_store(endpoint, setup, runner, dated_queries(setup, runner)[1], ontology_graphs,
                                       progress)

    def validated(pair: tuple[Setup, EndpointRunner]) -> Report:
        setup, runner = pair
        if progress:
            progress(f"validating {setup.name} in the store")
        setup_date, queries = dated_queries(setup, runner)
        raw = done[setup.name] if setup.name in done else evaluate(runner, queries)
        return report_for(setup, raw, runner, defects, with_shacl_report=options.with_shacl_report, as_of=setup_date)

    # The store does the work and answers requests side by side; here they mostly wait for it.
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(validated, chosen))


def _smallest(endpoint: str, setups: Sequence[tuple[Setup, EndpointRunner]],
              credentials: Credentials | None) -> tuple[Setup, EndpointRunner]:
    """The setup whose own graph holds the fewest triples (the cheapest to check)."""
    values = " ".join(f"<{runner.graphs[0]}>" for _, runner in setups)
    sizes = {str(row["g"]): int(str(row["n"])) for row in _rows(
        endpoint, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
        "GROUP BY ?g", credentials=credentials)}
    return min(setups, key=lambda pair: (sizes.get(pair[1].graphs[0], 0), pair[0].name))


def check_store(endpoint: str, setup: Setup, runner: EndpointRunner, queries: Sequence[ShapeQuery],
                ontology_graphs: Sequence[str], progress: Progress | None = None) -> list[RawResult]:
    """Validate a setup in the store and locally on its triples fetched from the store; its
    results in the store, or an InputError naming the shapes whose results differ."""
    in_store = evaluate(runner, queries, progress)
    data = [g for g in runner.graphs if g not in ontology_graphs]
    fetched = fetch_graph(endpoint, data, runner.credentials, runner.virtuoso)
    local = evaluate(LocalRunner(store_for(fetched)), queries)
    store_keys, local_keys = Counter(map(_comparable, in_store)), Counter(map(_comparable, local))
    if store_keys == local_keys:
        return in_store
    differing: dict[str, list[str]] = {}
    for key in sorted((store_keys - local_keys) | (local_keys - store_keys), key=str):
        where = "only in the store" if store_keys[key] > local_keys[key] else "only locally"
        differing.setdefault(key[0], []).append(f"{where}: {key[1]}" + (f" (value {key[2]})" if key[2] else ""))
    details = "; ".join(f"shape {shape}: " + ", ".join(rows[:SHOWN]) + (f" and {len(rows) - SHOWN} more"
                                                                        if len(rows) > SHOWN else "")
                        for shape, rows in differing.items())
    raise InputError(f"the SPARQL endpoint {endpoint} answers the shape queries differently from local validation "
                     f"of the same triples (setup {setup.name}): {details}",
                     hint="validate without --in-store: the setups are then read from the store and validated "
                     "here (the store's answers cannot be trusted), or skip this check with --no-check",
                     nl=(f"het SPARQL-endpoint {endpoint} beantwoordt de shape-queries anders dan de validatie hier "
                         f"op dezelfde triples (inrichting {setup.name}): {details}",
                         "valideer zonder --in-store: de inrichtingen worden dan uit de store gelezen en hier "
                         "gevalideerd (de antwoorden van de store zijn niet te vertrouwen), of sla deze controle "
                         "over met --no-check"))


def _comparable(result: RawResult) -> tuple[str, str, str]:
    """A result as both runs can agree on: blank nodes (labelled by each side) as [], literals by value."""
    def term(node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, BNode):
            return "[]"
        if isinstance(node, Literal) and not node.ill_typed and node.value is not None:
            return f"{node.value!r}^^{node.datatype or node.language or ''}"
        return str(node)
    return (local_name(result.source) if isinstance(result.source, URIRef) else _shape_name(result),
            term(result.focus), term(result.value))


def _shape_name(result: RawResult) -> str:
    """A property shape (a blank node) by its path."""
    path = result.path
    return f"property shape on {local_name(path)}" if isinstance(path, URIRef) else "a property shape"


def _remote_setup(endpoint: str, graph: str, runner: EndpointRunner) -> Setup:
    description = Graph()
    text = (f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s a <https://w3id.org/jeugdgov/def#Setup> ; ?p ?o }} "
            f"VALUES ?p {{ {RDF.type.n3()} {RDFS.label.n3()} {DCTERMS.identifier.n3()} }} }}")
    for row in _rows(endpoint, text, credentials=runner.credentials):
        description.add((row["s"], row["p"], row["o"]))
    setup = store_setup(endpoint, graph, description)
    setup.complete = False
    return setup


def _fetched(endpoint: str, found: Sequence[SetupGraph], defects: Iterable[str] | None,
             options: ValidationOptions) -> list[Report]:
    if found and (options.shared or all(s.shares is not None for s in found)):  # each setup's graphs are known
        return _read_and_validated(endpoint, found, defects, options)
    if options.note:
        options.note(f"the setups of {endpoint} are fetched as a whole and validated here: its default graph holds "
             "triples of its own, which a SPARQL dataset cannot merge with a named graph, or some shapes need "
             "pySHACL (put shared triples and the ontology in named graphs, as `jeugdgov push` does)")
    setups = select(fetch_setups(endpoint, graph_store=options.graph_store, credentials=options.credentials),
                    options.setups)
    return [validate_setup(s, defects, fallback=options.fallback, progress=options.progress, as_of=options.as_of)
            for s in setups]


def _read_and_validated(endpoint: str, found: Sequence[SetupGraph], defects: Iterable[str] | None,
                        options: ValidationOptions) -> list[Report]:
    """Each setup's dataset (its graph and the graphs it shares, not the ontology, which
    validation adds) read in one CONSTRUCT and validated here as files are: in memory, in
    parallel processes, each as soon as it is read. The files wait in a temporary folder,
    removed afterwards."""
    credentials, progress = options.credentials, options.progress
    virtuoso = is_virtuoso(server_software(endpoint, credentials))
    with tempfile.TemporaryDirectory(prefix="jeugdgov-read-") as folder:
        graph_of = {Path(folder) / str(index) / f"{name_from_graph_iri(setup.graph)}.nt": setup.graph
                    for index, setup in enumerate(found)}  # the file's name names a setup without an identifier

        def read(path: Path, setup: SetupGraph) -> Path:
            if progress:
                progress(f"reading {setup.graph}")
            graphs = [setup.graph, *(g for g in (*(setup.shares or ()), *options.shared) if g != ONTOLOGY)]
            path.parent.mkdir()
            path.write_bytes(dataset_ntriples(endpoint, list(dict.fromkeys(graphs)), credentials, virtuoso))
            return path

        def arriving() -> Iterator[Path]:
            paths = list(graph_of)
            # the first before any reading thread starts: the validation workers are forked at the first file
            yield read(paths[0], found[0])
            with ThreadPoolExecutor(max_workers=READERS) as readers:
                yield from readers.map(read, paths[1:], found[1:])

        reports = validate_in_turn(arriving(), len(found), defects, names=options.setups, fallback=options.fallback,
                                   progress=progress, workers=options.workers,
                                   with_shacl_report=options.with_shacl_report, limits=options.limits,
                                   as_of=options.as_of)
    for report in reports:  # in the order of the setups' graphs, as they were read
        report.setup.source = f"{endpoint} <{graph_of[Path(report.setup.source)]}>"
    return reports


def _refuse_missing_graphs(endpoint: str, shared: Sequence[str], credentials: Credentials | None) -> None:
    graphs = {str(row["g"]) for row in _rows(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                             credentials=credentials)}
    missing = sorted(set(shared) - graphs)
    if missing:
        raise InputError(f"the SPARQL endpoint {endpoint} has no graph {', '.join(missing)}",
                         hint="--shared-graph names a graph of the store that every setup shares",
                         nl=(f"het SPARQL-endpoint {endpoint} heeft geen graaf {', '.join(missing)}",
                             "--shared-graph noemt een graaf van de store die elke inrichting deelt"))


def _ask(endpoint: str, text: str, credentials: Credentials | None) -> bool:
    result = query(endpoint, text, timeout=TIMEOUT, credentials=credentials)
    return bool(result) if not isinstance(result, (list, QuerySolutions)) else False


def _rows(endpoint: str, text: str, graphs: Sequence[str] = (),
          credentials: Credentials | None = None) -> Iterator[dict[str, Node]]:
    result = query(endpoint, text, graphs=graphs, timeout=TIMEOUT, credentials=credentials)
    if not isinstance(result, QuerySolutions):
        raise InputError(f"the SPARQL endpoint {endpoint} did not answer a SELECT with solutions: "
                         f"{describe_query(text)}",
                         nl=(f"het SPARQL-endpoint {endpoint} beantwoordde een SELECT niet met oplossingen: "
                             f"{describe_query(text)}", None))
    names = [v.value for v in result.variables]
    for solution in result:
        yield {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
