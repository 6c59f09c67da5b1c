"""A norm framework (normenkader) and the checks of its rows: every row checked, and every bad
row refused at once with where it is (sheet, row, column) and the fix.

A row holds a norm's id, its text in Dutch and English, the research question it belongs to,
severity, source, basis, and the check: one of the patterns of :mod:`jeugdgov.norms.patterns`
with its parameters in the columns that pattern reads. :mod:`jeugdgov.norms.reading` reads the
rows from a workbook, CSV, YAML or Turtle.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.plugins.sparql import prepareQuery

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, VOCABULARY_PREFIX, is_vocabulary_term, ontology
from jeugdgov.sparql.text import lex
from jeugdgov.validation.catalogue import defects

#: The prefixes a norm may use in CURIEs, paths, conditions and SPARQL.
PREFIXES = {
    "jg": "https://w3id.org/jeugdgov/def#",
    "jgr": "https://w3id.org/jeugdgov/role/",
    "jgt": "https://w3id.org/jeugdgov/task/",
    "jgd": "https://w3id.org/jeugdgov/defect/",
    "src": "https://w3id.org/jeugdgov/id/source/",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

#: The columns of the sheet: key, Dutch header, English header.
COLUMNS = (
    ("id", "id", "id"),
    ("norm_nl", "norm (nl)", "norm (nl)"),
    ("norm_en", "norm (en)", "norm (en)"),
    ("question", "onderzoeksvraag", "research question"),
    ("severity", "ernst", "severity"),
    ("source", "bron", "source"),
    ("basis", "grondslag", "basis"),
    ("pattern", "patroon", "pattern"),
    ("class", "klasse", "class"),
    ("property", "eigenschap", "property"),
    ("condition", "voorwaarde", "condition"),
    ("value", "waarde", "value"),
    ("role_a", "rol A", "role A"),
    ("role_b", "rol B", "role B"),
    ("minimum", "minimum", "minimum"),
    ("defect", "gebrek", "defect"),
    ("sparql", "sparql", "sparql"),
)
HEADERS = {lang: {key: (nl if lang == "nl" else en) for key, nl, en in COLUMNS} for lang in ("nl", "en")}

#: The patterns, by id, with their Dutch names and the columns each needs and may use.
PATTERNS = {
    "required-fact": ("verplicht-feit", {"class", "property"}, {"condition", "value"}),
    "forbidden-roles": ("verboden-rollen", {"role_a", "role_b"}, set()),
    "threshold": ("drempel", {"class", "property", "minimum"}, {"condition", "value"}),
    "path-exists": ("pad-verplicht", {"class", "property"}, {"condition", "value"}),
    "path-absent": ("pad-verboden", {"class", "property"}, {"condition", "value"}),
    "defect": ("gebrek", {"defect"}, set()),
    "sparql": ("sparql", {"class", "sparql"}, {"condition"}),
}
PATTERN_NAMES = {alias: pattern for pattern, (dutch, _, _) in PATTERNS.items() for alias in (pattern, dutch)}
PARAMETERS = {"class", "property", "condition", "value", "role_a", "role_b", "minimum", "defect", "sparql"}
SEVERITIES = {"violation": "Violation", "overtreding": "Violation", "warning": "Warning",
              "waarschuwing": "Warning", "info": "Info", "advies": "Info"}
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: What a check calls with a problem and its fix.
Fail = Callable[[str, str], None]
CURIE = re.compile(r"(?<![\w<?$])([a-z][a-z0-9]*):([A-Za-z0-9_][\w.-]*)")


@dataclass(frozen=True)
class Minimum:
    """A threshold: a number (per year of the node's period when ``per_year``), or a share in percent."""

    number: Decimal
    per_year: bool = False
    share: bool = False


@dataclass(frozen=True)
class Norm:
    """One norm of a framework, checked and with its terms as IRIs."""

    id: str
    text: dict[str, str] = field(hash=False)
    question: str
    severity: str
    pattern: str
    source: str = ""
    basis: tuple[str, ...] = ()
    klass: URIRef | None = None
    path: str | None = None
    condition: str | None = None
    value: URIRef | str | None = None
    roles_a: tuple[URIRef, ...] = ()
    roles_b: tuple[URIRef, ...] = ()
    minimum: Minimum | None = None
    defect: str | None = None
    sparql: str | None = None
    #: Where it was written, for messages: "sheet 'normen', row 3".
    origin: str = field(default="", compare=False)

    def label(self, lang: str = "en") -> str:
        return self.text.get(lang) or self.text.get("nl") or self.text.get("en") or self.id


@dataclass
class Framework:
    """A norm framework: its norms in the order written, grouped under research questions."""

    norms: list[Norm]
    source: str = ""

    def questions(self) -> list[str]:
        return list(dict.fromkeys(n.question for n in self.norms))


@dataclass
class Row:
    """One row as written: its cells by column key, and how to name its place in a message."""

    cells: dict[str, str]
    where: str
    columns: dict[str, str] = field(default_factory=dict)  # key -> "column 'klasse' (I)"

    def at(self, key: str) -> str:
        return f"{self.where}, {self.columns.get(key, f'key {key!r}')}"


def framework_from_rows(rows: Iterable[Row], file: Path | str | None = None) -> Framework:
    """Check the rows and turn them into norms; an InputError listing every problem found."""
    problems: list[str] = []
    norms: list[Norm] = []
    seen: dict[str, str] = {}
    for row in rows:
        norm, found = _norm(row)
        written = row.cells.get("id", "")
        if written in seen:
            found.insert(0, f"{row.at('id')}: the id '{written}' is already used ({seen[written]}) — "
                         "fix: give every norm an id of its own")
        elif written:
            seen[written] = row.where
        problems.extend(found)
        if norm is not None and not found:
            norms.append(norm)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the norm framework; nothing was checked:\n  - "
                         + "\n  - ".join(problems), file=file,
                         hint="fix these cells and run again (docs/norm-frameworks.md lists the columns "
                         "each pattern reads)")
    if not norms:
        raise InputError("the norm framework holds no norms", file=file,
                         hint="fill in one row per norm below the header row",
                         nl=("het normenkader bevat geen normen", "vul onder de kopregel één rij per norm in"))
    return Framework(norms, str(file or ""))


#: A framework in Turtle: each jg:Norm with the columns as properties (its text: rdfs:label).
TURTLE = {"id": JG.normId, "question": JG.researchQuestion, "severity": JG.normSeverity, "source": JG.normSource,
          "basis": RDFS.seeAlso, "pattern": JG.normPattern, "class": JG.normClass, "property": JG.normProperty,
          "condition": JG.normCondition, "value": JG.normValue, "role_a": JG.roleA, "role_b": JG.roleB,
          "minimum": JG.normMinimum, "defect": JG.normDefect, "sparql": JG.normQuery}


def cell_text(value: object) -> str:
    """A cell as the text it shows: empty for nothing, 3 for 3.0, a list joined by spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return " ".join(cell_text(v) for v in value)
    return str(value).strip()


# -- checking one row --------------------------------------------------------------------------

def _norm(row: Row) -> tuple[Norm | None, list[str]]:
    problems: list[str] = []
    cells = row.cells

    def fail(key: str, problem: str, fix: str) -> None:
        problems.append(f"{row.at(key)}: {problem} — fix: {fix}")

    if "_bad" in cells:
        problems.append(f"{row.where}: {cells['_bad']} — fix: write the norm as in docs/norm-frameworks.md")
    norm_id = cells.get("id", "")
    if not norm_id:
        fail("id", "the norm has no id", "give it a short id such as N1 or doelen-meetbaar")
    elif not ID.match(norm_id):
        fail("id", f"'{norm_id}' cannot be an id", "use letters, digits, '.', '-' and '_' only (at most 64)")
    text = {lang: cells[f"norm_{lang}"] for lang in ("nl", "en") if cells.get(f"norm_{lang}")}
    if not text:
        fail("norm_nl", "the norm has no text", "write the norm as the framework states it, in Dutch or English")
    question = cells.get("question", "")
    severity = SEVERITIES.get(cells.get("severity", "warning").lower())
    if severity is None:
        fail("severity", f"'{cells['severity']}' is no severity", "write Violation, Warning or Info "
             "(overtreding, waarschuwing, advies)")
    written = cells.get("pattern", "")
    pattern = PATTERN_NAMES.get(written.lower())
    if pattern is None:
        close = difflib.get_close_matches(written.lower(), list(PATTERN_NAMES), n=1, cutoff=0.6)
        fail("pattern", f"'{written}' is no pattern" if written else "the norm has no pattern",
             (f"did you mean '{close[0]}'? " if close else "") + "choose from: " + ", ".join(PATTERNS))
        return None, problems
    _dutch, required, optional = PATTERNS[pattern]
    for key in sorted(required):
        if not cells.get(key):
            fail(key, f"the pattern '{pattern}' needs this cell", _NEEDS[key])
    for key in sorted(PARAMETERS - required - optional):
        if cells.get(key):
            fail(key, f"the pattern '{pattern}' does not read this cell",
                 f"empty it; '{pattern}' reads: {', '.join(_header(row, k) for k in sorted(required | optional))}")
    basis = tuple(_iri(t, lambda p, f: fail("basis", p, f)) for t in cells.get("basis", "").split())
    klass = _class(cells["class"], lambda p, f: fail("class", p, f)) if cells.get("class") else None
    path = cells.get("property")
    if path:
        _check_sparql(f"SELECT * WHERE {{ ?s {path} ?o }}", lambda p, f: fail("property", p, f),
                      "write a property such as jg:hasGoal, or a path such as jg:hasGoal/jg:measurable "
                      "or ^jg:meetingOf")
    condition = cells.get("condition")
    if condition:
        body = condition if "$this" in condition else f"$this {condition} ."
        _check_sparql(f"SELECT * WHERE {{ {body} }}", lambda p, f: fail("condition", p, f),
                      "write 'property value' (e.g. jg:assignsTask jgt:care-delivery) or a SPARQL "
                      "pattern on $this")
        condition = body
    value: URIRef | str | None = None
    if cells.get("value"):
        value = _value(cells["value"], pattern, lambda p, f: fail("value", p, f))
    roles_a = tuple(_role(t, lambda p, f: fail("role_a", p, f)) for t in cells.get("role_a", "").split())
    roles_b = tuple(_role(t, lambda p, f: fail("role_b", p, f)) for t in cells.get("role_b", "").split())
    minimum = _minimum(cells["minimum"], lambda p, f: fail("minimum", p, f)) if cells.get("minimum") else None
    defect = cells.get("defect")
    if defect and defect not in defects():
        close = difflib.get_close_matches(defect, defects(), n=1, cutoff=0.6)
        fail("defect", f"'{defect}' is no defect of the catalogue",
             (f"did you mean '{close[0]}'? " if close else "") + "jeugdgov defects lists them")
    sparql = cells.get("sparql")
    if sparql:
        if "$this" not in sparql or not re.match(r"(?is)^\s*SELECT\b", sparql):
            fail("sparql", "the query is not a SELECT of $this",
                 "write SELECT $this ?value WHERE { ... }: each solution is a node that does not meet the norm")
        else:
            _check_sparql(sparql, lambda p, f: fail("sparql", p, f), "correct the query (the prefixes "
                          f"{', '.join(PREFIXES)} are declared)")
    if problems:
        return Norm(norm_id, text, question, severity or "Warning", pattern), problems
    return Norm(norm_id, text, question, severity or "Warning", pattern, source=cells.get("source", ""),
                basis=basis, klass=klass, path=path, condition=condition, value=value, roles_a=roles_a,
                roles_b=roles_b, minimum=minimum, defect=defect, sparql=sparql, origin=row.where), problems


_NEEDS = {
    "class": "write the class of the nodes the norm is about, e.g. jg:CollaborationAgreement",
    "property": "write the property or path to check, e.g. jg:hasGoal or ^jg:meetingOf",
    "role_a": "write the first role, e.g. jgr:commissioner (several: separated by spaces)",
    "role_b": "write the role it must not be combined with, e.g. jgr:contractor jgr:subcontractor",
    "minimum": "write a number (3), a number per year (2 per jaar) or a share (80%)",
    "defect": "write a catalogue id, e.g. open-budget (jeugdgov defects lists them)",
    "sparql": "write SELECT $this ?value WHERE { ... } selecting the nodes that do not meet the norm",
}



def _header(row: Row, key: str) -> str:
    column = row.columns.get(key, key)
    return column.split("'")[1] if "'" in column else column


def expand(token: str) -> str | None:
    """A CURIE of the norm prefixes, an <IRI> or a web address as an IRI; None for anything else."""
    token = token.strip()
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    if re.match(r"^https?://\S+$", token):
        return token
    prefix, _, local = token.partition(":")
    if local and prefix in PREFIXES and not re.search(r"\s", local):
        return PREFIXES[prefix] + local
    return None


def _iri(token: str, fail: Fail) -> str:
    iri = expand(token)
    if iri is None:
        fail(f"'{token}' is not an IRI", f"write a full IRI (https://...) or a CURIE with one of the prefixes "
             f"{', '.join(PREFIXES)}")
        return token
    return iri


def _term(token: str, fail: Fail, kind: str) -> URIRef:
    iri = _iri(token, fail)
    if is_vocabulary_term(iri) and (URIRef(iri), None, None) not in ontology():
        known = [str(s) for s in set(ontology().subjects(RDF.type, None)) if isinstance(s, URIRef)
                 and str(s).startswith(VOCABULARY_PREFIX)]
        close = difflib.get_close_matches(iri, known, n=1, cutoff=0.8)
        fail(f"the ontology defines no {kind} '{token}'",
             f"did you mean {short_name(close[0])}?" if close else f"write a {kind} the ontology defines")
    return URIRef(iri)


def _class(token: str, fail: Fail) -> URIRef:
    term = _term(token, fail, "class")
    if is_vocabulary_term(str(term)) and (term, None, None) in ontology() and not is_class(term):
        fail(f"'{token}' is not a class", "write a class such as jg:Agreement (the workbook's sheets name them)")
    return term


def _role(token: str, fail: Fail) -> URIRef:
    return _term(token, fail, "role")


def _value(token: str, pattern: str, fail: Fail) -> URIRef | str:
    if expand(token) is not None:
        return _term(token, fail, "term")
    if pattern == "required-fact" or pattern == "threshold":  # a literal such as true or 3, as SPARQL writes it
        _check_sparql(f"SELECT * WHERE {{ ?s ?p {token} }}", fail, 'write a value as SPARQL does: true, 3, "text"')
        return token
    fail(f"'{token}' is not an IRI", "write the node or class the path must (not) reach, e.g. jg:Agreement")
    return token


def _minimum(text: str, fail: Fail) -> Minimum | None:
    match = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*(%|per\s+(?:jaar|year))?\s*$", text, re.IGNORECASE)
    if not match:
        fail(f"'{text}' is no minimum", "write a number (3), a number per year (2 per jaar) or a share (80%)")
        return None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    unit = (match.group(2) or "").lower()
    if unit == "%" and number > 100:
        fail(f"a share of {number}% is more than all", "write a percentage from 0 to 100")
    return Minimum(number, per_year=unit.startswith("per"), share=unit == "%")


@lru_cache(maxsize=1024)
def sparql_error(text: str) -> str | None:
    """Why a query over the framework's prefixes is not SPARQL, or None. Parsed by rdflib, as pySHACL
    will parse it; remembered, because the parse costs a fifth of a second and frameworks are read
    again (``--watch``, one scorecard per phase)."""
    try:
        prepareQuery(SPARQL_PREFIXES + text)
    except Exception as error:  # pyparsing and rdflib errors alike mean: not SPARQL
        return str(error)
    return None


def _check_sparql(text: str, fail: Fail, fix: str) -> None:
    if any(token.upper == "SERVICE" for token in lex(text, strict=False)):
        fail("the query calls another SPARQL endpoint (SERVICE)", "a norm reads only the setup: remove the "
             "SERVICE clause (checking a norm makes no network requests)")
        return
    error = sparql_error(text)
    if error is not None:
        fail(f"not valid SPARQL ({error.splitlines()[0][:120]})", fix)
        return
    for prefix, local in CURIE.findall(text):
        iri = PREFIXES.get(prefix, "") + local
        if prefix in PREFIXES and is_vocabulary_term(iri) and (URIRef(iri), None, None) not in ontology():
            fail(f"the ontology defines no term '{prefix}:{local}'", "correct the name (the workbook's sheets "
                 "and docs/setups.md list the terms)")


def is_class(term: URIRef) -> bool:
    graph = ontology()
    return (term, RDF.type, OWL.Class) in graph or (term, RDF.type, RDFS.Class) in graph \
        or (term, RDFS.subClassOf, None) in graph


def short_name(iri: str) -> str:
    """An IRI as a CURIE of the norm prefixes, else in angle brackets."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def rows_from_mappings(items: Iterable[Mapping[str, object]], where: str = "norm") -> list[Row]:
    """Rows from mappings keyed by column key (as YAML writes them); an unknown key is a problem."""
    keys = {key for key, _nl, _en in COLUMNS}
    rows = []
    for number, item in enumerate(items, start=1):
        cells = {str(k): cell_text(v) for k, v in item.items() if cell_text(v)}
        row = Row({k: v for k, v in cells.items() if k in keys}, f"{where} {number}", {k: f"key '{k}'" for k in keys})
        if unknown := sorted(set(cells) - keys):
            row.cells["_bad"] = f"unknown key(s) {', '.join(unknown)}; the keys are: {', '.join(sorted(keys))}"
        rows.append(row)
    return rows
