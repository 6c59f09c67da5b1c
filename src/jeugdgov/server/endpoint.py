"""A SPARQL 1.1 Protocol endpoint for BI tools, with the named queries as plain CSV URLs.

Routes::

    GET  /                         what is served here (JSON)
    GET  /health                   200 when a worker answers a trivial query
    GET  /query?query=...          SPARQL 1.1 Protocol; also POST (form or application/sparql-query)
    POST /update                   only when started writable; 403 otherwise
    GET  /queries                  the named queries: name, title, description, parameters (JSON)
    GET  /queries/{name}.csv?...   a named query with its parameters (.tsv, .json and .xml too)
    GET  /queries/{name}.rq        the text of a named query

Results follow the ``format`` parameter (csv, tsv, json, xml; for graphs turtle, ntriples, xml,
json) or else the ``Accept`` header. Every response allows cross-origin use (CORS). Queries run
in worker processes (:mod:`jeugdgov.server.executor`) under a time limit; request bodies and query
strings are capped in size.

Built on the standard library's ThreadingHTTPServer: BI tools send few, simple requests, the
real work happens in the worker processes, and no extra dependency has to be trusted or kept up.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from jeugdgov.errors import InputError
from jeugdgov.server.executor import Answer, Job, PoolBusy, QueryTimeout, WorkerPool
from jeugdgov.sparql.library import NamedQuery, ParameterError, with_values
from jeugdgov.sparql.results import GRAPH_FORMATS, GRAPH_MEDIA, SOLUTION_FORMATS, SOLUTION_MEDIA
from jeugdgov.sparql.store import bundled_data, load_into

NAMED_ROUTE = re.compile(r"^/queries/(?P<name>[a-z0-9][a-z0-9-]*)\.(?P<ext>csv|tsv|json|xml|rq)$")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class Settings:
    """What one endpoint serves and how."""

    pool: WorkerPool
    queries: Mapping[str, NamedQuery]
    writable: bool = False
    max_body: int = 1_000_000
    log: bool = True


class Handler(BaseHTTPRequestHandler):
    server_version = "jeugdgov"
    protocol_version = "HTTP/1.1"  # keep-alive: BI tools and notebooks reuse connections
    timeout = 120  # seconds a client may take to send its request
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart (delayed ACK)
    settings: ClassVar[Settings]

    # ---- HTTP methods ------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        self._send(Answer(204, "text/plain"), extra={
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "86400",
        })

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._send(Answer.text(405, "method not allowed: use GET or POST"), extra={"Allow": "GET, POST, OPTIONS"})

    do_DELETE = do_PATCH = do_PUT

    # ---- routing -----------------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        try:
            if path == "/query":
                self._send(self._protocol(method, url.query, update=False))
            elif path == "/update":
                self._send(self._protocol(method, url.query, update=True))
            elif method != "GET":
                self._send(Answer.text(405, "method not allowed: this resource only answers GET"))
            elif path in ("/", ""):
                self._send(_json(200, self._index()))
            elif path == "/health":
                self._send(self._health())
            elif path in ("/queries", "/queries/"):
                self._send(_json(200, [self._listing(q) for q in self.settings.queries.values()]))
            elif match := NAMED_ROUTE.match(path):
                self._send(self._named(match["name"], match["ext"], url.query))
            else:
                self._send(Answer.text(404, f"no such resource: {path}; see / for what is served"))
        except _Reject as reject:
            self._send(reject.answer, close=reject.close)
        except Exception as error:  # a bug must cost one request, never the server
            self.log_error("internal error on %s: %r", path, error)
            self._send(Answer.text(500, f"internal error: {error}"), close=True)

    def _index(self) -> dict[str, object]:
        return {
            "service": "jeugdgov SPARQL endpoint",
            "query": "/query",
            "update": "/update" if self.settings.writable else None,
            "queries": "/queries",
            "health": "/health",
            "writable": self.settings.writable,
            "timeout_seconds": self.settings.pool.timeout,
            "max_request_bytes": self.settings.max_body,
        }

    def _health(self) -> Answer:
        try:
            result = self.settings.pool.run(Job("query", "ASK {}"), timeout=min(self.settings.pool.timeout, 10))
        except (QueryTimeout, PoolBusy):
            result = Answer(503, "")
        healthy = result.status == 200
        return _json(200 if healthy else 503, {
            "status": "ok" if healthy else "unavailable",
            "workers": self.settings.pool.alive(),
            "writable": self.settings.writable,
        })

    # ---- SPARQL 1.1 Protocol -----------------------------------------------------------

    def _protocol(self, method: str, query_string: str, update: bool) -> Answer:
        params = _parse_qs(query_string, self.settings.max_body)
        if method == "POST":
            kind, body = self._body()
            if kind == FORM:
                params.update(_parse_qs(body, self.settings.max_body))
            elif kind == SPARQL_QUERY:
                params["query"] = [body]
            elif kind == SPARQL_UPDATE:
                params["update"] = [body]
            else:
                raise _Reject(Answer.text(415, f"unsupported content type '{kind}': send {FORM}, "
                                               f"{SPARQL_QUERY} or {SPARQL_UPDATE}"))
        if "update" in params or update:
            if not self.settings.writable:
                return Answer.text(403, "this endpoint is read-only; start it with 'jeugdgov serve --writable' "
                                        "to accept updates")
            if method != "POST":
                return Answer.text(405, "updates must be sent with POST")
            text = _single(params, "update")
            if text is None or "query" in params:
                return Answer.text(400, "give exactly one 'update' and no 'query'")
            return self._run(Job("update", text))
        text = _single(params, "query")
        if text is None:
            return Answer.text(400, "missing the 'query' parameter")
        solution_formats, graph_formats = self._formats(_single(params, "format"))
        return self._run(Job("query", text, solution_formats, graph_formats,
                             default_graphs=tuple(params.get("default-graph-uri", ())),
                             named_graphs=tuple(params.get("named-graph-uri", ()))))

    def _body(self) -> tuple[str, str]:
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise _Reject(Answer.text(411, "a POST needs a Content-Length"), close=True)
        try:
            length = int(length_header)
        except ValueError:
            raise _Reject(Answer.text(400, "Content-Length is not a number"), close=True) from None
        if length > self.settings.max_body:
            raise _Reject(Answer.text(413, f"request body of {length} bytes is over the limit of "
                                           f"{self.settings.max_body} bytes"), close=True)
        raw = self.rfile.read(length)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Reject(Answer.text(400, "the request body is not UTF-8")) from None
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return kind, body

    def _formats(self, requested: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Accepted result formats, best first, from ``format=`` or else the Accept header."""
        if requested:
            name = requested.strip().lower()
            if name not in SOLUTION_FORMATS and name not in GRAPH_FORMATS:
                raise _Reject(Answer.text(400, f"unknown format '{requested}': use one of "
                                               f"{', '.join(dict.fromkeys([*SOLUTION_FORMATS, *GRAPH_FORMATS]))}"))
            return ((name,) if name in SOLUTION_FORMATS else (),
                    (name,) if name in GRAPH_FORMATS else ())
        return _negotiate(self.headers.get("Accept"))

    # ---- named queries -----------------------------------------------------------------

    def _named(self, name: str, ext: str, query_string: str) -> Answer:
        query = self.settings.queries.get(name)
        if query is None:
            return Answer.text(404, f"no named query '{name}'; GET /queries lists them")
        if ext == "rq":
            return Answer(200, "application/sparql-query; charset=utf-8", query.text.encode("utf-8"))
        values: dict[str, str] = {}
        for key, given in _parse_qs(query_string, self.settings.max_body).items():
            if len(given) > 1:
                return Answer.text(400, f"parameter '{key}': given {len(given)} times; give it once")
            values[key] = given[0]
        try:
            bindings = query.bind(values)
        except ParameterError as error:
            return Answer.text(400, str(error))
        text = with_values(query.text, bindings)
        return self._run(Job("query", text, (ext,), (ext,) if ext in GRAPH_FORMATS else ()))

    def _listing(self, query: NamedQuery) -> dict[str, object]:
        listing = query.as_dict()
        listing["urls"] = {ext: f"/queries/{query.name}.{ext}" for ext in ("csv", "tsv", "json", "xml", "rq")}
        return listing

    # ---- running and answering ---------------------------------------------------------

    def _run(self, job: Job) -> Answer:
        try:
            return self.settings.pool.run(job)
        except QueryTimeout:
            return Answer.text(503, f"the request ran longer than the limit of {self.settings.pool.timeout:g} "
                                    "seconds and was stopped; narrow it down (parameters, LIMIT) or ask for a "
                                    "longer --timeout")
        except PoolBusy:
            return Answer.text(503, "all query workers stayed busy; try again shortly")

    def _send(self, answer: Answer, extra: Mapping[str, str] | None = None, close: bool = False) -> None:
        self.send_response(answer.status)
        self.send_header("Access-Control-Allow-Origin", "*")
        if answer.media_type:
            self.send_header("Content-Type", answer.media_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: object) -> None:
        if self.settings.log:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class _Reject(Exception):
    """Stop handling a request with this answer (optionally closing the connection)."""

    def __init__(self, answer: Answer, close: bool = False):
        super().__init__(answer.body)
        self.answer = answer
        self.close = close


def _json(status: int, document: object) -> Answer:
    return Answer(status, "application/json", json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))


def _parse_qs(text: str, limit: int) -> dict[str, list[str]]:
    if len(text) > limit:
        raise _Reject(Answer.text(413, f"the query string is over the limit of {limit} bytes"))
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise _Reject(Answer.text(400, "the query string is not UTF-8")) from None


def _single(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise _Reject(Answer.text(400, f"'{name}' given {len(values)} times; give it once"))
    return values[0]


def _negotiate(accept: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Result formats in the order of the Accept header's preferences."""
    ranges = []
    for position, part in enumerate((accept or "*/*").split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    solutions: list[str] = []
    graphs: list[str] = []
    for _, _, media in sorted(ranges):
        if media in ("*/*", "application/*"):
            solutions.append("json")
            graphs.append("turtle")
        elif media == "text/*":
            solutions.append("csv")
            graphs.append("turtle")
        if media in SOLUTION_MEDIA:
            solutions.append(SOLUTION_MEDIA[media])
        if media in GRAPH_MEDIA:
            graphs.append(GRAPH_MEDIA[media])
    return tuple(dict.fromkeys(solutions)), tuple(dict.fromkeys(graphs))


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    """An HTTP server bound to host:port (not yet serving) with its own handler class."""
    handler = type("JeugdgovHandler", (Handler,), {"settings": settings})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                         hint="is the port in use? choose another with --port") from None
    server.daemon_threads = True
    return server


def serve(store: Path, queries: Mapping[str, NamedQuery], host: str = "127.0.0.1", port: int = 7878,
          writable: bool = False, timeout: float = 30.0, max_body: int = 1_000_000, workers: int = 2,
          log: bool = True, announce: Callable[[str], None] | None = None) -> None:
    """Serve a store folder until interrupted (Ctrl-C or SIGTERM), then stop every worker."""
    pool = WorkerPool(store, size=workers, writable=writable, timeout=timeout)
    server = make_server(Settings(pool, queries, writable, max_body, log), host, port)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        pool.start()
        if announce:
            bound_host, bound_port = server.server_address[:2]
            base = f"http://{bound_host}:{bound_port}"
            mode = "read-write" if writable else "read-only"
            announce(f"SPARQL endpoint {base}/query ({mode}, {pool.size} worker(s), {timeout:g} s timeout); "
                     f"named queries at {base}/queries; Ctrl-C stops")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        pool.close()


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt



def serve_data(data: Sequence[Path] | None, store: Path | None, queries: Mapping[str, NamedQuery], *,
               timeout: float = 30.0, note: Callable[[str], None] | None = None, **options: Any) -> None:
    """Serve data files (default: the bundled data) or a store folder until interrupted.

    With ``store`` the data, if any, is loaded into that folder first; without it into a
    temporary store that is removed afterwards. ``options`` are those of :func:`serve`.
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
        serve(folder, queries, timeout=timeout, announce=note, **options)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
