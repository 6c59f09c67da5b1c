"""The ontology as the linked-data world expects it: documentation pages, Turtle and JSON-LD
copies, and the redirect rules of its ``https://w3id.org/jeugdgov/`` namespace."""

from jeugdgov.publishing.ontology_pages import ONTOLOGY_IRI, ontology_pages

__all__ = ["ONTOLOGY_IRI", "ontology_pages"]
