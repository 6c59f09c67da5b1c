"""The declarative mapping between workbook sheets and RDF, read from ``mapping/workbook.yaml``.

The mapping file says which sheet holds which classes and which column holds which property,
with its datatype, vocabulary, headers and help in Dutch and English. This module turns it
into :class:`Sheet` and :class:`Column` objects and fills each column's :class:`Vocabulary`
(classes, taxonomy concepts, report sections) from the bundled ontology, so that template,
reading and writing share one description.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

import yaml
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, TIME

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, LANGUAGES, mapping_dir, ontology

#: Column kinds the interpreter knows (see the header of mapping/workbook.yaml).
KINDS = ("id", "setup", "types", "literal", "ref", "concept", "source", "start", "end", "absence")
DATATYPES = {"string": XSD.string, "date": XSD.date, "decimal": XSD.decimal, "integer": XSD.integer,
             "boolean": XSD.boolean}
#: Words for "established: there is none" and "there is one, but unknown", per language.
NONE_WORDS = {"nl": "geen", "en": "none"}
UNKNOWN_WORDS = {"nl": "onbekend", "en": "unknown"}
#: The word for "the source leaves it open" (``jg:unclearValue``), per language.
UNCLEAR_WORDS = {"nl": "onduidelijk", "en": "unclear"}
#: Each word a cell may hold instead of a value, and what it states.
MARKERS = {**{w: JG.noValue for w in NONE_WORDS.values()}, **{w: JG.unknownValue for w in UNKNOWN_WORDS.values()},
           **{w: JG.unclearValue for w in UNCLEAR_WORDS.values()}}
TRUE_WORDS = {"nl": "ja", "en": "yes"}
FALSE_WORDS = {"nl": "nee", "en": "no"}
#: What a multi-valued cell separates its values with.
SEPARATOR = ";"


def text(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


@dataclass
class Vocabulary:
    """The terms a column accepts, each known by its IRI, CURIE, local name, notation and labels."""

    terms: list[URIRef]
    labels: dict[URIRef, dict[str, str]]
    names: dict[URIRef, list[str]]  # every accepted spelling of a term, labels included
    prefix_match: bool = False  # report sections: a unique start of a label ("Lelystad 2.2.1") is enough

    @cached_property
    def _terms_by_spelling(self) -> dict[str, set[URIRef]]:
        """Every accepted spelling, normalised, and the terms it names (a workbook has thousands of cells)."""
        index: dict[str, set[URIRef]] = {}
        for term, names in self.names.items():
            for name in names:
                index.setdefault(_normal(name), set()).add(term)
        return index

    def lookup(self, value: str) -> URIRef | None:
        wanted = _normal(value)
        found = self._terms_by_spelling.get(wanted, set())
        if len(found) == 1:
            return next(iter(found))
        if not found and self.prefix_match and wanted:
            starts = {term for term, labels in self.labels.items()
                      if any(_normal(label).startswith(wanted + " ") for label in labels.values())}
            if len(starts) == 1:
                return starts.pop()
        return None

    def closest(self, value: str, lang: str = "nl") -> list[str]:
        """The displayed values nearest to a misspelt one, best first."""
        shown = {self.display(term, lang): term for term in self.terms}
        spellings = {_normal(name): self.display(term, lang) for term, names in self.names.items() for name in names}
        close = difflib.get_close_matches(_normal(value), list(spellings), n=3, cutoff=0.5)
        result: list[str] = []
        for spelling in close:
            if spellings[spelling] not in result:
                result.append(spellings[spelling])
        return result or sorted(shown)[:3]

    def display(self, term: URIRef, lang: str) -> str:
        """How a workbook shows a term: its label in the language, if no other term shares it."""
        label = self.labels.get(term, {}).get(lang)
        if label and self.lookup(label) == term:
            return label
        return self.names[term][0]

    def choices(self, lang: str) -> list[str]:
        return [self.display(term, lang) for term in self.terms]


def _normal(value: str) -> str:
    return " ".join(value.strip().lower().split())


@dataclass
class Column:
    key: str
    kind: str
    header: dict[str, str]
    help: dict[str, str]
    property: URIRef | None = None
    datatype: URIRef | None = None
    language: str | None = None
    multi: bool = False
    required: bool = False
    unique: bool = False
    sheets: tuple[str, ...] = ()
    external: bool = False
    vocabulary: Vocabulary | None = None

    def headers(self) -> set[str]:
        return {_normal(h) for h in self.header.values()}

    def title(self, lang: str) -> str:
        return text(self.header, lang)


@dataclass
class Sheet:
    key: str
    name: dict[str, str]
    about: dict[str, str]
    classes: set[URIRef]
    columns: list[Column]

    def title(self, lang: str) -> str:
        return text(self.name, lang)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


@dataclass
class Mapping:
    version: int
    prefixes: dict[str, str]
    sheets: list[Sheet]
    other: Sheet
    about: dict[str, dict[str, str]]
    instructions: dict[str, str]
    lists: dict[str, str]
    sources: Vocabulary
    period_properties: set[URIRef] = field(default_factory=set)

    def sheet(self, key: str) -> Sheet:
        return next(s for s in [*self.sheets, self.other] if s.key == key)

    def sheet_for(self, types: Iterable[URIRef]) -> Sheet | None:
        """The first sheet holding a node of these classes."""
        types = set(types)
        return next((s for s in self.sheets if s.classes & types), None)

    def where_stated(self, term: URIRef) -> list[tuple[Sheet, Column | None]]:
        """Where a user states a term in a workbook: the columns holding it as their property
        or as a value (a class, role or task), and the sheets whose rows are nodes of a class
        (column None). The parts of a period (``time:hasBeginning``, ``time:inXSDDate``, ...)
        are the start and end columns. Empty: only a row on the other-facts sheet states it."""
        kinds = {TIME.hasBeginning: ("start",), TIME.hasEnd: ("end",), TIME.inXSDDate: ("start", "end"),
                 TIME.ProperInterval: ("start", "end"), TIME.Instant: ("start", "end")}.get(term, ())
        found: list[tuple[Sheet, Column | None]] = []
        terms = {term, *_subclasses(ontology(), term)}  # a class is stated by stating one of its subclasses
        for sheet in self.sheets:
            columns = [(sheet, c) for c in sheet.columns
                       if c.kind in kinds or (c.property == term and c.kind != "types")
                       or (c.vocabulary not in (None, self.sources) and terms & set(c.vocabulary.terms))]
            # A class the sheet holds, unless a column of the sheet names it (the kind of actor).
            found += [(sheet, None)] if terms & sheet.classes and not columns else columns
        return found

    def expand(self, curie: str) -> URIRef | None:
        prefix, colon, local = curie.partition(":")
        if colon and prefix in self.prefixes:
            return URIRef(self.prefixes[prefix] + local)
        return None


def implied_type(sheet: Sheet) -> URIRef | None:
    """The class of every row of a sheet that holds one class and has no column for it."""
    if len(sheet.classes) == 1 and not any(c.kind == "types" for c in sheet.columns):
        return next(iter(sheet.classes))
    return None


def _subclasses(graph: Graph, root: URIRef) -> list[URIRef]:
    found: list[URIRef] = []
    todo = [root]
    while todo:
        current = todo.pop(0)
        for sub in sorted(s for s in graph.subjects(RDFS.subClassOf, current) if isinstance(s, URIRef)):
            if sub not in found and sub != root:
                found.append(sub)
                todo.append(sub)
    return found


def _labels(graph: Graph, term: URIRef, predicate: URIRef) -> dict[str, str]:
    return {label.language: str(label) for label in graph.objects(term, predicate)
            if isinstance(label, Literal) and label.language in LANGUAGES}


def _curie(term: URIRef, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if str(term).startswith(namespace) and len(str(term)) > len(namespace):
            return f"{prefix}:{str(term)[len(namespace):]}"
    return str(term)


def _vocabulary(graph: Graph, terms: list[URIRef], prefixes: dict[str, str], label_property: URIRef,
                prefix_match: bool = False, extra_labels: dict[URIRef, dict[str, str]] | None = None) -> Vocabulary:
    labels = {t: _labels(graph, t, label_property) or dict((extra_labels or {}).get(t, {})) for t in terms}
    names: dict[URIRef, list[str]] = {}
    for term in terms:
        notation = [str(n) for n in graph.objects(term, SKOS.notation)]
        local = str(term).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        names[term] = [*notation, _curie(term, prefixes), local, str(term), *labels[term].values()]
    return Vocabulary(terms, labels, names, prefix_match)


def _classes(graph: Graph, spec: dict, prefixes: dict[str, str]) -> list[URIRef]:
    def iri(curie: str) -> URIRef:
        prefix, _, local = curie.partition(":")
        return URIRef(prefixes[prefix] + local)

    found = [iri(c) for c in spec.get("classes", [])]
    if "subclasses_of" in spec:
        found += [c for c in _subclasses(graph, iri(spec["subclasses_of"])) if c not in found]
    excluded = {iri(c) for c in spec.get("exclude", [])}
    return [c for c in found if c not in excluded]


@cache
def mapping() -> Mapping:
    """The bundled mapping, with its vocabularies filled from the ontology."""
    path = mapping_dir() / "workbook.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"the bundled workbook mapping is not valid YAML: {error}", file=path,
                         hint="reinstall jeugdgov",
                         nl=(f"de meegeleverde werkboekindeling is geen geldige YAML: {error}",
                             "installeer jeugdgov opnieuw")) from None
    graph = ontology()
    prefixes: dict[str, str] = dict(raw["prefixes"])
    ns = {p: Namespace(n) for p, n in prefixes.items()}

    def iri(curie: str) -> URIRef:
        prefix, _, local = curie.partition(":")
        return ns[prefix][local]

    extra_labels = {iri(term): names for term, names in raw.get("labels", {}).items()}
    source_terms = sorted({t for c in (PROV.Entity, JG.ReportSection) for t in graph.subjects(RDF.type, c)
                           if isinstance(t, URIRef)})
    sources = _vocabulary(graph, source_terms, prefixes, RDFS.label,
                          prefix_match=True)

    def column(spec: dict) -> Column:
        kind = spec["kind"]
        if kind not in KINDS:
            raise InputError(f"column '{spec['key']}' has an unknown kind '{kind}'", file=path,
                             nl=(f"kolom '{spec['key']}' heeft een onbekende soort '{kind}'", None))
        col = Column(key=spec["key"], kind=kind, header=spec["header"], help=spec.get("help", {}),
                     property=iri(spec["property"]) if "property" in spec else None,
                     datatype=DATATYPES[spec["datatype"]] if "datatype" in spec else None,
                     language=spec.get("language"), multi=spec.get("multi", False),
                     required=spec.get("required", False), unique=spec.get("unique", False),
                     sheets=tuple(spec.get("sheets", ())), external=spec.get("external", False))
        if kind == "types":
            col.property = RDF.type
            col.vocabulary = _vocabulary(graph, _classes(graph, spec, prefixes), prefixes, RDFS.label,
                                         extra_labels=extra_labels)
        elif kind == "concept":
            scheme = URIRef(prefixes[spec["scheme"]])
            concepts = sorted(c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
            col.vocabulary = _vocabulary(graph, concepts, prefixes, SKOS.prefLabel)
        elif kind == "source":
            col.vocabulary = sources
        return col

    common = [column(c) for c in raw["common"]]
    names = [column(c) for c in raw["names"]]
    sheets: list[Sheet] = []
    for spec in raw["sheets"]:
        own = [column(c) for c in spec["columns"]]
        lead = 0
        while lead < len(own) and (own[lead].kind in ("id", "types") or own[lead].key == "setup_name"):
            lead += 1
        if spec.get("names") == "last":
            columns = own + names
        else:
            columns = own[:lead] + (names if spec.get("names") else []) + own[lead:]
        if spec["key"] == "setups":
            columns += [c for c in common if c.kind != "setup"]
        else:
            columns = [common[0], *columns, *common[1:]]
        sheets.append(Sheet(spec["key"], spec["name"], spec["about"], set(_classes(graph, spec, prefixes)), columns))
    other_spec = raw["other"]
    other = Sheet(other_spec["key"], other_spec["name"], other_spec["about"], set(),
                  [Column(key=c["key"], kind="literal", header=c["header"], help=c.get("help", {}))
                   for c in other_spec["columns"]])
    result = Mapping(version=int(raw["version"]), prefixes=prefixes, sheets=sheets, other=other,
                     about=raw["about"], instructions=raw["instructions"]["name"], lists=raw["lists"]["name"],
                     sources=sources)
    result.period_properties = {c.property for s in sheets for c in s.columns
                                if c.kind in ("start", "end") and c.property}
    return result
