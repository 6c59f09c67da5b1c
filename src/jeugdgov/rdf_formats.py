"""The RDF files jeugdgov reads, by suffix: the one table the readers use (rdflib's parser, and
pyoxigraph's for the fast engine, embedded stores and reading ahead)."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat


@dataclass(frozen=True)
class FileFormat:
    """How rdflib and pyoxigraph name the syntax of an RDF file."""

    rdflib: str
    oxigraph: RdfFormat


FORMATS = {
    ".ttl": FileFormat("turtle", RdfFormat.TURTLE),
    ".trig": FileFormat("trig", RdfFormat.TRIG),
    ".nt": FileFormat("nt", RdfFormat.N_TRIPLES),
    ".nq": FileFormat("nquads", RdfFormat.N_QUADS),
    ".jsonld": FileFormat("json-ld", RdfFormat.JSON_LD),
    ".json": FileFormat("json-ld", RdfFormat.JSON_LD),
    ".rdf": FileFormat("xml", RdfFormat.RDF_XML),
    ".owl": FileFormat("xml", RdfFormat.RDF_XML),
}
