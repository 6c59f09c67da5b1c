"""Loading governance setups from RDF files, workbooks and folders.

A *setup* is the unit of validation: one governance arrangement during one period.
A Turtle, N-Triples, JSON-LD or RDF/XML file holds one setup. A TriG or N-Quads file holds
one setup per named graph; its default graph holds what the setups share (actors, the
law) and is added to each of them. A workbook (.xlsx, .ods or a folder of CSV files, see
:mod:`jeugdgov.workbook`) is read as a TriG file: one named graph per setup of its setup sheet.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import DefaultGraph, NamedNode, parse
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.plugins.parsers.notation3 import BadSyntax

from jeugdgov.display import html_table
from jeugdgov.errors import InputError
from jeugdgov.limits import (
    DEFAULT_LIMITS,
    PARSER_TOKEN_BYTES,
    Limits,
    check_file,
    check_literal_lengths,
    check_regular,
    may_hold_long_literal,
    too_long_token,
)
from jeugdgov.rdf_formats import FORMATS
from jeugdgov.resources import FORBIDDEN_IN_IRI, JG, local_name, to_rdflib
from jeugdgov.workbook.tables import WORKBOOK_SUFFIXES, is_workbook

if TYPE_CHECKING:
    from jeugdgov.workbook.reading import Origin, WorkbookData


@dataclass
class Setup:
    """One governance setup: its name, labels and the graph to validate."""

    name: str
    graph: Graph
    source: Path | str  # a file, or the store and graph a setup was fetched from
    node: URIRef | None = None
    labels: dict[str, str] = field(default_factory=dict)
    #: False when ``graph`` holds only the setup's description (its jg:Setup node, labels and
    #: identifier), as for setups validated in worker processes or in a SPARQL store: their
    #: findings are complete, but the graph cannot be drawn or projected.
    complete: bool = True
    #: For a setup read from a workbook: the sheet and row each node was first described in.
    origins: dict[str, Origin] = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("") or next(iter(self.labels.values()), self.name)

    def __repr__(self) -> str:
        return f"Setup({self.name}: {self.label()!r}, {len(self.graph)} triples, from {self.source})"

    def _repr_html_(self, lang: str = "en") -> str:
        """The setup as a small table: what it is, where it comes from, and how much it holds."""
        graph = self.graph
        rows = [("setup", self.name), ("label", self.label(lang)), ("source", str(self.source)),
                ("triples", len(graph))]
        if self.complete:  # the counts of the 'setups' named query
            rows += [("role assignments", len(set(graph.subjects(RDF.type, JG.RoleAssignment)))),
                     ("money flows", len(set(graph.subjects(JG.payer, None)))),
                     ("mandates", len(set(graph.subjects(JG.mandatary, None)))),
                     ("agreements", len(set(graph.subjects(JG.party, None))))]
        else:
            rows.append(("graph", "its description only (validated in a store or a worker): load it to draw it"))
        return html_table((), rows)


def load(*paths: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Setup]:
    """Load every setup in the given files and folders (folders are searched recursively)."""
    setups = [setup for file in rdf_files(paths) for setup in _setups_of_file(file, limits)]
    refuse_without_setup(setups)
    refuse_duplicate_names((s.name, s.source) for s in setups)
    return setups


def _setups_of_file(file: Path, limits: Limits) -> list[Setup]:
    workbook = _read_workbook(file, limits) if is_workbook(file) else None
    dataset = workbook.dataset if workbook else parse_file(file, limits)
    setups = setups_in_dataset(dataset, lambda graph, merged: setup_from_graph(file, merged,
                                                                            file_setup_name(file, graph)))
    if workbook is not None:
        for setup in setups:
            setup.origins = workbook.origins
    return setups


def refuse_without_setup(setups: Sequence[Setup]) -> None:
    """No silent "conforms": an InputError when nothing that was read declares a jg:Setup,
    since then no shape has a setup to check, and every check would pass unasked."""
    if not setups or any(s.node is not None for s in setups):
        return
    sources = sorted({str(s.source) for s in setups})
    shown = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
    raise InputError(f"no jg:Setup in {shown}: it describes no governance setup, so nothing would be checked",
                     hint="declare the setup the data describes, e.g. <https://w3id.org/jeugdgov/id/NAME/setup> "
                     'a jg:Setup ; dcterms:identifier "NAME" (the workbook of jeugdgov template has a sheet for it)',
                     nl=(f"geen jg:Setup in {shown}: de gegevens beschrijven geen inrichting, dus er valt niets "
                         "te controleren", "leg de inrichting vast die de gegevens beschrijven, bijv. "
                         '<https://w3id.org/jeugdgov/id/NAAM/setup> a jg:Setup ; dcterms:identifier "NAAM" '
                         "(het werkboek van jeugdgov template heeft er een blad voor)"))


def refuse_duplicate_names(named: Iterable[tuple[str, Path | str]]) -> None:
    """An InputError if two setups, given as (name, source), share a name."""
    sources: dict[str, list[str]] = {}
    for name, source in named:
        sources.setdefault(name, []).append(str(source))
    for name, where in sources.items():
        if len(where) > 1:
            raise InputError(f"two setups are called '{name}' ({', '.join(where)})",
                             hint="give each jg:Setup its own dct:identifier",
                             nl=(f"twee inrichtingen heten '{name}' ({', '.join(where)})",
                                 "geef elke jg:Setup een eigen dct:identifier"))


def refuse_unknown_names(names: Iterable[str] | None, known: Iterable[str]) -> None:
    """An InputError naming the setups asked for that are not among ``known``."""
    known = list(known)
    missing = sorted(set(names or ()) - set(known))
    if missing:
        raise InputError(f"no setup named {', '.join(missing)}", hint=f"setups found: {', '.join(known)}",
                         nl=(f"geen inrichting met de naam {', '.join(missing)}",
                             f"gevonden inrichtingen: {', '.join(known)}"))


def select(setups: Sequence[Setup], names: Iterable[str] | None) -> list[Setup]:
    """The setups with these names (all for None or none named); an InputError for a name
    no setup has."""
    if not names:
        return list(setups)
    wanted = set(names)
    refuse_unknown_names(wanted, (s.name for s in setups))
    return [s for s in setups if s.name in wanted]


def select_one(setups: Sequence[Setup], name: str | None, purpose: str = "use") -> Setup:
    """The setup called ``name``, or the only one; an InputError naming the choices otherwise."""
    if name is not None:
        return select(setups, [name])[0]
    if len(setups) != 1:
        raise InputError(f"the input holds {len(setups)} setups; say which one to {purpose}",
                         hint=f"add --setup with one of: {', '.join(s.name for s in setups)}",
                         nl=(f"de invoer bevat {len(setups)} inrichtingen; zeg welke",
                             f"voeg --setup toe met een van: {', '.join(s.name for s in setups)}"))
    return setups[0]


def name_from_graph_iri(iri: str) -> str:
    """A setup name from a graph IRI: its last path segment without a file extension
    (also of a ``urn:`` whose segments are separated by colons)."""
    last = local_name(iri)
    if iri.startswith("urn:"):
        last = last.rpartition(":")[2]
    stem, dot, suffix = last.rpartition(".")
    return stem if dot and f".{suffix.lower()}" in FORMATS else last


#: Read when named, skipped in a folder: a plain .json beside the data is seldom JSON-LD
#: (``jeugdgov synth`` writes planted.json next to its setups).
NAMED_ONLY = {".json"}


def rdf_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each RDF file or workbook once, however often it is named or reached through a folder."""
    seen: set[Path] = set()
    for path in _named_files(paths):
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            yield path


def _named_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", file=path,
                             hint="check the path; give a .ttl, .trig, .jsonld or .nt file or a folder",
                             nl=("bestand of map bestaat niet",
                                 "controleer het pad; geef een .ttl-, .trig-, .jsonld- of .nt-bestand of een map"))
        check_regular(path)
        if is_workbook(path):
            yield path
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if (p.suffix.lower() in FORMATS and p.suffix.lower() not in NAMED_ONLY and p.is_file())
                           or is_workbook(p))
            if not found and any(path.glob("*.csv")):
                raise InputError("the folder holds CSV files but no werkboek.csv (workbook.csv), so it is no "
                                 "workbook", file=path, hint="add the sheet that records the template version: "
                                 "jeugdgov template --out FOLDER writes every CSV file of a workbook",
                                 nl=("de map bevat CSV-bestanden maar geen werkboek.csv, dus het is geen werkboek",
                                     "voeg het blad toe dat de versie van het sjabloon vastlegt: jeugdgov "
                                     "template --out MAP schrijft elk CSV-bestand van een werkboek"))
            if not found:
                raise InputError("the folder holds no RDF files", file=path,
                                 hint=f"jeugdgov reads files ending in {', '.join(FORMATS)}, workbooks "
                                 f"({', '.join(WORKBOOK_SUFFIXES)}) and folders of workbook CSV files "
                                 f"({', '.join(sorted(NAMED_ONLY))} only when named, not in a folder)",
                                 nl=("de map bevat geen RDF-bestanden",
                                     f"jeugdgov leest bestanden die eindigen op {', '.join(FORMATS)}, werkboeken "
                                     f"({', '.join(WORKBOOK_SUFFIXES)}) en mappen met CSV-bestanden van een "
                                     f"werkboek ({', '.join(sorted(NAMED_ONLY))} alleen als ze genoemd worden, "
                                     "niet in een map)"))
            yield from found
        elif path.suffix.lower() not in FORMATS:
            raise InputError(f"unknown file type '{path.suffix}'", file=path,
                             hint=f"jeugdgov reads files ending in {', '.join(FORMATS)} and workbooks "
                             f"({', '.join(WORKBOOK_SUFFIXES)})",
                             nl=(f"onbekend bestandstype '{path.suffix}'",
                                 f"jeugdgov leest bestanden die eindigen op {', '.join(FORMATS)} en werkboeken "
                                 f"({', '.join(WORKBOOK_SUFFIXES)})"))
        else:
            yield path


def parse_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> Dataset:
    """Parse one RDF file or workbook into a dataset, turning parser errors into an InputError with a line."""
    if is_workbook(path):
        return _read_workbook(path, limits).dataset
    fmt = FORMATS[path.suffix.lower()].rdflib
    check_file(path, limits)
    dataset = Dataset()
    try:
        if fmt in ("nt", "nquads"):
            _parse_lines(path, dataset)
        else:
            dataset.parse(path, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as err:  # first: rdflib's Turtle error is a SyntaxError without its line
        raise InputError(f"syntax error: {err._why}", file=path, line=err.lines + 1,
                         hint="fix the statement on or just before this line",
                         nl=(f"syntaxfout: {err._why}", "verbeter de opdracht op of vlak voor deze regel")) from None
    except SyntaxError as err:  # pyoxigraph's
        raise InputError(f"syntax error: {err.args[0] if err.args else err}", file=path, line=err.lineno,
                         hint="fix the statement on this line",
                         nl=(f"syntaxfout: {err.args[0] if err.args else err}",
                             "verbeter de opdracht op deze regel")) from None
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", file=path, line=err.lineno,
                         nl=(f"ongeldige JSON: {err.msg}", None)) from None
    except MemoryError:
        raise too_long_token(path) from None
    except Exception as err:  # rdflib's parsers raise many types; all mean bad input here
        raise InputError(f"cannot parse as {fmt}: {err}", file=path,
                         nl=(f"niet te lezen als {fmt}: {err}", None)) from None
    if len(dataset) == 0:
        raise InputError("the file holds no triples", file=path,
                         hint="an empty file is no governance setup; remove it or add data",
                         nl=("het bestand bevat geen triples",
                             "een leeg bestand is geen inrichting; verwijder het of voeg gegevens toe"))
    _check_iris(dataset, path)
    if may_hold_long_literal(path, limits):
        check_literal_lengths(path, ((str(s), len(o)) for s, _, o, _ in dataset.quads((None, None, None, None))
                                 if isinstance(o, Literal)), limits)
    return dataset


def _read_workbook(path: Path, limits: Limits) -> WorkbookData:
    # imported here: reading a workbook needs yaml and the workbook mapping, reading RDF does not
    from jeugdgov.workbook.reading import read_workbook

    return read_workbook(path, limits)


def workbook_nquads(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A workbook's setups as N-Quads, for readers that load files into pyoxigraph."""
    return _read_workbook(path, limits).dataset.serialize(format="nquads", encoding="utf-8")


def _check_iris(dataset: Dataset, path: Path) -> None:
    """rdflib's parsers accept IRIs that RDF forbids (with spaces, say); refuse them as pyoxigraph does."""
    checked: set[URIRef] = set()
    for quad in dataset.quads():
        for term in quad[:3]:
            if isinstance(term, Literal) and term.datatype is not None:
                term = term.datatype
            if isinstance(term, URIRef) and term not in checked:
                if len(term) > PARSER_TOKEN_BYTES:  # what pyoxigraph's parser cannot read, nor validate
                    raise too_long_token(path)
                if problem := iri_problem(term):
                    raise InputError(f"<{term}> is not a valid IRI: {problem}", file=path, hint=IRI_HINT,
                                     nl=(f"<{term}> is geen geldige IRI: {problem}", IRI_HINT_NL))
                checked.add(term)



IRI_HINT = ("write an absolute IRI with a scheme (https://...), without spaces, quotes or angle brackets "
            "(percent-encode them: a space is %20)")
IRI_HINT_NL = ("schrijf een absolute IRI met een schema (https://...), zonder spaties, aanhalingstekens of punthaken "
               "(codeer die met procenttekens: een spatie is %20)")


def iri_problem(iri: str) -> str | None:
    """Why a string is no IRI, or None: what RFC 3987 forbids, then what pyoxigraph refuses (a
    scheme that is no scheme, say), so that a setup that loads can also be validated."""
    if found := FORBIDDEN_IN_IRI.search(iri):
        return f"it holds {found.group()!r}"
    try:
        NamedNode(iri)
    except ValueError as error:
        return str(error)
    return None


def _parse_lines(path: Path, dataset: Dataset) -> None:
    """N-Triples and N-Quads read by pyoxigraph (the parser validation uses; rdflib's takes time
    quadratic in a literal's length, minutes for a few megabytes)."""
    for quad in parse(path=str(path), format=FORMATS[path.suffix.lower()].oxigraph):
        triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        if isinstance(quad.graph_name, DefaultGraph):
            dataset.add(triple)
        else:
            # rdflib takes a graph's name as the fourth term (ConjunctiveGraph._graph); its type says a Graph
            dataset.add((*triple, to_rdflib(quad.graph_name)))  # type: ignore[arg-type]


def setups_in_dataset(dataset: Dataset, setup_of: Callable[[str | None, Graph], Setup]) -> list[Setup]:
    """The setups of a dataset, wherever it was read from (a file, a store): each named graph
    that holds triples is one, merged with the default graph (what the setups share); without
    such a graph the default graph is the one setup. ``setup_of(graph name, merged graph)``
    makes each (the graph name is None for the default graph)."""
    default = dataset.default_graph
    # sorted: rdflib keeps its graphs in a set, and the same file must give its setups in one order
    named = sorted((g for g in dataset.graphs() if g.identifier != default.identifier and len(g)),
                   key=lambda g: str(g.identifier))
    if not named:
        return [setup_of(None, _copy(default))]
    setups = []
    for graph in named:
        merged = _copy(default)
        merged += graph
        setups.append(setup_of(str(graph.identifier), merged))
    return setups


def file_setup_name(path: Path, graph: str | None) -> str:
    """The name of a setup of a file whose jg:Setup has no identifier: the file's name, and the
    name of its graph in a file of several graphs."""
    return f"{path.stem}-{local_name(graph)}" if graph else path.stem


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=False)
    copy += graph
    return copy


def blank_setup_error(path: Path | str) -> InputError:
    return InputError("a jg:Setup is a blank node, so its name and labels cannot be read back everywhere "
                      "(a store, a SPARQL endpoint)", file=path,
                      hint="give the setup an IRI, e.g. <https://w3id.org/jeugdgov/id/NAME/setup> a jg:Setup",
                      nl=("een jg:Setup is een blank node, dus de naam en labels zijn niet overal terug te lezen "
                          "(een store, een SPARQL-endpoint)",
                          "geef de inrichting een IRI, bijv. <https://w3id.org/jeugdgov/id/NAAM/setup> a jg:Setup"))


def store_setup(store: str, graph: str, merged: Graph) -> Setup:
    """The setup a named graph of a store holds (merged with what it shares); named after the
    graph when its jg:Setup has no identifier. The same for the embedded and external stores."""
    return setup_from_graph(f"{store} <{graph}>", merged, fallback=name_from_graph_iri(graph))


def setup_from_graph(path: Path | str, graph: Graph, fallback: str) -> Setup:
    """The setup a graph describes; ``fallback`` names it when its jg:Setup has no identifier."""
    if any(isinstance(n, BNode) for n in graph.subjects(RDF.type, JG.Setup)):
        raise blank_setup_error(path)
    nodes = [n for n in graph.subjects(RDF.type, JG.Setup) if isinstance(n, URIRef)]
    if len(nodes) > 1:
        raise InputError(f"one graph describes {len(nodes)} setups", file=path,
                         hint="put each jg:Setup in its own file or named graph",
                         nl=(f"één graaf beschrijft {len(nodes)} inrichtingen",
                             "zet elke jg:Setup in een eigen bestand of benoemde graaf"))
    node = nodes[0] if nodes else None
    name = str(graph.value(node, DCTERMS.identifier) or fallback) if node else fallback
    labels = {}
    if node is not None:
        for label in graph.objects(node, RDFS.label):
            labels[getattr(label, "language", None) or ""] = str(label)
    return Setup(name=name, graph=graph, source=path, node=node, labels=labels)


class _BadTermWarnings(logging.Filter):
    """rdflib logs a traceback for each literal whose text does not fit its datatype (say
    "2020-13-45"^^xsd:date), and a warning for each IRI it finds malformed. The first is bad
    data that the datatype shapes report as a finding, the second bad input that loading
    refuses with its own message; rdflib's words would only bury either. Other messages pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (message.startswith("Failed to convert Literal lexical form to value")
                    or "does not look like a valid URI" in message)


logging.getLogger("rdflib.term").addFilter(_BadTermWarnings())
