"""A SPARQL 1.1 Protocol endpoint for BI tools, with the named queries as plain CSV URLs.

Routes (every GET route also answers HEAD)::

    GET  /                         a page for people (HTML) when the client accepts it, else JSON
    GET  /static/...               the page's script and the vendored YASGUI editor
    GET  /health                   200 when a worker answers a trivial query
    GET  /query?query=...          SPARQL 1.1 Protocol; also POST (form or application/sparql-query)
    POST /update                   only when started writable; 403 otherwise
    GET  /queries                  the named queries: name, title, description, parameters (JSON)
    GET  /queries/{name}.csv?...   a named query with its parameters (.tsv, .json, .xml, .xlsx too;
                                   .csv?bom=1 for Excel; .tsv is plain tab-separated values)
    GET  /queries/{name}.rq        the text of a named query

Results follow the ``format`` parameter (csv, tsv, json, xml; for graphs turtle, ntriples, xml,
json) or else the ``Accept`` header. Reading routes allow cross-origin use (CORS); ``/update``
does not, and takes updates only from the endpoint's own origin (:mod:`jeugdgov.server.guard`).
Queries run in worker processes (:mod:`jeugdgov.server.executor`) under a time and memory limit;
request bodies (whatever their framing) and query strings are capped in size. Errors are one
line of text/plain, which BI tools show as they are.

Built on the standard library's ThreadingHTTPServer with a deep listen backlog and connection
threads that serve one connection after another: the real work happens in the worker processes,
and a request that finds every worker busy waits in a bounded queue or is told at once to come
back (503 with Retry-After), so the server itself never stalls.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import queue
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

from jeugdgov.errors import InputError
from jeugdgov.server import guard, page
from jeugdgov.server.executor import Answer, Job, PoolBusy, QueryTimeout, WorkerPool
from jeugdgov.sparql.library import NamedQuery, ParameterError, with_values
from jeugdgov.sparql.results import GRAPH_FORMATS, GRAPH_MEDIA, SOLUTION_FORMATS, SOLUTION_MEDIA
from jeugdgov.sparql.store import bundled_data, load_into

NAMED_ROUTE = re.compile(r"^/queries/(?P<name>[a-z0-9][a-z0-9-]*)\.(?P<ext>csv|tsv|json|xml|xlsx|rq)$")
#: the format each named-query extension is written in: .tsv is plain values for spreadsheets
NAMED_FORMATS = {"csv": "csv", "tsv": "plain-tsv", "json": "json", "xml": "xml", "xlsx": "xlsx"}
UTF8_BOM = b"\xef\xbb\xbf"
#: octets that may stay as they are in a request target; the others are percent-encoded as UTF-8
URL_SAFE = "/?&=%:+;,@!$'()*[]~#"
FINDINGS_HEADER = "X-Jeugdgov-Warning"
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
    allow_service: tuple[str, ...] = ()
    update_token: str | None = None
    host: str = "127.0.0.1"
    #: named queries that read stored validation reports, with why they may come back empty
    notes: dict[str, str] = field(default_factory=dict)


class Handler(BaseHTTPRequestHandler):
    server_version = "jeugdgov"
    protocol_version = "HTTP/1.1"  # keep-alive: BI tools and notebooks reuse connections
    timeout = 120  # seconds a client may take to send its request
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart (delayed ACK)
    settings: ClassVar[Settings]

    # ---- HTTP methods ------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        if self._route_path() == "/update":  # no preflight passes: other sites' pages may not update
            self._send(Answer(204, "text/plain"), extra={"Allow": "POST, OPTIONS"})
            return
        self._send(Answer(204, "text/plain"), extra={
            "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "86400",
        })

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("GET")  # _send leaves the body out for HEAD

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._send(Answer.text(405, "method not allowed: use GET or POST"), extra={"Allow": "GET, POST, OPTIONS"})

    do_DELETE = do_PATCH = do_PUT

    # ---- routing -----------------------------------------------------------------------

    def _target(self) -> str:
        """The request target with raw non-ASCII octets percent-encoded, so that they are read as
        UTF-8 like escaped ones (http.server decodes the request line as Latin-1)."""
        return quote(self.path.encode("latin-1", errors="replace"), safe=URL_SAFE)

    def _route_path(self) -> str:
        if not hasattr(self, "path"):
            return ""  # http.server refused the request line before reading a path
        # the part before "?" holds the whole path: no need to encode a long query string again
        before_query = self.path.partition("?")[0]
        return unquote(urlsplit(quote(before_query.encode("latin-1", errors="replace"), safe=URL_SAFE)).path,
                       errors="replace")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self._target())
        path = unquote(url.path, errors="replace")
        try:
            if problem := guard.foreign_host(self.headers, self.settings.host):
                self._send(Answer.text(403, problem), close=True)
            elif path == "/query":
                self._send(self._protocol(method, url.query, update=False))
            elif path == "/update":
                self._send(self._protocol(method, url.query, update=True))
            elif method != "GET":
                self._send(Answer.text(405, "method not allowed: this resource only answers GET"))
            elif path in ("/", ""):
                if _wants_html(self.headers.get("Accept")):
                    self._send(Answer(200, "text/html; charset=utf-8", page.index_page(
                        self.settings.queries, self.settings.writable, self.settings.notes)))
                else:
                    self._send(_json(200, self._index()))
            elif path.startswith("/static/"):
                self._send(page.static(path.removeprefix("/static/")))
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
        except ConnectionError:
            self.close_connection = True  # the client left before its answer: nobody to tell
        except Exception as error:  # a bug must cost one request, never the server
            self.log_error("internal error on %s: %r", path, error)
            self._send(Answer.text(500, f"internal error: {error}"), close=True)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by http.server itself, as one line of text like every other error; a
        request line over its limit is 413, the status documented for a query string too long."""
        if code == 414:
            code, message = 413, "the URL is over the limit of 65536 bytes; send the query with POST"
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._send(Answer.text(code, message or explain or "bad request"), close=True)

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
            "max_result_bytes": self.settings.pool.max_result,
            "memory_limit_bytes": self.settings.pool.memory_limit,
            "service_calls": list(self.settings.allow_service),
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
            if problem := guard.cross_site_update(self.headers):
                return Answer.text(403, problem)
            if problem := guard.token_mismatch(self.headers, self.settings.update_token):
                return Answer.text(401, problem, (("WWW-Authenticate", "Bearer"),))
            if method != "POST":
                return Answer.text(405, "updates must be sent with POST")
            text = _single(params, "update")
            if text is None or "query" in params:
                return Answer.text(400, "give exactly one 'update' and no 'query'")
            if problem := guard.refused_call(text, self.settings.allow_service):
                return Answer.text(403, problem)
            return self._run(Job("update", text))
        text = _single(params, "query")
        if text is None:
            return Answer.text(400, "missing the 'query' parameter")
        if problem := guard.refused_call(text, self.settings.allow_service):
            return Answer.text(403, problem)
        solution_formats, graph_formats = self._formats(_single(params, "format"))
        return self._run(Job("query", text, solution_formats, graph_formats,
                             default_graphs=tuple(params.get("default-graph-uri", ())),
                             named_graphs=tuple(params.get("named-graph-uri", ()))))

    def _body(self) -> tuple[str, str]:
        length_header = self.headers.get("Content-Length")
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        if chunked and length_header is not None:
            raise _Reject(Answer.text(400, "give either Content-Length or Transfer-Encoding: chunked, not both"),
                          close=True)
        if chunked:
            raw = self._chunked_body()
        elif length_header is None:
            raise _Reject(Answer.text(411, "a POST needs a Content-Length (or Transfer-Encoding: chunked)"),
                          close=True)
        else:
            if not length_header.strip().isdigit():  # also refuses -1 and +5
                raise _Reject(Answer.text(400, f"Content-Length '{length_header}' is not a length in bytes"),
                              close=True)
            length = int(length_header)
            if length > self.settings.max_body:
                raise _Reject(self._too_large(f"request body of {length} bytes"), close=True)
            raw = self.rfile.read(length)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Reject(Answer.text(400, "the request body is not UTF-8")) from None
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return kind, body

    def _too_large(self, what: str) -> Answer:
        return Answer.text(413, f"{what} is over the limit of {self.settings.max_body} bytes; "
                                "narrow it down or start the endpoint with a larger --max-request")

    def _chunked_body(self) -> bytes:
        """A chunked request body, refused as soon as it grows past the limit."""
        parts: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1026)
            try:
                chunk = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _Reject(Answer.text(400, "malformed chunked body: a chunk size is not hexadecimal"),
                              close=True) from None
            if chunk < 0:
                raise _Reject(Answer.text(400, "malformed chunked body: negative chunk size"), close=True)
            if chunk == 0:
                while self.rfile.readline(1026) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            size += chunk
            if size > self.settings.max_body:
                raise _Reject(self._too_large("the chunked request body"), close=True)
            parts.append(self.rfile.read(chunk))
            self.rfile.readline(3)

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
        bom = values.pop("bom", "0")
        if bom not in ("0", "1") or (bom == "1" and ext != "csv"):
            return Answer.text(400, "parameter 'bom': use bom=1 (only for .csv) to start the file with a UTF-8 "
                                    "byte order mark for Excel")
        try:
            text = bound_text(query, values)
        except ParameterError as error:
            return Answer.text(400, str(error))
        fmt = NAMED_FORMATS[ext]
        answer = self._run(Job("query", text, (fmt,), (fmt,) if fmt in GRAPH_FORMATS else ()))
        if answer.status == 200 and bom == "1":
            answer = Answer(answer.status, answer.media_type, UTF8_BOM + answer.body, answer.headers)
        if answer.status == 200 and name in self.settings.notes:
            answer = Answer(answer.status, answer.media_type, answer.body,
                            (*answer.headers, (FINDINGS_HEADER, self.settings.notes[name])))
        return answer

    def _listing(self, query: NamedQuery) -> dict[str, object]:
        listing = query.as_dict()
        listing["urls"] = {ext: f"/queries/{query.name}.{ext}" for ext in (*NAMED_FORMATS, "rq")}
        if query.name in self.settings.notes:
            listing["note"] = self.settings.notes[query.name]
        return listing

    # ---- running and answering ---------------------------------------------------------

    def _run(self, job: Job) -> Answer:
        try:
            return self.settings.pool.run(job)
        except QueryTimeout:
            return Answer.text(503, f"the request ran longer than the limit of {self.settings.pool.timeout:g} "
                                    "seconds and was stopped; narrow it down (parameters, LIMIT) or ask for a "
                                    "longer --timeout", (("Retry-After", str(math.ceil(self.settings.pool.timeout))),))
        except PoolBusy:
            return Answer.text(503, "all query workers are busy; try again in a few seconds",
                               (("Retry-After", "2"),))

    def _send(self, answer: Answer, extra: Mapping[str, str] | None = None, close: bool = False) -> None:
        self.send_response(answer.status)
        if self._route_path() != "/update":
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", f"Retry-After, {FINDINGS_HEADER}")
        if answer.media_type:
            self.send_header("Content-Type", answer.media_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for key, value in (*answer.headers, *(extra or {}).items()):
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


#: parameter values up to this many characters in all have their query text remembered
CACHED_VALUES = 4096


def bound_text(query: NamedQuery, values: Mapping[str, str]) -> str:
    """The text of a named query with its parameters bound (ParameterError if they do not fit).
    Remembered for recent parameters: BI tools refresh the same URLs over and over, and binding
    costs about as much as the HTTP handling of a quick query."""
    items = tuple(sorted(values.items()))
    if sum(len(key) + len(value) for key, value in items) > CACHED_VALUES:
        return with_values(query.text, query.bind(values))
    return _cached_text(query, items)


@functools.lru_cache(maxsize=512)
def _cached_text(query: NamedQuery, items: tuple[tuple[str, str], ...]) -> str:
    return with_values(query.text, query.bind(dict(items)))


def _json(status: int, document: object) -> Answer:
    return Answer(status, "application/json", json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))


def _wants_html(accept: str | None) -> bool:
    """A browser asks for text/html first; BI tools and scripts do not."""
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media:
            return False
    return False


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


class _Server(ThreadingHTTPServer):
    """A threading HTTP server with a deep listen backlog, threads kept for later connections,
    and a lingering close."""

    request_queue_size = 1024

    def __init__(self, *args: Any, **kwargs: Any):
        self._pending: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self._idle_threads = 0
        self._idle_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Starting a thread per connection cost the accept loop about a quarter of the server's
        # time under load (each start waits for the new thread to run); a thread that finished its
        # connection waits a while for the next instead. None idle: a new one, so that connections
        # kept open (and idle) by some clients never hold up the others.
        with self._idle_lock:
            if self._idle_threads:
                self._idle_threads -= 1
                self._pending.put((request, client_address))
                return
        threading.Thread(target=self._connections, args=(request, client_address), daemon=True,
                         name="jeugdgov-connection").start()

    def _connections(self, request: Any, client_address: Any) -> None:
        """Serve a connection, then the ones handed over while idle, until none comes for a while."""
        while True:
            self.process_request_thread(request, client_address)
            with self._idle_lock:
                self._idle_threads += 1
            try:
                request, client_address = self._pending.get(timeout=IDLE_THREAD_SECONDS)
            except queue.Empty:
                with self._idle_lock:
                    try:  # a connection handed over just as the wait ended is still ours
                        request, client_address = self._pending.get_nowait()
                    except queue.Empty:
                        self._idle_threads -= 1
                        return

    def shutdown_request(self, request: Any) -> None:
        # A request refused before its body was read (too long, bad framing) leaves that body
        # unread; closing then makes the kernel reset the connection, and the client may lose
        # the answer that says why. So stop writing, read what is left for a moment, then close.
        with contextlib.suppress(OSError):
            request.shutdown(socket.SHUT_WR)
            request.settimeout(LINGER_SECONDS)
            deadline = time.monotonic() + LINGER_SECONDS
            drained = 0
            while drained < LINGER_BYTES and time.monotonic() < deadline and (chunk := request.recv(65536)):
                drained += len(chunk)
        self.close_request(request)


#: How long a connection thread with nothing to do waits for the next connection before it ends.
IDLE_THREAD_SECONDS = 30.0
#: How long and how much of an unread request body the server reads before it closes.
LINGER_SECONDS = 2.0
LINGER_BYTES = 16 * 1024 * 1024


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    """An HTTP server bound to host:port (not yet serving) with its own handler class."""
    handler = type("JeugdgovHandler", (Handler,), {"settings": settings})
    server_class = _Server
    try:
        server = server_class((host, port), handler)
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                         hint="is the port in use? choose another with --port") from None
    server.daemon_threads = True
    return server


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
                      max_result=max_result)
    notes = findings_notes(store, queries)
    settings = Settings(pool, queries, writable, max_body, log, tuple(allow_service), update_token, host, notes)
    server = make_server(settings, host, port)
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


#: the graph ``serve --validate`` stores the validation reports in
REPORTS_GRAPH = "urn:jeugdgov:validation-reports"


def store_validation_reports(folder: Path) -> int:
    """Validate the setups of a store folder and store their SHACL reports in it (replacing the
    reports of an earlier run); the number of setups validated."""
    from pyoxigraph import NamedNode, RdfFormat, Store

    from jeugdgov.validation import validate
    from jeugdgov.validation.report import as_turtle

    store = Store(str(folder))
    graph = NamedNode(REPORTS_GRAPH)
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    reports = validate(store)
    store.load(as_turtle(reports).encode("utf-8"), format=RdfFormat.TURTLE, to_graph=graph)
    store.flush()
    del store
    return len(reports)


#: named queries that read the SHACL validation reports stored beside the data
REPORT_QUERIES = ("findings", "findings-per-defect")


def findings_notes(store: Path, queries: Mapping[str, NamedQuery]) -> dict[str, str]:
    """For the findings queries, a note when the store holds no validation report (their answer
    would be an empty table that looks like 'no defects')."""
    from pyoxigraph import Store

    reader = Store.read_only(str(store))
    has_report = bool(reader.query("ASK { ?r a <http://www.w3.org/ns/shacl#ValidationReport> }",
                                   use_default_graph_as_union=True))
    del reader
    if has_report:
        return {}
    note = ("no validation report is stored with this data, so this query finds nothing; start the endpoint "
            "with 'jeugdgov serve --validate' or load the reports of 'jeugdgov validate --format turtle'")
    return {name: note for name in REPORT_QUERIES if name in queries}


def serve_data(data: Sequence[Path] | None, store: Path | None, queries: Mapping[str, NamedQuery], *,
               timeout: float = 30.0, note: Callable[[str], None] | None = None, validate: bool = False,
               **options: Any) -> None:
    """Serve data files (default: the bundled data) or a store folder until interrupted.

    With ``store`` the data, if any, is loaded into that folder first; without it into a
    temporary store that is removed afterwards. With ``validate`` the setups are validated
    first and their reports stored beside them (graph :data:`REPORTS_GRAPH`), for the findings
    queries. ``options`` are those of :func:`serve`.
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
            count = store_validation_reports(folder)
            if note:
                note(f"validated {count} setup(s); their reports are served with the data")
        serve(folder, queries, timeout=timeout, announce=note, **options)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
