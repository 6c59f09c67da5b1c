"""Namespaces and the bundled ontology, shapes and queries."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, Node, URIRef

from jeugdgov.errors import InputError

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
#: Characters RFC 3987 forbids anywhere in an IRI.
FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')
#: The languages of labels, messages and output.
LANGUAGES = ("nl", "en")


def local_name(iri: object) -> str:
    """The last segment of an IRI, after its last slash or hash."""
    return str(iri).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def project_root() -> Path:
    """The folder holding ontology/, shapes/, queries/ and data/.

    ``JEUGDGOV_HOME`` overrides. An installed package carries them in ``jeugdgov/assets`` (the
    build copies them there); a checkout keeps them at the top of the repository.
    """
    if home := os.environ.get("JEUGDGOV_HOME"):
        return Path(home)
    packaged = Path(str(files("jeugdgov") / "assets"))  # wheels install unpacked: a real folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def _asset_folder(name: str, pattern: str) -> Path:
    """A bundled folder, refused when missing or empty: without its shapes a checker finds nothing."""
    folder = project_root() / name
    if not any(path.stat().st_size for path in folder.glob(pattern)):
        raise InputError(f"jeugdgov's bundled {name} is missing or empty", file=folder,
                         hint="reinstall jeugdgov (pip install --force-reinstall jeugdgov), or set "
                         "JEUGDGOV_HOME to a folder holding ontology/, shapes/, queries/ and data/",
                         nl=(f"de meegeleverde {name} van jeugdgov ontbreekt of is leeg",
                             "installeer jeugdgov opnieuw (pip install --force-reinstall jeugdgov), of zet "
                             "JEUGDGOV_HOME op een map met ontology/, shapes/, queries/ en data/"))
    return folder


def ontology_dir() -> Path:
    return _asset_folder("ontology", "*.ttl")


def shapes_dir() -> Path:
    return _asset_folder("shapes", "*.ttl")


def queries_dir() -> Path:
    return _asset_folder("queries", "*.rq")


def mapping_dir() -> Path:
    """The declarative mapping between workbooks and RDF (``mapping/workbook.yaml``)."""
    return _asset_folder("mapping", "*.yaml")


def data_dir() -> Path:
    """The bundled cases: what ``query`` and ``serve`` read when given no data."""
    return _asset_folder("data", "*.*")


@cache
def _parsed(folder: Path) -> tuple[Graph, str]:
    """The folder's Turtle files as one graph, and a digest of the files (names and contents).

    pyoxigraph's parser, then rdflib terms: twice as fast as rdflib's Turtle parser, which
    every command would otherwise wait for before its first query."""
    graph = Graph()
    files = _read(folder)
    digest = _digest(files)
    # Blank nodes are named by the digest and their order in the files, not at random: the same
    # in every run, so that what is compiled from the graph can be kept on disk and used again.
    named: dict[str, BNode] = {}

    def term(node: object) -> Node:
        if isinstance(node, ox.BlankNode):
            if node.value not in named:
                named[node.value] = BNode(f"jg{digest[:12]}b{len(named)}")
            return named[node.value]
        return to_rdflib(node)

    def bind(prefixes: dict[str, str]) -> None:
        for prefix, namespace in prefixes.items():
            graph.bind(prefix, namespace)

    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in _quads(folder, bind, files))
    return graph, digest


def _read(folder: Path) -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in sorted(folder.glob("*.ttl"))]


def _digest(files: list[tuple[Path, bytes]]) -> str:
    digest = hashlib.sha256()
    for path, content in files:
        digest.update(f"{path.name}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()


def _quads(folder: Path, prefixes: Callable[[dict[str, str]], None] = lambda _found: None,
           files: list[tuple[Path, bytes]] | None = None) -> Iterator[ox.Quad]:
    """The triples of the folder's Turtle files (``files``, if already read), in order, as quads
    of the default graph; ``prefixes`` receives each file's prefixes."""
    found = False
    for path, content in _read(folder) if files is None else files:
        parser = ox.parse(content, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        try:
            for quad in parser:
                found = True
                yield quad
        except SyntaxError as error:
            raise InputError(f"a bundled file does not parse: {error}", file=path,
                             hint="reinstall jeugdgov, or fix the file in JEUGDGOV_HOME",
                             nl=(f"een meegeleverd bestand is niet te lezen: {error}",
                                 "installeer jeugdgov opnieuw, of verbeter het bestand in JEUGDGOV_HOME")) from None
        prefixes(parser.prefixes)
    if not found:
        raise InputError("the bundled files hold no triples", file=folder,
                         hint="reinstall jeugdgov, or set JEUGDGOV_HOME to a complete checkout",
                         nl=("de meegeleverde bestanden bevatten geen triples",
                             "installeer jeugdgov opnieuw, of zet JEUGDGOV_HOME op een volledige checkout"))


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@cache
def ontology() -> Graph:
    """The jeugdgov ontology with taxonomies, sources and declarations of reused terms."""
    return _parsed(ontology_dir())[0]


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The ontology as pyoxigraph quads in the default graph, in the order of its files: what
    the fast engine adds to every setup, without an rdflib copy of the ontology."""
    return tuple(_quads(ontology_dir()))


@cache
def shapes() -> Graph:
    """All SHACL shapes: governance defects and data quality."""
    return _parsed(shapes_dir())[0]


@cache
def shapes_digest() -> str:
    """A digest of the files :func:`shapes` was read from (their names and contents)."""
    return _parsed(shapes_dir())[1]


def is_vocabulary_term(iri: str) -> bool:
    return iri.startswith(VOCABULARY_PREFIX) and not iri.startswith(INDIVIDUALS_PREFIX)
