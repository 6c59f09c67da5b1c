"""Named queries as DataFrames, for notebooks: ``jeugdgov.query("findings", reports)``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import QuerySolutions, RdfFormat, Store

from jeugdgov.display import frame
from jeugdgov.errors import InputError
from jeugdgov.sparql.library import refuse_remote_calls, resolve, run
from jeugdgov.sparql.protocol import Credentials
from jeugdgov.sparql.remote import query as remote_query
from jeugdgov.sparql.results import plain_value
from jeugdgov.sparql.store import memory_store
from jeugdgov.validation.report import as_turtle
from jeugdgov.validation.reports import Reports

if TYPE_CHECKING:
    from pandas import DataFrame

#: Where a query can run: the bundled data (None), files and folders, an endpoint's URL, a
#: pyoxigraph store, or validation reports (the data of their setups, with the reports).
QuerySource = str | Path | Sequence[str | Path] | Store | Reports | None


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
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        result = remote_query(source, named.text, bindings, credentials=credentials)
    else:
        refuse_remote_calls(named.text, named.path)
        result = run(_store(source), named.text, bindings)
    if not isinstance(result, QuerySolutions):
        raise InputError(f"{named.name} is not a SELECT query: only a SELECT query's rows make a DataFrame")
    columns = [v.value for v in result.variables]
    rows = [{c: _cell(solution[c]) for c in columns} for solution in result]
    return frame(rows, columns)


def _store(source: QuerySource) -> Store:
    if isinstance(source, Store):
        return source
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
