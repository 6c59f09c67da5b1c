"""The SPARQL 1.1 Protocol and Graph Store Protocol over HTTP, as production stores speak it.

One place for what can go wrong on the wire: every HTTP error, unreadable answer, time-out or
partial result becomes an :class:`~jeugdgov.errors.InputError` naming the endpoint and the
query, so the command exits 2 with a message instead of a traceback (or, worse, exit code 1,
which means findings).

Stores differ from the standard in ways handled here:

- Virtuoso names blank nodes ``nodeID://b10006`` in its results, which is no valid blank node
  label; such labels are read as labels of their own (the same label gives the same node).
- Virtuoso answers an ASK in JSON as a one-row SELECT of ``__ASK_RETVAL``.
- A store may cut an answer short and still answer 200: Virtuoso's anytime queries say so in
  ``X-SQL-State``, and its ``ResultSetMaxRows`` cap in ``X-SPARQL-MaxRows``. Such an answer is
  refused: findings on part of the rows would be silently wrong.

Credentials (``--user``) go with every request; the server's challenge decides between HTTP
basic and digest authentication (Virtuoso's ``/sparql-auth`` asks for digest).
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlencode, urlsplit

from jeugdgov.errors import InputError

TIMEOUT = 120  # seconds to wait for an external store
#: Result headers by which a store says the answer is partial.
PARTIAL_STATE = "X-SQL-State"
MAX_ROWS = "X-SPARQL-MaxRows"
PASSWORD_VARIABLE = "JEUGDGOV_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """A user and password for a store's protected endpoints."""

    user: str
    password: str


@dataclass(frozen=True)
class Answer:
    """A store's answer: body, media type (lower case) and headers."""

    body: bytes
    media: str
    headers: Message


def describe_query(text: str) -> str:
    """A query named in a message: its first line that is no prefix, header or comment, shortened."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and not line.upper().startswith(("PREFIX", "BASE")):
            return line if len(line) <= 120 else line[:117] + "..."
    return text.strip()[:120]


def post(url: str, form: Sequence[tuple[str, str]] | None = None, body: bytes | None = None,
         content_type: str = "", accept: str = "", method: str = "POST", credentials: Credentials | None = None,
         timeout: float = TIMEOUT, what: str = "", reuse_connection: bool = False,
         origin: bool = False) -> Answer:
    """One request; ``form`` is sent url-encoded, else ``body`` with ``content_type``.

    ``what`` names the request in error messages (e.g. the query). ``reuse_connection`` keeps
    the connection open for the thread's next request to the same server (see
    :func:`_kept_alive`); only for requests that are safe to send twice. ``origin`` names the
    endpoint's own origin in an Origin header, which a writable ``jeugdgov serve`` asks of updates."""
    headers = {}
    if origin:
        parts = urlsplit(url)
        headers["Origin"] = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    if form is not None:
        body = urlencode(list(form)).encode("utf-8")
        content_type = "application/x-www-form-urlencoded"
    if content_type:
        headers["Content-Type"] = content_type
    if accept:
        headers["Accept"] = accept
    about = f" ({what})" if what else ""
    if reuse_connection and credentials is None and not _proxied(url):
        answer = _kept_alive(url, method, body, headers, timeout, about)
        if answer is not None:
            return answer
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _opener(url, credentials).open(request, timeout=timeout) as response:
            raw = response.read()
            return Answer(raw, response.headers.get("Content-Type", "").lower(), response.headers)
    except urllib.error.HTTPError as error:
        try:
            raw = error.read()
        except OSError:
            raw = b""
        raise _refused(url, error.code, about, raw, str(error.reason)) from None
    except TimeoutError:
        raise _timed_out(url, timeout, about) from None
    except (urllib.error.URLError, ConnectionError, ValueError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise _timed_out(url, timeout, about) from None
        raise _unreachable(url, about, reason) from None


#: Per thread: open connections by (scheme, host, port, timeout).
_connections = threading.local()


def _proxied(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(parts.hostname or "")


def _kept_alive(url: str, method: str, body: bytes | None, headers: dict[str, str], timeout: float,
                about: str) -> Answer | None:
    """The request on a connection kept open from the thread's last request to that server.

    A new connection per request (as urllib opens them) costs a few milliseconds, which adds
    up over the thousands of shape queries of in-store validation. A kept connection the
    server has closed meanwhile is replaced and the request sent again. None for an answer
    this path does not handle (a redirect): the caller sends the request through urllib."""
    parts = urlsplit(url)
    key = (parts.scheme, parts.hostname, parts.port, timeout)
    kept: dict[tuple, http.client.HTTPConnection] = _connections.__dict__.setdefault("open", {})
    target = parts.path + (f"?{parts.query}" if parts.query else "") or "/"
    for attempt in (1, 2):
        connection = kept.pop(key, None)
        reused = connection is not None
        if connection is None:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = kind(parts.hostname or "", parts.port, timeout=timeout)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
            connection.close()
            if reused and attempt == 1:
                continue  # the server closed the idle connection: once more on a new one
            raise _unreachable(url, about, error) from None
        except TimeoutError:
            connection.close()
            raise _timed_out(url, timeout, about) from None
        except (http.client.HTTPException, OSError) as error:
            connection.close()
            raise _unreachable(url, about, error) from None
        if response.will_close:
            connection.close()
        else:
            kept[key] = connection
        if 300 <= response.status < 400:
            return None
        if response.status >= 400:
            raise _refused(url, response.status, about, raw, response.reason)
        return Answer(raw, response.headers.get("Content-Type", "").lower(), response.headers)
    return None


def _timed_out(url: str, timeout: float, about: str) -> InputError:
    return InputError(f"the SPARQL endpoint {url} timed out after {timeout:g} s{about}",
                      hint="the store is reachable but slow: raise the store's limits, or validate locally "
                      "on fetched data (--fetch)")


def _opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    if credentials is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, credentials.user, credentials.password)
    # Each handler answers only its own scheme's challenge: the server chooses basic or digest.
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))


def _refused(url: str, status: int, about: str, body: bytes, reason: str) -> InputError:
    """The store's error answer, its body on one line (or the status reason when it has none)."""
    text = re.sub(r"\s+", " ", body.decode("utf-8", "replace").strip())[:500] or reason
    hint = ("give --user and the password in $" + PASSWORD_VARIABLE + " (or at the prompt)"
            if status in (401, 403) else "")
    return InputError(f"the SPARQL endpoint {url} answered {status}{about}: {text}", hint=hint)


def _unreachable(url: str, about: str, reason: object) -> InputError:
    return InputError(f"cannot reach the SPARQL endpoint {url}{about}: {reason}",
                      hint="check the URL and that the store is running")


def sparql_query(endpoint: str, text: str, graphs: Sequence[str] = (), accept: str = "",
                 credentials: Credentials | None = None, timeout: float = TIMEOUT) -> Answer:
    """A query by POST (queries and VALUES blocks can be longer than a URL may be); ``graphs``
    are the protocol's ``default-graph-uri``: the store merges them into the default graph."""
    form = [("query", text), *(("default-graph-uri", g) for g in graphs)]
    answer = post(endpoint, form=form, accept=accept, credentials=credentials, timeout=timeout,
                  what=describe_query(text), reuse_connection=True)  # a query changes nothing: safe to resend
    refuse_partial(endpoint, text, answer)
    return answer


def sparql_update(endpoint: str, text: str, credentials: Credentials | None = None,
                  timeout: float = TIMEOUT, what: str = "") -> Answer:
    return post(endpoint, body=text.encode("utf-8"), content_type="application/sparql-update",
                credentials=credentials, timeout=timeout, what=what or describe_query(text), origin=True)


def refuse_partial(endpoint: str, text: str, answer: Answer) -> None:
    """Refuse an answer the store says is partial, or that has as many rows as its cap."""
    state = answer.headers.get(PARTIAL_STATE)
    if state:
        message = answer.headers.get("X-SQL-Message", "")
        raise InputError(f"the SPARQL endpoint {endpoint} sent a partial answer (SQL state {state}: {message.strip()}) "
                         f"to the query {describe_query(text)}",
                         hint="raise the store's MaxQueryExecutionTime, or validate locally on fetched data (--fetch)")
    cap = answer.headers.get(MAX_ROWS)
    if cap and cap.strip().isdigit() and "json" in answer.media and rows_in(answer.body) >= int(cap):
        raise InputError(f"the SPARQL endpoint {endpoint} cut the answer to the query {describe_query(text)} "
                         f"at its maximum of {cap} rows",
                         hint="raise the store's ResultSetMaxRows (Virtuoso: [SPARQL] in virtuoso.ini), "
                         "or validate locally on fetched data (--fetch)")


def rows_in(body: bytes) -> int:
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return 0


BNODE_VALUE = re.compile(rb'"type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*"([^"]*)"')


def standard_json(body: bytes) -> bytes:
    """SPARQL JSON results as the standard has them: blank node labels a parser accepts (a label
    that is not one is written as ``b`` and its hex, so that distinct labels stay distinct) and an
    ASK answered as a SELECT of ``__ASK_RETVAL`` as a boolean."""
    if b"__ASK_RETVAL" in body[:200]:
        try:
            bindings = json.loads(body)["results"]["bindings"]
            value = bool(bindings) and bindings[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
            return json.dumps({"head": {}, "boolean": value}).encode()
        except (ValueError, KeyError, TypeError, IndexError):
            return body

    def label(match: re.Match[bytes]) -> bytes:
        value = match.group(1)
        if re.fullmatch(rb"[A-Za-z0-9_]+", value):
            return match.group(0)
        return b'"type": "bnode", "value": "b' + value.hex().encode() + b'"'

    return BNODE_VALUE.sub(label, body) if b'"bnode"' in body else body


def standard_ntriples(body: bytes) -> bytes:
    """N-Triples with blank nodes a parser accepts: Virtuoso writes some as ``<nodeID://b1>``;
    they get the labels :func:`standard_json` gives them."""
    return re.sub(rb"<(nodeID://[^>]*)>", lambda m: b"_:b" + m.group(1).hex().encode(), body)


def graph_store_url(base: str, graph: str | None) -> str:
    """The Graph Store Protocol address of a graph (None: the default graph)."""
    return f"{base}?default" if graph is None else f"{base}?{urlencode({'graph': graph})}"

