"""Namespaces and the bundled ontology, shapes and queries."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace

JG = Namespace("https://w3id.org/jeugdgov/def#")
JGR = Namespace("https://w3id.org/jeugdgov/role/")
JGT = Namespace("https://w3id.org/jeugdgov/task/")
JGD = Namespace("https://w3id.org/jeugdgov/defect/")
JGS = Namespace("https://w3id.org/jeugdgov/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")

#: Every IRI under this prefix, except individuals under ``/id/``, must be defined by the ontology.
VOCABULARY_PREFIX = "https://w3id.org/jeugdgov/"
INDIVIDUALS_PREFIX = "https://w3id.org/jeugdgov/id/"


def project_root() -> Path:
    """The folder holding ontology/, shapes/, queries/ and data/ (JEUGDGOV_HOME overrides)."""
    if home := os.environ.get("JEUGDGOV_HOME"):
        return Path(home)
    return Path(__file__).resolve().parents[2]


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


def _parse_all(folder: Path) -> Graph:
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology() -> Graph:
    """The jeugdgov ontology with taxonomies, sources and declarations of reused terms."""
    return _parse_all(ontology_dir())


@cache
def shapes() -> Graph:
    """All SHACL shapes: governance defects and data quality."""
    return _parse_all(shapes_dir())


def is_vocabulary_term(iri: str) -> bool:
    return iri.startswith(VOCABULARY_PREFIX) and not iri.startswith(INDIVIDUALS_PREFIX)
