"""What the endpoint says about itself and its terms, as linked-data clients expect.

- ``/def`` (and a version IRI ``/def/0.1.0``): the ontology at its namespace's path, by content
  negotiation: its documentation for browsers, Turtle or JSON-LD for clients that ask with
  ``Accept``, from the published files in ``docs/ontology/`` (:mod:`jeugdgov.publishing`).
- ``/.well-known/void``: a VoID and DCAT description of the datasets served (RFC 8615 names the
  path, the VoID note the suffix), made by a query over the store so that it names each graph
  and its size as they are now.
"""

from __future__ import annotations

import functools
import re

from jeugdgov.publishing.ontology_pages import MEDIA, ONTOLOGY_IRI, PAGES
from jeugdgov.resources import project_root
from jeugdgov.server.accept import media_ranges
from jeugdgov.server.executor import Answer

ONTOLOGY_PATH = re.compile(r"^/def(/[0-9]+(\.[0-9]+)*)?/?$")
VOID_PATH = "/.well-known/void"
#: HTML for browsers; the other types for clients that ask for them
HTML_TYPES = ("text/html", "application/xhtml+xml")


def ontology(accept: str | None) -> Answer:
    """The ontology in the type the client prefers, or 406 naming the types there are."""
    offered = list(MEDIA)
    choice = preferred(accept, offered)
    if choice is None:
        return Answer.text(406, (f"the ontology is served as {', '.join(offered)}; ask for one of them in Accept",
                                 f"de ontologie wordt geserveerd als {', '.join(offered)}; vraag er een van in Accept"))
    try:
        body = _published(MEDIA[choice])
    except OSError:
        return Answer.text(404, (f"this installation lacks the ontology's published files ({PAGES}); "
                                 "write them with: python -m jeugdgov.validation.generate",
                                 f"deze installatie mist de gepubliceerde bestanden van de ontologie ({PAGES}); "
                                 "schrijf ze met: python -m jeugdgov.validation.generate"))
    media = f"{choice}; charset=utf-8" if choice.startswith("text/") else choice
    return Answer(200, media, body, (("Cache-Control", "max-age=3600"), ("Vary", "Accept")))


def preferred(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header ranks highest (the first offered for ``*/*``,
    ``type/*`` or no header); HTML types count as text/html."""
    if not accept or not accept.strip():
        return offered[0]
    for media in media_ranges(accept):
        media = "text/html" if media in HTML_TYPES else media
        family = media.removesuffix("*")
        for candidate in offered:
            if candidate == media or (media.endswith("/*") and candidate.startswith(family)) or media == "*/*":
                return candidate
    return None


@functools.cache
def _published(name: str) -> bytes:
    return (project_root() / PAGES / name).read_bytes()


def void_query(base: str) -> str:
    """A CONSTRUCT of the endpoint's VoID/DCAT description; ``base`` is its own origin."""
    here = f"{base}{VOID_PATH}"
    return f"""PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX jg:   <https://w3id.org/jeugdgov/def#>
CONSTRUCT {{
  <{here}> a void:DatasetDescription ; foaf:primaryTopic <{here}#dataset> .
  <{here}#dataset> a void:Dataset, dcat:Dataset ;
    dct:title "Governance-inrichtingen van de jeugdzorg"@nl, "Governance setups of youth care"@en ;
    void:sparqlEndpoint <{base}/query> ; void:vocabulary <{ONTOLOGY_IRI}> ;
    void:uriSpace "https://w3id.org/jeugdgov/id/" ; void:subset ?graph .
  <{here}#service> a dcat:DataService ; dcat:endpointURL <{base}/query> ;
    dct:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ; dcat:servesDataset <{here}#dataset> .
  ?graph a void:Dataset, dcat:Dataset ; void:triples ?triples ; dct:identifier ?setup ; dct:title ?label .
}}
WHERE {{
  {{ BIND (1 AS ?always) }}
  UNION {{
    {{ SELECT ?graph (COUNT(*) AS ?triples) WHERE {{ GRAPH ?graph {{ ?s ?p ?o }} }} GROUP BY ?graph }}
    OPTIONAL {{ GRAPH ?graph {{ ?node a jg:Setup ; dct:identifier ?setup . OPTIONAL {{ ?node rdfs:label ?label }} }} }}
  }}
}}"""
