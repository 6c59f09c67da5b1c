"""RDF into the rows of a workbook, as the same mapping says that reading follows.

Each node gets a row on the sheet of its class, one row per graph it has facts in (the shared
default graph, or a setup's named graph, named in the row's ``inrichting`` cell). A fact goes
into the first column of that sheet that can hold it exactly (property, datatype, language,
list of values, one value or several); a fact no column can hold goes to the sheet of other
facts, so that reading the workbook back gives the same graph. Only the labels of periods are
not kept: a period becomes the start and end dates of the rows that refer to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from jeugdgov.errors import InputError
from jeugdgov.resources import INDIVIDUALS_PREFIX, JG, TIME, local_name
from jeugdgov.workbook.mapping import (
    FALSE_WORDS,
    MARKERS,
    NONE_WORDS,
    SEPARATOR,
    TRUE_WORDS,
    UNCLEAR_WORDS,
    UNKNOWN_WORDS,
    Column,
    Mapping,
    Sheet,
    implied_type,
    mapping,
)
from jeugdgov.workbook.reading import DEFAULT_BASE
from jeugdgov.workbook.tables import Cell

_SIMPLE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._\-/]*$")
Row = dict[str, Cell]


@dataclass
class Contents:
    """A workbook's contents before it is laid out: rows per sheet, base IRI and prefixes."""

    base: str = DEFAULT_BASE
    prefixes: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: Facts the workbook does not keep (labels of periods), by what they are.
    dropped: Counter[str] = field(default_factory=Counter)


@dataclass
class _Period:
    start: date | None
    end: date | None
    facts: list[tuple[Node, Node, Node]]  # the interval's and its instants' own triples
    labels: int


def contents_from(dataset: Dataset, lang: str = "nl") -> Contents:
    """The rows of a workbook holding the dataset's setups and shared facts."""
    return _Writer(dataset, mapping(), lang).contents()


class _Writer:
    def __init__(self, dataset: Dataset, wb_mapping: Mapping, lang: str) -> None:
        self.dataset = dataset
        self.mapping = wb_mapping
        self.lang = lang
        self.types: dict[Node, set[URIRef]] = {}
        for s, _, o, _ in dataset.quads((None, RDF.type, None, None)):
            if isinstance(o, URIRef):
                self.types.setdefault(s, set()).add(o)
        self.sheet_of: dict[Node, Sheet] = {}
        for node, types in self.types.items():
            sheet = wb_mapping.sheet_for(types)
            if isinstance(node, URIRef) and sheet is not None:
                self.sheet_of[node] = sheet
        self.periods = self._periods()
        self.base = self._base()
        self.prefixes = self._prefixes()
        self.blank: dict[BNode, str] = {}
        self.referenced_periods: set[Node] = set()

    # -- what the dataset holds -----------------------------------------------------------------

    def _periods(self) -> dict[Node, _Period]:
        """Intervals that start and end dates say completely, by node."""
        periods: dict[Node, _Period] = {}
        candidates = {o for _, p, o, _ in self.dataset.quads() if p in self.mapping.period_properties}
        for interval in candidates:
            if isinstance(interval, Literal):
                continue
            facts = [(interval, p, o) for _, p, o, _ in self.dataset.quads((interval, None, None, None))]
            dates: dict[Node, date] = {}
            labels = 0
            complete = True
            for _, p, o in list(facts):
                if p == RDFS.label:
                    labels += 1
                elif p == RDF.type and o == TIME.ProperInterval:
                    continue
                elif p in (TIME.hasBeginning, TIME.hasEnd) and p not in dates:
                    instant = [(o, ip, io) for _, ip, io, _ in self.dataset.quads((o, None, None, None))]
                    found = [io for _, ip, io in instant if ip == TIME.inXSDDate]
                    others = [t for t in instant if t[1] not in (TIME.inXSDDate, RDF.type) or
                              (t[1] == RDF.type and t[2] != TIME.Instant)]
                    if (len(found) != 1 or others or not isinstance(found[0], Literal)
                            or not isinstance(found[0].value, date) or found[0].datatype != XSD.date
                            or any(True for _ in self.dataset.quads((None, None, o, None)) if _[0] != interval)):
                        complete = False
                        break
                    dates[p] = found[0].value
                    facts += instant
                else:
                    complete = False
                    break
            if complete and dates:
                periods[interval] = _Period(dates.get(TIME.hasBeginning), dates.get(TIME.hasEnd), facts, labels)
        return periods

    def _base(self) -> str:
        spaces: Counter[str] = Counter()
        for node in self.sheet_of:
            iri = str(node)
            if iri.startswith(INDIVIDUALS_PREFIX) and "/" in iri[len(INDIVIDUALS_PREFIX):]:
                spaces[INDIVIDUALS_PREFIX + iri[len(INDIVIDUALS_PREFIX):].split("/", 1)[0] + "/"] += 1
        return spaces.most_common(1)[0][0] if spaces else DEFAULT_BASE

    def _prefixes(self) -> dict[str, str]:
        known = set(self.mapping.prefixes.values()) | {self.base}
        iris = {str(t) for quad in self.dataset.quads() for t in quad[:3] if isinstance(t, URIRef)}
        extra = {}
        for prefix, uri in self.dataset.namespaces():
            namespace = str(uri)
            if prefix and prefix not in self.mapping.prefixes and namespace not in known and \
                    any(i.startswith(namespace) for i in iris):
                extra[prefix] = namespace
        return extra

    # -- tokens ---------------------------------------------------------------------------------

    def token(self, node: Node) -> str:
        if isinstance(node, BNode):
            return self.blank.setdefault(node, f"_:b{len(self.blank) + 1}")
        iri = str(node)
        if iri.startswith(self.base):
            local = iri[len(self.base):]
            if _SIMPLE_LOCAL.match(local):
                return local
        for prefix, namespace in [*self.mapping.prefixes.items(), *self.prefixes.items()]:
            if iri.startswith(namespace) and _SIMPLE_LOCAL.match(iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    # -- rows -----------------------------------------------------------------------------------

    def contents(self) -> Contents:
        result = Contents(self.base, self.prefixes, {s.key: [] for s in [*self.mapping.sheets, self.mapping.other]})
        default = self.dataset.default_graph
        graphs: list[tuple[str | None, Graph]] = [(None, default)]
        setup_graphs = sorted((g for g in self.dataset.graphs() if g.identifier != default.identifier and len(g)),
                              key=lambda g: str(g.identifier))
        own_setup: dict[Node, Node] = {}
        for graph in setup_graphs:
            nodes = [n for n in graph.subjects(RDF.type, JG.Setup) if isinstance(n, URIRef)]
            if len(nodes) != 1:
                raise InputError(f"the named graph <{graph.identifier}> holds {len(nodes)} jg:Setup nodes; a "
                                 "workbook names each named graph after its one setup",
                                 hint="give each named graph one jg:Setup with a dct:identifier",
                                 nl=(f"de benoemde graaf <{graph.identifier}> bevat {len(nodes)} jg:Setup-knopen; "
                                     "een werkboek noemt elke benoemde graaf naar zijn ene inrichting",
                                     "geef elke benoemde graaf één jg:Setup met een dct:identifier"))
            name = str(graph.value(nodes[0], DCTERMS.identifier) or local_name(graph.identifier))
            graphs.append((name, graph))
            own_setup[nodes[0]] = graph.identifier
        alone = [n for n in default.subjects(RDF.type, JG.Setup) if isinstance(n, URIRef)]
        if not setup_graphs and len(alone) == 1:  # a file of one setup: the workbook's one setup
            own_setup[alone[0]] = default.identifier
        consumed = {fact[0] for period in self.periods.values() for fact in period.facts}
        other_rows: list[Row] = []
        for scope, graph in graphs:
            subjects = sorted({s for s in graph.subjects() if s not in consumed}, key=self.token)
            for subject in subjects:
                sheet = self.sheet_of.get(subject)
                if sheet is not None and sheet.key == "setups" and own_setup.get(subject) != graph.identifier:
                    sheet = None
                row: Row = {}
                for _, p, o in sorted(graph.triples((subject, None, None))):
                    if sheet is None or not self._place(row, sheet, subject, p, o):
                        other_rows.append(self._other(scope, subject, p, o))
                if sheet is not None and row:
                    if sheet.key == "setups":
                        row.setdefault("setup_name", scope or local_name(subject))
                        if self.token(subject) != scope:
                            row["id"] = self.token(subject)
                    else:
                        row["id"] = self.token(subject)
                        row["setup"] = scope
                    result.rows[sheet.key].append(row)
        for node in sorted(self.referenced_periods, key=str):  # periods that other facts point at keep their facts
            for s, p, o in self.periods[node].facts:
                other_rows.append(self._other(None, s, p, o))
        result.rows["other"] = other_rows
        for interval, period in self.periods.items():
            if period.labels and interval not in self.referenced_periods:  # other facts keep those labels
                result.dropped["labels of periods"] += period.labels
        return result

    def _place(self, row: Row, sheet: Sheet, subject: Node, p: Node, o: Node) -> bool:
        if p == RDF.type and implied_type(sheet) == o:
            return True
        if p in (JG.noValue, JG.unknownValue, JG.unclearValue) and isinstance(o, URIRef):
            words = NONE_WORDS if p == JG.noValue else UNKNOWN_WORDS if p == JG.unknownValue else UNCLEAR_WORDS
            for column in sheet.columns:
                if column.property == o and column.kind not in ("types", "end") and column.property != RDFS.label \
                        and row.get(column.key) is None:
                    row[column.key] = words[self.lang]
                    return True
            return False
        for column in sheet.columns:
            if column.property != p:
                continue
            value = self._cell(column, o)
            if value is None:
                continue
            if column.kind == "start":
                period = self.periods[o]
                end = sheet.column("end") if sheet.has("end") else None
                if row.get("start") is not None or row.get("end") is not None or end is None:
                    continue
                row["start"], row["end"] = period.start, period.end
                return True
            if row.get(column.key) is None:
                row[column.key] = value
                return True
            if column.multi and not (isinstance(value, str) and SEPARATOR in value) and \
                    isinstance(row[column.key], str) and isinstance(value, str):
                row[column.key] = f"{row[column.key]}{SEPARATOR} {value}"
                return True
        return False

    def _cell(self, column: Column, o: Node) -> Cell:
        """The cell value for a fact's object in this column, or None if the column cannot hold it."""
        if column.kind == "literal":
            return self._literal_cell(column, o)
        if column.kind == "start":
            return "period" if o in self.periods else None
        if column.kind == "end" or not isinstance(o, URIRef):
            return None
        if column.vocabulary is not None:
            return column.vocabulary.display(o, self.lang) if o in column.vocabulary.terms else None
        if column.kind == "ref" and (column.external or (o in self.sheet_of and self.sheet_of[o].key in column.sheets)):
            return self.token(o)
        return None

    def _literal_cell(self, column: Column, o: Node) -> Cell:
        if not isinstance(o, Literal) or getattr(o, "ill_typed", False):
            return None
        datatype = column.datatype
        if datatype == XSD.string:
            plain = o.datatype in (None, XSD.string) and (o.language or None) == column.language
            if not plain or (column.multi and SEPARATOR in str(o)) or str(o) != str(o).strip() or not str(o):
                return None
            if str(o).lower() in MARKERS:
                return None
            return str(o)
        if o.datatype != datatype:
            return None
        value = o.value
        if datatype == XSD.date:
            return value if isinstance(value, date) and str(o) == value.isoformat() else None
        if datatype == XSD.boolean:
            return (TRUE_WORDS if value else FALSE_WORDS)[self.lang] if str(o) in ("true", "false") else None
        if datatype == XSD.integer:
            return int(value) if isinstance(value, int) and str(o) == str(value) else None
        if datatype == XSD.decimal and isinstance(value, Decimal):
            as_float = float(value)
            return as_float if Decimal(repr(as_float)) == value and str(Decimal(repr(as_float))) == str(o) else None
        return None

    def _other(self, scope: str | None, s: Node, p: Node, o: Node) -> Row:
        if o in self.periods:
            self.referenced_periods.add(o)
        row: Row = {"setup": scope, "subject": self.token(s), "property": self.token(p)}
        if isinstance(o, Literal):
            row["value"] = str(o)
            row["language"] = o.language
            if o.datatype is not None:
                row["value_type"] = self.token(o.datatype)
        else:
            row["value"] = self.token(o)
            row["value_type"] = "verwijzing" if self.lang == "nl" else "reference"
        return row
