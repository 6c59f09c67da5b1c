"""Query results as CSV, TSV, SPARQL JSON/XML, RDF, or a table for the terminal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    serialize,
)
from rich.console import Console
from rich.table import Table

from jeugdgov.errors import InputError

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


def is_graph(result: object) -> bool:
    return not isinstance(result, (QuerySolutions, QueryBoolean))


def serialize_result(result: object, name: str) -> tuple[bytes, str]:
    """The result in the named format, with its media type; InputError when it does not fit."""
    if is_graph(result):
        if name not in GRAPH_FORMATS:
            raise InputError(f"a CONSTRUCT or DESCRIBE result cannot be written as {name}",
                             hint=f"use one of: {', '.join(GRAPH_FORMATS)}")
        fmt, media = GRAPH_FORMATS[name]
        return serialize(_triples(result), format=fmt), media
    if name not in SOLUTION_FORMATS:
        raise InputError(f"a SELECT or ASK result cannot be written as {name}",
                         hint=f"use one of: {', '.join(SOLUTION_FORMATS)}")
    fmt, media = SOLUTION_FORMATS[name]
    return result.serialize(format=fmt), media


def _triples(result: Iterable) -> list[Triple]:
    return [t if isinstance(t, Triple) else t.triple for t in result]


def print_table(result: object, console: Console, prefixes: Mapping[str, str] | None = None,
                hidden: Iterable[str] = ()) -> None:
    """A rich table for reading: IRIs shortened with the query's prefixes; a column whose label
    column is also present (``agent`` beside ``agentLabel``) and the ``hidden`` ones are left out."""
    prefixes = prefixes or {}
    if isinstance(result, QueryBoolean):
        console.print("true" if bool(result) else "false")
        return
    if is_graph(result):
        console.out(serialize(_triples(result), format=RdfFormat.TURTLE, prefixes=dict(prefixes)).decode(),
                    highlight=False)
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
    console.print(f"{count} row(s); --format csv or json gives every column", style="dim")


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
