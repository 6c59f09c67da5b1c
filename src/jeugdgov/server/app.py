"""The endpoint's routes, as an ASGI application: what each request is answered with.

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
    GET  /def                      the ontology: HTML for browsers, Turtle or JSON-LD by Accept
    GET  /.well-known/void         a VoID/DCAT description of the datasets served (Turtle, JSON-LD)

Results follow the ``format`` parameter (csv, tsv, json, xml; for graphs turtle, ntriples, xml,
json) or else the ``Accept`` header. Reading routes allow cross-origin use (CORS); ``/update``
does not, and takes updates only from the endpoint's own origin (:mod:`jeugdgov.server.guard`).
Queries run in worker processes (:mod:`jeugdgov.server.executor`) under a time and memory limit,
awaited so that the event loop keeps serving meanwhile; request bodies
(whatever their framing) and query strings are capped in size. Errors are one line of
text/plain, which BI tools show as they are.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs

from jeugdgov.resources import LANGUAGES
from jeugdgov.server import guard, page, vocabulary
from jeugdgov.server.accept import media_ranges
from jeugdgov.server.executor import Answer, Job, PoolBusy, QueryTimeout
from jeugdgov.sparql.library import NamedQuery, ParameterError, with_values
from jeugdgov.sparql.results import GRAPH_FORMATS, GRAPH_MEDIA, SOLUTION_FORMATS, SOLUTION_MEDIA

NAMED_ROUTE = re.compile(r"^/queries/(?P<name>[a-z0-9][a-z0-9-]*)\.(?P<ext>csv|tsv|json|xml|xlsx|rq)$")
#: the format each named-query extension is written in: .tsv is plain values for spreadsheets
NAMED_FORMATS = {"csv": "csv", "tsv": "plain-tsv", "json": "json", "xml": "xml", "xlsx": "xlsx"}
HOST_AUTHORITY = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$")
UTF8_BOM = b"\xef\xbb\xbf"
FINDINGS_HEADER = "X-Jeugdgov-Warning"
#: every HTML answer: scripts only from this endpoint's own files (no inline script, no event
#: handler attribute, no eval), so a hostile IRI or literal that reaches the page cannot run;
#: inline styles stay allowed (the editor sets them), which run nothing
PAGE_POLICY = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
#: How long and how much of a refused request body is read (and dropped) before the answer, so
#: that the client, still sending, is not reset before it reads why.
DRAIN_SECONDS = 2.0
DRAIN_BYTES = 16 * 1024 * 1024
#: seconds a client has to send a request body
BODY_SECONDS = 60.0
#: parameter values up to this many characters in all have their query text remembered
CACHED_VALUES = 4096


class Pool(Protocol):
    """What the application needs of the query workers (:class:`~jeugdgov.server.executor.WorkerPool`)."""

    timeout: float
    memory_limit: int | None
    max_result: int

    async def run(self, job: Job, timeout: float | None = None) -> Answer: ...

    def alive(self) -> int: ...


@dataclass
class Settings:
    """What one endpoint serves and how."""

    pool: Pool
    queries: Mapping[str, NamedQuery]
    writable: bool = False
    max_body: int = 1_000_000
    log: bool = True
    allow_service: tuple[str, ...] = ()
    update_token: str | None = None
    host: str = "127.0.0.1"
    #: named queries that read stored validation reports, with why they may come back empty
    notes: dict[str, str] = field(default_factory=dict)
    #: the language of error messages for a request whose Accept-Language names neither nl nor en
    lang: str = "en"


class Headers(dict[str, str]):
    """Request headers by name in any case (stored lower-case; repeated ones joined by commas)."""

    @classmethod
    def of(cls, raw: list[tuple[bytes, bytes]]) -> Headers:
        headers = cls()
        for name, value in raw:
            key, text = name.decode("latin-1").lower(), value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        return headers

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


@dataclass(frozen=True)
class Request:
    method: str  # HEAD is answered as GET, without its body
    path: str
    query_string: str
    headers: Headers
    receive: Callable[[], Awaitable[dict[str, Any]]]


class Reject(Exception):
    """Stop handling a request with this answer (optionally closing the connection)."""

    def __init__(self, answer: Answer, close: bool = False):
        super().__init__(answer.body)
        self.answer = answer
        self.close = close


#: answers up to this size are always sent: /health, errors, short results; a connection's send
#: buffer takes them at once
ALWAYS_SENT = 16 * 1024
#: bytes of the other answers the endpoint holds at once for clients still reading them, in
#: results of the largest size (--max-result): slow readers cannot pin more memory, however many
HELD_RESULTS = 4
#: an answer goes to the connection in pieces of this size, each sent when the client has read
#: the one before (uvicorn's flow control), not all at once into its write buffer
BODY_PIECE = 1024 * 1024


class EndpointApp:
    """The ASGI application of one endpoint."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._held = 0  # bytes of answers being sent

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                       send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":  # served with lifespan events off and no websockets
            return
        request = Request("GET" if scope["method"] == "HEAD" else scope["method"], scope["path"],
                          scope["query_string"].decode("latin-1"), Headers.of(scope["headers"]), receive)
        close = False
        extra: dict[str, str] = {}
        try:
            answer, extra = await self._route(request)
        except Reject as reject:
            answer, close = reject.answer, reject.close
        except Exception as error:  # a bug must cost one request, never the server
            answer, close = Answer.text(500, (f"internal error: {error}", f"interne fout: {error}")), True
        size = len(answer.body)
        if size > ALWAYS_SENT and self._held + size > HELD_RESULTS * self.settings.pool.max_result:
            answer, extra, close = Answer.text(
                503, ("the endpoint holds as many large answers for clients still reading them as it may; "
                      "try again shortly", "het endpoint houdt al zoveel grote antwoorden vast voor clients die ze "
                      "nog lezen als het mag; probeer het zo opnieuw"), (("Retry-After", "5"),)), {}, False
            size = len(answer.body)
        if answer.dutch:  # a message said in both languages: the request's, else the endpoint's
            lang = message_language(request.headers.get("Accept-Language"), self.settings.lang)
            extra = {**extra, "Content-Language": lang, "Vary": "Accept-Language"}
            if lang == "nl":
                answer = Answer(answer.status, answer.media_type, answer.dutch, answer.headers)
        self._held += size
        try:
            await _send(send, answer, head=scope["method"] == "HEAD", cors=request.path != "/update", extra=extra,
                        close=close)
        finally:
            self._held -= size

    async def _route(self, request: Request) -> tuple[Answer, dict[str, str]]:
        settings, path, method = self.settings, request.path, request.method
        if problem := guard.foreign_host(request.headers, settings.host):
            raise Reject(Answer.text(403, problem), close=True)
        if method == "OPTIONS":
            return _preflight(path)
        if method in ("PUT", "DELETE", "PATCH"):
            return (Answer.text(405, ("method not allowed: use GET or POST",
                                      "methode niet toegestaan: gebruik GET of POST")), {"Allow": "GET, POST, OPTIONS"})
        if path == "/query":
            return await self._protocol(request, update=False), {}
        if path == "/update":
            return await self._protocol(request, update=True), {}
        if method != "GET":
            return Answer.text(405, ("method not allowed: this resource only answers GET",
                                     "methode niet toegestaan: deze bron beantwoordt alleen GET")), {}
        if path in ("/", ""):
            if _wants_html(request.headers.get("Accept")):
                return Answer(200, "text/html; charset=utf-8",
                              page.index_page(settings.queries, settings.writable, settings.notes,
                                              _page_language(request.query_string))), {}
            return _json(200, self._index()), {}
        if path.startswith("/static/"):
            return page.static(path.removeprefix("/static/")), {}
        if path == "/health":
            return await self._health(), {}
        if path in ("/queries", "/queries/"):
            return _json(200, [self._listing(q) for q in settings.queries.values()]), {}
        if match := NAMED_ROUTE.match(path):
            return await self._named(match["name"], match["ext"], request.query_string), {}
        if vocabulary.ONTOLOGY_PATH.match(path):
            return vocabulary.ontology(request.headers.get("Accept")), {}
        if path == vocabulary.VOID_PATH:
            return await self._void(request.headers), {"Vary": "Accept"}
        return Answer.text(404, (f"no such resource: {path}; see / for what is served",
                                 f"bron {path} bestaat niet; zie / voor wat er geserveerd wordt")), {}

    def _index(self) -> dict[str, object]:
        settings = self.settings
        return {
            "service": "jeugdgov SPARQL endpoint",
            "query": "/query",
            "update": "/update" if settings.writable else None,
            "queries": "/queries",
            "health": "/health",
            "ontology": "/def",
            "void": vocabulary.VOID_PATH,
            "writable": settings.writable,
            "timeout_seconds": settings.pool.timeout,
            "max_request_bytes": settings.max_body,
            "max_result_bytes": settings.pool.max_result,
            "memory_limit_bytes": settings.pool.memory_limit,
            "service_calls": list(settings.allow_service),
        }

    async def _health(self) -> Answer:
        pool = self.settings.pool
        try:
            result = await pool.run(Job("query", "ASK {}"), min(pool.timeout, 10))
        except (QueryTimeout, PoolBusy):
            result = Answer(503, "")
        healthy = result.status == 200
        return _json(200 if healthy else 503, {
            "status": "ok" if healthy else "unavailable",
            "workers": pool.alive(),
            "writable": self.settings.writable,
        })

    async def _void(self, headers: Headers) -> Answer:
        graph_formats = _negotiate(headers.get("Accept"))[1]
        if not graph_formats:
            return Answer.text(406, ("the description is RDF: ask for text/turtle or application/ld+json",
                                     "de beschrijving is RDF: vraag om text/turtle of application/ld+json"))
        host = headers.get("Host") or ""
        # the Host header goes into the query's IRIs: only a plain authority, never SPARQL syntax
        base = f"http://{host if HOST_AUTHORITY.match(host) else self.settings.host}"
        return await self._run(Job("query", vocabulary.void_query(base), (), graph_formats))

    # ---- SPARQL 1.1 Protocol -----------------------------------------------------------

    async def _protocol(self, request: Request, update: bool) -> Answer:
        settings = self.settings
        params = _parse_qs(request.query_string, settings.max_body)
        if request.method == "POST":
            kind, body = await self._body(request)
            if kind == FORM:
                params.update(_parse_qs(body, settings.max_body))
            elif kind == SPARQL_QUERY:
                params["query"] = [body]
            elif kind == SPARQL_UPDATE:
                params["update"] = [body]
            else:
                raise Reject(Answer.text(415, (f"unsupported content type '{kind}': send {FORM}, "
                                               f"{SPARQL_QUERY} or {SPARQL_UPDATE}",
                                               f"inhoudstype '{kind}' wordt niet ondersteund: stuur {FORM}, "
                                               f"{SPARQL_QUERY} of {SPARQL_UPDATE}")))
        if "update" in params or update:
            if not settings.writable:
                return Answer.text(403, ("this endpoint is read-only; start it with 'jeugdgov serve --writable' "
                                         "to accept updates", "dit endpoint is alleen-lezen; start het met "
                                         "'jeugdgov serve --writable' om updates aan te nemen"))
            if problem := guard.cross_site_update(request.headers, bool(settings.update_token)):
                return Answer.text(403, problem)
            if problem := guard.token_mismatch(request.headers, settings.update_token):
                return Answer.text(401, problem, (("WWW-Authenticate", "Bearer"),))
            if request.method != "POST":
                return Answer.text(405, ("updates must be sent with POST", "updates moeten met POST gestuurd worden"))
            text = _single(params, "update")
            if text is None or "query" in params:
                return Answer.text(400, ("give exactly one 'update' and no 'query'",
                                         "geef precies één 'update' en geen 'query'"))
            if problem := guard.refused_call(text, settings.allow_service):
                return Answer.text(403, problem)
            return await self._run(Job("update", text))
        text = _single(params, "query")
        if text is None:
            return Answer.text(400, ("missing the 'query' parameter", "de parameter 'query' ontbreekt"))
        if problem := guard.refused_call(text, settings.allow_service):
            return Answer.text(403, problem)
        solution_formats, graph_formats = _formats(_single(params, "format"), request.headers.get("Accept"))
        return await self._run(Job("query", text, solution_formats, graph_formats,
                                   default_graphs=tuple(params.get("default-graph-uri", ())),
                                   named_graphs=tuple(params.get("named-graph-uri", ()))))

    async def _body(self, request: Request) -> tuple[str, str]:
        """The request body as text, refused past the size limit whatever its framing (the
        HTTP parser has already refused a malformed length or chunk)."""
        headers, limit = request.headers, self.settings.max_body
        length = headers.get("Content-Length")
        chunked = "chunked" in (headers.get("Transfer-Encoding") or "").lower()
        if chunked and length is not None:
            raise Reject(Answer.text(400, ("give either Content-Length or Transfer-Encoding: chunked, not both",
                                           "geef Content-Length of Transfer-Encoding: chunked, niet beide")),
                         close=True)
        if length is None and not chunked:
            raise Reject(Answer.text(411, ("a POST needs a Content-Length (or Transfer-Encoding: chunked)",
                                           "een POST heeft een Content-Length nodig (of Transfer-Encoding: chunked)")),
                         close=True)
        if length is not None and not length.strip().isdigit():  # one length, in digits: not -1, +5 or "5, 5"
            raise Reject(Answer.text(400, (f"Content-Length '{length}' is not a length in bytes",
                                           f"Content-Length '{length}' is geen lengte in bytes")), close=True)
        if length is not None and int(length) > limit:
            await _drain(request.receive)
            raise Reject(self._too_large(f"request body of {int(length)} bytes",
                                         f"de inhoud van het verzoek van {int(length)} bytes"), close=True)
        parts: list[bytes] = []
        size = 0
        deadline = time.monotonic() + BODY_SECONDS
        while True:
            try:
                message = await asyncio.wait_for(request.receive(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise Reject(Answer.text(408, (f"the request body did not arrive within {BODY_SECONDS:g} s",
                                               f"de inhoud van het verzoek kwam niet binnen {BODY_SECONDS:g} s")),
                             close=True) from None
            if message["type"] == "http.disconnect":
                raise Reject(Answer.text(400, ("the client left before its request body was complete",
                                               "de client vertrok voordat de inhoud van het verzoek compleet was")),
                             close=True)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _drain(request.receive)
                raise Reject(self._too_large("the request body", "de inhoud van het verzoek"), close=True)
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        try:
            body = b"".join(parts).decode("utf-8")
        except UnicodeDecodeError:
            raise Reject(Answer.text(400, ("the request body is not UTF-8",
                                           "de inhoud van het verzoek is geen UTF-8"))) from None
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return kind, body

    def _too_large(self, what: str, wat: str) -> Answer:
        limit = self.settings.max_body
        return Answer.text(413, (f"{what} is over the limit of {limit} bytes; "
                                 "narrow it down or start the endpoint with a larger --max-request",
                                 f"{wat} is groter dan de grens van {limit} bytes; beperk het of start het endpoint "
                                 "met een grotere --max-request"))

    # ---- named queries -----------------------------------------------------------------

    async def _named(self, name: str, ext: str, query_string: str) -> Answer:
        settings = self.settings
        query = settings.queries.get(name)
        if query is None:
            return Answer.text(404, (f"no named query '{name}'; GET /queries lists them",
                                     f"geen benoemde query '{name}'; GET /queries noemt ze"))
        if ext == "rq":
            return Answer(200, "application/sparql-query; charset=utf-8", query.text.encode("utf-8"))
        values: dict[str, str] = {}
        for key, given in _parse_qs(query_string, settings.max_body).items():
            if len(given) > 1:
                return Answer.text(400, (f"parameter '{key}': given {len(given)} times; give it once",
                                         f"parameter '{key}': {len(given)} keer gegeven; geef hem één keer"))
            values[key] = given[0]
        bom = values.pop("bom", "0")
        if bom not in ("0", "1") or (bom == "1" and ext != "csv"):
            return Answer.text(400, ("parameter 'bom': use bom=1 (only for .csv) to start the file with a UTF-8 "
                                     "byte order mark for Excel", "parameter 'bom': gebruik bom=1 (alleen voor .csv) "
                                     "om het bestand te laten beginnen met een UTF-8-byte-order-mark voor Excel"))
        try:
            text = bound_text(query, values)
        except ParameterError as error:
            return Answer.text(400, (error.text(), error.text("tip", "nl")))
        fmt = NAMED_FORMATS[ext]
        answer = await self._run(Job("query", text, (fmt,), (fmt,) if fmt in GRAPH_FORMATS else ()))
        if answer.status == 200 and bom == "1":
            answer = Answer(answer.status, answer.media_type, UTF8_BOM + answer.body, answer.headers)
        if answer.status == 200 and name in settings.notes:
            answer = Answer(answer.status, answer.media_type, answer.body,
                            (*answer.headers, (FINDINGS_HEADER, settings.notes[name])))
        return answer

    def _listing(self, query: NamedQuery) -> dict[str, object]:
        listing = query.as_dict()
        listing["urls"] = {ext: f"/queries/{query.name}.{ext}" for ext in (*NAMED_FORMATS, "rq")}
        if query.name in self.settings.notes:
            listing["note"] = self.settings.notes[query.name]
        return listing

    # ---- running -----------------------------------------------------------------------

    async def _run(self, job: Job) -> Answer:
        timeout = self.settings.pool.timeout
        try:
            return await self.settings.pool.run(job)
        except QueryTimeout:
            return Answer.text(503, (f"the request ran longer than the limit of {timeout:g} seconds and was "
                                     "stopped; narrow it down (parameters, LIMIT) or ask for a longer --timeout",
                                     f"het verzoek liep langer dan de grens van {timeout:g} seconden en is gestopt; "
                                     "beperk het (parameters, LIMIT) of vraag om een langere --timeout"),
                               (("Retry-After", str(math.ceil(timeout))),))
        except PoolBusy:
            return Answer.text(503, ("all query workers are busy; try again in a few seconds",
                                     "alle queryprocessen zijn bezig; probeer het over een paar seconden opnieuw"),
                               (("Retry-After", "2"),))


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


async def _send(send: Callable[[dict[str, Any]], Awaitable[None]], answer: Answer, *, head: bool, cors: bool,
                extra: Mapping[str, str], close: bool) -> None:
    headers = [(b"content-length", str(len(answer.body)).encode())]
    if answer.media_type:
        headers.append((b"content-type", answer.media_type.encode()))
    if answer.media_type.startswith("text/html"):
        headers.append((b"content-security-policy", PAGE_POLICY))
    headers.append((b"x-content-type-options", b"nosniff"))
    if cors:
        headers += [(b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", f"Retry-After, {FINDINGS_HEADER}".encode())]
    headers += [(key.lower().encode(), value.encode("latin-1", errors="replace"))
                for key, value in (*answer.headers, *extra.items())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    body = b"" if head else answer.body
    pieces = [body]
    if len(body) > ALWAYS_SENT:
        # and a last, empty piece: sent once the client has read all but what the connection's
        # write buffer holds below its high-water mark, so the answer counts as held until then
        pieces = [*(body[start:start + BODY_PIECE] for start in range(0, len(body), BODY_PIECE)), b""]
    for index, piece in enumerate(pieces):
        await send({"type": "http.response.body", "body": piece, "more_body": index < len(pieces) - 1})


async def _drain(receive: Callable[[], Awaitable[dict[str, Any]]]) -> None:
    """Read and drop what is left of a refused body, for a moment and up to a size."""
    deadline, drained = time.monotonic() + DRAIN_SECONDS, 0
    while drained < DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(receive(), left)
        except asyncio.TimeoutError:
            return
        drained += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


def _preflight(path: str) -> tuple[Answer, dict[str, str]]:
    if path == "/update":  # no preflight passes: other sites' pages may not update
        return Answer(204, "text/plain"), {"Allow": "POST, OPTIONS"}
    return Answer(204, "text/plain"), {
        "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Max-Age": "86400",
    }


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
        raise Reject(Answer.text(413, (f"the query string is over the limit of {limit} bytes",
                                       f"de querystring is groter dan de grens van {limit} bytes")))
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise Reject(Answer.text(400, ("the query string is not UTF-8", "de querystring is geen UTF-8"))) from None


def _single(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise Reject(Answer.text(400, (f"'{name}' given {len(values)} times; give it once",
                                       f"'{name}' {len(values)} keer gegeven; geef hem één keer")))
    return values[0]


def _formats(requested: str | None, accept: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Accepted result formats, best first, from ``format=`` or else the Accept header."""
    if requested:
        name = requested.strip().lower()
        if name not in SOLUTION_FORMATS and name not in GRAPH_FORMATS:
            known = ", ".join(dict.fromkeys([*SOLUTION_FORMATS, *GRAPH_FORMATS]))
            raise Reject(Answer.text(400, (f"unknown format '{requested}': use one of {known}",
                                           f"onbekend formaat '{requested}': gebruik een van {known}")))
        return (name,) if name in SOLUTION_FORMATS else (), (name,) if name in GRAPH_FORMATS else ()
    return _negotiate(accept)


def _negotiate(accept: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Result formats in the order of the Accept header's preferences."""
    solutions: list[str] = []
    graphs: list[str] = []
    for media in media_ranges(accept or "*/*"):
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


def message_language(accept_language: str | None, default: str) -> str:
    """The language of an error message: the one of nl and en the Accept-Language header prefers
    (by its q-values, then its order), else ``default`` (the endpoint's --lang)."""
    ranked = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        weight = 1.0
        if (match := re.search(r"q=([^;\s]*)", parameters)) is not None:
            try:
                weight = float(match.group(1))
            except ValueError:  # a weight that says nothing: the language is not asked for
                weight = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and weight > 0:
            ranked.append((-weight, index, language))
    return min(ranked)[2] if ranked else default


def _page_language(query_string: str) -> str:
    """The language the page is asked in (``?lang=en``): Dutch unless English is asked for."""
    asked = parse_qs(query_string).get("lang", ["nl"])[-1]
    return asked if asked in LANGUAGES else "nl"
