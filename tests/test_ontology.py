"""The ontology is complete (labels, definitions), closed (no undefined terms) and consistent."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import ROOT, bundled_setups
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from jeugdgov.reasoning import check_consistency
from jeugdgov.resources import is_vocabulary_term, ontology

VOCABULARY_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                    SKOS.Concept, SKOS.ConceptScheme)


def our_terms() -> list[URIRef]:
    return sorted({s for kind in VOCABULARY_KINDS for s in ontology().subjects(RDF.type, kind)
                   if isinstance(s, URIRef) and is_vocabulary_term(str(s))})


def languages(subject: URIRef, *predicates: URIRef) -> set[str]:
    return {o.language for p in predicates for o in ontology().objects(subject, p)
            if getattr(o, "language", None)}


@pytest.mark.parametrize("term", our_terms(), ids=lambda t: str(t).rsplit("/", 1)[-1])
def test_term_has_label_and_definition_in_dutch_and_english(term):
    assert {"nl", "en"} <= languages(term, RDFS.label, SKOS.prefLabel), "label nl and en"
    assert {"nl", "en"} <= languages(term, SKOS.definition, DCTERMS.description), "definition nl and en"


def product_files() -> list[Path]:
    # The undefined-term example misspells a term on purpose: it is what that shape must catch.
    misspelt = ROOT / "shapes" / "examples" / "undefined-term"
    return sorted(p for folder in ("data", "shapes", "ontology", "queries") for p in (ROOT / folder).rglob("*")
                  if p.suffix in {".ttl", ".trig", ".rq"} and misspelt not in p.parents)


def test_no_undefined_terms_anywhere():
    """Every IRI in our namespaces used in data, shapes, ontology or queries is defined."""
    import re

    defined = {str(s) for s in ontology().subjects(RDF.type, None)}
    # Shapes are defined in the shapes graph, not the ontology.
    shapes_graph = Graph()
    for path in (ROOT / "shapes").glob("*.ttl"):
        shapes_graph.parse(path)
    defined |= {str(s) for s in shapes_graph.subjects(RDF.type, None)}
    defined |= {"https://w3id.org/jeugdgov/shapes#"}
    undefined = {}
    for path in product_files():
        text = path.read_text(encoding="utf-8")
        prefixes = dict(re.findall(r"(?:@prefix|PREFIX)\s+(\w*):\s*<([^>]+)>", text))
        body = re.sub(r"(?:@prefix|PREFIX)\s+\w*:\s*<[^>]+>", "", text)
        used = set(re.findall(r"<(https://w3id\.org/jeugdgov/[^>]+)>", body))
        for prefix, local in re.findall(r"(?<![\w:/#<])(\w+):([A-Za-z][\w.-]*[\w])", body):
            if prefix in prefixes:
                used.add(prefixes[prefix] + local)
        for term in used:
            if is_vocabulary_term(term) and term not in defined:
                undefined.setdefault(term, path.name)
    assert not undefined, f"terms used but not defined: {undefined}"


@pytest.mark.slow
def test_ontology_alone_is_consistent():
    check_consistency()


@pytest.mark.slow
@pytest.mark.parametrize("setup", bundled_setups().values(), ids=lambda s: s.name)
def test_ontology_with_each_setup_is_consistent(setup):
    check_consistency(setup.graph)


@pytest.mark.slow
def test_reasoner_detects_inconsistency():
    from jeugdgov.reasoning import Inconsistent

    graph = Graph().parse(data="""
        @prefix jg: <https://w3id.org/jeugdgov/def#> .
        <https://w3id.org/jeugdgov/id/x> a jg:Network , jg:Foundation .""", format="turtle")
    with pytest.raises(Inconsistent):
        check_consistency(graph)


def test_without_owlready2_the_check_says_what_to_install(monkeypatch):
    from jeugdgov.reasoning import ReasonerUnavailable

    monkeypatch.setitem(sys.modules, "owlready2", None)  # what `import owlready2` meets when it is not installed
    with pytest.raises(ReasonerUnavailable, match=r"needs owlready2.*pip install"):
        check_consistency()
