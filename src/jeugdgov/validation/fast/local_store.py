"""A local pyoxigraph store for the fast engine: rdflib terms in (checked IRIs) and out, and the
runner that queries the store's default graph."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.resources import ontology_quads, to_rdflib
from jeugdgov.setups import IRI_HINT, IRI_HINT_NL, iri_problem
from jeugdgov.validation.fast.evaluation import Triple
from jeugdgov.validation.fast.rewrite import for_oxigraph
from jeugdgov.validation.fast.shacl_report import described


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
        wanted = [(ox.NamedNode(str(p)), p) for p in predicates]
        for node in nodes:
            if not isinstance(node, (URIRef, BNode)):  # a literal is pointed at by nothing here
                continue
            term = _stored(node)
            for predicate, rdflib_predicate in wanted:
                for quad in self.store.quads_for_pattern(None, predicate, term, ox.DefaultGraph()):
                    yield to_rdflib(quad.subject), rdflib_predicate, node

    def triples(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The nodes' triples with these predicates (compared before anything is converted,
        and each recurring term converted once)."""
        wanted = {ox.NamedNode(str(p)): p for p in predicates}
        converted: dict[object, Node] = {}
        for node in nodes:
            if not isinstance(node, (URIRef, BNode)):  # a literal is no subject
                continue
            for quad in self.store.quads_for_pattern(_stored(node), None, None, ox.DefaultGraph()):
                predicate = wanted.get(quad.predicate)
                if predicate is not None:
                    value = quad.object
                    if value not in converted:
                        converted[value] = to_rdflib(value)
                    yield node, predicate, converted[value]


def _stored(node: URIRef | BNode) -> ox.NamedNode | ox.BlankNode:
    """A node that came out of a store, back in pyoxigraph's terms: its IRI was checked on the
    way in (and pyoxigraph checks it again), so :func:`to_ox`'s check is not repeated."""
    return ox.NamedNode(str(node)) if isinstance(node, URIRef) else ox.BlankNode(str(node))


#: A pyoxigraph term, as rdflib's terms become.
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@overload
def to_ox(node: URIRef) -> ox.NamedNode: ...


@overload
def to_ox(node: BNode) -> ox.BlankNode: ...


@overload
def to_ox(node: Node) -> Term: ...


def to_ox(node: Node) -> Term:
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


def quad_of(subject: Term, predicate: Term, obj: Term, graph: Term | ox.DefaultGraph | None = None) -> ox.Quad:
    """The quad of these terms (in the default graph for None); a TypeError where a literal
    stands for a subject or a graph, or a blank node for a predicate."""
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode) or isinstance(graph, ox.Literal):
        raise TypeError(f"not an RDF quad: {subject} {predicate} {obj} {graph}")
    return ox.Quad(subject, predicate, obj, graph)


def store_for(graph: Graph) -> ox.Store:
    """A store whose default graph is the graph merged with the ontology."""
    store = ox.Store()
    store.bulk_extend(quad_of(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)
    store.bulk_extend(ontology_quads())
    return store
