"""The endpoint's HTTP server: uvicorn with the httptools parser, and this endpoint's limits.

Why uvicorn: the standard library's ``http.server`` spent about 0.4 ms of CPU on each request on
its own (a thread per connection, headers parsed by the e-mail package), a quarter of what a
quick named query costs in all; uvicorn parses with llhttp in C and serves every connection from
one event loop, at about a quarter of that. It is the reference ASGI server and well kept.

What this module adds to uvicorn's own HTTP handling: a malformed request is answered with one
line saying what is wrong (uvicorn's own answer does not say), a URL over 64 KB is 413 and a
header block over 64 KB is 431 (llhttp sets no limit), and a refused request's unread body is
read and dropped for a moment before the connection closes, so that a client still sending is
not reset before it reads why. And a budget of connections below the process's file descriptor
limit: past it a new connection closes the longest-idle one (a client that sent nothing, or
waits between requests), and only when every one is busy is the newcomer answered 503 at
once, so that idle connections by the thousand cannot lock everyone else out.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
import sys
import threading
from typing import Any

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from jeugdgov.errors import InputError
from jeugdgov.server.app import DRAIN_BYTES, DRAIN_SECONDS, EndpointApp, Settings

MAX_URL = 65536
MAX_HEADERS = 65536
BACKLOG = 1024
#: seconds an idle kept-alive connection stays open; BI tools refresh in bursts
KEEP_ALIVE_SECONDS = 30
#: seconds a client has for its request line and headers, from connecting or from its first byte
REQUEST_SECONDS = 60.0
REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large", 431: "Request Header Fields Too Large",
           503: "Service Unavailable"}
#: file descriptors kept for what is not a client connection: the store's files, worker pipes, logs
RESERVED_FILES = 128


def connection_budget() -> int:
    """How many client connections may be open at once: the file descriptor limit (raised to
    the hard limit where it is lower) less :data:`RESERVED_FILES`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return max(16, soft - RESERVED_FILES)


class _Refusal(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits and error answers described above."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._header_bytes = 0
        self._dropping: int | None = None  # bytes dropped since a refusal; None: not refused
        self._deadline: asyncio.TimerHandle | None = None
        self._idle_since = 0.0
        self._in_request = False

    # asyncio's protocols are given any BaseTransport; uvicorn's, which this one extends, a Transport
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._idle_since = self.loop.time()
        if len(self.connections) > BUDGET.connections and not self._close_longest_idle():
            self._refuse(503, "the endpoint has as many connections open as it may, all busy; try again shortly")
            return
        self._start_deadline()  # a client that connects and sends nothing holds no connection for long

    def _close_longest_idle(self) -> bool:
        idle = [c for c in self.connections if c is not self and isinstance(c, _Protocol) and not c._in_request
                and not c.transport.is_closing()]
        if not idle:
            return False
        min(idle, key=lambda c: c._idle_since).transport.close()
        return True

    def on_response_complete(self) -> None:
        self._in_request = False
        self._idle_since = self.loop.time()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_request = True
        self._header_bytes = 0
        self._start_deadline()

    def on_headers_complete(self) -> None:
        self._stop_deadline()
        super().on_headers_complete()

    def _start_deadline(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(REQUEST_SECONDS, self._too_slow)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self._refuse(408, f"the request line and headers did not arrive within {REQUEST_SECONDS:g} s")

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_URL:
            raise _Refusal(413, f"the URL is over the limit of {MAX_URL} bytes; send the query with POST")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADERS:
            raise _Refusal(431, f"the request headers are over the limit of {MAX_HEADERS} bytes")
        super().on_header(name, value)

    def data_received(self, data: bytes) -> None:
        if self._dropping is not None:
            self._dropping += len(data)
            if self._dropping > DRAIN_BYTES:
                self.transport.close()
            return
        try:
            super().data_received(data)
        except _Refusal as refusal:
            self._refuse(refusal.status, str(refusal))

    def send_400_response(self, msg: str) -> None:
        """Called by uvicorn on a parser error; the error itself says what is wrong."""
        raise _Refusal(*self._explained())

    def _explained(self) -> tuple[int, str]:
        error = sys.exc_info()[1]
        cause = error.__context__ if isinstance(error, httptools.HttpParserCallbackError) else None
        if isinstance(cause, _Refusal):
            return cause.status, str(cause)
        if isinstance(error, httptools.HttpParserInvalidURLError):
            return 400, ("the URL holds a character URLs may not (a space, or a raw non-ASCII byte): "
                         "percent-encode it, as UTF-8 (e.g. ë as %C3%AB)")
        return 400, f"malformed HTTP request: {error or 'unreadable'}; send a well-formed HTTP/1.1 request"

    # asyncio lets eof_received return True to keep the transport open; uvicorn's annotation says None
    def eof_received(self) -> bool | None:  # type: ignore[override]
        """A client may stop sending once its request is complete (a half-close); it still gets
        its answer, and then the connection closes. Before that, an end is a disconnect."""
        cycle = self.cycle
        if cycle is not None and not cycle.more_body and not cycle.response_complete:
            cycle.keep_alive = False
            return True
        return None

    def _refuse(self, status: int, message: str) -> None:
        self._dropping = 0
        if self.cycle is not None and not self.cycle.response_complete:
            # what follows a request still being answered is unreadable (a body sent without a
            # length, say): answer the request in hand, which says why, and close after it
            self.cycle.keep_alive = False
            return
        body = (message + "\n").encode("utf-8")
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                             b"connection: close\r\n\r\n%s" % (status, REASONS[status].encode(), len(body), body))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(DRAIN_SECONDS, self.transport.close)


class _Budget:
    connections = 1024


#: the connection budget of this process's endpoint (set when it starts)
BUDGET = _Budget()


class HttpServer:
    """An endpoint bound to a loopback (or given) address; ``serve_forever`` until ``shutdown``."""

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 7878):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind((host, port))
            self._socket.listen(BACKLOG)
        except OSError as error:
            self._socket.close()
            raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                             hint="is the port in use? choose another with --port",
                             nl=(f"kan niet luisteren op {host}:{port}: {error.strerror or error}",
                                 "is de poort in gebruik? kies een andere met --port")) from None
        self.app = EndpointApp(settings)
        BUDGET.connections = connection_budget()
        _quiet_uvicorn()
        if settings.log:
            _log_requests()
        # no proxy headers: nothing stands in front of the endpoint that could vouch for them
        config = uvicorn.Config(self.app, http=_Protocol, ws="none", lifespan="off", log_config=None,
                                proxy_headers=False, access_log=settings.log, backlog=BACKLOG,
                                timeout_keep_alive=KEEP_ALIVE_SECONDS, timeout_graceful_shutdown=3,
                                server_header=False, headers=[("Server", "jeugdgov")])
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()

    @property
    def server_address(self) -> tuple[str, int]:
        host, port = self._socket.getsockname()[:2]
        return str(host), int(port)

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or, in the main thread, Ctrl-C or SIGTERM)."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self._server.should_exit = True
        self._stopped.wait(10)

    def server_close(self) -> None:
        self._socket.close()


def _quiet_uvicorn() -> None:
    """uvicorn warns of every malformed request; here the client is told instead."""
    logging.getLogger("uvicorn.error").setLevel(logging.ERROR)


def _log_requests() -> None:
    access = logging.getLogger("uvicorn.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
