"""The fast validation engine: every shape as one SPARQL query over all its focus nodes.

The setup and the ontology are loaded into one pyoxigraph store (the default graph holds
their merge, as the data graph pySHACL validates) and each constraint of each shape runs as
one query (see :mod:`jeugdgov.validation.fast.translate`). The results become the same
:class:`~jeugdgov.validation.Finding` objects as pySHACL's, through the conversion both
engines share. The same queries can run in an external SPARQL store instead
(:mod:`jeugdgov.validation.fast.in_store`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache
from typing import Protocol, overload

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, TIME, local_name, ontology
from jeugdgov.setups import IRI_HINT, IRI_HINT_NL, Setup, iri_problem, to_rdflib
from jeugdgov.validation.catalogue import only_shapes, selected_shapes, undated_shapes
from jeugdgov.validation.evidence import CLAIM_PREDICATES, FACT_PREDICATES, lookups
from jeugdgov.validation.fast.rewrite import for_oxigraph
from jeugdgov.validation.fast.translate import (
    FOCUS_NODES,
    FocusFirst,
    ShapeQuery,
    Translation,
    query_text,
    translate,
)
from jeugdgov.validation.findings import (
    Findings,
    RawResult,
    Report,
    attach_messages,
    detecting_shape,
    finding_order,
    findings_from,
    involving_properties,
)
from jeugdgov.validation.law_in_time import ENDED, NOT_YET_IN_FORCE, period
from jeugdgov.validation.pyshacl import validate_with_pyshacl
from jeugdgov.validation.reference_date import AS_OF, date_term, default_as_of

LABELS = (RDFS.label, SKOS.prefLabel)
Triple = tuple[Node, Node, Node]
TriplesOf = Callable[[Iterable[Node], Sequence[URIRef]], Iterable[Triple]]  # of nodes, with predicates
FOCUS_BATCH = 1000  # focus nodes written into one query
Progress = Callable[[str], None]


class Runner(Protocol):
    """Where the queries run: a local pyoxigraph store or a SPARQL endpoint."""

    def select(self, text: str) -> Iterator[dict[str, Node]]: ...

    def describe(self, nodes: set[Node]) -> Iterable[Triple]: ...

    def pointing(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterable[Triple]: ...


#################################################################
# Evaluating shapes
#################################################################

@lru_cache(maxsize=32)
def translation_for(selection: frozenset[str], as_of: date | None = None) -> Translation:
    """The queries for all shapes (empty selection) or for a selection of defect ids, on the
    reference date ``as_of`` (today for None): translated once, then the date written into the
    text and the law in force on it applied, as :func:`jeugdgov.validation.law_in_time.in_time`
    applies it to the shapes (a repealed norm checks nothing, one not yet in force gives Info)."""
    on = as_of or date.today()
    undated = _undated_translation(selection)
    graph = undated_shapes(selection or None)
    term = date_term(on)
    queries = []
    for query in undated.queries:
        shape = detecting_shape(query.source, graph)
        status = period(graph, shape).status(on)
        if status == ENDED:
            continue
        if status == NOT_YET_IN_FORCE and query.source == shape:
            query = replace(query, severity=SH.Info)
        queries.append(_dated(query, term))
    untranslatable = {shape: why for shape, why in undated.untranslatable.items()
                      if period(graph, shape).status(on) != ENDED}
    return Translation(queries, untranslatable)


@cache
def _undated_translation(selection: frozenset[str]) -> Translation:
    return translate(undated_shapes(selection or None))


def _dated(query: ShapeQuery, term: str) -> ShapeQuery:
    first = query.focus_first
    if AS_OF not in query.text and (first is None or AS_OF not in first.query + first.text):
        return query
    if first is not None:
        first = FocusFirst(first.query.replace(AS_OF, term), first.text.replace(AS_OF, term))
    return replace(query, text=query.text.replace(AS_OF, term), focus_first=first)


def check_translatable(translation: Translation) -> None:
    """Refuse, naming them, shapes this engine cannot evaluate."""
    if translation.untranslatable:
        names = "; ".join(f"{local_name(shape)}: {why}" for shape, why in sorted(translation.untranslatable.items()))
        raise InputError(f"the fast engine cannot evaluate these shapes: {names}",
                         hint="validate with --engine pyshacl, or add --fallback to let pySHACL "
                         "check only these shapes",
                         nl=(f"de snelle engine kan deze shapes niet evalueren: {names}",
                             "valideer met --engine pyshacl, of voeg --fallback toe zodat pySHACL alleen deze "
                             "shapes controleert"))


def evaluate(runner: Runner, queries: Sequence[ShapeQuery], progress: Progress | None = None) -> list[RawResult]:
    """Every result of every query, in the order of the queries.

    One after the other: pyoxigraph holds the GIL while it evaluates, so threads would not
    run queries side by side; several setups are validated in parallel processes instead
    (:mod:`jeugdgov.validation.fast.parallel`)."""
    results: list[RawResult] = []
    focus_nodes: dict[str, list[Node]] = {}  # per target query: the shape's constraints share it
    for query in queries:
        first = query.focus_first
        if first is None:
            rows = runner.select(query_text(query))
        else:
            if first.query not in focus_nodes:
                focus_nodes[first.query] = [row["this"] for row in runner.select(first.query) if "this" in row]
            rows = _on_focus_nodes(runner, query, first.text, focus_nodes[first.query])
        results.extend(_results(query, rows))
        if progress:
            progress(local_name(query.source))
    return results


def _on_focus_nodes(runner: Runner, query: ShapeQuery, text: str, nodes: list[Node]) -> Iterator[dict[str, Node]]:
    """The constraint on the focus nodes, written into the query a batch at a time; joined with
    the target instead where a focus node is a blank node, which a query cannot name."""
    if any(isinstance(node, BNode) for node in nodes):
        yield from runner.select(query_text(query))
        return
    for start in range(0, len(nodes), FOCUS_BATCH):
        batch = " ".join(node.n3() for node in nodes[start:start + FOCUS_BATCH])
        yield from runner.select(text.replace(FOCUS_NODES, batch))


def _results(query: ShapeQuery, rows: Iterable[dict[str, Node]]) -> Iterator[RawResult]:
    """Rows to results the way pySHACL reads a SPARQL constraint's solutions."""
    seen: set[tuple[tuple[str, Node], ...]] = set()
    for row in rows:
        focus = row.get("this")
        if focus is None:
            continue
        key = tuple(sorted(row.items()))
        if key in seen:  # pySHACL reports identical solutions once
            continue
        seen.add(key)
        value = row.get("value")
        if value is None and query.value_is_focus:
            value = focus
        yield RawResult(focus=focus, source=query.source, severity=query.severity,
                        path=row.get("path", query.path), value=value, component=query.component,
                        constraint=query.constraint)


def report_for(setup: Setup, raw: list[RawResult], runner: Runner, defects: Iterable[str] | None,
               with_shacl_report: bool = True, as_of: date | None = None) -> Report:
    """Findings and a SHACL validation report, as the pySHACL engine gives them.

    Without ``with_shacl_report`` the report graph only says whether the setup conforms:
    building it costs as much as the findings, and only Turtle output shows it."""
    nodes = {n for r in raw for n in (r.focus, r.value) if n is not None}
    shapes_graph = selected_shapes(defects, as_of)
    findings = findings_from(setup.name, raw, runner.describe(nodes), shapes_graph)
    if with_shacl_report:
        results = shacl_report(raw, shapes_graph)
        attach_messages(results, findings, as_of)
    else:  # without prefixes too: binding one costs more than the rest (rdflib binds its defaults)
        results = Graph(bind_namespaces="none")
        report = BNode()
        results.add((report, RDF.type, SH.ValidationReport))
        results.add((report, SH.conforms, Literal(not raw)))
    return Report(setup=setup, findings=findings, shacl_report=results, as_of=as_of)


def shacl_report(raw: Iterable[RawResult], shapes_graph: Graph) -> Graph:
    """The results as a SHACL validation report graph."""
    raw = list(raw)
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    for result in raw:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultSeverity, result.severity))
        graph.add((node, SH.sourceShape, result.source))
        if result.component is not None:
            graph.add((node, SH.sourceConstraintComponent, result.component))
        if result.constraint is not None:
            graph.add((node, SH.sourceConstraint, result.constraint))
            _copy_blank(shapes_graph, result.constraint, graph)
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
            _copy_blank(shapes_graph, result.path, graph)
    graph.add((report, SH.conforms, Literal(not raw)))
    return graph


def _copy_blank(source: Graph, node: Node, target: Graph) -> None:
    """Copy the description of a blank node (a complex path) with the blank nodes it uses."""
    if not isinstance(node, BNode):
        return
    for _s, p, o in source.triples((node, None, None)):
        target.add((node, p, o))
        _copy_blank(source, o, target)


#################################################################
# A local pyoxigraph store
#################################################################

class LocalRunner:
    """Queries over the default graph of an in-memory pyoxigraph store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def select(self, text: str) -> Iterator[dict[str, Node]]:
        solutions = self.store.query(for_oxigraph(text))
        assert isinstance(solutions, ox.QuerySolutions)  # the engine's queries are SELECTs
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = to_rdflib(term)
            yield row

    def describe(self, nodes: set[Node]) -> list[Triple]:
        return described(nodes, self.triples, self.pointing)

    def pointing(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The triples with these predicates whose object is one of the nodes."""
        for node in nodes:
            if isinstance(node, Literal):
                continue
            for predicate in predicates:
                for quad in self.store.quads_for_pattern(None, to_ox(predicate), to_ox(node), ox.DefaultGraph()):
                    yield to_rdflib(quad.subject), predicate, node

    def triples(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The nodes' triples with these predicates (compared before anything is converted,
        and each recurring term converted once)."""
        wanted = {ox.NamedNode(str(p)): p for p in predicates}
        converted: dict[object, Node] = {}
        for node in nodes:
            if not isinstance(node, (URIRef, BNode)):  # a literal is no subject
                continue
            for quad in self.store.quads_for_pattern(to_ox(node), None, None, ox.DefaultGraph()):
                predicate = wanted.get(quad.predicate)
                if predicate is not None:
                    value = quad.object
                    if value not in converted:
                        converted[value] = to_rdflib(value)
                    yield node, predicate, converted[value]


def described(nodes: set[Node], triples: TriplesOf, pointing: TriplesOf) -> list[Triple]:
    """Types, labels and involved parties of the nodes, with the parties' labels, and the facts
    their evidence is decided on (:mod:`jeugdgov.validation.evidence`), from a runner's
    ``triples`` (of the given nodes, with the given predicates) and ``pointing`` (at them)."""
    involving = set(involving_properties())
    forward, inverse, via = lookups()
    found = list(triples(nodes, [RDF.type, *LABELS, *involving, *FACT_PREDICATES, *forward, *via]))
    further: set[Node] = set()
    step = list(found)
    while new := {o for _s, p, o in step if p in via and not isinstance(o, Literal)} - nodes - further:
        further |= new  # step by step: a pass-through, its subsidy, the subsidy's decision
        step = list(triples(new, [*FACT_PREDICATES, *forward, *via]))
        found += step
    if inverse:
        pointed = list(pointing(nodes | further, sorted(inverse)))
        # the facts pointing here (a meeting, a linking role assignment) with their own evidence
        linking = {s for s, _p, _o in pointed} - nodes - further
        found += pointed + list(triples(linking, [*FACT_PREDICATES, *forward]))
        # the statements about the facts pointing here (a claim on one role assignment)
        about = list(pointing(linking, [RDF.subject]))
        found += about + list(triples({s for s, _p, _o in about}, [*FACT_PREDICATES, *forward]))
    named = set(involving) | set(CLAIM_PREDICATES)
    parties = {o for _s, p, o in found if p in named}
    return found + list(triples(parties - nodes, LABELS))


@overload
def to_ox(node: URIRef) -> ox.NamedNode: ...


@overload
def to_ox(node: BNode) -> ox.BlankNode: ...


@overload
def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal: ...


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        if problem := iri_problem(node):
            raise InputError(f"<{node}> is not a valid IRI: {problem}", hint=IRI_HINT,
                             nl=(f"<{node}> is geen geldige IRI: {problem}", IRI_HINT_NL))
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=to_ox(node.datatype))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def _quad(s: Node, p: Node, o: Node) -> ox.Quad:
    """A triple of an rdflib graph as a quad of the default graph."""
    subject, predicate = to_ox(s), to_ox(p)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
    return ox.Quad(subject, predicate, to_ox(o))


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The ontology as pyoxigraph quads in the default graph, converted once."""
    return tuple(_quad(s, p, o) for s, p, o in ontology())


def store_for(graph: Graph) -> ox.Store:
    """A store whose default graph is the graph merged with the ontology."""
    store = ox.Store()
    store.bulk_extend(_quad(s, p, o) for s, p, o in graph)
    store.bulk_extend(ontology_quads())
    return store


#################################################################
# Entry points
#################################################################

def setup_as_of(runner: Runner, setup: Setup) -> date:
    """The default reference date of a setup whose data a runner holds: the end of its period,
    else today (:func:`jeugdgov.validation.reference_date.default_as_of` for data at hand)."""
    if setup.node is not None:
        text = (f"SELECT ?end WHERE {{ {setup.node.n3()} <{JG.during}>/<{TIME.hasEnd}>/<{TIME.inXSDDate}> ?end }}")
        for row in runner.select(text):
            end = row.get("end")
            if isinstance(end, Literal) and isinstance(end.value, date):
                return end.value
    return date.today()


def validate_setup(setup: Setup, defects: Iterable[str] | None = None, fallback: bool = False,
                   progress: Progress | None = None, as_of: date | None = None) -> Report:
    """Validate a setup held in an rdflib graph (the engine="fast" of validation.validate) on
    the reference date ``as_of`` (by default the end of the setup's period, else today)."""
    as_of = as_of or default_as_of(setup.graph, setup.node)
    selection = frozenset(defects or ())
    translation = translation_for(selection, as_of)
    if not fallback:
        check_translatable(translation)
    runner = LocalRunner(store_for(setup.graph))
    raw = evaluate(runner, translation.queries, progress)
    raw = _original_literals(raw, setup.graph)
    report = report_for(setup, raw, runner, defects, as_of=as_of)
    if translation.untranslatable:
        report = with_pyshacl(report, setup, set(translation.untranslatable), defects, as_of)
    return report


def _original_literals(raw: list[RawResult], graph: Graph) -> list[RawResult]:
    """Give literal values the lexical form of the data: the store keeps numbers canonically
    ("100.0" becomes "100"), pySHACL and users see what the file says."""
    index: dict[tuple[object, ...], Literal] | None = None
    restored = []
    for result in raw:
        value = result.value
        if isinstance(value, Literal) and (None, None, value) not in graph:
            if index is None:
                index = {_literal_key(o): o for o in graph.objects() if isinstance(o, Literal)}
            value = index.get(_literal_key(value), value)
            result = RawResult(result.focus, result.source, result.severity, result.path, value,
                               result.component, result.constraint)
        restored.append(result)
    return restored


def _literal_key(literal: Literal) -> tuple[object, ...]:
    value = literal.value if not literal.ill_typed else str(literal)
    return (literal.datatype, literal.language, value)


def with_pyshacl(report: Report, setup: Setup, shapes: set[Node], defects: Iterable[str] | None,
                 as_of: date | None = None) -> Report:
    """Add pySHACL's results for the shapes this engine cannot evaluate."""
    only = only_shapes(selected_shapes(defects, as_of), shapes)
    extra = validate_with_pyshacl(setup, None, shapes_graph=only, as_of=as_of)
    report.findings = Findings(sorted([*report.findings, *extra.findings], key=finding_order))
    report.shacl_report += extra.shacl_report
    return report
