"""The published ontology, written by ``python -m jeugdgov.validation.generate``:

- ``docs/ontology/index.html``: the documentation of every class and property, by pyLODE's
  OntPub profile (why pyLODE: docs/design.md);
- ``docs/ontology/def.ttl`` and ``def.jsonld``: the ontology itself, for clients;
- ``docs/w3id/jeugdgov/.htaccess``: the namespace's redirect rules, in the form w3id.org's
  repository takes, sending browsers to the pages and clients to the Turtle or JSON-LD.

``jeugdgov serve`` answers the namespace's paths from the same files
(:mod:`jeugdgov.server.vocabulary`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pyoxigraph import RdfFormat, parse, serialize
from rdflib import OWL, RDF, RDFS, Graph, Literal

from jeugdgov.errors import InputError
from jeugdgov.resources import ontology_dir

ONTOLOGY_IRI = "https://w3id.org/jeugdgov/def"
#: where ``docs/ontology/`` is published (the repository's pages); the w3id rules point there
PUBLISHED_AT = "https://jeugdgov.github.io/jeugdgov/ontology"
#: the documented ontology file, and the names its copies are published under
SOURCE = "jeugdgov.ttl"
PAGES = Path("docs") / "ontology"
REDIRECTS = Path("docs") / "w3id" / "jeugdgov" / ".htaccess"
#: the namespace's files by the media type a client asks for, HTML (for browsers) first
MEDIA = {"text/html": "index.html", "text/turtle": "def.ttl", "application/ld+json": "def.jsonld"}


def ontology_pages() -> dict[Path, str]:
    """Each published file (relative to the checkout) and its text."""
    turtle = (ontology_dir() / SOURCE).read_text(encoding="utf-8")
    return {PAGES / "index.html": documentation(ontology_dir() / SOURCE),
            PAGES / "def.ttl": turtle,
            PAGES / "def.jsonld": json_ld(turtle),
            REDIRECTS: redirect_rules()}


def documentation(source: Path) -> str:
    """The HTML documentation of an ontology file, by pyLODE."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub
    except ImportError:
        raise InputError("writing the ontology's pages needs pyLODE",
                         hint="pip install 'jeugdgov[docs]' (or the test extra)",
                         nl=("de pagina's van de ontologie schrijven vraagt pyLODE",
                             "pip install 'jeugdgov[docs]' (of de extra voor tests)")) from None
    finally:  # importing pyLODE sets the root logger to DEBUG (basicConfig in one of its modules)
        root.handlers[:] = handlers
        root.setLevel(level)
    return str(OntPub(_as_pylode_reads_it(Graph().parse(source)), sort_subjects=True).make_html()) + "\n"


def _as_pylode_reads_it(graph: Graph) -> Graph:
    """The graph with one ontology and one label per term. pyLODE would take the version IRI,
    typed owl:Ontology so that it is a defined term, for the ontology, and run a term's labels
    in two languages together into one heading: they become one, "English (Dutch)"."""
    for version in graph.objects(None, OWL.versionIRI):
        graph.remove((version, RDF.type, OWL.Ontology))
    for subject in set(graph.subjects(RDFS.label)):
        labels = {label.language: str(label) for label in graph.objects(subject, RDFS.label)
                  if isinstance(label, Literal)}
        if {"en", "nl"} <= labels.keys():
            graph.remove((subject, RDFS.label, None))
            graph.add((subject, RDFS.label, Literal(f"{labels['en']} ({labels['nl']})", lang="en")))
    return graph


def json_ld(turtle: str) -> str:
    """The ontology as expanded JSON-LD, in the order of the Turtle file (so that it is stable)."""
    triples = parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE)
    written = serialize(triples, format=RdfFormat.JSON_LD)
    assert written is not None  # without an output file pyoxigraph returns the bytes
    return json.dumps(json.loads(written), indent=1, ensure_ascii=False) + "\n"


def redirect_rules() -> str:
    """The ``.htaccess`` of ``https://w3id.org/jeugdgov/``: the ontology and its version IRIs
    (``def``, ``def/0.1.0``) answer by content negotiation with a 303 to the published file."""
    rules = ["# https://w3id.org/jeugdgov/ : the jeugdgov ontology (OWL) and its documentation.",
             f"# Written by python -m jeugdgov.validation.generate; the files live at {PUBLISHED_AT}/.",
             "Options +FollowSymLinks", "RewriteEngine on", ""]
    for media, name in MEDIA.items():
        if media != "text/html":
            pattern = media.replace("+", "\\+")  # a regular expression
            rules += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern}",
                      f"RewriteRule ^def(/[0-9.]+)?/?$ {PUBLISHED_AT}/{name} [R=303,L]"]
    rules += ["# browsers, and anything else, get the documentation",
              f"RewriteRule ^def(/[0-9.]+)?/?$ {PUBLISHED_AT}/ [R=303,L]"]
    return "\n".join(rules) + "\n"
