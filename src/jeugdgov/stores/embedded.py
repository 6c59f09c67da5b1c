"""The embedded store: governance setups in a persistent pyoxigraph (RocksDB) store.

Layout, the same as a TriG file: each setup is a named graph and the default graph holds what
the setups share. A TriG or N-Quads file keeps its graphs; a file of triples (Turtle, N-Triples,
JSON-LD, RDF/XML) is one setup and goes into a named graph: the IRI of its ``jg:Setup`` node
when it describes exactly one, else a ``urn:jeugdgov:file:`` name made from the file's path
relative to the folder given (or from its file name), never from where the folder happens to
lie on this machine, so graph names and the ``setup`` columns are the same everywhere. The ontology (classes,
taxonomies and their labels) goes into the default graph, so queries can label roles and tasks.

Queries read the union of all graphs (see :mod:`jeugdgov.sparql.library`).

Loading is idempotent: blank nodes are replaced by IRIs made from that file name and the order
in which the node first occurs in it (the same file gives the same IRIs), and each named graph a
file writes is replaced. The default graph is only added to: a shared triple that a file no
longer holds stays until the store is rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, parse
from rdflib import Dataset

from jeugdgov.errors import InputError
from jeugdgov.limits import check_file, check_literal_lengths, may_hold_long_literal, too_long_token
from jeugdgov.rdf_formats import FORMATS
from jeugdgov.resources import JG, data_dir, ontology_dir
from jeugdgov.setups import (
    Setup,
    blank_setup_error,
    rdf_files,
    refuse_duplicate_names,
    refuse_without_setup,
    setups_in_dataset,
    store_setup,
    workbook_nquads,
)
from jeugdgov.workbook.tables import is_workbook

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SETUP = NamedNode(str(JG.Setup))


@dataclass
class ParsedFile:
    """The quads of one file, placed in their graphs."""

    path: Path
    quads: list[Quad]
    #: the file's stable name (``urn:jeugdgov:file:...``), for its graph and its blank nodes
    iri: str = ""


FILE_URN = "urn:jeugdgov:file:"


def file_iri(path: Path, given: Sequence[str | Path]) -> str:
    """A name for a file that does not depend on the machine: its path relative to the folder
    it was found in among those given, else its file name."""
    resolved = path.resolve()
    for root in given:
        folder = Path(root).resolve()
        if folder.is_dir() and resolved.is_relative_to(folder):
            return FILE_URN + quote(resolved.relative_to(folder).as_posix(), safe="/")
    return FILE_URN + quote(path.name, safe="")


def bundled_data() -> list[Path]:
    """What ``query`` and ``serve`` read when given no data: every file in ``data/``."""
    return [data_dir()]


def read_files(paths: Sequence[str | Path], with_ontology: bool = True) -> list[ParsedFile]:
    """Parse every file first, so that one bad file stops everything before anything is written."""
    files = list(rdf_files(paths))
    if with_ontology:
        files += sorted(ontology_dir().glob("*.ttl"))
    ontology = ontology_dir().resolve()
    parsed = [_parse(path, into_default=path.resolve().parent == ontology,
                     iri=file_iri(path, [*paths, ontology])) for path in files]
    for item in parsed:
        if any(q.predicate == RDF_TYPE and q.object == SETUP and isinstance(q.subject, BlankNode) for q in item.quads):
            raise blank_setup_error(item.path)
    return parsed


_Term = TypeVar("_Term")


def skolemised(parsed: ParsedFile) -> ParsedFile:
    """The file's blank nodes as IRIs of its own, numbered in the order they first occur.

    A blank node is new each time a file is read, so loading a file again would add a second
    copy of every node without a name (an interval, an instant), and a count over them would
    double. These IRIs are the same each time the same file is read.
    """
    prefix = (parsed.iri or file_iri(parsed.path, [])) + "#genid-"
    names: dict[BlankNode, NamedNode] = {}

    def named(term: _Term) -> _Term | NamedNode:
        if not isinstance(term, BlankNode):
            return term
        if term not in names:
            names[term] = NamedNode(f"{prefix}{len(names) + 1}")
        return names[term]

    quads = [Quad(named(q.subject), q.predicate, named(q.object), named(q.graph_name)) for q in parsed.quads]
    return ParsedFile(parsed.path, quads, parsed.iri)


@contextmanager
def reading(path: Path, hint: str, hint_nl: str) -> Iterator[None]:
    """pyoxigraph's errors while reading a file, as bad input naming the file and line (its hint
    in English and Dutch)."""
    try:
        yield
    except SyntaxError as error:
        problem = str(error.args[0]) if error.args else str(error)
        raise InputError(f"syntax error: {problem}", file=path, line=error.lineno, hint=hint,
                         nl=(f"syntaxfout: {problem}", hint_nl)) from None
    except MemoryError:
        raise too_long_token(path) from None
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the file: {error}", file=path,
                         nl=(f"het bestand is niet te lezen: {error}", None)) from None


def empty_file(path: Path) -> InputError:
    return InputError("the file holds no triples", file=path,
                      hint="an empty file is no governance setup; remove it or add data",
                      nl=("het bestand bevat geen triples",
                          "een leeg bestand is geen inrichting; verwijder het of voeg gegevens toe"))


def _parse(path: Path, into_default: bool, iri: str) -> ParsedFile:
    if is_workbook(path):
        fmt = RdfFormat.N_QUADS
        quads = list(parse(workbook_nquads(path), format=fmt))
    else:
        fmt = FORMATS[path.suffix.lower()].oxigraph
        check_file(path)
        with (reading(path, "fix the file; nothing was loaded", "verbeter het bestand; er is niets geladen"),
              path.open("rb") as stream):
            quads = list(parse(stream, format=fmt, base_iri=path.resolve().as_uri()))
    if not quads:
        raise empty_file(path)
    if may_hold_long_literal(path):
        check_literal_lengths(path, ((str(q.subject), len(q.object.value)) for q in quads
                                 if isinstance(q.object, Literal)))
    if into_default or (fmt.supports_datasets and any(not isinstance(q.graph_name, DefaultGraph) for q in quads)):
        return ParsedFile(path, quads, iri)
    graph = _graph_for(iri, quads)
    return ParsedFile(path, [Quad(q.subject, q.predicate, q.object, graph) for q in quads], iri)


def _graph_for(iri: str, quads: Iterable[Quad]) -> NamedNode:
    setups = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == SETUP}
    named = [s for s in setups if isinstance(s, NamedNode)]
    if len(named) == 1 and len(setups) == 1:
        return named[0]
    return NamedNode(iri)


def open_store(directory: Path | None = None, create: bool = True) -> Store:
    """A read-write store in a folder (in memory when no folder is given)."""
    if directory is None:
        return Store()
    directory = Path(directory)
    if not create and not directory.is_dir():
        raise InputError("no store in this folder", file=directory,
                         hint="create one with: jeugdgov load DATA... --store " + str(directory),
                         nl=("geen store in deze map",
                             f"maak er een met: jeugdgov load GEGEVENS... --store {directory}"))
    try:
        return Store(str(directory))
    except OSError as error:
        raise InputError(f"cannot open the store: {error}", file=directory,
                         hint="is another jeugdgov or oxigraph process using this store? stop it first",
                         nl=(f"de store is niet te openen: {error}", "gebruikt een ander jeugdgov- of "
                             "oxigraph-proces deze store? stop dat eerst")) from None


def open_read_only(directory: Path) -> Store:
    """A store folder opened for reading only, so that a running server or load may keep it open."""
    try:
        return Store.read_only(str(directory))
    except OSError:
        raise InputError("no store in this folder", file=directory,
                         hint=f"create one with: jeugdgov load DATA... --store {directory}",
                         nl=("geen store in deze map",
                             f"maak er een met: jeugdgov load GEGEVENS... --store {directory}")) from None


def load(paths: Sequence[str | Path], store: Store, with_ontology: bool = True) -> int:
    """Add files to a store, all or nothing; returns the number of quads read.

    Every file is parsed before anything is written, and the writing is one transaction, so a
    bad file leaves the store as it was.
    """
    return _write(store, [skolemised(f) for f in read_files(paths, with_ontology=with_ontology)])


def load_into(directory: Path, paths: Sequence[str | Path], with_ontology: bool = True) -> tuple[int, Store]:
    """Load files into the persistent store in a folder (created when missing), all or nothing.

    The files are parsed before the folder is even opened: a bad file leaves no trace.
    """
    files = [skolemised(f) for f in read_files(paths, with_ontology=with_ontology)]
    store = open_store(directory)
    return _write(store, files), store


class LoadInterrupted(Exception):
    """A load stopped by Ctrl-C or a failed write; ``state`` says what the store now holds, as
    read back from it.

    ``exit_code``: 130 when interrupted and nothing was written, 0 when the load had finished,
    2 when writing failed. Not a KeyboardInterrupt, which the command line framework would
    turn into a bare exit code before this message is shown.
    """

    def __init__(self, state: str, exit_code: int, nl: str | None = None) -> None:
        super().__init__(state)
        self.state = state
        self.exit_code = exit_code
        #: ``state`` in Dutch
        self.nl = nl or state


def _write(store: Store, files: Sequence[ParsedFile]) -> int:
    """Write the files' quads and drop what the named graphs they write held before and the
    files no longer hold, in one transaction: an interrupt, a kill or a full disk leaves the
    graphs old or new, never a mix of both."""
    quads = [q for f in files for q in f.quads]
    graphs = {q.graph_name for q in quads if isinstance(q.graph_name, NamedNode)}
    stale: list[Quad] = []
    try:
        # Compared as stored: the store keeps literals in canonical form ("5.00" as "5").
        incoming = Store()
        incoming.extend(q for q in quads if q.graph_name in graphs)
        stale = [q for g in graphs for q in store.quads_for_pattern(None, None, None, g) if q not in incoming]
        if stale:
            # one update of both, which pyoxigraph runs as one transaction
            store.update(_removal(stale) + " ;\n" + _insertion([q for q in quads if q not in store]))
        else:
            store.extend(quads)  # pyoxigraph: all or nothing
        store.flush()
    except KeyboardInterrupt:
        raise _state(store, quads, stale, "interrupted", "onderbroken") from None
    except OSError as error:
        raise _state(store, quads, stale, f"cannot write to the store ({error})",
                     f"kan niet naar de store schrijven ({error})") from None
    return len(quads)


def _insertion(quads: Sequence[Quad]) -> str:
    """A SPARQL update adding these quads (skolemised: no blank nodes)."""
    return "INSERT DATA { " + " ".join(
        f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" if isinstance(q.graph_name, NamedNode)
        else f"{q.subject} {q.predicate} {q.object} ." for q in quads) + " }"


def _removal(stale: Sequence[Quad]) -> str:
    """A SPARQL update removing these quads of named graphs.

    A blank node cannot be named in an update: the blank nodes of a replaced graph (left there
    by a version of jeugdgov that kept them) are removed by pattern; what is loaded has none.
    """
    def blank(quad: Quad) -> bool:
        return isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)

    named = [q for q in stale if not blank(q)]
    blank_graphs = sorted({q.graph_name.value for q in stale if blank(q) and isinstance(q.graph_name, NamedNode)})
    parts = []
    if named:
        parts.append("DELETE DATA { " + " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in named) + " }")
    for graph in blank_graphs:
        parts.append(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o "
                     "FILTER (isBlank(?s) || isBlank(?o)) } }")
    return " ;\n".join(parts)


def _state(store: Store, quads: Sequence[Quad], stale: Sequence[Quad], what: str, wat: str) -> LoadInterrupted:
    """What the store holds after the load stopped for ``what`` (``wat`` in Dutch)."""
    # Whether the transaction committed is read back from the store: Ctrl-C is acted on only
    # after pyoxigraph returns, so it may come after the write it seems to have interrupted.
    failed = 130 if what == "interrupted" else 2
    try:
        written = all(q in store for q in quads) and not any(q in store for q in stale)
    except OSError:
        return LoadInterrupted(f"{what}; the store cannot be read back: run the same load again", exit_code=2,
                               nl=f"{wat}; de store is niet terug te lezen: voer dezelfde load opnieuw uit")
    if written:
        return LoadInterrupted(f"{what}, but the load had finished: everything was written", exit_code=0,
                               nl=f"{wat}, maar de load was klaar: alles is geschreven")
    return LoadInterrupted(f"{what}: nothing was written, the store is as it was (the write is one transaction)",
                           exit_code=failed, nl=f"{wat}: er is niets geschreven, de store is zoals hij was (het "
                           "schrijven is één transactie)")


def memory_store(paths: Sequence[str | Path] | None = None, with_ontology: bool = True) -> Store:
    """An in-memory store holding the given files (default: the bundled data) and the ontology."""
    store = Store()
    load(list(paths) if paths else bundled_data(), store, with_ontology=with_ontology)
    return store


def graph_names(store: Store) -> list[str]:
    return sorted(str(g.value) for g in store.named_graphs() if not isinstance(g, BlankNode))


def setups_in_store(store: Store, source: str = "the store") -> list[Setup]:
    """Each named graph of a store as a setup, with the default graph merged in (as a TriG file is read).

    The setups carry their whole graph, so that they can be validated with either engine and drawn.
    """
    dataset = Dataset()
    dataset.parse(data=store.dump(format=RdfFormat.N_QUADS), format="nquads")
    if not any(len(g) for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier):
        raise InputError(f"{source} holds no setups (no named graphs)",
                         hint="load setups into it first: jeugdgov load DATA... --store FOLDER",
                         nl=(f"{source} bevat geen inrichtingen (geen benoemde grafen)",
                             "laad er eerst inrichtingen in: jeugdgov load GEGEVENS... --store MAP"))
    setups = setups_in_dataset(dataset, lambda graph, merged: store_setup(source, str(graph), merged))
    refuse_without_setup(setups)
    refuse_duplicate_names((s.name, s.source) for s in setups)
    return setups
