"""Query results as CSV, TSV, SPARQL JSON/XML, RDF, or a table for the terminal."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)
from rich.console import Console
from rich.table import Table

from jeugdgov.errors import InputError
from jeugdgov.formulas import as_text, neutralised

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from jeugdgov.sparql.library import Result

#: format name -> (results format, media type) for SELECT and ASK results
SOLUTION_FORMATS = {
    "csv": (QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    "tsv": (QueryResultsFormat.TSV, "text/tab-separated-values; charset=utf-8"),
    "json": (QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (QueryResultsFormat.XML, "application/sparql-results+xml"),
}
#: format name -> (RDF format, media type) for CONSTRUCT and DESCRIBE results
GRAPH_FORMATS = {
    "turtle": (RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "ntriples": (RdfFormat.N_TRIPLES, "application/n-triples"),
    "xml": (RdfFormat.RDF_XML, "application/rdf+xml"),
    "json": (RdfFormat.JSON_LD, "application/ld+json"),
}
#: formats for people's spreadsheets (named query routes only): plain tab-separated values
#: (no RDF syntax) and an Excel workbook with numbers and dates typed
SHEET_FORMATS = {
    "plain-tsv": "text/tab-separated-values; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
#: media type (without parameters) -> format name, for content negotiation
SOLUTION_MEDIA = {
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/rdf+xml": "xml", "application/xml": "xml",
    "application/ld+json": "json", "application/json": "json",
}


#: A value in a spreadsheet's cell or a DataFrame (see plain_value).
PlainValue = str | int | float | decimal.Decimal | datetime.date | None


def is_graph(result: Result) -> TypeIs[QueryTriples | list[Triple]]:
    return not isinstance(result, (QuerySolutions, QueryBoolean))


def serialize_result(result: Result, name: str) -> tuple[bytes, str]:
    """The result in the named format, with its media type; InputError when it does not fit."""
    if is_graph(result):
        if name not in GRAPH_FORMATS:
            raise InputError(f"a CONSTRUCT or DESCRIBE result cannot be written as {name}",
                             hint=f"use one of: {', '.join(GRAPH_FORMATS)}",
                             nl=(f"een CONSTRUCT- of DESCRIBE-resultaat is niet te schrijven als {name}",
                                 f"gebruik een van: {', '.join(GRAPH_FORMATS)}"))
        rdf_format, media = GRAPH_FORMATS[name]
        return _rdf(result, rdf_format), media
    if name not in SOLUTION_FORMATS:
        raise InputError(f"a SELECT or ASK result cannot be written as {name}",
                         hint=f"use one of: {', '.join(SOLUTION_FORMATS)}",
                         nl=(f"een SELECT- of ASK-resultaat is niet te schrijven als {name}",
                             f"gebruik een van: {', '.join(SOLUTION_FORMATS)}"))
    fmt, media = SOLUTION_FORMATS[name]
    if name == "csv" and isinstance(result, QuerySolutions):
        return _csv(result), media
    written = result.serialize(format=fmt)
    assert written is not None  # without an output file pyoxigraph returns the bytes
    return written, media


class Sink(Protocol):
    def write(self, data: bytes, /) -> Any: ...


def write_result(result: Result, name: str, sink: Sink) -> str:
    """Write the result in the named format (also :data:`SHEET_FORMATS`) to a sink; its media type."""
    if name in SHEET_FORMATS and isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        rows = ([plain_value(solution[n]) for n in names] for solution in result)
        if name == "plain-tsv":
            sink.write(("\t".join(names) + "\n").encode("utf-8"))
            for row in rows:
                cells = ("" if v is None else str(neutralised(" ".join(str(v).split("\t")).replace("\r", " ")
                                                              .replace("\n", " ")))
                         for v in row)
                sink.write(("\t".join(cells) + "\n").encode("utf-8"))
        else:
            sink.write(_workbook(names, rows))
        return SHEET_FORMATS[name]
    if name in SHEET_FORMATS:
        raise InputError(f"only a SELECT result can be written as {name}", hint="use csv or json",
                         nl=(f"alleen een SELECT-resultaat is te schrijven als {name}", "gebruik csv of json"))
    if is_graph(result) or name not in SOLUTION_FORMATS:
        body, media = serialize_result(result, name)
        sink.write(body)
        return media
    fmt, media = SOLUTION_FORMATS[name]
    if name == "csv" and isinstance(result, QuerySolutions):
        sink.write(_csv(result))
    else:  # pyoxigraph writes to anything with write(); its stubs ask for a binary file
        result.serialize(sink, format=fmt)  # type: ignore[arg-type]
    return media


def _csv(result: QuerySolutions) -> bytes:
    """SPARQL 1.1 CSV results (a header of names, then terms as plain text, CRLF), except that a
    text a spreadsheet would run as a formula gets a leading apostrophe (:mod:`jeugdgov.formulas`)."""
    names = [v.value for v in result.variables]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for solution in result:
        writer.writerow([_csv_cell(solution[name]) for name in names])
    return buffer.getvalue().encode("utf-8")


def _csv_cell(term: object) -> object:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return neutralised(term.value) if isinstance(term, (NamedNode, Literal)) else str(term)


def plain_value(term: object) -> PlainValue:
    """A cell value for a spreadsheet or a DataFrame: numbers as numbers, dates as dates, the rest as text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = term.datatype.value if term.datatype else ""
        try:
            if datatype in (XSD + "integer", XSD + "int", XSD + "long"):
                return int(term.value)
            if datatype == XSD + "decimal":
                return decimal.Decimal(term.value)
            if datatype in (XSD + "double", XSD + "float"):
                return float(term.value)
            if datatype == XSD + "date":
                return datetime.date.fromisoformat(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, NamedNode) else str(term)


def _workbook(names: list[str], rows: Iterable[list[PlainValue]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("result")
    sheet.append(names)
    for row in rows:
        # openpyxl takes dates and booleans too; its stubs name str, float and datetime only
        cells = [WriteOnlyCell(sheet, float(v) if isinstance(v, decimal.Decimal) else v)  # type: ignore[arg-type]
                 for v in row]
        as_text(cells)  # a text from the data is never a formula
        sheet.append(cells)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _rdf(triples: Iterable[Triple | Quad], rdf_format: RdfFormat, prefixes: Mapping[str, str] | None = None) -> bytes:
    written = serialize([t if isinstance(t, Triple) else t.triple for t in triples], format=rdf_format,
                        prefixes=dict(prefixes or {}))
    assert written is not None  # without an output file pyoxigraph returns the bytes
    return written


def print_table(result: Result, console: Console, prefixes: Mapping[str, str] | None = None,
                hidden: Iterable[str] = (), lang: str = "en") -> None:
    """A rich table for reading: IRIs shortened with the query's prefixes; a column whose label
    column is also present (``agent`` beside ``agentLabel``) and the ``hidden`` ones are left out;
    the count below it in ``lang``."""
    prefixes = prefixes or {}
    if isinstance(result, QueryBoolean):
        console.print("true" if bool(result) else "false")
        return
    if is_graph(result):
        console.out(_rdf(result, RdfFormat.TURTLE, prefixes).decode(), highlight=False)
        return
    names = [v.value for v in result.variables]
    shown = [n for n in names if f"{n}Label" not in names and n not in set(hidden)] or names
    table = Table(show_lines=False)
    for name in shown:
        table.add_column(name, overflow="fold")
    count = 0
    for solution in result:
        table.add_row(*(_cell(solution[name], prefixes) for name in shown))
        count += 1
    console.print(table)
    console.print(f"{count} rij(en); --format csv of json geeft elke kolom" if lang == "nl"
                  else f"{count} row(s); --format csv or json gives every column", style="dim")


def _cell(term: object, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in prefixes.items():
            if namespace and term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)
