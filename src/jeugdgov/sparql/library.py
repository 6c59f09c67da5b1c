"""The query library: named SPARQL queries, their headers and their typed parameters.

Each query in ``queries/`` is one ``.rq`` file whose leading comment block is its header::

    # @title nl Rollen per taak in een periode
    # @title en Roles per task in a period
    # @description nl Wie vervult welke rol voor welke taak ...
    #   (a line that starts with two spaces continues the tag above it)
    # @description en Who holds which role for which task ...
    # @param period_start xsd:date — nl: eerste dag van de periode | en: first day of the period
    # @param task iri? — nl: alleen deze taak | en: only this task
    # @param lang xsd:string = nl — nl: taal van de labels | en: language of the labels
    # @example jeugdgov query roles-in-period --param period_start=2016-01-01 ...
    # @example GET /queries/roles-in-period.csv?period_start=2016-01-01&...

A parameter is required unless its type ends in ``?`` (optional, left unbound when absent) or
it has a default (``= value``). Types: ``xsd:date``, ``xsd:decimal``, ``xsd:integer``,
``xsd:boolean``, ``xsd:string`` and ``iri`` (a full IRI, or a prefixed name using a prefix the
query declares). Values are turned into typed RDF terms and bound to the query variable of the
same name through a ``VALUES`` block written from those terms (:func:`with_values`), never by
pasting the raw values into the query text. The block comes first in the WHERE clause, unless
a line ``# @bind NAME`` in the body puts a parameter's block elsewhere, for example inside the
sub-SELECT that finds the variable, where some stores evaluate it much faster (a comment, so the
file still runs as it is). The same block is used for the embedded store, the
endpoint and external stores, so a query means the same everywhere. (pyoxigraph's own
``substitutions`` would do locally, but in 0.5 ``BOUND(?param)`` stays false for a substituted
variable, which breaks the optional-parameter idiom ``FILTER (!BOUND(?p) || ...)``.)

Every query reads the dataset with the *union default graph*: the default graph is the union
of all graphs, so facts shared by the setups of a case (a TriG default graph) and the setup
graphs themselves are queried together. The setup a fact belongs to is its named graph.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from jeugdgov.errors import InputError
from jeugdgov.isolation import offline
from jeugdgov.resources import LANGUAGES, queries_dir
from jeugdgov.sparql.calls import remote_calls
from jeugdgov.sparql.text import where_brace

Term = NamedNode | Literal
#: A query's answer; the triples of a graph read in full, or from an endpoint, come as a list.
Result = QuerySolutions | QueryBoolean | QueryTriples | list[Triple]

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("xsd:date", "xsd:decimal", "xsd:integer", "xsd:boolean", "xsd:string", "iri")
#: Names of library queries: they appear in URLs, so nothing that could walk a path.
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_TAG = re.compile(r"^#\s?@(?P<tag>[a-z]+)\s+(?P<value>.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(?P<value>\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z:]+)(?P<optional>\?)?"
    r"(?:\s*=\s*(?P<default>\S+))?\s*(?:(?:—|--)\s*(?P<doc>.*))?$")
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
#: ``# @bind NAME`` on a line of its own in the body: that parameter's VALUES block goes there
_BIND = re.compile(r"^(?P<indent>[ \t]*)#\s?@bind\s+(?P<name>\w+)[ \t]*$", re.MULTILINE)
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: schemes of absolute IRIs that have no '//' after the colon; any other 'word:' is a prefix
_OPAQUE_SCHEMES = ("urn", "mailto", "tag", "did", "doi", "isbn")
#: parameters that start and end a period, which may not end before it starts
PERIODS = (("period_start", "period_end"), ("date_from", "date_to"))


class ParameterError(InputError):
    """A parameter value that is missing, unknown or of the wrong type."""

    def __init__(self, parameter: str, problem: str, hint: str | None = None,
                 nl: tuple[str, str | None] | None = None):
        """``problem`` and ``hint`` in English, ``nl`` the two in Dutch."""
        super().__init__(f"parameter '{parameter}': {problem}", hint=hint,
                         nl=(f"parameter '{parameter}': {nl[0]}", nl[1]) if nl else None)
        self.parameter = parameter


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named query."""

    name: str
    type: str
    required: bool
    default: str | None = None
    descriptions: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def term(self, raw: str, prefixes: Mapping[str, str]) -> Term:
        """The typed RDF term for a value given as text; ParameterError when it does not fit the type."""
        value = raw.strip()
        if self.type == "iri":
            return NamedNode(self._iri(value, prefixes))
        if self.type == "xsd:string":
            return Literal(raw)
        if self.type == "xsd:date":
            if not _DATE.match(value) or not _is_date(value):
                raise ParameterError(self.name, f"'{raw}' is not a date",
                                     hint="write it as YYYY-MM-DD, e.g. 2020-01-31",
                                     nl=(f"'{raw}' is geen datum", "schrijf haar als JJJJ-MM-DD, bijv. 2020-01-31"))
            return Literal(value, datatype=NamedNode(XSD + "date"))
        if self.type == "xsd:decimal":
            if not _DECIMAL.match(value):
                raise ParameterError(self.name, f"'{raw}' is not a decimal number",
                                     hint="e.g. 12.5 (a point, no thousands separator)",
                                     nl=(f"'{raw}' is geen decimaal getal",
                                         "bijv. 12.5 (een punt, geen scheidingsteken voor duizendtallen)"))
            return Literal(value, datatype=NamedNode(XSD + "decimal"))
        if self.type == "xsd:integer":
            if not _INTEGER.match(value):
                raise ParameterError(self.name, f"'{raw}' is not a whole number", hint="e.g. 3",
                                     nl=(f"'{raw}' is geen geheel getal", "bijv. 3"))
            return Literal(value, datatype=NamedNode(XSD + "integer"))
        if self.type == "xsd:boolean":
            if value.lower() not in ("true", "false", "1", "0"):
                raise ParameterError(self.name, f"'{raw}' is not a boolean", hint="use true or false",
                                     nl=(f"'{raw}' is geen waarheidswaarde", "gebruik true of false"))
            truth = "true" if value.lower() in ("true", "1") else "false"
            return Literal(truth, datatype=NamedNode(XSD + "boolean"))
        raise ParameterError(self.name, f"unknown type {self.type}",  # headers are checked when read
                             nl=(f"onbekend type {self.type}", None))

    def _iri(self, value: str, prefixes: Mapping[str, str]) -> str:
        prefix, _, local = value.partition(":")
        known = ", ".join(f"{p}:" for p in sorted(prefixes))
        if _ and prefix in prefixes and not local.startswith("//"):
            value = prefixes[prefix] + local
        elif not _SCHEME.match(value):
            raise ParameterError(self.name, f"'{value}' is not an IRI",
                                 hint=f"give a full IRI (https://...) or a prefixed name with one of: {known}",
                                 nl=(f"'{value}' is geen IRI", "geef een volledige IRI (https://...) of een "
                                     f"naam met een van de voorvoegsels: {known}"))
        elif not local.startswith("//") and prefix.lower() not in _OPAQUE_SCHEMES:
            raise ParameterError(self.name, f"unknown prefix '{prefix}:' in '{value}'",
                                 hint=f"use one of: {known}; or give a full IRI (https://...)",
                                 nl=(f"onbekend voorvoegsel '{prefix}:' in '{value}'",
                                     f"gebruik een van: {known}; of geef een volledige IRI (https://...)"))
        try:
            NamedNode(value)
        except ValueError as error:
            raise ParameterError(self.name, f"'{value}' is not a valid IRI ({error})",
                                 nl=(f"'{value}' is geen geldige IRI ({error})", None)) from None
        return value

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "required": self.required,
                "default": self.default, "description": dict(self.descriptions)}


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query from the library with its header."""

    name: str
    path: Path
    text: str
    titles: dict[str, str] = field(hash=False, compare=False)
    descriptions: dict[str, str] = field(hash=False, compare=False)
    parameters: tuple[Parameter, ...] = ()
    examples: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.name)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def bind(self, values: Mapping[str, str]) -> dict[str, Term]:
        """Typed terms for the given parameter values, with defaults filled in.

        Raises ParameterError naming the first unknown, missing or ill-typed parameter.
        """
        names = [p.name for p in self.parameters]
        for name in values:
            if name not in names:
                raise ParameterError(name, f"query '{self.name}' has no such parameter",
                                     hint=f"its parameters: {', '.join(names) or 'none'}",
                                     nl=(f"query '{self.name}' heeft die parameter niet",
                                         f"de parameters: {', '.join(names) or 'geen'}"))
        bound: dict[str, Term] = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name)
            if raw is None or raw == "":
                if parameter.default is not None:
                    raw = parameter.default
                elif parameter.required:
                    raise ParameterError(parameter.name, f"missing; query '{self.name}' needs it",
                                         hint=f"give a value of type {parameter.type}",
                                         nl=(f"ontbreekt; query '{self.name}' heeft hem nodig",
                                             f"geef een waarde van het type {parameter.type}"))
                else:
                    continue
            if parameter.name == "lang" and raw not in LANGUAGES:
                raise ParameterError("lang", f"no labels in language '{raw}'",
                                     hint=f"use one of: {', '.join(LANGUAGES)}",
                                     nl=(f"geen namen in de taal '{raw}'", f"gebruik een van: {', '.join(LANGUAGES)}"))
            bound[parameter.name] = parameter.term(raw, self.prefixes)
        for start, end in PERIODS:
            if start in bound and end in bound and bound[start].value > bound[end].value:
                raise ParameterError(end, f"{end} {bound[end].value} is before {start} {bound[start].value}",
                                     hint=f"give {start} first, then {end} on or after it",
                                     nl=(f"{end} {bound[end].value} ligt voor {start} {bound[start].value}",
                                         f"geef eerst {start}, dan {end} op of na die datum"))
        return bound

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": dict(self.titles),
            "description": dict(self.descriptions),
            "parameters": [p.as_dict() for p in self.parameters],
            "examples": list(self.examples),
        }


def read_query(path: Path, name: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file and its header; InputError naming the line of a malformed header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the query: {error}", file=path,
                         nl=(f"de query is niet te lezen: {error}", None)) from None
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    parameters: list[Parameter] = []
    examples: list[str] = []
    last: tuple[dict[str, str], str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break  # the header is the leading comment block
            continue
        if tag := _TAG.match(line):
            last = None
            kind, value = tag["tag"], tag["value"].strip()
            if kind in ("title", "description"):
                lang, _, words = value.partition(" ")
                if lang not in LANGUAGES or not words.strip():
                    raise InputError(f"@{kind} needs a language (nl or en) and a text", file=path, line=number,
                                     nl=(f"@{kind} heeft een taal (nl of en) en een tekst nodig", None))
                target = titles if kind == "title" else descriptions
                target[lang] = words.strip()
                last = (target, lang)
            elif kind == "param":
                parameters.append(_parameter(value, path, number))
            elif kind == "example":
                examples.append(value)
            else:
                raise InputError(f"unknown header tag @{kind}", file=path, line=number,
                                 hint="use @title, @description, @param or @example",
                                 nl=(f"onbekende kopregeltag @{kind}",
                                     "gebruik @title, @description, @param of @example"))
        elif (more := _CONTINUATION.match(line)) and last is not None:
            target, lang = last
            target[lang] += " " + more["value"].strip()
    if not titles:
        raise InputError("the query has no @title in its header", file=path, line=1,
                         hint="start the file with '# @title nl ...' and '# @title en ...'",
                         nl=("de query heeft geen @title in de kop",
                             "begin het bestand met '# @title nl ...' en '# @title en ...'"))
    declared = {p.name for p in parameters}
    for marker in _BIND.finditer(text):
        if marker["name"] not in declared:
            raise InputError(f"@bind names no parameter: {marker['name']}", file=path,
                             line=text.count("\n", 0, marker.start()) + 1,
                             hint=f"declare it with @param, or bind one of: {', '.join(sorted(declared)) or 'none'}",
                             nl=(f"@bind noemt geen parameter: {marker['name']}", "declareer hem met @param, of "
                                 f"bind een van: {', '.join(sorted(declared)) or 'geen'}"))
    prefixes = {prefix or "": iri for prefix, iri in _PREFIX.findall(text)}
    return NamedQuery(name=name or path.stem, path=path, text=text, titles=titles, descriptions=descriptions,
                      parameters=tuple(parameters), examples=tuple(examples), prefixes=prefixes)


def _parameter(value: str, path: Path, line: int) -> Parameter:
    match = _PARAM.match(value)
    if not match or match["type"] not in TYPES:
        raise InputError(f"malformed @param '{value}'", file=path, line=line,
                         hint=f"write '@param name TYPE[?] [= default] — nl: ... | en: ...' with TYPE one of "
                         f"{', '.join(TYPES)}",
                         nl=(f"ongeldige @param '{value}'", f"schrijf '@param naam TYPE[?] [= standaard] — nl: ... | "
                             f"en: ...' met TYPE een van {', '.join(TYPES)}"))
    docs = {}
    for part in (match["doc"] or "").split("|"):
        lang, _, words = part.strip().partition(":")
        if lang.strip() in LANGUAGES and words.strip():
            docs[lang.strip()] = words.strip()
    return Parameter(name=match["name"], type=match["type"], required=not match["optional"] and not match["default"],
                     default=match["default"], descriptions=docs)


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """The named queries in a folder (default: the bundled ``queries/``), by name."""
    folder = folder or queries_dir()
    found = {}
    for path in sorted(folder.glob("*.rq")):
        if NAME.match(path.stem):
            found[path.stem] = read_query(path)
    return found


def resolve(name_or_file: str, folder: Path | None = None) -> NamedQuery:
    """A library query by name, or a ``.rq`` file by path; InputError listing the names otherwise."""
    candidate = Path(name_or_file)
    if name_or_file.endswith(".rq") or "/" in name_or_file:
        if not candidate.is_file():
            raise InputError("no such query file", file=candidate, nl=("querybestand bestaat niet", None))
        return read_query(candidate)
    queries = library(folder)
    if name_or_file not in queries:
        raise InputError(f"unknown query '{name_or_file}'",
                         hint=f"named queries: {', '.join(queries)}; or give the path of a .rq file",
                         nl=(f"onbekende query '{name_or_file}'",
                             f"benoemde queries: {', '.join(queries)}; of geef het pad van een .rq-bestand"))
    return queries[name_or_file]


def refuse_remote_calls(query: str, file: Path | None = None) -> None:
    """A query over local data reads only local data: SERVICE would call a server on the network."""
    if remote_calls(query):
        raise InputError("the query calls another SPARQL endpoint (SERVICE); a query over local data "
                         "makes no network requests", file=file,
                         hint="remove the SERVICE clause, or run the query on that endpoint with --endpoint",
                         nl=("de query roept een ander SPARQL-endpoint aan (SERVICE); een query over lokale "
                             "gegevens doet geen netwerkverzoeken", "verwijder de SERVICE-clausule, of voer de "
                             "query uit op dat endpoint met --endpoint"))


def run(store: Store, query: str, bindings: Mapping[str, Term] | None = None) -> Result:
    """Run a query over a pyoxigraph store with the union default graph and typed bindings.

    Its whole evaluation runs where no connection can be opened (:func:`jeugdgov.isolation.offline`),
    so a call out that the refusal of SERVICE missed still reaches nothing. The result is read in
    full there; the triples of a graph come back as a list."""
    refuse_remote_calls(query)
    text = with_values(query, bindings or {})
    try:
        graph, written = offline(lambda: _written(store.query(text, use_default_graph_as_union=True)))
    except OSError as error:  # the store's files, or an attempt to reach the network
        raise InputError(f"the query could not run: {error}",
                         hint="a query over local data makes no network requests (SERVICE, LOAD): run it on "
                              "that endpoint with --endpoint",
                         nl=(f"de query kon niet worden uitgevoerd: {error}", "een query over lokale gegevens "
                             "doet geen netwerkverzoeken (SERVICE, LOAD): voer hem uit op dat endpoint met "
                             "--endpoint")) from None
    # read back on this thread: pyoxigraph's results belong to the thread that made them
    if graph:
        return [quad.triple for quad in parse(written, format=RdfFormat.N_TRIPLES)]
    return parse_query_results(written, format=QueryResultsFormat.JSON)


def _written(result: QuerySolutions | QueryBoolean | QueryTriples) -> tuple[bool, bytes]:
    """Whether a result is a graph, and the result in full: N-Triples, or SPARQL JSON results."""
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        graph, written = False, result.serialize(format=QueryResultsFormat.JSON)
    else:
        graph, written = True, result.serialize(format=RdfFormat.N_TRIPLES)
    assert written is not None  # without an output file pyoxigraph returns the bytes
    return graph, written


def with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """The query with a VALUES block binding the terms, placed first in its WHERE clause.

    For endpoints that take no bindings beside the query. The block is written from typed
    terms in N-Triples syntax (which escapes every literal), never from the raw values, and
    at the start of the WHERE group so that every pattern and filter of the group sees it. A
    term whose parameter has a ``# @bind NAME`` line gets a block of its own on that line.
    """
    bindings = dict(bindings)

    def bound_here(marker: re.Match[str]) -> str:
        term = bindings.pop(marker["name"], None)
        return marker[0] if term is None else f"{marker['indent']}VALUES ?{marker['name']} {{ {term} }}"

    query = _BIND.sub(bound_here, query)
    if not bindings:
        return query
    brace = where_brace(query)
    if brace is None:
        raise InputError("the query has no WHERE clause to bind parameters in",
                         nl=("de query heeft geen WHERE-clausule om parameters in te binden", None))
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{query[:brace + 1]}\n  VALUES ({names}) {{ ({terms}) }}\n{query[brace + 1:]}"


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True
