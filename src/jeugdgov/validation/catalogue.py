"""The defect catalogue: the ids a check can be limited to, and the shapes that detect them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache

import pyoxigraph as ox
from rdflib import SH, SKOS, Graph, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, JGD, ontology, ontology_quads, shapes
from jeugdgov.validation.reference_date import dated

#: The SHACL target predicates: a shape without them selects no focus node.
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def defect_ids() -> list[str]:
    """Catalogue ids that can be selected: every defect and every group of defects."""
    return sorted(str(n) for c in ontology().subjects(SKOS.inScheme, URIRef(JGD))
                  for n in ontology().objects(c, SKOS.notation))


def defects() -> list[str]:
    """Catalogue ids of the defects themselves, without the groups that gather them."""
    groups = {o for c in _defect_concepts() for o in ontology().objects(c, SKOS.broader)}
    return sorted(notation(c) for c in _defect_concepts() if c not in groups)


def refuse_unknown_defects(ids: Iterable[str] | None) -> None:
    """An InputError naming the ids that are neither a defect nor a group of the catalogue."""
    if not ids:  # nothing to look up: the catalogue is not read for it
        return
    unknown = sorted(set(ids) - set(defect_ids()))
    if unknown:
        raise InputError(f"unknown defect id(s): {', '.join(unknown)}",
                         hint=f"choose from: {', '.join(defect_ids())}",
                         nl=(f"onbekende defect-id('s): {', '.join(unknown)}", f"kies uit: {', '.join(defect_ids())}"))


def selected_shapes(defects: Iterable[str] | None, as_of: date | None = None) -> Graph:
    """The shapes graph for a selection of defect ids or groups (all shapes for None), with the
    reference date ``as_of`` (today for None) written in where a shape needs it."""
    return _dated_shapes(frozenset(defects or ()), as_of or date.today())


def undated_shapes(defects: Iterable[str] | None) -> Graph:
    """The shapes graph for a selection, with ``$asOf`` still a variable in its SPARQL: what
    does not depend on the date (messages, bases, evidence rules, the queries' structure)."""
    selection = frozenset(defects or ())
    return _shapes_for(selection) if selection else shapes()


@lru_cache(maxsize=32)
def _dated_shapes(selection: frozenset[str], as_of: date) -> Graph:
    return dated(undated_shapes(selection), as_of)


@cache
def _shapes_for(selection: frozenset[str]) -> Graph:
    """A copy of the shapes in which only shapes detecting the selected defects have targets."""
    refuse_unknown_defects(selection)
    wanted = {c for c in _defect_concepts()
              if notation(c) in selection or any(notation(b) in selection for b in _broader(c))}
    graph = Graph()
    graph += shapes()
    for shape, concept in shapes().subject_objects(JG.detects):
        if concept not in wanted:
            for target in TARGETS:
                graph.remove((shape, target, None))
    return graph


def _defect_concepts() -> list[Node]:
    return list(ontology().subjects(SKOS.inScheme, URIRef(JGD)))


def notation(concept: Node) -> str:
    """A concept's catalogue id ("None" for a concept without one)."""
    return _notations().get(str(concept), "None")


@cache
def _notations() -> dict[str, str]:
    """The notation of each concept of the ontology, read from its quads: a validation then
    needs no rdflib copy of the ontology to name its findings' defects."""
    predicate = ox.NamedNode(str(SKOS.notation))
    found: dict[str, str] = {}
    for quad in ontology_quads():
        if quad.predicate == predicate and isinstance(quad.subject, ox.NamedNode) \
                and isinstance(quad.object, ox.Literal):
            found.setdefault(quad.subject.value, quad.object.value)
    return found


def _broader(concept: Node) -> list[Node]:
    return [c for c in ontology().transitive_objects(concept, SKOS.broader) if c is not None]




def only_shapes(shapes_graph: Graph, keep: set[Node]) -> Graph:
    """A copy of a shapes graph in which only the shapes in ``keep`` have targets."""
    graph = Graph()
    graph += shapes_graph
    for target in TARGETS:
        for shape in set(graph.subjects(target, None)) - keep:
            graph.remove((shape, target, None))
    return graph


def defect_label(defect: str, lang: str = "en") -> str:
    """The name of a defect (its skos:prefLabel) in a language; the id when it has none."""
    concept = _concept(defect)
    if concept is None:
        return defect
    labels = {getattr(o, "language", None) or "": str(o) for o in ontology().objects(concept, SKOS.prefLabel)}
    return labels.get(lang) or labels.get("") or defect


def in_group(defect: str, group: str) -> bool:
    """Whether a defect id belongs to a group of the catalogue (e.g. "data-quality")."""
    concept = _concept(defect)
    return concept is not None and any(notation(b) == group for b in _broader(concept))


def _concept(defect: str) -> Node | None:
    return next((c for c in _defect_concepts() if notation(c) == defect), None)
