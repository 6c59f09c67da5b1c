"""The ontology as linked-data users meet it: its documentation in a browser, its namespace's
paths answered by content negotiation, the w3id redirect rules, and the endpoint's VoID."""

from __future__ import annotations

import json

import pytest
from browser import chromium
from helpers import DATA, ROOT
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Namespace, URIRef
from servers import get, jeugdgov_serve

from jeugdgov.publishing.ontology_pages import ONTOLOGY_IRI, redirect_rules
from jeugdgov.resources import ontology
from jeugdgov.server.vocabulary import preferred

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def defined_terms() -> set[URIRef]:
    return {term for kind in KINDS for term in ontology().subjects(RDF.type, kind)
            if str(term).startswith(f"{ONTOLOGY_IRI}#")}


def test_every_term_is_defined_by_the_ontology_which_has_a_version():
    assert len(defined_terms()) > 150
    assert [t for t in defined_terms() if ontology().value(t, RDFS.isDefinedBy) != URIRef(ONTOLOGY_IRI)] == []
    version = ontology().value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    assert ontology().value(URIRef(ONTOLOGY_IRI), OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")


def test_the_published_copies_hold_the_ontology():
    turtle = Graph().parse(ROOT / "docs" / "ontology" / "def.ttl")
    json_ld = Graph().parse(ROOT / "docs" / "ontology" / "def.jsonld", format="json-ld")
    assert len(turtle) == len(json_ld) > 1000
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in json_ld


def test_w3id_rules_send_clients_to_rdf_and_browsers_to_the_pages():
    rules = redirect_rules()
    assert (ROOT / "docs" / "w3id" / "jeugdgov" / ".htaccess").read_text() == rules
    lines = rules.splitlines()
    turtle = lines.index("RewriteCond %{HTTP_ACCEPT} text/turtle")
    assert lines[turtle + 1].endswith("/def.ttl [R=303,L]")
    assert "application/ld\\+json" in rules and lines[-1].startswith("RewriteRule ^def")  # the fallback is last


@pytest.mark.parametrize(("accept", "chosen"), [
    (None, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
    ("application/*", "application/ld+json"),
    ("image/png", None),
])
def test_content_negotiation_follows_accept(accept, chosen):
    assert preferred(accept, ["text/html", "text/turtle", "application/ld+json"]) == chosen


@pytest.mark.slow
def test_the_served_pages_show_every_class_and_property_in_a_browser(tmp_path):
    """As the endpoint serves them, under its content security policy."""
    with jeugdgov_serve(tmp_path, str(DATA / "flevoland-handelingskader.ttl"), "--quiet") as base, chromium() as page:
        page.open(f"{base}/def")
        # each term has its section, which names its IRI and has an anchor the contents link to
        sections = page.evaluate("""[...document.querySelectorAll('#content div[id]')]
            .filter(s => document.querySelector(`a[href="#${s.id}"]`))
            .flatMap(s => [...s.querySelectorAll('code')].map(c => c.textContent))""")
        assert page.errors == []
    missing = [str(t) for t in defined_terms() if str(t) not in sections]
    assert missing == []


@pytest.mark.slow
def test_the_endpoint_serves_the_ontology_and_its_void(tmp_path):
    with jeugdgov_serve(tmp_path, str(DATA), "--quiet") as base:
        status, headers, body = get(f"{base}/def", headers={"Accept": "text/turtle"})
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        assert (URIRef(f"{ONTOLOGY_IRI}#Setup"), RDF.type, OWL.Class) in Graph().parse(data=body, format="turtle")
        status, headers, body = get(f"{base}/def/0.1.0", headers={"Accept": "application/ld+json"})
        assert status == 200 and json.loads(body)
        status, headers, body = get(f"{base}/def", headers={"Accept": "text/html"})
        assert status == 200 and b"governance" in body and "default-src 'self'" in headers["Content-Security-Policy"]
        assert get(f"{base}/def", headers={"Accept": "image/png"})[0] == 406

        status, headers, body = get(f"{base}/.well-known/void", headers={"Accept": "text/turtle"})
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        void = Graph().parse(data=body, format="turtle")
        dataset = next(void.subjects(VOID.sparqlEndpoint, URIRef(f"{base}/query")))
        assert (dataset, RDF.type, DCAT.Dataset) in void
        served = Dataset()
        served.parse(DATA / "lelystad.trig")
        graphs = {g.identifier for g in served.graphs() if len(g) and isinstance(g.identifier, URIRef)} - {
            served.default_graph.identifier}
        named = set(void.objects(dataset, VOID.subset))
        assert graphs and graphs <= named
        assert all(int(void.value(g, VOID.triples)) > 0 for g in named)
