"""Serving a store as a SPARQL 1.1 Protocol endpoint for BI tools, until interrupted.

The routes are in :mod:`jeugdgov.server.app`, the HTTP server in :mod:`jeugdgov.server.listener`
and the query workers in :mod:`jeugdgov.server.executor`; this module puts them together, loads
the data first, and with ``--validate`` stores the validation reports beside it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jeugdgov.errors import InputError
from jeugdgov.server.app import Settings
from jeugdgov.server.executor import WorkerPool
from jeugdgov.server.listener import HttpServer
from jeugdgov.sparql.library import NamedQuery
from jeugdgov.stores.embedded import bundled_data, load_into

if TYPE_CHECKING:
    from jeugdgov.norms import Framework


def serve(store: Path, queries: Mapping[str, NamedQuery], host: str = "127.0.0.1", port: int = 7878,
          writable: bool = False, timeout: float = 30.0, max_body: int = 1_000_000, workers: int = 4,
          log: bool = True, announce: Callable[[str], None] | None = None, allow_service: Sequence[str] = (),
          update_token: str | None = None, memory_limit: int | None = 2048 * 2**20,
          max_result: int = 200 * 2**20) -> None:
    """Serve a store folder until interrupted (Ctrl-C or SIGTERM), then stop every worker.

    ``allow_service``: IRIs (or ``*``) that SERVICE and LOAD may call; none by default.
    ``update_token``: when given, updates need ``Authorization: Bearer TOKEN``.
    ``memory_limit``: heap bytes per worker (None: no limit); ``max_result``: bytes per result.
    """
    pool = WorkerPool(store, size=workers, writable=writable, timeout=timeout, memory_limit=memory_limit,
                      max_result=max_result, network=bool(allow_service))
    notes = findings_notes(store, queries)
    settings = Settings(pool, queries, writable, max_body, log, tuple(allow_service), update_token, host, notes)
    server = HttpServer(settings, host, port)
    try:
        pool.start()
        if announce:
            bound_host, bound_port = server.server_address[:2]
            base = f"http://{bound_host}:{bound_port}"
            mode = "read-write" if writable else "read-only"
            announce(f"SPARQL endpoint {base}/query ({mode}, {pool.size} worker(s), {timeout:g} s timeout); "
                     f"named queries at {base}/queries; Ctrl-C stops")
            if pool.network_left_open:
                announce(f"note: the query workers could not be cut off from the network "
                         f"({pool.network_left_open}); SERVICE and LOAD are refused by reading the query alone")
            elif allow_service:
                announce("note: with --allow-service the query workers keep the network; calls to other "
                         "addresses are refused by reading the query alone")
        server.serve_forever()  # in the main thread uvicorn stops at Ctrl-C or SIGTERM, then raises it again
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()


#: the graph ``serve --validate`` stores the validation reports in
REPORTS_GRAPH = "urn:jeugdgov:validation-reports"


def store_validation_reports(folder: Path, norms: Framework | None = None) -> int:
    """Validate the setups of a store folder and store their SHACL reports in it (replacing the
    reports of an earlier run), with ``norms`` also their norm table (graph
    :data:`NORM_TABLE_GRAPH`); the number of setups validated."""
    from pyoxigraph import NamedNode, RdfFormat, Store

    from jeugdgov.validation import validate
    from jeugdgov.validation.rendering import as_turtle

    store = Store(str(folder))
    graph = NamedNode(REPORTS_GRAPH)
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    reports = validate(store)
    store.load(as_turtle(reports).encode("utf-8"), format=RdfFormat.TURTLE, to_graph=graph)
    if norms is not None:
        from jeugdgov.norms.rendering import as_graph
        from jeugdgov.norms.scoring import score_reports

        scores = NamedNode(NORM_TABLE_GRAPH)
        store.remove_graph(scores) if store.contains_named_graph(scores) else None
        table = as_graph(score_reports(reports, norms))
        store.load(table.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES, to_graph=scores)
    store.flush()
    del store
    return len(reports)


#: the graph ``serve --validate --norms`` stores the norm table in
NORM_TABLE_GRAPH = "urn:jeugdgov:norm-table"


#: named queries that read the SHACL validation reports stored beside the data
REPORT_QUERIES = ("findings", "findings-per-defect")


def findings_notes(store: Path, queries: Mapping[str, NamedQuery]) -> dict[str, str]:
    """For the findings queries, a note when the store holds no validation report (their answer
    would be an empty table that looks like 'no defects'); for norm-table, when it holds no norm
    table."""
    from pyoxigraph import Store

    reader = Store.read_only(str(store))
    has_report = bool(reader.query("ASK { ?r a <http://www.w3.org/ns/shacl#ValidationReport> }",
                                   use_default_graph_as_union=True))
    has_scores = bool(reader.query("ASK { ?s a <https://w3id.org/jeugdgov/def#NormScore> }",
                                   use_default_graph_as_union=True))
    del reader
    notes = {}
    if not has_report:
        note = ("no validation report is stored with this data, so this query finds nothing; start the endpoint "
                "with 'jeugdgov serve --validate' or load the reports of 'jeugdgov validate --format turtle'")
        notes = {name: note for name in REPORT_QUERIES if name in queries}
    if not has_scores and "norm-table" in queries:
        notes["norm-table"] = ("no norm table is stored with this data, so this query finds nothing; start the "
                               "endpoint with 'jeugdgov serve --validate --norms FRAMEWORK' or load the table of "
                               "'jeugdgov validate --norms FRAMEWORK --norm-table scores.ttl'")
    return notes


def serve_data(data: Sequence[Path] | None, store: Path | None, queries: Mapping[str, NamedQuery], *,
               timeout: float = 30.0, note: Callable[[str], None] | None = None, validate: bool = False,
               norms: Framework | None = None, **options: Any) -> None:
    """Serve data files (default: the bundled data) or a store folder until interrupted.

    With ``store`` the data, if any, is loaded into that folder first; without it into a
    temporary store that is removed afterwards. With ``validate`` the setups are validated
    first and their reports stored beside them (graph :data:`REPORTS_GRAPH`), for the findings
    queries, with ``norms`` also the norm table (for the query norm-table). ``options`` are
    those of :func:`serve`.
    """
    if not timeout > 0:  # also refuses nan
        raise InputError(f"--timeout must be more than 0 seconds, not {timeout}")
    temporary = None if store else Path(tempfile.mkdtemp(prefix="jeugdgov-store-"))
    folder = store or temporary
    assert folder is not None
    try:
        if data or temporary:
            count, opened = load_into(folder, data or bundled_data())
            del opened  # close it: the workers open the store themselves
            if note:
                note(f"loaded {count} quads into {'a temporary store' if temporary else folder}")
        elif not (folder / "CURRENT").is_file():
            raise InputError("no store in this folder", file=folder,
                             hint=f"create one with: jeugdgov load DATA... --store {folder}")
        if validate:
            count = store_validation_reports(folder, norms)
            if note:
                note(f"validated {count} setup(s); their reports are served with the data")
        serve(folder, queries, timeout=timeout, announce=note, **options)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
