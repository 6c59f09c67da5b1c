"""Named queries as DataFrames, for notebooks: ``jeugdgov.query("findings", reports)``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, RdfFormat, Store

from jeugdgov.display import frame
from jeugdgov.errors import InputError
from jeugdgov.setups import Setup
from jeugdgov.sparql.library import Result, Term, refuse_remote_calls, resolve, run
from jeugdgov.sparql.results import plain_value
from jeugdgov.stores.embedded import load, memory_store
from jeugdgov.stores.protocol import Credentials
from jeugdgov.stores.remote import query as remote_query
from jeugdgov.validation.rendering import as_turtle
from jeugdgov.validation.reports import Reports

if TYPE_CHECKING:
    from pandas import DataFrame

#: Where a query can run: the bundled data (None), files and folders, an endpoint's URL, a
#: pyoxigraph store, a setup (in its own named graph, with the ontology), or validation reports
#: (the data of their setups, with the reports).
QuerySource = str | Path | Sequence[str | Path] | Store | Setup | Reports | None


def query(name: str, source: QuerySource = None, *, credentials: Credentials | None = None,
          **params: object) -> DataFrame:
    """Run a named query (or a .rq file) and return its rows as a pandas DataFrame.

    ``params`` are the query's parameters (``lang="en"``, ``period_start=date(2016, 1, 1)``),
    checked against the types it declares. Numbers come as numbers, dates as dates, IRIs and
    text as strings, and every column the query names is there, also when no row is found.
    The findings queries read validation reports: pass the reports ``validate`` returned.
    """
    named = resolve(name)
    bindings = named.bind({key: _text(value) for key, value in params.items()})
    result = run_text(named.text, source, bindings, credentials=credentials, file=named.path)
    if not isinstance(result, QuerySolutions):
        raise InputError(f"{named.name} is not a SELECT query: only a SELECT query's rows make a DataFrame")
    return result_frame(result)


def run_text(text: str, source: QuerySource = None, bindings: Mapping[str, Term] | None = None, *,
             credentials: Credentials | None = None, file: Path | None = None) -> Result:
    """Run SPARQL text on a source (see :data:`QuerySource`); ``SERVICE`` and ``LOAD`` calls are
    refused unless the source is an endpoint, which makes its own."""
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return remote_query(source, text, bindings, credentials=credentials)
    refuse_remote_calls(text, file)
    return run(_store(source), text, bindings)


def result_frame(result: Result) -> DataFrame:
    """A query's result as a DataFrame: a SELECT's rows (every column it names, also when no
    row is found), a CONSTRUCT's triples (subject, predicate, object), an ASK's answer."""
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        return frame([{c: _cell(solution[c]) for c in columns} for solution in result], columns)
    if isinstance(result, QueryBoolean):
        return frame([{"ask": bool(result)}], ["ask"])
    return frame([{"subject": _cell(t.subject), "predicate": _cell(t.predicate), "object": _cell(t.object)}
                  for t in result], ["subject", "predicate", "object"])


def _store(source: QuerySource) -> Store:
    if isinstance(source, Store):
        return source
    if isinstance(source, Setup):
        store = Store()
        load([], store)  # the ontology
        graph = NamedNode(str(source.node)) if source.node else NamedNode(f"urn:jeugdgov:setup:{source.name}")
        store.load(source.graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES, to_graph=graph)
        return store
    if isinstance(source, Reports):
        files = list(dict.fromkeys(Path(r.setup.source) for r in source))
        missing = [str(f) for f in files if not f.exists()]
        if missing:
            raise InputError(f"the setups of these reports were not read from files: {', '.join(missing)}",
                             hint="query the store or endpoint they were validated in, and load the reports into it")
        store = memory_store(files)
        store.load(as_turtle(source).encode("utf-8"), format=RdfFormat.TURTLE)
        return store
    if source is None:
        return memory_store()
    return memory_store([source] if isinstance(source, (str, Path)) else list(source))


def _text(value: object) -> str:
    """A parameter value as the text a query's parameter is checked from."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(term: object) -> object:
    value = plain_value(term)
    return float(value) if isinstance(value, Decimal) else value
