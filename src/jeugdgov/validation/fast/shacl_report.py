"""The fast engine's results as pySHACL gives them: findings with their descriptions, and the
SHACL validation report graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Node, URIRef

from jeugdgov.setups import Setup
from jeugdgov.validation.catalogue import selected_shapes
from jeugdgov.validation.evidence import CLAIM_PREDICATES, FACT_PREDICATES, lookups
from jeugdgov.validation.fast.evaluation import Runner, Triple
from jeugdgov.validation.findings import (
    RawResult,
    Report,
    attach_messages,
    findings_from,
    involving_properties,
)

LABELS = (RDFS.label, SKOS.prefLabel)
TriplesOf = Callable[[Iterable[Node], Sequence[URIRef]], Iterable[Triple]]  # of nodes, with predicates


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
