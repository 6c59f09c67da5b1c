"""Reading a filled workbook into RDF, as the mapping says, refusing what it cannot read.

Every refusal names the file, the sheet, the row, the column, the value, what is wrong and how
to fix it, and comes before anything is returned: a workbook is read whole or not at all.

Each row's ``inrichting`` (setup) cell puts its facts in that setup's named graph; an empty cell
puts them in the default graph, which every setup of the workbook shares (as in a TriG file).
Short ids become IRIs under the workbook's base IRI; a start and end date become an OWL-Time
interval. "geen"/"none" states that a fact has no value (``jg:noValue``), "onbekend"/"unknown"
that it has one nobody knows (``jg:unknownValue``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

from rdflib import RDF, XSD, BNode, Dataset, Literal, Node, URIRef
from rdflib.namespace import DCTERMS

from jeugdgov.errors import InputError
from jeugdgov.limits import DEFAULT_LIMITS, Limits, check_file, check_literal_lengths, check_workbook
from jeugdgov.resources import FORBIDDEN_IN_IRI, JG, TIME
from jeugdgov.workbook.mapping import (
    FALSE_WORDS,
    MARKERS,
    NONE_WORDS,
    SEPARATOR,
    TRUE_WORDS,
    UNKNOWN_WORDS,
    Column,
    Mapping,
    Sheet,
    implied_type,
    mapping,
    text,
)
from jeugdgov.workbook.tables import NORM_SHEETS, Cell, CellError, Table, column_letter, read_tables

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^/]*$)")
_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}([.,]\d{3})+$")  # 1.234 is 1234 in Dutch and 1.234 in English
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_OTHER_REFERENCE = {"verwijzing", "reference", "iri"}
DEFAULT_BASE = "https://w3id.org/jeugdgov/id/werkboek/"
#: How many bad cells one run lists: enough to fix a workbook in one go, few enough to read.
MAX_PROBLEMS = 25
_WHERE_WORDS = {"en": ("sheet", "row", "column"), "nl": ("blad", "rij", "kolom")}


@dataclass(frozen=True)
class Origin:
    """The row a node was first described in."""

    sheet: str
    row: int

    def describe(self, lang: str = "en") -> str:
        return f"blad '{self.sheet}', rij {self.row}" if lang == "nl" else f"sheet '{self.sheet}', row {self.row}"


#: A fact and the setup graph it is in (None: the default graph, which every setup shares).
Quad = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal, URIRef | None]


@dataclass
class WorkbookData:
    """What a workbook holds: its facts, and where each node was described."""

    quads: list[Quad]
    origins: dict[str, Origin] = field(default_factory=dict)
    base: str = DEFAULT_BASE
    prefixes: dict[str, str] = field(default_factory=dict)
    version: int = 0

    @cached_property
    def dataset(self) -> Dataset:
        """The facts as an rdflib dataset, one named graph per setup (made when first asked for:
        validation loads the quads into its store without it)."""
        dataset = Dataset()
        for prefix, namespace in self.prefixes.items():
            dataset.bind(prefix, namespace, override=False)
        dataset.addN((s, p, o, dataset.graph(g) if g is not None else dataset.default_graph)
                     for s, p, o, g in self.quads)
        return dataset


@dataclass
class _Row:
    sheet: Sheet
    table: str  # the sheet's name as written
    number: int  # 1-based, as the spreadsheet shows it
    cells: dict[str, tuple[int, Cell]]  # column key -> (0-based index, value)
    node: URIRef | None = None
    scope: URIRef | None = None  # the setup's graph, None for the shared default graph


def read_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> WorkbookData:
    """Read an .xlsx or .ods workbook or a folder of CSV files; an InputError for anything it cannot use."""
    path = Path(path)
    if not path.is_dir():
        check_file(path, limits)
        check_workbook(path, limits)
    data = _Reader(path, mapping()).read()
    check_literal_lengths(path, ((str(s), len(o)) for s, _, o, _ in data.quads if isinstance(o, Literal)), limits)
    return data


class _Reader:
    def __init__(self, path: Path, wb_mapping: Mapping) -> None:
        self.path = path
        self.mapping = wb_mapping
        self.lang = "nl"
        self.base = DEFAULT_BASE
        self.prefixes = dict(wb_mapping.prefixes)
        self.ids: dict[str, URIRef] = {}  # an id as written, and each IRI, -> the node
        self.defined: dict[URIRef, tuple[str, _Row]] = {}  # node -> (sheet key, first row)
        self.setups: dict[str, URIRef] = {}
        self.blank: dict[str, BNode] = {}
        self.problems: list[InputError] = []  # bad cells, all reported together at the end
        self.terms_used: dict[str, Origin] = {}  # a term the sheet of other facts names -> its first row
        self.quads: dict[Quad, None] = {}  # the facts read, in order, each once
        self.literals: dict[tuple[object, ...], Literal] = {}

    # -- messages ------------------------------------------------------------------------------

    def fail(self, row: _Row | None, column: Column | None, problem: str, hint: str, *,
             table: str | None = None, index: int | None = None,
             nl: tuple[str, str] | None = None) -> InputError:
        """A bad cell: where it is, what is wrong and how to fix it, in English and (``nl``) Dutch."""
        if column is not None and row is not None and column.key in row.cells:
            index = row.cells[column.key][0]
        said = {lang: self._where(lang, row, column, table, index) for lang in ("en", "nl")}
        return InputError(f"{said['en']}{problem}", file=self.path, hint=hint,
                          nl=(f"{said['nl']}{nl[0]}", nl[1]) if nl is not None else None)

    def _where(self, lang: str, row: _Row | None, column: Column | None, table: str | None,
               index: int | None) -> str:
        sheet_word, row_word, column_word = _WHERE_WORDS[lang]
        where = []
        if row is not None or table:
            where.append(f"{sheet_word} '{row.table if row else table}'")
        if row is not None:
            where.append(f"{row_word} {row.number}")
        if column is not None:
            letter = f" ({column_letter(index)})" if index is not None else ""
            where.append(f"{column_word} '{column.title(self.lang)}'{letter}")
        return f"{', '.join(where)}: " if where else ""

    # -- the whole workbook -------------------------------------------------------------------

    def read(self) -> WorkbookData:
        tables = self._tables()
        about = tables.pop("about", None)
        if about is None:
            raise InputError(f"no sheet '{text(self.mapping.about['name'], 'nl')}' (or "
                             f"'{text(self.mapping.about['name'], 'en')}'), so this is no jeugdgov workbook",
                             file=self.path, hint="start from the template: jeugdgov template --out setup.xlsx",
                             nl=(f"geen blad '{text(self.mapping.about['name'], 'nl')}', dus dit is geen werkboek "
                                 "van jeugdgov", "begin bij het sjabloon: jeugdgov template --out inrichting.xlsx"))
        version = self._about(about)
        rows = {key: list(self._rows(self.mapping.sheet(key), table)) for key, table in tables.items()}
        for row in rows.get("setups", []):
            self._noting(self._define_setup, row)
        for sheet in self.mapping.sheets:
            if sheet.key != "setups":
                for row in rows.get(sheet.key, []):
                    self._noting(self._define, row)
        for sheet in self.mapping.sheets:
            for row in rows.get(sheet.key, []):
                if row.node is not None:
                    self._facts(row)
        self._noting(self._check_required, rows)
        for row in rows.get("other", []):
            self._noting(self._other_fact, row)
        self._refuse_problems()
        if not self.quads:
            raise InputError("the workbook describes nothing: every sheet is empty", file=self.path,
                             hint="fill in at least the sheets 'inrichtingen' and 'actoren'",
                             nl=("het werkboek beschrijft niets: elk blad is leeg",
                                 "vul ten minste de bladen 'inrichtingen' en 'actoren' in"))
        origins = {**self.terms_used,
                   **{str(node): Origin(row.table, row.number) for node, (_, row) in self.defined.items()}}
        return WorkbookData(list(self.quads), origins, self.base, self.prefixes, version)

    def _noting(self, step: Callable[..., None], *args: object) -> None:
        """Run one step of reading; a bad cell is noted, so that one run reports them all."""
        try:
            step(*args)
        except InputError as problem:
            self.problems.append(problem)

    def _refuse_problems(self) -> None:
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            raise InputError(self._listing("en"), file=self.path,
                             hint="fix each cell listed (sheet, row, column), then run again",
                             nl=(self._listing("nl"),
                                 "verbeter elke genoemde cel (blad, rij, kolom) en probeer opnieuw"))

    def _listing(self, lang: str) -> str:
        """The bad cells, at most MAX_PROBLEMS of them, each with its fix."""
        lines = []
        for problem in self.problems[:MAX_PROBLEMS]:
            said, hint = problem.said.get(lang, (problem.problem, problem.hint))
            lines.append(f"- {said}" + (f"\n    {hint}" if hint else ""))
        more = len(self.problems) - MAX_PROBLEMS
        if more > 0:
            lines.append(f"- en nog {more}" if lang == "nl" else f"- and {more} more")
        heading = "cellen moeten worden verbeterd" if lang == "nl" else "cells need fixing"
        return f"{len(self.problems)} {heading}:\n" + "\n".join(lines)

    def _tables(self) -> dict[str, Table]:
        known: dict[str, str] = {}
        for sheet in [*self.mapping.sheets, self.mapping.other]:
            for name in sheet.name.values():
                known[name.lower()] = sheet.key
        for name in self.mapping.about["name"].values():
            known[name.lower()] = "about"
        skipped = {n.lower() for n in [*self.mapping.instructions.values(), *self.mapping.lists.values()]}
        skipped |= set(NORM_SHEETS)  # a norm framework, read by jeugdgov.norms
        found: dict[str, Table] = {}
        for table in read_tables(self.path):
            name = table.name.strip().lower()
            if name in skipped:
                continue
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
                raise InputError(f"sheet '{table.name}' is not a sheet of the template",
                                 file=self.path, hint=(f"did you mean '{close[0]}'? " if close else "")
                                 + f"the sheets are: {', '.join(sorted(set(known)))}",
                                 nl=(f"blad '{table.name}' is geen blad van het sjabloon",
                                     (f"bedoelt u '{close[0]}'? " if close else "")
                                     + f"de bladen zijn: {', '.join(sorted(set(known)))}"))
            key = known[name]
            if key in found:
                raise InputError(f"sheet '{table.name}' appears twice (in Dutch and in English)", file=self.path,
                                 hint="keep one of them",
                                 nl=(f"blad '{table.name}' komt twee keer voor (in het Nederlands en in het Engels)",
                                     "houd er één van"))
            found[key] = table
            if key == "about":
                self.lang = next(lang for lang, n in self.mapping.about["name"].items() if n.lower() == name)
        return found

    def _about(self, table: Table) -> int:
        keys = {k: {v.lower() for v in names.values()} for k, names in self.mapping.about.items() if k != "name"}
        version: int | None = None
        for number, cells in enumerate(table.rows, start=1):
            key = _text(cells[0]) if cells else None
            value = cells[1] if len(cells) > 1 else None
            if not key:
                continue
            key = key.lower()
            if key in keys["version_key"]:
                try:
                    version = int(str(value).strip().split(".")[0])
                except ValueError:
                    raise InputError(f"sheet '{table.name}', row {number}: template version '{value}' is not a number",
                                     file=self.path, hint="write the version the template wrote, e.g. 1",
                                     nl=(f"blad '{table.name}', rij {number}: sjabloonversie '{value}' is geen getal",
                                         "schrijf de versie die het sjabloon schreef, bijv. 1")) from None
            elif key in keys["base_key"] and _text(value):
                self.base = self._checked_iri(str(value).strip(), table.name, number)
            elif key in keys["prefix_key"]:
                namespace = cells[2] if len(cells) > 2 else None
                if not _text(value) or not _text(namespace):
                    raise InputError(f"sheet '{table.name}', row {number}: a prefix needs a name (column B) "
                                     "and a namespace IRI (column C)", file=self.path,
                                     hint="e.g. lel | https://w3id.org/jeugdgov/id/lelystad/",
                                     nl=(f"blad '{table.name}', rij {number}: een prefix heeft een naam (kolom B) "
                                         "en een namespace-IRI (kolom C) nodig",
                                         "bijv. lel | https://w3id.org/jeugdgov/id/lelystad/"))
                self.prefixes[str(value).strip()] = self._checked_iri(str(namespace).strip(), table.name, number)
        if version is None:
            raise InputError(f"sheet '{table.name}' does not say which template version the workbook follows",
                             file=self.path, hint=f"add a row '{text(self.mapping.about['version_key'], self.lang)}' "
                             f"with the value {self.mapping.version}, or start from: jeugdgov template",
                             nl=(f"blad '{table.name}' zegt niet welke sjabloonversie het werkboek volgt",
                                 f"voeg een rij '{text(self.mapping.about['version_key'], self.lang)}' toe met de "
                                 f"waarde {self.mapping.version}, of begin bij: jeugdgov template"))
        if version > self.mapping.version:
            raise InputError(f"the workbook follows template version {version}, newer than this jeugdgov knows "
                             f"(up to version {self.mapping.version})", file=self.path,
                             hint="update jeugdgov (pip install --upgrade jeugdgov) to read it",
                             nl=(f"het werkboek volgt sjabloonversie {version}, nieuwer dan deze jeugdgov kent "
                                 f"(tot versie {self.mapping.version})",
                                 "werk jeugdgov bij (pip install --upgrade jeugdgov) om het te lezen"))
        return version

    def _checked_iri(self, iri: str, table: str, number: int) -> str:
        if (found := FORBIDDEN_IN_IRI.search(iri)) or not _SCHEME.match(iri):
            problem = f"it holds {found.group()!r}" if found else "it does not start with a scheme such as https://"
            probleem = f"het bevat {found.group()!r}" if found else "het begint niet met een schema zoals https://"
            raise InputError(f"sheet '{table}', row {number}: '{iri}' is not an IRI: {problem}", file=self.path,
                             hint="write a full IRI such as https://w3id.org/jeugdgov/id/mijn-regio/",
                             nl=(f"blad '{table}', rij {number}: '{iri}' is geen IRI: {probleem}",
                                 "schrijf een volledige IRI zoals https://w3id.org/jeugdgov/id/mijn-regio/"))
        return iri

    # -- rows -----------------------------------------------------------------------------------

    def _rows(self, sheet: Sheet, table: Table) -> Iterator[_Row]:
        if not table.rows:
            return
        by_header = {h: c for c in sheet.columns for h in c.headers()}
        header = table.rows[0]
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            if isinstance(cell, CellError):
                raise self.fail(None, None, f"the header cell {column_letter(index)}1 holds the error {cell.shown}",
                                "type the column's header", table=table.name)
            title = _text(cell)
            if not title:
                continue
            column = by_header.get(" ".join(title.lower().split()))
            if column is None:
                close = difflib.get_close_matches(title.lower(), list(by_header), n=1, cutoff=0.6)
                raise self.fail(None, None, f"column {column_letter(index)} has the header '{title}', "
                                "which the template does not know",
                                (f"did you mean '{close[0]}'? " if close else "") + "the headers are: "
                                + ", ".join(c.title(self.lang) for c in sheet.columns), table=table.name)
            if column.key in positions:
                raise self.fail(None, column, f"the column appears twice ({column_letter(positions[column.key])} "
                                f"and {column_letter(index)})", "delete one of them", table=table.name, index=index)
            positions[column.key] = index
        for column in sheet.columns:
            if column.required and column.key not in positions:
                raise self.fail(None, None, f"the sheet has no column '{column.title(self.lang)}', which is required",
                                f"add the column with the header '{column.title(self.lang)}' (see the template)",
                                table=table.name)
        first = 1
        if len(table.rows) > 1 and all(not _text(c) or " ".join(str(c).lower().split()) in by_header
                                       for c in table.rows[1]) and any(_text(c) for c in table.rows[1]):
            first = 2  # the second header row (English under Dutch)
        for offset, cells in enumerate(table.rows[first:], start=first + 1):
            values = {key: (index, cells[index] if index < len(cells) else None) for key, index in positions.items()}
            if not any(_text(v) for _, v in values.values()):
                continue
            for key, (index, value) in values.items():
                if isinstance(value, CellError):
                    raise self.fail(_Row(sheet, table.name, offset, {}), sheet.column(key), f"the cell holds the "
                                    f"formula error or uncomputed formula {value.shown}", "type the value itself, or "
                                    "fix the formula and save the workbook in a spreadsheet program so that its "
                                    "result is stored", index=index)
            yield _Row(sheet, table.name, offset, values)  # type: ignore[arg-type]  # no CellError, checked

    def cell(self, row: _Row, key: str) -> Cell:
        return row.cells.get(key, (0, None))[1]

    # -- ids and setups -------------------------------------------------------------------------

    def resolve(self, token: str, row: _Row | None, column: Column | None) -> URIRef:
        """An id as written (short name, CURIE or IRI) as an IRI."""
        token = token.strip()
        if token in self.ids:
            return self.ids[token]
        if (_SCHEME.match(token) and "://" in token) or token.startswith("urn:"):
            iri = token
        elif ":" in token:
            prefix = token.split(":", 1)[0]
            expanded = self.mapping.expand(token) if prefix in self.mapping.prefixes else None
            if expanded is None and prefix in self.prefixes:
                expanded = URIRef(self.prefixes[prefix] + token.split(":", 1)[1])
            if expanded is None:
                raise self.fail(row, column,
                                f"'{token}' uses the prefix '{prefix}:', which the workbook does not declare",
                                f"declare it on the sheet '{text(self.mapping.about['name'], self.lang)}', "
                                "write the full IRI, or write an id without ':'")
            iri = str(expanded)
        else:
            iri = self.base + token
        if found := FORBIDDEN_IN_IRI.search(iri):
            raise self.fail(row, column, f"'{token}' cannot be an id: it holds {found.group()!r}",
                            "write ids without spaces or quotes, e.g. college-lelystad")
        return URIRef(iri)

    def _define_setup(self, row: _Row) -> None:
        name_column = row.sheet.column("setup_name")
        name = _text(self.cell(row, "setup_name"))
        if not name:
            raise self.fail(row, name_column, "the required cell is empty",
                            "give the setup a short name, e.g. lelystad-2018")
        if name in self.setups:
            raise self.fail(row, name_column, f"duplicate setup name '{name}'", "give each setup its own name")
        node = self.resolve(_text(self.cell(row, "id")) or name, row, row.sheet.column("id"))
        self._record(node, row, name_column, _text(self.cell(row, "id")) or name)
        self.setups[name] = node
        row.node, row.scope = node, node

    def _define(self, row: _Row) -> None:
        id_column = row.sheet.column("id")
        written = _text(self.cell(row, "id"))
        if not written:
            raise self.fail(row, id_column, "the required cell is empty",
                            "give the row a short unique id, e.g. college or mandaat-teamleider",
                            nl=("de verplichte cel is leeg",
                                "geef de rij een korte unieke id, bijvoorbeeld college of mandaat-teamleider"))
        row.scope = self._scope(row)
        row.node = self.resolve(written, row, id_column)
        self._record(row.node, row, id_column, written)

    def _record(self, node: URIRef, row: _Row, column: Column, written: str) -> None:
        if node in self.defined:
            sheet_key, first = self.defined[node]
            if sheet_key != row.sheet.key or first.scope == row.scope:
                raise self.fail(row, column, f"duplicate id '{written}': sheet '{first.table}' row {first.number} "
                                "already defines it", "give each row its own id (a row in another setup may "
                                "add facts about the same id on the same sheet)",
                                nl=(f"dubbele id '{written}': blad '{first.table}' rij {first.number} definieert hem "
                                    "al", "geef elke rij een eigen id (een rij van een andere inrichting mag feiten "
                                    "over dezelfde id toevoegen op hetzelfde blad)"))
        else:
            self.defined[node] = (row.sheet.key, row)
        self.ids[written] = node
        self.ids[str(node)] = node

    def _scope(self, row: _Row) -> URIRef | None:
        name = _text(self.cell(row, "setup"))
        if not name:
            return None
        if name not in self.setups:
            close = difflib.get_close_matches(name, list(self.setups), n=1, cutoff=0.5)
            raise self.fail(row, row.sheet.column("setup"), f"'{name}' is no setup of the sheet 'inrichtingen'",
                            (f"did you mean '{close[0]}'? " if close else "")
                            + "add the setup to 'inrichtingen' or leave the cell empty for facts every setup shares")
        return self.setups[name]

    # -- facts ----------------------------------------------------------------------------------

    def _add(self, scope: URIRef | None, subject: URIRef | BNode, predicate: URIRef,
             value: URIRef | BNode | Literal) -> None:
        self.quads[(subject, predicate, value, scope)] = None

    def _facts(self, row: _Row) -> None:
        node = row.node
        assert node is not None
        periods: dict[URIRef, dict[str, tuple[Column, date]]] = {}
        if (implied := implied_type(row.sheet)) is not None:
            self._add(row.scope, node, RDF.type, implied)
        for column in row.sheet.columns:
            if column.key in row.cells and column.kind not in ("id", "setup"):
                value = row.cells[column.key][1]
                if written := _text(value):
                    self._noting(self._cell_facts, row, column, value, written, periods)
        for prop, ends in periods.items():
            self._noting(self._period, row, node, prop, ends)

    def _cell_facts(self, row: _Row, column: Column, value: Cell, written: str,
                    periods: dict[URIRef, dict[str, tuple[Column, date]]]) -> None:
        """The facts of one filled cell (``written`` is its value as text)."""
        node = row.node
        assert node is not None
        if column.key == "setup_name":
            self._add(row.scope, node, DCTERMS.identifier, Literal(written))
            return
        assert column.property is not None
        word = written.lower()
        if word in MARKERS and column.kind != "types" and column.property != RDF.type:
            self._add(row.scope, node, MARKERS[word], column.property)
            return
        if column.kind == "absence":
            raise self.fail(row, column, f"'{written}' cannot be read here: the column only says none or unknown",
                            f"write {NONE_WORDS[self.lang]} or {UNKNOWN_WORDS[self.lang]}: "
                            f"{text(column.help, self.lang)}",
                            nl=(f"'{written}' kan hier niet staan: de kolom zegt alleen geen of onbekend",
                                f"schrijf geen of onbekend: {text(column.help, 'nl')}"))
        if column.kind in ("start", "end"):
            periods.setdefault(column.property, {})[column.kind] = (column, self._date(row, column, value))
            return
        for item in self._items(row, column, value):
            self._add(row.scope, node, column.property, self._term(row, column, item))

    def _items(self, row: _Row, column: Column, value: Cell) -> list[Cell]:
        if not isinstance(value, str):
            return [value]
        if column.multi:
            return [part.strip() for part in value.split(SEPARATOR) if part.strip()]
        if SEPARATOR in value and column.kind in ("ref", "concept", "types", "source"):
            raise self.fail(row, column, f"'{value}' holds several values, but the column takes one",
                            "keep one value, or add a row for each",
                            nl=(f"'{value}' bevat meerdere waarden, maar de kolom neemt er één",
                                "houd één waarde, of voeg voor elke waarde een rij toe"))
        return [value.strip()]

    def _term(self, row: _Row, column: Column, item: Cell) -> URIRef | Literal:
        token = _text(item)
        if column.kind == "literal":
            return self._literal(row, column, item)
        if column.vocabulary is not None:
            found = column.vocabulary.lookup(token)
            if found is None and column.kind == "source":
                found = self._own_source(token)
            if found is None:
                close = column.vocabulary.closest(token, self.lang)
                own = (f"; or add it to the sheet '{self.mapping.sheet('sources').title(self.lang)}'"
                       if column.kind == "source" else "")
                own_nl = f"; of voeg hem toe aan het blad '{self.mapping.sheet('sources').title(self.lang)}'" \
                    if own else ""
                raise self.fail(row, column, f"'{token}' is not in the list of this column",
                                f"closest: {', '.join(close)} (see the sheet "
                                f"'{text(self.mapping.lists, self.lang)}' for every choice){own}",
                                nl=(f"'{token}' staat niet in de lijst van deze kolom",
                                    f"dichtstbij: {', '.join(close)} (elke keuze staat op het blad "
                                    f"'{text(self.mapping.lists, self.lang)}'){own_nl}"))
            return found
        iri = self.resolve(token, row, column)
        if column.external or (iri in self.defined and self.defined[iri][0] in column.sheets):
            return iri
        targets = [self.mapping.sheet(key).title(self.lang) for key in column.sheets]
        candidates = [w for w, n in self.ids.items() if n in self.defined and self.defined[n][0] in column.sheets
                      and not w.startswith(("http://", "https://"))]
        close = difflib.get_close_matches(token, candidates, n=3, cutoff=0.5)
        hint = (f"closest: {', '.join(close)}; " if close else "") + \
            f"add a row for '{token}' to '{targets[0]}' or correct the id"
        hint_nl = (f"dichtstbij: {', '.join(close)}; " if close else "") + \
            f"voeg een rij voor '{token}' toe aan '{targets[0]}' of verbeter de id"
        raise self.fail(row, column, f"'{token}' is not defined by any row of the sheet "
                        f"{' or '.join(repr(t) for t in targets)}", hint,
                        nl=(f"'{token}' wordt door geen rij van het blad {' of '.join(repr(t) for t in targets)} "
                            "gedefinieerd", hint_nl))

    def _own_source(self, token: str) -> URIRef | None:
        """A report or section a row of the sheet of sources defines, by its id as written."""
        node = self.ids.get(token.strip())
        return node if node is not None and self.defined.get(node, ("",))[0] == "sources" else None

    def _literal(self, row: _Row, column: Column, item: Cell) -> Literal:
        # Values recur (dates, amounts, yes and no), and rdflib's Literal is slow to make.
        key = (column.datatype, column.language, type(item), item)
        if (found := self.literals.get(key)) is None:
            found = self.literals[key] = self._new_literal(row, column, item)
        return found

    def _new_literal(self, row: _Row, column: Column, item: Cell) -> Literal:
        datatype = column.datatype
        if datatype == XSD.date:
            return Literal(self._date(row, column, item))
        if datatype == XSD.boolean:
            return Literal(self._boolean(row, column, item))
        if datatype in (XSD.decimal, XSD.integer):
            return Literal(self._number(row, column, item, integer=datatype == XSD.integer), datatype=datatype)
        value = item.isoformat() if isinstance(item, (date, datetime)) else _text(item)
        return Literal(value, lang=column.language) if column.language else Literal(value)

    def _date(self, row: _Row, column: Column, value: Cell) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        written = _text(value)
        try:
            return date.fromisoformat(written)
        except ValueError:
            pass
        if match := _DUTCH_DATE.match(written):
            try:
                return date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                pass
        raise self.fail(row, column, f"'{written}' is not a date",
                        "type a date such as 2021-06-30 (or 30-06-2021), or format the cell as a date",
                        nl=(f"'{written}' is geen datum",
                            "typ een datum zoals 2021-06-30 (of 30-06-2021), of maak van de cel een datumcel"))

    def _boolean(self, row: _Row, column: Column, value: Cell) -> bool:
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if word in (*TRUE_WORDS.values(), "true", "waar", "1"):
            return True
        if word in (*FALSE_WORDS.values(), "false", "onwaar", "0"):
            return False
        raise self.fail(row, column, f"'{_text(value)}' is not yes or no",
                        "write ja or nee (yes or no); geen or onbekend (none or unknown) if it is not established",
                        nl=(f"'{_text(value)}' is geen ja of nee",
                            "schrijf ja of nee; geen of onbekend als het niet vaststaat"))

    def _number(self, row: _Row, column: Column, value: Cell, integer: bool) -> Decimal | int:
        if isinstance(value, bool):
            number: Decimal | None = None
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            written = _text(value).replace(" ", "").replace("€", "")
            if _THOUSANDS.match(written):
                raise self.fail(row, column,
                                f"'{_text(value)}' is ambiguous: a thousands separator or a decimal point?",
                                "type the number without thousands separators (1234 or 1234,5), or as a number cell",
                                nl=(f"'{_text(value)}' is dubbelzinnig: een scheidingsteken voor duizendtallen of "
                                    "een decimaalteken?", "typ het getal zonder scheidingstekens voor duizendtallen "
                                    "(1234 of 1234,5), of als getalcel"))
            if "," in written and "." not in written:
                written = written.replace(",", ".")
            try:
                number = Decimal(written)
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            raise self.fail(row, column, f"'{_text(value)}' is not a number",
                            "type a number such as 1250000 or 12.5, without units",
                            nl=(f"'{_text(value)}' is geen getal",
                                "typ een getal zoals 1250000 of 12,5, zonder eenheid"))
        if integer:
            if number != number.to_integral_value():
                raise self.fail(row, column, f"'{_text(value)}' is not a whole number", "type a whole number such as 2",
                                nl=(f"'{_text(value)}' is geen geheel getal", "typ een geheel getal zoals 2"))
            return int(number)
        return number

    def _period(self, row: _Row, node: URIRef, prop: URIRef,
                ends: dict[str, tuple[Column, date]]) -> None:
        if "start" in ends and "end" in ends and ends["end"][1] < ends["start"][1]:
            raise self.fail(row, ends["end"][0], f"the end {ends['end'][1].isoformat()} lies before the start "
                            f"{ends['start'][1].isoformat()}", "swap the dates, or correct the one that is wrong",
                            nl=(f"het einde {ends['end'][1].isoformat()} ligt voor het begin "
                                f"{ends['start'][1].isoformat()}", "verwissel de datums, of verbeter de verkeerde"))
        interval = BNode()
        self._add(row.scope, node, prop, interval)
        self._add(row.scope, interval, RDF.type, TIME.ProperInterval)
        for kind, link in (("start", TIME.hasBeginning), ("end", TIME.hasEnd)):
            if kind in ends:
                instant = BNode()
                self._add(row.scope, interval, link, instant)
                self._add(row.scope, instant, RDF.type, TIME.Instant)
                self._add(row.scope, instant, TIME.inXSDDate, Literal(ends[kind][1]))

    def _check_required(self, rows: dict[str, list[_Row]]) -> None:
        stated: set[tuple[Node, Node]] | None = None  # made at the first empty required cell, if there is one
        for sheet in self.mapping.sheets:
            for column in sheet.columns:
                if not column.required or column.kind in ("id",) or column.key == "setup_name":
                    continue
                for row in rows.get(sheet.key, []):
                    node = row.node
                    if node is None or node not in self.defined or self.defined[node][1] is not row:
                        continue  # each node is checked once, at its first row
                    # an empty cell; one with a value was refused already
                    if _text(self.cell(row, column.key)):
                        continue
                    if stated is None:
                        stated = self._stated()
                    if (node, column.property) not in stated:
                        self.problems.append(self.fail(
                            row, column, "the required cell is empty",
                            f"fill in {column.title(self.lang)}: {text(column.help, self.lang)} "
                            "(or write onbekend/unknown if it is not known)",
                            nl=("de verplichte cel is leeg", f"vul {column.title(self.lang)} in: "
                                f"{text(column.help, 'nl')} (of schrijf onbekend als het niet bekend is)")))

    def _stated(self) -> set[tuple[Node, Node]]:
        """Each node and property with a value, with none (``jg:noValue``) or an unknown one."""
        absent = (JG.noValue, JG.unknownValue)
        return {(s, p) for s, p, _o, _g in self.quads} | {(s, o) for s, p, o, _g in self.quads if p in absent}

    def _other_fact(self, row: _Row) -> None:
        sheet = row.sheet
        scope = self._scope(row)
        subject = self._other_node(row, sheet.column("subject"), _text(self.cell(row, "subject")))
        predicate_text = _text(self.cell(row, "property"))
        if not predicate_text:
            raise self.fail(row, sheet.column("property"), "the required cell is empty",
                            "name the property, e.g. rdfs:comment")
        predicate = self.resolve(predicate_text, row, sheet.column("property"))
        self.terms_used.setdefault(str(predicate), Origin(row.table, row.number))
        value = self.cell(row, "value")
        kind = _text(self.cell(row, "value_type")).lower()
        language = _text(self.cell(row, "language")) or None
        obj: URIRef | BNode | Literal
        if kind in _OTHER_REFERENCE:
            obj = self._other_node(row, sheet.column("value"), _text(value))
            self.terms_used.setdefault(str(obj), Origin(row.table, row.number))  # jg:noValue names a term
        else:
            written = value.isoformat() if isinstance(value, (date, datetime)) else _text(value)
            if isinstance(value, float) and value.is_integer() and kind in ("xsd:integer", str(XSD.integer)):
                written = str(int(value))
            datatype = self.resolve(kind, row, sheet.column("value_type")) if kind and not language else None
            obj = Literal(written, lang=language) if language else Literal(
                written, datatype=None if datatype == XSD.string else datatype)
        self._add(scope, subject, predicate, obj)

    def _other_node(self, row: _Row, column: Column, token: str) -> URIRef | BNode:
        if not token:
            raise self.fail(row, column, "the required cell is empty", "write an id, a CURIE or an IRI")
        if token.startswith("_:"):
            return self.blank.setdefault(token, BNode())
        return self.resolve(token, row, column)


def _text(value: object) -> str:
    if type(value) is str:  # most cells: tested first, as every cell is read several times
        return value.strip()
    if value is None or isinstance(value, CellError):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()
